import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { PaasHealth } from '@paasport/plugin-paas-common';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../api';

const HealthDetails = (props: { health: PaasHealth }) => {
  const { health } = props;
  const status =
    health.status === 'ok' ? (
      <StatusOK>Operational</StatusOK>
    ) : (
      <StatusWarning>Degraded</StatusWarning>
    );
  const database =
    health.database === 'ok' ? (
      <StatusOK>Reachable</StatusOK>
    ) : (
      <StatusError>Unreachable</StatusError>
    );
  const providers =
    health.providers.length > 0 ? (
      <div aria-label="Installed providers">
        {health.providers.map(kind => (
          <Chip key={kind} label={kind} size="small" />
        ))}
      </div>
    ) : (
      <Typography variant="body2" color="textSecondary">
        No provider installed: resources cannot be provisioned yet.
      </Typography>
    );

  return (
    <StructuredMetadataTable
      dense
      metadata={{ Status: status, Database: database, Providers: providers }}
    />
  );
};

/** Whether the Paasport backend can do its work: database and installed providers. */
export const HealthCard = () => {
  const paasApi = useApi(paasApiRef);
  const { value, loading, error } = useAsync(
    () => paasApi.getHealth(),
    [paasApi],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} title="Health check failed" />;
  } else if (value) {
    content = <HealthDetails health={value} />;
  }

  return <InfoCard title="Backend health">{content}</InfoCard>;
};
