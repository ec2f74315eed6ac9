import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { Membership, Team } from '@paasport/plugin-paas-common';
import { FormEvent, useState } from 'react';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';

/** Puts a member of the organization into a team; only members can join teams. */
export const AddTeamMemberDialog = (props: {
  organization: string;
  team?: Team;
  members: Membership[];
  onClose: () => void;
  onAdded: () => void;
}) => {
  const { organization, team, members, onClose, onAdded } = props;
  const paasApi = useApi(paasApiRef);
  const [userRef, setUserRef] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const candidates = team
    ? members.filter(member => !member.teams.includes(team.name))
    : [];
  const selected = userRef || candidates[0]?.userRef || '';

  const close = () => {
    if (!busy) {
      setUserRef('');
      setFailure(undefined);
      onClose();
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!team || !selected) {
      return;
    }
    setFailure(undefined);
    setBusy(true);
    try {
      await paasApi.addTeamMember(organization, team.name, selected);
      setBusy(false);
      setUserRef('');
      onAdded();
    } catch (error) {
      setBusy(false);
      setFailure(errorMessage(error));
    }
  };

  return (
    <Dialog
      open={Boolean(team)}
      onClose={close}
      fullWidth
      maxWidth="xs"
      aria-labelledby="paas-add-team-member-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="paas-add-team-member-title">
          Add a member to {team?.title ?? team?.name}
        </DialogTitle>
        <DialogContent>
          {failure && <Alert severity="error">{failure}</Alert>}
          {candidates.length > 0 ? (
            <TextField
              select
              fullWidth
              margin="normal"
              id="paas-team-member-user"
              label="Member of the organization"
              value={selected}
              onChange={event => setUserRef(event.target.value)}
              SelectProps={{ native: true }}
            >
              {candidates.map(member => (
                <option key={member.userRef} value={member.userRef}>
                  {member.userRef} ({member.role})
                </option>
              ))}
            </TextField>
          ) : (
            <DialogContentText>
              Every member of the organization is already in this team. Add
              people to the organization first, on the Members tab or with an
              invite code.
            </DialogContentText>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !selected}
            startIcon={busy ? <CircularProgress size={16} /> : undefined}
          >
            Add to team
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
