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
import type { Membership } from '@paasport/plugin-paas-common';
import { FormEvent, useState } from 'react';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import {
  ORGANIZATION_ROLES,
  OrganizationRole,
  ROLE_DESCRIPTIONS,
  normalizeUserRef,
} from '../../common';

function existingRole(
  members: Membership[],
  value: string,
): OrganizationRole | undefined {
  try {
    const ref = normalizeUserRef(value).toLocaleLowerCase('en-US');
    return members.find(m => m.userRef.toLocaleLowerCase('en-US') === ref)
      ?.role;
  } catch {
    return undefined;
  }
}

/** Adds a catalog user to the organization with a role. */
export const AddMemberDialog = (props: {
  open: boolean;
  organization: string;
  members: Membership[];
  onClose: () => void;
  onAdded: (membership: Membership) => void;
}) => {
  const { open, organization, members, onClose, onAdded } = props;
  const paasApi = useApi(paasApiRef);
  const [user, setUser] = useState('');
  const [role, setRole] = useState<OrganizationRole>('developer');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const reset = () => {
    setUser('');
    setRole('developer');
    setFailure(undefined);
  };

  const close = () => {
    if (!busy) {
      reset();
      onClose();
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    let userRef: string;
    try {
      userRef = normalizeUserRef(user);
    } catch (error) {
      setFailure(errorMessage(error));
      return;
    }
    setBusy(true);
    try {
      const membership = await paasApi.setMemberRole(
        organization,
        userRef,
        role,
      );
      setBusy(false);
      reset();
      onAdded(membership);
    } catch (error) {
      setBusy(false);
      setFailure(errorMessage(error));
    }
  };

  const current = user.trim() ? existingRole(members, user) : undefined;

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="paas-add-member-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="paas-add-member-title">Add member</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Give a catalog user a role in this organization. To let people join
            by themselves, create an invite code instead.
          </DialogContentText>
          {failure && <Alert severity="error">{failure}</Alert>}
          <TextField
            required
            fullWidth
            margin="normal"
            id="paas-member-user"
            label="User"
            value={user}
            onChange={event => setUser(event.target.value)}
            helperText={
              current
                ? `Already a member as ${current}: this changes their role`
                : 'A catalog user, e.g. ada, default/ada or user:default/ada'
            }
          />
          <TextField
            select
            fullWidth
            margin="normal"
            id="paas-member-role"
            label="Role"
            value={role}
            onChange={event => setRole(event.target.value as OrganizationRole)}
            SelectProps={{ native: true }}
          >
            {ORGANIZATION_ROLES.map(option => (
              <option key={option} value={option}>
                {ROLE_DESCRIPTIONS[option]}
              </option>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !user.trim()}
            startIcon={busy ? <CircularProgress size={16} /> : undefined}
          >
            Add
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
