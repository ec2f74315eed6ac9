import {
  EmptyState,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import PersonAddIcon from '@material-ui/icons/PersonAdd';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import Alert from '@material-ui/lab/Alert';
import type { Membership, Organization } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import {
  ConfirmDialog,
  ORGANIZATION_ROLES,
  OrganizationRole,
  Timestamp,
} from '../../common';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { AddMemberDialog } from './AddMemberDialog';

/** The organization's members: their role (which admins can change), teams and since when. */
export const MembersSection = (props: { organization: Organization }) => {
  const org = props.organization.name;
  const paasApi = useApi(paasApiRef);
  const members = useAsyncRetry(() => paasApi.listMembers(org), [paasApi, org]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Membership>();
  const [changing, setChanging] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const changeRole = async (member: Membership, role: OrganizationRole) => {
    if (role === member.role) {
      return;
    }
    setFailure(undefined);
    setChanging(member.userRef);
    try {
      await paasApi.setMemberRole(org, member.userRef, role);
      members.retry();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setChanging(undefined);
    }
  };

  const columns: TableColumn<Membership>[] = [
    {
      title: 'User',
      field: 'userRef',
      highlight: true,
      render: member => (
        <EntityRefLink entityRef={member.userRef} defaultKind="user" />
      ),
    },
    {
      title: 'Role',
      field: 'role',
      render: member => (
        <TextField
          select
          size="small"
          value={member.role}
          disabled={changing === member.userRef}
          onChange={event =>
            changeRole(member, event.target.value as OrganizationRole)
          }
          SelectProps={{ native: true }}
          inputProps={{ 'aria-label': `Role of ${member.userRef}` }}
        >
          {ORGANIZATION_ROLES.map(role => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </TextField>
      ),
    },
    {
      title: 'Teams',
      field: 'teams',
      sorting: false,
      render: member =>
        member.teams.length > 0 ? (
          member.teams.map(team => (
            <Chip key={team} size="small" label={team} />
          ))
        ) : (
          <Typography variant="body2" color="textSecondary">
            none
          </Typography>
        ),
    },
    {
      title: 'Since',
      field: 'createdAt',
      render: member => <Timestamp value={member.createdAt} />,
    },
    {
      title: '',
      sorting: false,
      width: '56px',
      render: member => (
        <Tooltip title="Remove from the organization">
          <IconButton
            size="small"
            aria-label={`Remove ${member.userRef}`}
            onClick={() => setRemoving(member)}
          >
            <RemoveCircleOutlineIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      ),
    },
  ];

  let content;
  if (members.loading && !members.value) {
    content = <Progress />;
  } else if (members.error) {
    content = (
      <LoadFailure
        error={members.error}
        title="Could not load the members"
        onRetry={members.retry}
      />
    );
  } else if (!members.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="No members yet"
        description="Members see the organization; developers provision for their teams and admins manage members, teams, invite codes and team quotas."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setAdding(true)}
          >
            Add the first member
          </Button>
        }
      />
    );
  } else {
    // material-table writes its bookkeeping into the rows; keep the loaded objects clean.
    const data = members.value.map(member => ({ ...member }));
    content = (
      <Table<Membership>
        title={`Members (${data.length})`}
        columns={columns}
        data={data}
        options={{
          search: data.length > 10,
          paging: data.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <>
      <SectionHeader
        title="Members"
        description="Who belongs to the organization and with which role."
      >
        <Button
          variant="contained"
          color="primary"
          startIcon={<PersonAddIcon />}
          onClick={() => setAdding(true)}
        >
          Add member
        </Button>
      </SectionHeader>
      {failure && (
        <Alert severity="error" onClose={() => setFailure(undefined)}>
          {failure}
        </Alert>
      )}
      {content}
      <AddMemberDialog
        open={adding}
        organization={org}
        members={members.value ?? []}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          members.retry();
        }}
      />
      <ConfirmDialog
        open={Boolean(removing)}
        title="Remove member"
        confirmLabel="Remove"
        onClose={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (removing) {
            await paasApi.removeMember(org, removing.userRef);
            members.retry();
          }
        }}
      >
        {removing && (
          <>
            Remove <strong>{removing.userRef}</strong> from{' '}
            {props.organization.title}? They also leave its teams.
          </>
        )}
      </ConfirmDialog>
    </>
  );
};
