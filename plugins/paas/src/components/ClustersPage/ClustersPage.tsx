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
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { Cluster, ClusterResources } from '@paasport/plugin-paas-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../api';
import { usePaasportPageLink } from '../common';
import { LoadFailure } from '../OrganizationPage/LoadFailure';
import { QuotaBar } from '../QuotaBar';
import { ClusterStateChip } from './ClusterStateChip';

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

/**
 * The clusters page without a page header: every cluster deployments are scheduled onto, its
 * state and labels, and how much of its CPU, memory and GPUs deployments have allocated.
 */
export const ClustersPageContent = () => {
  const paasApi = useApi(paasApiRef);
  const paasportLink = usePaasportPageLink();
  const clusters = useAsyncRetry(() => paasApi.listClusters(), [paasApi]);

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
          paasportLink ? (
            <LinkButton variant="outlined" color="primary" to={paasportLink}>
              Back to Paasport
            </LinkButton>
          ) : undefined
        }
      />
    );
  } else {
    const rows = clusters.value;
    content = (
      <Table<Cluster>
        title={`Clusters (${rows.length})`}
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
        title="Clusters"
        description="Where deployments run, and how full each cluster is"
      >
        <Button onClick={clusters.retry} disabled={clusters.loading}>
          Reload
        </Button>
      </ContentHeader>
      {content}
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
