import AutorenewIcon from '@material-ui/icons/Autorenew';
import DeleteOutlineIcon from '@material-ui/icons/DeleteOutline';
import DoneIcon from '@material-ui/icons/Done';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import type { ResourcePhase } from '@paasport/plugin-paas-common';
import { StateChip, StateLook } from '../../common/StateChip';

const LOOKS: Record<ResourcePhase, StateLook> = {
  'pending-approval': { icon: <HourglassEmptyIcon />, open: true },
  provisioning: { icon: <AutorenewIcon />, tone: 'good', open: true },
  ready: { icon: <DoneIcon />, tone: 'good' },
  failed: { icon: <ErrorOutlineIcon />, tone: 'bad' },
  deleting: { icon: <DeleteOutlineIcon />, tone: 'bad', open: true },
  deleted: { icon: <RemoveCircleOutlineIcon />, tone: 'muted' },
};

/** The phase of a managed resource as a small chip. */
export const ResourcePhaseChip = (props: { phase: ResourcePhase }) => (
  <StateChip state={props.phase} looks={LOOKS} testId="resource-phase" />
);
