import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Deployment } from '@paasport/plugin-paas-common';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import { PrincipalLink, Timestamp } from '../../common';

const Events = (props: { deployment: Deployment }) => {
  const paasApi = useApi(paasApiRef);
  const { id } = props.deployment;
  const events = useAsync(
    () => paasApi.listDeploymentEvents(id),
    [paasApi, id],
  );

  if (events.loading) {
    return <Progress />;
  }
  if (events.error) {
    return (
      <Alert severity="error">
        Could not load the history: {errorMessage(events.error)}
      </Alert>
    );
  }
  if (!events.value?.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing happened to it yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Events">
      {events.value.map(event => (
        <ListItem key={event.id} disableGutters>
          <ListItemText
            primary={
              <>
                <strong>{event.type}</strong>: {event.message}
              </>
            }
            secondary={
              <>
                <Timestamp value={event.createdAt} />
                {event.actor && (
                  <>
                    {' · '}
                    <PrincipalLink principal={event.actor} />
                  </>
                )}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
};

/** What happened to a deployment, oldest first: submitted, admitted, preempted, stopped... */
export const DeploymentEventsDialog = (props: {
  /** Undefined while closed. */
  deployment?: Deployment;
  onClose: () => void;
}) => {
  const { deployment, onClose } = props;
  return (
    <Dialog
      open={Boolean(deployment)}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="paas-deployment-events-title"
    >
      <DialogTitle id="paas-deployment-events-title">
        History of {deployment?.team}/{deployment?.name}
      </DialogTitle>
      <DialogContent>
        {deployment && deployment.preemptions > 0 && (
          <Box mb={1}>
            <Typography variant="body2" color="textSecondary">
              Preempted {deployment.preemptions}{' '}
              {deployment.preemptions === 1 ? 'time' : 'times'} and queued
              again; the events say why.
            </Typography>
          </Box>
        )}
        {deployment && <Events key={deployment.id} deployment={deployment} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
