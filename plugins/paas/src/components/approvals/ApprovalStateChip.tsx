import Chip from '@material-ui/core/Chip';
import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import ClearIcon from '@material-ui/icons/Clear';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import TimerOffIcon from '@material-ui/icons/TimerOff';
import type { ApprovalState } from '@paasport/plugin-paas-common';

const ICONS: Record<ApprovalState, JSX.Element> = {
  pending: <HourglassEmptyIcon />,
  approved: <CheckIcon />,
  denied: <ClearIcon />,
  cancelled: <BlockIcon />,
  expired: <TimerOffIcon />,
};

/** The state of an approval as a small chip; the word is always there, not only the colour. */
export const ApprovalStateChip = (props: { state: ApprovalState }) => {
  const { state } = props;
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (state === 'approved') {
    color = 'primary';
  } else if (state === 'denied') {
    color = 'secondary';
  }
  return (
    <Chip
      size="small"
      icon={ICONS[state]}
      label={state}
      color={color}
      variant={state === 'pending' ? 'outlined' : 'default'}
      data-testid="approval-state"
    />
  );
};
