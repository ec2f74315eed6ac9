import Chip from '@material-ui/core/Chip';
import DoneIcon from '@material-ui/icons/Done';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import ScheduleIcon from '@material-ui/icons/Schedule';
import StopIcon from '@material-ui/icons/Stop';
import type { DeploymentState } from '@paasport/plugin-paas-common';

const ICONS: Record<DeploymentState, JSX.Element> = {
  'pending-approval': <HourglassEmptyIcon />,
  queued: <ScheduleIcon />,
  admitted: <DoneIcon />,
  running: <PlayArrowIcon />,
  stopped: <StopIcon />,
  failed: <ErrorOutlineIcon />,
};

/** The state of a deployment as a small chip; the word is always there, not only the colour. */
export const DeploymentStateChip = (props: { state: DeploymentState }) => {
  const { state } = props;
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (state === 'running') {
    color = 'primary';
  } else if (state === 'failed') {
    color = 'secondary';
  }
  return (
    <Chip
      size="small"
      icon={ICONS[state]}
      label={state}
      color={color}
      variant={
        state === 'queued' || state === 'pending-approval'
          ? 'outlined'
          : 'default'
      }
      data-testid="deployment-state"
    />
  );
};
