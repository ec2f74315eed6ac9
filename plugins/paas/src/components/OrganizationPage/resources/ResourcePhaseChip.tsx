import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AutorenewIcon from '@material-ui/icons/Autorenew';
import DeleteOutlineIcon from '@material-ui/icons/DeleteOutline';
import DoneIcon from '@material-ui/icons/Done';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import type {
  ResourceCondition,
  ResourcePhase,
} from '@paasport/plugin-paas-common';
import { StateChip, StateLook } from '../../common/StateChip';
import { ResourceConditionList } from './ResourceConditionList';
import { describeDoubtfulSettings, doubtfulSettings } from './resourceText';

const LOOKS: Record<ResourcePhase, StateLook> = {
  'pending-approval': { icon: <HourglassEmptyIcon />, open: true },
  provisioning: { icon: <AutorenewIcon />, tone: 'good', open: true },
  ready: { icon: <DoneIcon />, tone: 'good' },
  failed: { icon: <ErrorOutlineIcon />, tone: 'bad' },
  deleting: { icon: <DeleteOutlineIcon />, tone: 'bad', open: true },
  deleted: { icon: <RemoveCircleOutlineIcon />, tone: 'muted' },
};

/**
 * The phase of a managed resource as a small chip. Given its conditions, it says next to the
 * chip how many settings are not met or unverified, and lists them in a tooltip: "ready" alone
 * would claim settings the provider could not confirm.
 */
export const ResourcePhaseChip = (props: {
  phase: ResourcePhase;
  conditions?: ResourceCondition[];
}) => {
  const { phase, conditions = [] } = props;
  const chip = (
    <StateChip state={phase} looks={LOOKS} testId="resource-phase" />
  );
  const summary = describeDoubtfulSettings(conditions);
  if (!summary) {
    return chip;
  }
  const doubtful = doubtfulSettings(conditions);
  return (
    <>
      {chip}
      <Tooltip title={<ResourceConditionList conditions={doubtful} />}>
        <Typography
          component="span"
          variant="body2"
          color={
            doubtful.some(c => c.status === 'False') ? 'error' : 'textSecondary'
          }
          data-testid="resource-settings"
        >
          {' '}
          — {summary}
        </Typography>
      </Tooltip>
    </>
  );
};
