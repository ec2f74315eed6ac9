import {
  EmptyState,
  Link,
  LinkButton,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import StorageIcon from '@material-ui/icons/Storage';
import Alert from '@material-ui/lab/Alert';
import type { Deployment, Organization } from '@paasport/plugin-paas-common';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import {
  ConfirmDialog,
  Timestamp,
  useClustersPageLink,
  useOrganizationLink,
} from '../../common';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { ORGANIZATION_TABS } from '../tabs';
import { useReloadWhile } from '../useReloadWhile';
import {
  DeploymentActions,
  DeploymentRow,
  fullName,
  MOVING_STATES,
  QueueCell,
  StateCell,
} from './DeploymentCells';
import { DeploymentEventsDialog } from './DeploymentEventsDialog';
import { describeRequests } from './deploymentText';
import { SubmitDeploymentDialog } from './SubmitDeploymentDialog';

function describeSubmitted(deployment: Deployment): string {
  const name = fullName(deployment);
  if (deployment.state === 'pending-approval') {
    return `${name} waits for an approval before it queues.`;
  }
  if (deployment.state === 'queued' && deployment.queue) {
    return `${name} is queued, #${deployment.queue.position} of ${deployment.queue.length}.`;
  }
  return `${name} is ${deployment.state}.`;
}

/**
 * The organization's deployments with their state and place in the queue, the actions on
 * each (stop, start, delete, history) and the dialog that submits one. Reloads every 10 s
 * while something is waiting for the scheduler or an approval.
 */
export const DeploymentsSection = (props: { organization: Organization }) => {
  const { organization } = props;
  const org = organization.name;
  const paasApi = useApi(paasApiRef);
  const clustersLink = useClustersPageLink();
  const organizationLink = useOrganizationLink();
  // a new count starts a new load, and react-use drops the answer of any older one
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload(count => count + 1), []);
  const deployments = useAsync(
    () => paasApi.listDeployments(org),
    [paasApi, org, reload],
  );
  const [submitting, setSubmitting] = useState(false);
  const [submitted, setSubmitted] = useState<Deployment>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [deleting, setDeleting] = useState<DeploymentRow>();
  const [history, setHistory] = useState<DeploymentRow>();

  const moving = Boolean(
    deployments.value?.some(d => MOVING_STATES.includes(d.state)),
  );
  useReloadWhile(moving, refresh);

  const change = async (row: DeploymentRow, action: 'stop' | 'start') => {
    setBusy(row.id);
    setFailure(undefined);
    try {
      if (action === 'stop') {
        await paasApi.stopDeployment(row.id);
      } else {
        await paasApi.startDeployment(row.id);
      }
    } catch (error) {
      setFailure(`Could not ${action} ${row.fullName}: ${errorMessage(error)}`);
    } finally {
      setBusy(undefined);
      refresh();
    }
  };

  const columns: TableColumn<DeploymentRow>[] = [
    {
      title: 'Deployment',
      field: 'fullName',
      highlight: true,
      render: row => (
        <>
          {row.fullName}
          <Typography variant="body2" color="textSecondary">
            <Timestamp value={row.createdAt} />
          </Typography>
        </>
      ),
    },
    { title: 'Image', field: 'image' },
    {
      title: 'Requests',
      sorting: false,
      render: row => describeRequests(row),
    },
    { title: 'Priority', field: 'priorityClass' },
    {
      title: 'State',
      field: 'state',
      render: row => <StateCell row={row} />,
    },
    {
      title: 'Cluster',
      field: 'cluster',
      render: row => row.cluster ?? '',
    },
    {
      title: 'Queue',
      sorting: false,
      render: row => <QueueCell row={row} organization={org} />,
    },
    {
      title: '',
      sorting: false,
      render: row => (
        <DeploymentActions
          row={row}
          busy={busy === row.id}
          onStop={() => change(row, 'stop')}
          onStart={() => change(row, 'start')}
          onDelete={() => setDeleting(row)}
          onHistory={() => setHistory(row)}
        />
      ),
    },
  ];

  let content;
  if (deployments.loading && !deployments.value) {
    content = <Progress />;
  } else if (deployments.error) {
    content = (
      <LoadFailure
        error={deployments.error}
        title="Could not load the deployments"
        onRetry={refresh}
      />
    );
  } else if (!deployments.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="No deployments yet"
        description="A deployment runs a container image for a team on one of the clusters, as soon as the team's quota and a cluster's capacity allow."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => setSubmitting(true)}
          >
            Deploy the first one
          </Button>
        }
      />
    );
  } else {
    const rows: DeploymentRow[] = deployments.value.map(deployment => ({
      ...deployment,
      fullName: fullName(deployment),
    }));
    content = (
      <Table<DeploymentRow>
        title={`Deployments (${rows.length})`}
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
        title="Deployments"
        description="Container deployments of the organization's teams, admitted onto clusters in priority order as quota and capacity allow."
      >
        {clustersLink && (
          <LinkButton
            variant="outlined"
            color="primary"
            to={clustersLink}
            startIcon={<StorageIcon />}
          >
            Clusters
          </LinkButton>
        )}
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setSubmitting(true)}
        >
          Deploy
        </Button>
      </SectionHeader>
      {submitted && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setSubmitted(undefined)}>
            {describeSubmitted(submitted)}
            {submitted.state === 'pending-approval' && organizationLink && (
              <>
                {' '}
                Follow it in the{' '}
                <Link to={organizationLink(org, ORGANIZATION_TABS.approvals)}>
                  Approvals tab
                </Link>
                .
              </>
            )}
          </Alert>
        </Box>
      )}
      {failure && (
        <Box mb={2}>
          <Alert severity="error" onClose={() => setFailure(undefined)}>
            {failure}
          </Alert>
        </Box>
      )}
      {content}
      <SubmitDeploymentDialog
        organization={organization}
        open={submitting}
        onClose={() => setSubmitting(false)}
        onSubmitted={deployment => {
          setSubmitting(false);
          setSubmitted(deployment);
          refresh();
        }}
      />
      <DeploymentEventsDialog
        deployment={history}
        onClose={() => setHistory(undefined)}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title="Delete deployment"
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (deleting) {
            await paasApi.deleteDeployment(deleting.id);
            refresh();
          }
        }}
      >
        {deleting && (
          <>
            Delete <strong>{deleting.fullName}</strong> ({deleting.state})? What
            it holds of the team's quota and its cluster is released. This
            cannot be undone.
          </>
        )}
      </ConfirmDialog>
    </>
  );
};
