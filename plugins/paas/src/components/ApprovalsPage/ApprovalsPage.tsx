import {
  Content,
  ContentHeader,
  EmptyState,
  Link,
  LinkButton,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Alert from '@material-ui/lab/Alert';
import type { Approval } from '@paasport/plugin-paas-common';
import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ApprovalDecisionBody, paasApiRef } from '../../api';
import { errorMessage, errorStatus } from '../../api/errors';
import {
  ApprovalDecisionSummary,
  ApprovalStateChip,
  describeApproval,
} from '../approvals';
import {
  PrincipalLink,
  Timestamp,
  useOrganizationLink,
  usePaasportPageLink,
} from '../common';
import { ORGANIZATION_TABS } from '../OrganizationPage/tabs';
import { DenyDialog } from './DenyDialog';

type Row = Approval & { description: string };

/** What happened to a row on this page: a decision in flight, or the refusal of one. */
type RowActivity = {
  busy?: 'approve' | 'deny';
  failure?: string;
  final?: boolean;
};

const OrganizationCell = (props: { organization: string }) => {
  const organizationLink = useOrganizationLink();
  return organizationLink ? (
    <Link
      to={organizationLink(props.organization, ORGANIZATION_TABS.approvals)}
    >
      {props.organization}
    </Link>
  ) : (
    <>{props.organization}</>
  );
};

const Actions = (props: {
  row: Row;
  activity?: RowActivity;
  onApprove: () => void;
  onDeny: () => void;
}) => {
  const { row, activity } = props;
  const what = describeApproval(row);
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
      {row.state === 'pending' && !activity?.final ? (
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            size="small"
            color="primary"
            variant="contained"
            aria-label={`Approve: ${what} for ${row.organization}`}
            disabled={Boolean(activity?.busy)}
            startIcon={
              activity?.busy === 'approve' ? (
                <CircularProgress size={14} />
              ) : undefined
            }
            onClick={props.onApprove}
          >
            Approve
          </Button>
          <Button
            size="small"
            color="secondary"
            variant="outlined"
            aria-label={`Deny: ${what} for ${row.organization}`}
            disabled={Boolean(activity?.busy)}
            onClick={props.onDeny}
          >
            Deny
          </Button>
        </Box>
      ) : (
        <ApprovalDecisionSummary approval={row} />
      )}
      {activity?.failure && (
        <Alert severity="error" role="alert">
          {activity.failure}
        </Alert>
      )}
    </Box>
  );
};

/**
 * The approvals inbox without a page header: the pending approvals the signed-in user may
 * decide, across organizations, with Approve and Deny (which asks for a reason). A decided row
 * stays in place with its new state until the page is reloaded.
 */
export const ApprovalsPageContent = () => {
  const paasApi = useApi(paasApiRef);
  const paasportLink = usePaasportPageLink();
  const inbox = useAsyncRetry(
    () => paasApi.listApprovalInbox('pending'),
    [paasApi],
  );
  const [decided, setDecided] = useState<Record<string, Approval>>({});
  const [activity, setActivity] = useState<Record<string, RowActivity>>({});
  const [denying, setDenying] = useState<Approval>();

  const decide = useCallback(
    async (approval: Approval, body: ApprovalDecisionBody) => {
      const { id } = approval;
      setActivity(current => ({ ...current, [id]: { busy: body.decision } }));
      try {
        const updated = await paasApi.decideApproval(id, body);
        setDecided(current => ({ ...current, [id]: updated }));
        setActivity(current => ({ ...current, [id]: {} }));
      } catch (error) {
        const status = errorStatus(error);
        setActivity(current => ({
          ...current,
          [id]: {
            failure: errorMessage(error),
            // already decided, expired or gone: it cannot be decided from here any more
            final: status === 409 || status === 404,
          },
        }));
      }
    },
    [paasApi],
  );

  const columns: TableColumn<Row>[] = [
    {
      title: 'Organization',
      field: 'organization',
      render: row => <OrganizationCell organization={row.organization} />,
    },
    { title: 'Request', field: 'description' },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: row => (
        <>
          <PrincipalLink principal={row.requestedBy} />
          <Box color="text.secondary">
            <Timestamp value={row.createdAt} />
          </Box>
        </>
      ),
    },
    { title: 'Reason', field: 'reason', sorting: false },
    {
      title: 'State',
      field: 'state',
      render: row => <ApprovalStateChip state={row.state} />,
    },
    {
      title: 'Decision',
      sorting: false,
      render: row => (
        <Actions
          row={row}
          activity={activity[row.id]}
          onApprove={() => decide(row, { decision: 'approve' })}
          onDeny={() => setDenying(row)}
        />
      ),
    },
  ];

  let content;
  if (inbox.loading && !inbox.value) {
    content = <Progress />;
  } else if (inbox.error) {
    content = (
      <>
        <ResponseErrorPanel
          error={inbox.error}
          title="Could not load your approvals"
        />
        <Button onClick={inbox.retry}>Retry</Button>
      </>
    );
  } else if (!inbox.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="Nothing to decide"
        description="Requests you may approve or deny, such as an organization asking for more quota or someone asking to join your organization, will show up here."
        action={
          paasportLink ? (
            <LinkButton variant="outlined" color="primary" to={paasportLink}>
              Back to Paasport
            </LinkButton>
          ) : undefined
        }
      />
    );
  } else {
    const rows: Row[] = inbox.value.map(approval => {
      const current = decided[approval.id] ?? approval;
      return { ...current, description: describeApproval(current) };
    });
    content = (
      <Table<Row>
        title={`Waiting for you (${
          rows.filter(row => row.state === 'pending').length
        })`}
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
    <Content>
      <ContentHeader
        title="Approvals"
        description="What you may approve or deny, across organizations"
      >
        <Button onClick={inbox.retry} disabled={inbox.loading}>
          Reload
        </Button>
      </ContentHeader>
      {content}
      <DenyDialog
        approval={denying}
        onCancel={() => setDenying(undefined)}
        onDeny={async reason => {
          const approval = denying!;
          await decide(approval, { decision: 'deny', reason });
          setDenying(undefined);
        }}
      />
    </Content>
  );
};

/**
 * The approvals inbox with its own header, for the legacy frontend system.
 */
export const ApprovalsPage = () => (
  <PageWithHeader
    themeId="tool"
    title="Approvals"
    subtitle="Paasport requests waiting for your decision"
  >
    <ApprovalsPageContent />
  </PageWithHeader>
);
