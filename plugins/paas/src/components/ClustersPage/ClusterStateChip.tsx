import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import type { ClusterState } from '@paasport/plugin-paas-common';
import { StateChip, StateLook } from '../common/StateChip';

const LOOKS: Record<ClusterState, StateLook> = {
  ready: { icon: <CheckIcon />, tone: 'good' },
  cordoned: { icon: <BlockIcon />, open: true },
  draining: { icon: <RemoveCircleOutlineIcon />, tone: 'bad' },
};

/** The state of a cluster as a small chip. */
export const ClusterStateChip = (props: { state: ClusterState }) => (
  <StateChip state={props.state} looks={LOOKS} testId="cluster-state" />
);
