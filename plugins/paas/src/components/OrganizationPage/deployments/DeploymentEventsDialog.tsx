import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Deployment } from '@paasport/plugin-paas-common';
import { EventsDialog, LoadEvents } from '../../common';

const loadDeploymentEvents: LoadEvents = (api, id) =>
  api.listDeploymentEvents(id);

/** What happened to a deployment, oldest first: submitted, admitted, preempted, stopped... */
export const DeploymentEventsDialog = (props: {
  /** Undefined while closed. */
  deployment?: Deployment;
  onClose: () => void;
}) => {
  const { deployment, onClose } = props;
  return (
    <EventsDialog
      subject={
        deployment && {
          id: deployment.id,
          name: `${deployment.team}/${deployment.name}`,
        }
      }
      load={loadDeploymentEvents}
      onClose={onClose}
    >
      {deployment && deployment.preemptions > 0 && (
        <Box mb={1}>
          <Typography variant="body2" color="textSecondary">
            Preempted {deployment.preemptions}{' '}
            {deployment.preemptions === 1 ? 'time' : 'times'} and queued again;
            the events say why.
          </Typography>
        </Box>
      )}
    </EventsDialog>
  );
};
