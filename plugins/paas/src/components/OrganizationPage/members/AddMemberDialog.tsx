import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import type { Membership } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { paasApiRef } from '../../../api';
import {
  FormDialog,
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

  const close = () => {
    setUser('');
    setRole('developer');
    onClose();
  };

  const submit = async () => {
    const userRef = normalizeUserRef(user);
    const membership = await paasApi.setMemberRole(organization, userRef, role);
    setUser('');
    setRole('developer');
    onAdded(membership);
  };

  const current = user.trim() ? existingRole(members, user) : undefined;

  return (
    <FormDialog
      open={open}
      onClose={close}
      titleId="paas-add-member-title"
      title="Add member"
      description={
        <>
          Give a catalog user a role in this organization. To let people join by
          themselves, create an invite code instead.
        </>
      }
      submitLabel="Add"
      canSubmit={Boolean(user.trim())}
      onSubmit={submit}
    >
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
    </FormDialog>
  );
};
