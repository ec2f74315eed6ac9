import {
  Content,
  ContentHeader,
  EmptyState,
  LinkButton,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi, useApp } from '@backstage/core-plugin-api';
import { NotFoundErrorPage } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import AddIcon from '@material-ui/icons/Add';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import GroupAddIcon from '@material-ui/icons/GroupAdd';
import StorageIcon from '@material-ui/icons/Storage';
import { useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../api';
import {
  useApprovalsPageLink,
  useClustersPageLink,
  useJoinPageLink,
} from '../common';
import { OrganizationPage, OrganizationPageContent } from '../OrganizationPage';
import { CreateOrganizationDialog } from './CreateOrganizationDialog';
import { HealthCard } from './HealthCard';
import { OrganizationsTable } from './OrganizationsTable';

const JoinButton = (props: { variant: 'outlined' | 'text' }) => {
  const joinLink = useJoinPageLink();
  if (!joinLink) {
    return null;
  }
  return (
    <LinkButton
      variant={props.variant}
      color="primary"
      to={joinLink}
      startIcon={<GroupAddIcon />}
    >
      Join an organization
    </LinkButton>
  );
};

// Beside "Join an organization": approvers decide from the inbox, across organizations.
const ApprovalsButton = () => {
  const approvalsLink = useApprovalsPageLink();
  if (!approvalsLink) {
    return null;
  }
  return (
    <LinkButton
      variant="outlined"
      color="primary"
      to={approvalsLink}
      startIcon={<AssignmentTurnedInIcon />}
    >
      Approvals
    </LinkButton>
  );
};

// Beside "Approvals": where the organizations' deployments run.
const ClustersButton = () => {
  const clustersLink = useClustersPageLink();
  if (!clustersLink) {
    return null;
  }
  return (
    <LinkButton
      variant="outlined"
      color="primary"
      to={clustersLink}
      startIcon={<StorageIcon />}
    >
      Clusters
    </LinkButton>
  );
};

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
        description="An organization is a tenant: it owns quota, members and everything its teams provision. Create one, or adopt an existing catalog group, to get started. Got an invite code? Join the organization it is for."
        action={
          <Box display="flex" style={{ gap: 8 }}>
            <Button
              variant="contained"
              color="primary"
              onClick={props.onCreate}
            >
              Create the first organization
            </Button>
            <JoinButton variant="text" />
          </Box>
        }
      />
    );
  }
  return <OrganizationsTable organizations={value} />;
};

/** The organizations list and health: the index of the Paasport page, without a header. */
export const PaasportPageContent = () => {
  const [dialogOpen, setDialogOpen] = useState(false);
  const [reload, setReload] = useState(0);

  return (
    <Content>
      <ContentHeader title="Organizations">
        <ApprovalsButton />
        <ClustersButton />
        <JoinButton variant="outlined" />
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
 * The Paasport page for the new frontend system, whose page layout brings the header: the
 * organizations at its root and one organization's page at `organizations/:org`.
 */
export const PaasportPageRoutes = () => (
  <Routes>
    <Route path="/" element={<PaasportPageContent />} />
    <Route path="/organizations/:org/*" element={<OrganizationPageContent />} />
    <Route path="*" element={<NotFoundErrorPage />} />
  </Routes>
);

/**
 * The Paasport page: backend health, the organizations and a form to create one; each
 * organization's page (members, teams, invite codes, quotas) below it.
 *
 * @public
 */
export const PaasportPage = () => {
  const { NotFoundErrorPage: LegacyNotFoundErrorPage } =
    useApp().getComponents();
  return (
    <Routes>
      <Route
        path="/"
        element={
          <PageWithHeader
            themeId="tool"
            title="Paasport"
            subtitle="Self-service platform: organizations, quotas and infrastructure"
          >
            <PaasportPageContent />
          </PageWithHeader>
        }
      />
      <Route path="/organizations/:org/*" element={<OrganizationPage />} />
      <Route path="*" element={<LegacyNotFoundErrorPage />} />
    </Routes>
  );
};
