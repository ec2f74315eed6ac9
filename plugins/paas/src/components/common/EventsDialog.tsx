import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
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
import { ReactNode, useId } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { PaasApi, paasApiRef } from '../../api';
import { errorMessage } from '../../api/errors';
import { PrincipalLink } from './PrincipalLink';
import { Timestamp } from './Timestamp';

/** One entry of a history, as deployments and managed resources both record them. */
export interface HistoryEvent {
  id: number;
  type: string;
  message: string;
  actor?: string;
  createdAt: string;
}

/** Loads the history of one subject; a module-level function, so it stays the same. */
export type LoadEvents = (api: PaasApi, id: string) => Promise<HistoryEvent[]>;

const Events = (props: { id: string; load: LoadEvents }) => {
  const { id, load } = props;
  const paasApi = useApi(paasApiRef);
  const events = useAsync(() => load(paasApi, id), [paasApi, load, id]);

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

/** What happened to something, oldest first, as the backend recorded it. */
export const EventsDialog = (props: {
  /** What the history is of; undefined while closed. */
  subject?: { id: string; name: string };
  load: LoadEvents;
  /** Shown above the events. */
  children?: ReactNode;
  onClose: () => void;
}) => {
  const { subject, load, children, onClose } = props;
  const titleId = useId();
  return (
    <Dialog
      open={Boolean(subject)}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>History of {subject?.name}</DialogTitle>
      <DialogContent>
        {children}
        {subject && <Events key={subject.id} id={subject.id} load={load} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
