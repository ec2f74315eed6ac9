import {
  Content,
  ContentHeader,
  EmptyState,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import AddIcon from '@material-ui/icons/Add';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../api';
import { CreateOrganizationDialog } from './CreateOrganizationDialog';
import { HealthCard } from './HealthCard';
import { OrganizationsTable } from './OrganizationsTable';

const Organizations = (props: { onCreate: () => void; reload: number }) => {
  const paasApi = useApi(paasApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => paasApi.listOrganizations(),
    [paasApi, props.reload],
  );

  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return (
      <>
        <ResponseErrorPanel
          error={error}
          title="Could not load organizations"
        />
        <Button onClick={retry}>Retry</Button>
      </>
    );
  }
  if (!value || value.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No organizations yet"
        description="An organization is a tenant: it owns quota, members and everything its teams provision. Create one, or adopt an existing catalog group, to get started."
        action={
          <Button variant="contained" color="primary" onClick={props.onCreate}>
            Create the first organization
          </Button>
        }
      />
    );
  }
  return <OrganizationsTable organizations={value} />;
};

/**
 * The body of the Paasport page, without a header: the new frontend system's page layout
 * brings its own.
 */
export const PaasportPageContent = () => {
  const [dialogOpen, setDialogOpen] = useState(false);
  const [reload, setReload] = useState(0);

  return (
    <Content>
      <ContentHeader title="Organizations">
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setDialogOpen(true)}
        >
          Create organization
        </Button>
        <SupportButton>
          Paasport turns the portal into a self-service platform: organizations
          own quota, members and the infrastructure their teams provision.
        </SupportButton>
      </ContentHeader>
      <Grid container spacing={3} alignItems="stretch">
        <Grid item xs={12} md={8}>
          <Organizations reload={reload} onCreate={() => setDialogOpen(true)} />
        </Grid>
        <Grid item xs={12} md={4}>
          <HealthCard />
        </Grid>
      </Grid>
      <CreateOrganizationDialog
        open={dialogOpen}
        onClose={() => setDialogOpen(false)}
        onCreated={() => {
          setDialogOpen(false);
          setReload(count => count + 1);
        }}
      />
    </Content>
  );
};

/**
 * The Paasport page: backend health, the organizations and a form to create one.
 *
 * @public
 */
export const PaasportPage = () => (
  <PageWithHeader
    themeId="tool"
    title="Paasport"
    subtitle="Self-service platform: organizations, quotas and infrastructure"
  >
    <PaasportPageContent />
  </PageWithHeader>
);
