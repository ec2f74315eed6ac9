import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { Deployment, DeploymentState } from '@paasport/plugin-paas-common';
import { useOrganizationLink } from '../../common';
import { ORGANIZATION_TABS } from '../tabs';
import { DeploymentStateChip } from './DeploymentStateChip';
import { formatWait } from './deploymentText';

/** States in which the scheduler or an approver may still move a deployment. */
export const MOVING_STATES: DeploymentState[] = [
  'pending-approval',
  'queued',
  'admitted',
];
const STOPPABLE_STATES: DeploymentState[] = [...MOVING_STATES, 'running'];
const STARTABLE_STATES: DeploymentState[] = ['stopped', 'failed'];

/** A deployment as the table shows it. */
export type DeploymentRow = Deployment & { fullName: string };

/** `team/name`, how people name a deployment. */
export function fullName(deployment: Deployment): string {
  return `${deployment.team}/${deployment.name}`;
}

/** Where a queued deployment stands, or that it waits for an approval. */
export const QueueCell = (props: {
  row: DeploymentRow;
  organization: string;
}) => {
  const { row } = props;
  const organizationLink = useOrganizationLink();
  if (row.state === 'pending-approval') {
    return organizationLink ? (
      <Link
        to={organizationLink(props.organization, ORGANIZATION_TABS.approvals)}
      >
        waits for an approval
      </Link>
    ) : (
      <>waits for an approval</>
    );
  }
  if (row.state !== 'queued' || !row.queue) {
    return null;
  }
  const { position, length, estimatedWait, waitingFor } = row.queue;
  const wait = formatWait(estimatedWait);
  return (
    <>
      #{position} of {length}
      {wait && <Typography variant="body2">wait: {wait}</Typography>}
      {waitingFor && (
        <Typography variant="body2" color="textSecondary">
          {waitingFor}
        </Typography>
      )}
    </>
  );
};

/** The state chip, with why a deployment failed and how often it was preempted. */
export const StateCell = (props: { row: DeploymentRow }) => {
  const { row } = props;
  return (
    <>
      <DeploymentStateChip state={row.state} />
      {row.state === 'failed' && row.reason && (
        <Typography variant="body2" color="textSecondary">
          {row.reason}
        </Typography>
      )}
      {row.preemptions > 0 && (
        <Typography variant="body2" color="textSecondary">
          preempted {row.preemptions}×
        </Typography>
      )}
    </>
  );
};

/** History, Stop or Start as the state allows, and Delete. */
export const DeploymentActions = (props: {
  row: DeploymentRow;
  busy: boolean;
  onStop: () => void;
  onStart: () => void;
  onDelete: () => void;
  onHistory: () => void;
}) => {
  const { row, busy } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      <Button
        size="small"
        aria-label={`History of ${row.fullName}`}
        onClick={props.onHistory}
      >
        History
      </Button>
      {STOPPABLE_STATES.includes(row.state) && (
        <Button
          size="small"
          color="primary"
          aria-label={`Stop ${row.fullName}`}
          disabled={busy}
          onClick={props.onStop}
        >
          Stop
        </Button>
      )}
      {STARTABLE_STATES.includes(row.state) && (
        <Button
          size="small"
          color="primary"
          aria-label={`Start ${row.fullName}`}
          disabled={busy}
          onClick={props.onStart}
        >
          Start
        </Button>
      )}
      <Button
        size="small"
        color="secondary"
        aria-label={`Delete ${row.fullName}`}
        disabled={busy}
        onClick={props.onDelete}
      >
        Delete
      </Button>
    </Box>
  );
};
