import {
  Content,
  ContentHeader,
  EmptyState,
  LinkButton,
  PageWithHeader,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import {
  Cluster,
  ClusterResources,
  ClusterState,
  paasClusterManagePermission,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../api';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog, usePaasportPageLink } from '../common';
import { LoadFailure } from '../OrganizationPage/LoadFailure';
import { describeDimension, QuotaBar } from '../QuotaBar';
import { ClusterStateChip } from './ClusterStateChip';
import { STATE_ACTIONS, STATE_DESCRIPTIONS } from './clusterStates';
import { RegisterClusterDialog } from './RegisterClusterDialog';

const DIMENSIONS: { key: keyof ClusterResources; dimension: string }[] = [
  { key: 'cpuMillicores', dimension: 'cpu-millicores' },
  { key: 'memoryMib', dimension: 'memory-mib' },
  { key: 'gpus', dimension: 'gpus' },
];

const Allocation = (props: { cluster: Cluster }) => {
  const { cluster } = props;
  return (
    <Box minWidth={220}>
      {DIMENSIONS.map(({ key, dimension }) => {
        if (key === 'gpus' && cluster.capacity.gpus === 0) {
          return (
            <Typography key={key} variant="body2" color="textSecondary">
              No GPUs
            </Typography>
          );
        }
        return (
          <QuotaBar
            key={key}
            scope="cluster"
            line={{
              // a typed GPU dimension labels the bar with the cluster's GPU type
              dimension:
                key === 'gpus' && cluster.gpuType
                  ? `gpus/${cluster.gpuType}`
                  : dimension,
              limit: cluster.capacity[key],
              used: cluster.allocated[key],
              allocated: 0,
            }}
          />
        );
      })}
    </Box>
  );
};

/** What of a catalog cluster follows its entity, and what the platform team sets here. */
const CATALOG_NOTE =
  'Title, capacity, GPU type and labels come from its catalog Resource and are changed there; the next catalog sync puts them back. Its state (ready, cordoned, draining) is set here.';

/** Cordon, Drain or Ready (whichever differ from the state), and Remove for registered clusters. */
const ClusterActions = (props: {
  cluster: Cluster;
  busy: boolean;
  onState: (state: ClusterState) => void;
  onRemove: () => void;
}) => {
  const { cluster, busy } = props;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {STATE_ACTIONS.filter(action => action.state !== cluster.state).map(
        action => (
          <Button
            key={action.state}
            size="small"
            color="primary"
            aria-label={action.ariaLabel(cluster.name)}
            disabled={busy}
            onClick={() => props.onState(action.state)}
          >
            {action.label}
          </Button>
        ),
      )}
      {cluster.source === 'api' && (
        <Button
          size="small"
          color="secondary"
          aria-label={`Remove ${cluster.name}`}
          disabled={busy}
          onClick={props.onRemove}
        >
          Remove
        </Button>
      )}
    </Box>
  );
};

function clusterColumns(actions?: {
  busy?: string;
  onState: (cluster: Cluster, state: ClusterState) => void;
  onRemove: (cluster: Cluster) => void;
}): TableColumn<Cluster>[] {
  const columns: TableColumn<Cluster>[] = [
    {
      title: 'Cluster',
      field: 'title',
      highlight: true,
      render: cluster => (
        <>
          {cluster.title}
          <Typography variant="body2" color="textSecondary">
            {cluster.name} ·{' '}
            {cluster.source === 'catalog' ? 'from the catalog' : 'registered'}
          </Typography>
          {cluster.source === 'catalog' && (
            <Tooltip title={CATALOG_NOTE}>
              <Typography variant="caption" color="textSecondary">
                Capacity and labels follow the catalog entity
              </Typography>
            </Tooltip>
          )}
        </>
      ),
    },
    {
      title: 'State',
      field: 'state',
      render: cluster => <ClusterStateChip state={cluster.state} />,
    },
    {
      title: 'Labels',
      sorting: false,
      render: cluster => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {Object.entries(cluster.labels).map(([key, value]) => (
            <Chip
              key={key}
              size="small"
              variant="outlined"
              label={`${key}=${value}`}
            />
          ))}
        </Box>
      ),
    },
    {
      title: 'GPU type',
      field: 'gpuType',
      render: cluster => cluster.gpuType ?? '',
    },
    {
      title: 'Allocated of capacity',
      sorting: false,
      render: cluster => <Allocation cluster={cluster} />,
    },
  ];
  if (actions) {
    columns.push({
      title: '',
      sorting: false,
      render: cluster => (
        <ClusterActions
          cluster={cluster}
          busy={actions.busy === cluster.name}
          onState={state => actions.onState(cluster, state)}
          onRemove={() => actions.onRemove(cluster)}
        />
      ),
    });
  }
  return columns;
}

/** What is still allocated on a cluster, in words, or undefined when nothing is. */
function describeAllocated(cluster: Cluster): string | undefined {
  const parts = [
    { key: 'cpuMillicores', dimension: 'cpu-millicores' },
    { key: 'memoryMib', dimension: 'memory-mib' },
    { key: 'gpus', dimension: 'gpus' },
  ] as const;
  const held = parts
    .filter(({ key }) => cluster.allocated[key] > 0)
    .map(({ key, dimension }) =>
      describeDimension(dimension).format(cluster.allocated[key]),
    );
  return held.length ? held.join(', ') : undefined;
}

/**
 * The clusters page without a page header: every cluster deployments are scheduled onto, its
 * state and labels, and how much of its CPU, memory and GPUs deployments have allocated. Those
 * allowed `paas.cluster.manage` also register clusters, change their state and remove them.
 */
export const ClustersPageContent = () => {
  const paasApi = useApi(paasApiRef);
  const paasportLink = usePaasportPageLink();
  const { allowed: canManage } = usePermission({
    permission: paasClusterManagePermission,
  });
  const clusters = useAsyncRetry(() => paasApi.listClusters(), [paasApi]);
  const refresh = clusters.retry;
  const [registering, setRegistering] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [done, setDone] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [removing, setRemoving] = useState<Cluster>();

  const changeState = async (cluster: Cluster, state: ClusterState) => {
    setBusy(cluster.name);
    setDone(undefined);
    setFailure(undefined);
    try {
      await paasApi.updateCluster(cluster.name, { state });
      setDone(`${cluster.name} is now ${state}: ${STATE_DESCRIPTIONS[state]}.`);
    } catch (error) {
      setFailure(
        `Could not set ${cluster.name} to ${state}: ${errorMessage(error)}`,
      );
    } finally {
      setBusy(undefined);
      refresh();
    }
  };

  const registerButton = (label: string) => (
    <Button
      variant="contained"
      color="primary"
      startIcon={<AddIcon />}
      onClick={() => setRegistering(true)}
    >
      {label}
    </Button>
  );

  let content;
  if (clusters.loading && !clusters.value) {
    content = <Progress />;
  } else if (clusters.error) {
    content = (
      <LoadFailure
        error={clusters.error}
        title="Could not load the clusters"
        onRetry={clusters.retry}
      />
    );
  } else if (!clusters.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="No clusters yet"
        description="The platform team registers clusters through the API or as catalog Resources; deployments are admitted onto those that are ready and have room."
        action={
          <Box display="flex" style={{ gap: 8 }}>
            {canManage && registerButton('Register the first cluster')}
            {paasportLink && (
              <LinkButton variant="outlined" color="primary" to={paasportLink}>
                Back to Paasport
              </LinkButton>
            )}
          </Box>
        }
      />
    );
  } else {
    const rows = clusters.value;
    content = (
      <Table<Cluster>
        title={`Clusters (${rows.length})`}
        columns={clusterColumns(
          canManage
            ? {
                busy,
                onState: changeState,
                onRemove: setRemoving,
              }
            : undefined,
        )}
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
        title="Clusters"
        description="Where deployments run, and how full each cluster is"
      >
        <Button onClick={refresh} disabled={clusters.loading}>
          Reload
        </Button>
        {canManage && registerButton('Register cluster')}
      </ContentHeader>
      {done && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setDone(undefined)}>
            {done}
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
      <RegisterClusterDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={cluster => {
          setRegistering(false);
          setFailure(undefined);
          setDone(
            `Registered ${cluster.name}, ${cluster.state}: ${
              STATE_DESCRIPTIONS[cluster.state]
            }.`,
          );
          refresh();
        }}
      />
      <ConfirmDialog
        open={Boolean(removing)}
        title="Remove cluster"
        confirmLabel="Remove"
        onClose={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (removing) {
            await paasApi.removeCluster(removing.name);
            setFailure(undefined);
            setDone(`Removed ${removing.name}.`);
            refresh();
          }
        }}
      >
        {removing && (
          <>
            Remove <strong>{removing.title}</strong> ({removing.name})? No
            deployment can be placed on it any more. This cannot be undone.
            {describeAllocated(removing) && (
              <>
                {' '}
                It still has {describeAllocated(removing)} allocated; the
                backend refuses to remove it until the deployments holding it
                are stopped.
              </>
            )}
          </>
        )}
      </ConfirmDialog>
    </Content>
  );
};

/**
 * The clusters page with its own header, for the legacy frontend system.
 */
export const ClustersPage = () => (
  <PageWithHeader
    themeId="tool"
    title="Clusters"
    subtitle="Where Paasport deployments run"
  >
    <ClustersPageContent />
  </PageWithHeader>
);
