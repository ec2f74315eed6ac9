import {
  EmptyState,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import CloseIcon from '@material-ui/icons/Close';
import GroupAddIcon from '@material-ui/icons/GroupAdd';
import type {
  Membership,
  Organization,
  Team,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { ConfirmDialog } from '../../common';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { AddTeamMemberDialog } from './AddTeamMemberDialog';
import { CreateTeamDialog } from './CreateTeamDialog';

type TeamRow = Team & { members: string[] };

/** The organization's teams, their members, and the forms to create teams and fill them. */
export const TeamsSection = (props: { organization: Organization }) => {
  const org = props.organization.name;
  const paasApi = useApi(paasApiRef);
  const data = useAsyncRetry(async () => {
    const [teams, members] = await Promise.all([
      paasApi.listTeams(org),
      paasApi.listMembers(org),
    ]);
    return { teams, members };
  }, [paasApi, org]);
  const [creating, setCreating] = useState(false);
  const [addingTo, setAddingTo] = useState<Team>();
  const [removing, setRemoving] = useState<{ team: Team; userRef: string }>();

  const members: Membership[] = data.value?.members ?? [];

  const columns: TableColumn<TeamRow>[] = [
    { title: 'Name', field: 'name', highlight: true },
    {
      title: 'Title',
      field: 'title',
      render: team => (
        <>
          {team.title}
          {team.description && (
            <Typography variant="body2" color="textSecondary">
              {team.description}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Catalog group',
      field: 'groupRef',
      render: team =>
        team.groupRef ? (
          <>
            adopted:{' '}
            <EntityRefLink entityRef={team.groupRef} defaultKind="group" />
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            published by Paasport
          </Typography>
        ),
    },
    {
      title: 'Members',
      field: 'members',
      sorting: false,
      render: team => (
        <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {team.members.length === 0 && (
            <Typography variant="body2" color="textSecondary" component="li">
              nobody yet
            </Typography>
          )}
          {team.members.map(userRef => (
            <Box
              component="li"
              key={userRef}
              display="flex"
              alignItems="center"
            >
              <EntityRefLink entityRef={userRef} defaultKind="user" />
              <IconButton
                size="small"
                aria-label={`Remove ${userRef} from ${team.name}`}
                onClick={() => setRemoving({ team, userRef })}
              >
                <CloseIcon fontSize="small" />
              </IconButton>
            </Box>
          ))}
        </Box>
      ),
    },
    {
      title: '',
      sorting: false,
      render: team => (
        <Button
          size="small"
          startIcon={<GroupAddIcon />}
          aria-label={`Add a member to ${team.name}`}
          onClick={() => setAddingTo(team)}
        >
          Add member
        </Button>
      ),
    },
  ];

  let content;
  if (data.loading && !data.value) {
    content = <Progress />;
  } else if (data.error) {
    content = (
      <LoadFailure
        error={data.error}
        title="Could not load the teams"
        onRetry={data.retry}
      />
    );
  } else if (!data.value?.teams.length) {
    content = (
      <EmptyState
        missing="data"
        title="No teams yet"
        description="Teams own what they provision and get their quota carved out of the organization's."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setCreating(true)}
          >
            Create the first team
          </Button>
        }
      />
    );
  } else {
    const rows: TeamRow[] = data.value.teams.map(team => ({
      ...team,
      members: members
        .filter(member => member.teams.includes(team.name))
        .map(member => member.userRef),
    }));
    content = (
      <Table<TeamRow>
        title={`Teams (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          search: rows.length > 10,
          paging: rows.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <>
      <SectionHeader
        title="Teams"
        description="Teams own resources and deployments; their members come from the organization."
      >
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setCreating(true)}
        >
          Create team
        </Button>
      </SectionHeader>
      {content}
      <CreateTeamDialog
        open={creating}
        organization={org}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          data.retry();
        }}
      />
      <AddTeamMemberDialog
        organization={org}
        team={addingTo}
        members={members}
        onClose={() => setAddingTo(undefined)}
        onAdded={() => {
          setAddingTo(undefined);
          data.retry();
        }}
      />
      <ConfirmDialog
        open={Boolean(removing)}
        title="Remove from team"
        confirmLabel="Remove"
        onClose={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (removing) {
            await paasApi.removeTeamMember(
              org,
              removing.team.name,
              removing.userRef,
            );
            data.retry();
          }
        }}
      >
        {removing && (
          <>
            Take <strong>{removing.userRef}</strong> out of{' '}
            {removing.team.title}? They stay a member of the organization.
          </>
        )}
      </ConfirmDialog>
    </>
  );
};
