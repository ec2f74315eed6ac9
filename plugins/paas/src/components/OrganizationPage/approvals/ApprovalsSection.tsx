import {
  EmptyState,
  LinkButton,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import {
  APPROVAL_STATES,
  Approval,
  ApprovalState,
  Organization,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import {
  ApprovalDecisionSummary,
  ApprovalStateChip,
  describeApproval,
} from '../../approvals';
import { PrincipalLink, Timestamp, useApprovalsPageLink } from '../../common';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { RequestQuotaDialog } from './RequestQuotaDialog';

type Row = Approval & { description: string };

const columns: TableColumn<Row>[] = [
  {
    title: 'Requested',
    field: 'createdAt',
    defaultSort: 'desc',
    render: row => <Timestamp value={row.createdAt} />,
  },
  { title: 'Request', field: 'description' },
  {
    title: 'State',
    field: 'state',
    render: row => <ApprovalStateChip state={row.state} />,
  },
  {
    title: 'Requested by',
    field: 'requestedBy',
    render: row => <PrincipalLink principal={row.requestedBy} />,
  },
  { title: 'Reason', field: 'reason', sorting: false },
  {
    title: 'Decision',
    sorting: false,
    render: row => <ApprovalDecisionSummary approval={row} />,
  },
];

/**
 * The organization's approvals, such as its requests for more quota, with their state and
 * decision; and the dialog that asks the platform team for a higher limit.
 */
export const ApprovalsSection = (props: { organization: Organization }) => {
  const { organization } = props;
  const org = organization.name;
  const paasApi = useApi(paasApiRef);
  const inboxLink = useApprovalsPageLink();
  const [state, setState] = useState<ApprovalState | ''>('');
  const [requesting, setRequesting] = useState(false);
  const [requested, setRequested] = useState<Approval>();
  const approvals = useAsyncRetry(
    () => paasApi.listOrganizationApprovals(org, state || undefined),
    [paasApi, org, state],
  );

  let content;
  if (approvals.loading && !approvals.value) {
    content = <Progress />;
  } else if (approvals.error) {
    content = (
      <LoadFailure
        error={approvals.error}
        title="Could not load the approvals"
        onRetry={approvals.retry}
      />
    );
  } else if (!approvals.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title={state ? `No ${state} approvals` : 'No approvals yet'}
        description="Requests that someone else must approve, such as a higher organization limit asked of the platform team, are listed here with who decided them and why."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setRequesting(true)}
          >
            Request more quota
          </Button>
        }
      />
    );
  } else {
    const rows = approvals.value.map(approval => ({
      ...approval,
      description: describeApproval(approval),
    }));
    content = (
      <Table<Row>
        title={`Approvals (${rows.length})`}
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
        title="Approvals"
        description="Requests of this organization that need someone's approval, newest first."
      >
        <TextField
          select
          size="small"
          variant="outlined"
          id="paas-approvals-state"
          label="State"
          value={state}
          onChange={event => setState(event.target.value as ApprovalState | '')}
          SelectProps={{ native: true }}
        >
          <option value="">All states</option>
          {APPROVAL_STATES.map(option => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </TextField>
        {inboxLink && (
          <LinkButton variant="outlined" color="primary" to={inboxLink}>
            Your approvals inbox
          </LinkButton>
        )}
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setRequesting(true)}
        >
          Request more quota
        </Button>
      </SectionHeader>
      {requested && (
        <Alert severity="success" onClose={() => setRequested(undefined)}>
          Asked the platform team: {describeApproval(requested)}.
        </Alert>
      )}
      {content}
      <RequestQuotaDialog
        organization={organization}
        open={requesting}
        onClose={() => setRequesting(false)}
        onRequested={approval => {
          setRequesting(false);
          setRequested(approval);
          approvals.retry();
        }}
      />
    </>
  );
};
