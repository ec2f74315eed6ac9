import DoneIcon from '@material-ui/icons/Done';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import ScheduleIcon from '@material-ui/icons/Schedule';
import StopIcon from '@material-ui/icons/Stop';
import type { DeploymentState } from '@paasport/plugin-paas-common';
import { StateChip, StateLook } from '../../common/StateChip';

const LOOKS: Record<DeploymentState, StateLook> = {
  'pending-approval': { icon: <HourglassEmptyIcon />, open: true },
  queued: { icon: <ScheduleIcon />, open: true },
  admitted: { icon: <DoneIcon /> },
  running: { icon: <PlayArrowIcon />, tone: 'good' },
  stopped: { icon: <StopIcon /> },
  failed: { icon: <ErrorOutlineIcon />, tone: 'bad' },
};

/** The state of a deployment as a small chip. */
export const DeploymentStateChip = (props: { state: DeploymentState }) => (
  <StateChip state={props.state} looks={LOOKS} testId="deployment-state" />
);
