import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import ClearIcon from '@material-ui/icons/Clear';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import TimerOffIcon from '@material-ui/icons/TimerOff';
import type { ApprovalState } from '@paasport/plugin-paas-common';
import { StateChip, StateLook } from '../common/StateChip';

const LOOKS: Record<ApprovalState, StateLook> = {
  pending: { icon: <HourglassEmptyIcon />, open: true },
  approved: { icon: <CheckIcon />, tone: 'good' },
  denied: { icon: <ClearIcon />, tone: 'bad' },
  cancelled: { icon: <BlockIcon /> },
  expired: { icon: <TimerOffIcon /> },
};

/** The state of an approval as a small chip. */
export const ApprovalStateChip = (props: { state: ApprovalState }) => (
  <StateChip state={props.state} looks={LOOKS} testId="approval-state" />
);
