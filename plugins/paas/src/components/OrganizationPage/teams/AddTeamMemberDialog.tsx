import { useApi } from '@backstage/core-plugin-api';
import DialogContentText from '@material-ui/core/DialogContentText';
import TextField from '@material-ui/core/TextField';
import type { Membership, Team } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { paasApiRef } from '../../../api';
import { FormDialog } from '../../common';

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

  const candidates = team
    ? members.filter(member => !member.teams.includes(team.name))
    : [];
  const selected = userRef || candidates[0]?.userRef || '';

  const close = () => {
    setUserRef('');
    onClose();
  };

  const submit = async () => {
    if (!team) {
      return;
    }
    await paasApi.addTeamMember(organization, team.name, selected);
    setUserRef('');
    onAdded();
  };

  return (
    <FormDialog
      open={Boolean(team)}
      onClose={close}
      maxWidth="xs"
      titleId="paas-add-team-member-title"
      title={<>Add a member to {team?.title ?? team?.name}</>}
      submitLabel="Add to team"
      canSubmit={Boolean(selected)}
      onSubmit={submit}
    >
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
          Every member of the organization is already in this team. Add people
          to the organization first, on the Members tab or with an invite code.
        </DialogContentText>
      )}
    </FormDialog>
  );
};
