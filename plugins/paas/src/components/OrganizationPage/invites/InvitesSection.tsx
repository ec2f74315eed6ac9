import {
  EmptyState,
  Progress,
  StatusAborted,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import type { InviteCode, Organization } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { ConfirmDialog, PrincipalLink, Timestamp } from '../../common';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { CreateInviteDialog } from './CreateInviteDialog';
import { InviteState, inviteState } from './inviteState';

// Only what the list shows: a code that reached the list by mistake is never rendered.
type InviteRow = Pick<
  InviteCode,
  | 'id'
  | 'role'
  | 'uses'
  | 'maxUses'
  | 'expiresAt'
  | 'revokedAt'
  | 'createdBy'
  | 'createdAt'
> & { state: InviteState };

const StateLabel = (props: { state: InviteState }) => {
  switch (props.state) {
    case 'active':
      return <StatusOK>active</StatusOK>;
    case 'expired':
      return <StatusWarning>expired</StatusWarning>;
    case 'used up':
      return <StatusPending>used up</StatusPending>;
    default:
      return <StatusAborted>revoked</StatusAborted>;
  }
};

function toRow(invite: InviteCode, now: number): InviteRow {
  return {
    id: invite.id,
    role: invite.role,
    uses: invite.uses,
    maxUses: invite.maxUses,
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedAt,
    createdBy: invite.createdBy,
    createdAt: invite.createdAt,
    state: inviteState(invite, now),
  };
}

/** The organization's invite codes (never the codes themselves), to create and revoke. */
export const InvitesSection = (props: { organization: Organization }) => {
  const { organization } = props;
  const org = organization.name;
  const paasApi = useApi(paasApiRef);
  const invites = useAsyncRetry(() => paasApi.listInvites(org), [paasApi, org]);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<InviteRow>();

  const columns: TableColumn<InviteRow>[] = [
    { title: 'Role', field: 'role' },
    {
      title: 'Uses',
      field: 'uses',
      render: invite => `${invite.uses} / ${invite.maxUses}`,
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: invite => <Timestamp value={invite.expiresAt} />,
    },
    {
      title: 'State',
      field: 'state',
      render: invite => <StateLabel state={invite.state} />,
    },
    {
      title: 'Created by',
      field: 'createdBy',
      render: invite => <PrincipalLink principal={invite.createdBy} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      defaultSort: 'desc',
      render: invite => <Timestamp value={invite.createdAt} />,
    },
    {
      title: '',
      sorting: false,
      render: invite =>
        invite.state === 'active' ? (
          <Button
            size="small"
            color="secondary"
            aria-label={`Revoke the ${invite.role} code created ${invite.createdAt}`}
            onClick={() => setRevoking(invite)}
          >
            Revoke
          </Button>
        ) : null,
    },
  ];

  let content;
  if (invites.loading && !invites.value) {
    content = <Progress />;
  } else if (invites.error) {
    content = (
      <LoadFailure
        error={invites.error}
        title="Could not load the invite codes"
        onRetry={invites.retry}
      />
    );
  } else if (!invites.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="No invite codes yet"
        description="An invite code lets colleagues join the organization by themselves, with the role you choose."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setCreating(true)}
          >
            Create the first invite code
          </Button>
        }
      />
    );
  } else {
    const now = Date.now();
    const rows = invites.value.map(invite => toRow(invite, now));
    content = (
      <Table<InviteRow>
        title={`Invite codes (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          search: false,
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
        title="Invite codes"
        description="Codes are shown once, when created; this list only tells how they are used."
      >
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setCreating(true)}
        >
          Create invite
        </Button>
      </SectionHeader>
      {content}
      <CreateInviteDialog
        open={creating}
        organization={organization}
        onClose={() => setCreating(false)}
        onCreated={invites.retry}
      />
      <ConfirmDialog
        open={Boolean(revoking)}
        title="Revoke invite code"
        confirmLabel="Revoke"
        onClose={() => setRevoking(undefined)}
        onConfirm={async () => {
          if (revoking) {
            await paasApi.revokeInvite(org, revoking.id);
            invites.retry();
          }
        }}
      >
        {revoking && (
          <>
            Nobody can join with this {revoking.role} code any more (used{' '}
            {revoking.uses} of {revoking.maxUses} times). People who already
            joined stay members.
          </>
        )}
      </ConfirmDialog>
    </>
  );
};
