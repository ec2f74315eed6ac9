import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
  TabbedLayout,
} from '@backstage/core-components';
import { useApi, useRouteRefParams } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { Organization } from '@paasport/plugin-paas-common';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../api';
import { isNotFoundError } from '../../api/errors';
import { organizationRouteRef } from '../../routes';
import {
  OrganizationRole,
  useOrganizationLink,
  usePaasportPageLink,
} from '../common';
import { ApprovalsSection } from './approvals/ApprovalsSection';
import { DeploymentsSection } from './deployments/DeploymentsSection';
import { InvitesSection } from './invites/InvitesSection';
import { MembersSection } from './members/MembersSection';
import { QuotaHistorySection } from './quotas/QuotaHistorySection';
import { QuotasSection } from './quotas/QuotasSection';
import { ResourcesSection } from './resources/ResourcesSection';
import { ORGANIZATION_TABS } from './tabs';
import { TeamsSection } from './teams/TeamsSection';

function useOrganization(name: string) {
  const paasApi = useApi(paasApiRef);
  const organization = useAsync(
    () => paasApi.getOrganization(name),
    [paasApi, name],
  );
  // Only for the "your role" hint: a failure here must not break the page.
  const role = useAsync(async (): Promise<OrganizationRole | undefined> => {
    try {
      const memberships = await paasApi.getMyMemberships();
      return memberships.find(m => m.organization === name)?.role;
    } catch {
      return undefined;
    }
  }, [paasApi, name]);
  return { organization, role: role.value };
}

const OrganizationTabs = (props: { organization: Organization }) => {
  const { organization } = props;
  return (
    <TabbedLayout>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.members}`}
        title="Members"
      >
        <MembersSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route path={`/${ORGANIZATION_TABS.teams}`} title="Teams">
        <TeamsSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.resources}`}
        title="Resources"
      >
        <ResourcesSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.deployments}`}
        title="Deployments"
      >
        <DeploymentsSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.invites}`}
        title="Invite codes"
      >
        <InvitesSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route path={`/${ORGANIZATION_TABS.quotas}`} title="Quotas">
        <QuotasSection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.quotaHistory}`}
        title="Quota history"
      >
        <QuotaHistorySection organization={organization} />
      </TabbedLayout.Route>
      <TabbedLayout.Route
        path={`/${ORGANIZATION_TABS.approvals}`}
        title="Approvals"
      >
        <ApprovalsSection organization={organization} />
      </TabbedLayout.Route>
    </TabbedLayout>
  );
};

const OrganizationBody = (props: {
  name: string;
  organization: ReturnType<typeof useOrganization>['organization'];
}) => {
  const { name, organization } = props;
  const pageLink = usePaasportPageLink();
  if (organization.loading) {
    return (
      <Content>
        <Progress />
      </Content>
    );
  }
  if (organization.error) {
    return (
      <Content>
        {isNotFoundError(organization.error) ? (
          <EmptyState
            missing="info"
            title="Organization not found"
            description={`Paasport has no organization named "${name}", or you may not see it.`}
            action={
              pageLink ? (
                <LinkButton variant="contained" color="primary" to={pageLink}>
                  Back to organizations
                </LinkButton>
              ) : undefined
            }
          />
        ) : (
          <ResponseErrorPanel
            error={organization.error}
            title="Could not load the organization"
          />
        )}
      </Content>
    );
  }
  return organization.value ? (
    <OrganizationTabs organization={organization.value} />
  ) : null;
};

/**
 * One organization's page without a page header, for the new frontend system whose page
 * layout brings the Paasport header: the organization's title, then tabs for members, teams,
 * resources, deployments, invite codes, quotas, the quota history and approvals.
 */
export const OrganizationPageContent = () => {
  const { org } = useRouteRefParams(organizationRouteRef);
  const { organization, role } = useOrganization(org);
  const organizationLink = useOrganizationLink();
  const title = organization.value?.title ?? org;

  return (
    <BreadcrumbEntry
      entry={{ label: title, href: organizationLink?.(org) ?? '.' }}
    >
      <Box px={3} pt={3}>
        <Typography variant="h4" component="h1">
          {title}
        </Typography>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="body2" color="textSecondary">
            {org}
            {organization.value?.description &&
              ` · ${organization.value.description}`}
          </Typography>
          {organization.value?.groupRef && (
            <Typography variant="body2" color="textSecondary">
              · adopts{' '}
              <EntityRefLink
                entityRef={organization.value.groupRef}
                defaultKind="group"
              />
            </Typography>
          )}
          {role && <Chip size="small" label={`You are ${role}`} />}
        </Box>
      </Box>
      <OrganizationBody name={org} organization={organization} />
    </BreadcrumbEntry>
  );
};

/**
 * One organization's page with its own header, for the legacy frontend system.
 */
export const OrganizationPage = () => {
  const { org } = useRouteRefParams(organizationRouteRef);
  const { organization, role } = useOrganization(org);
  const pageLink = usePaasportPageLink();

  return (
    <Page themeId="tool">
      <Header
        title={organization.value?.title ?? org}
        subtitle={organization.value?.description}
        type="Paasport organization"
        typeLink={pageLink}
      >
        <HeaderLabel label="Name" value={org} />
        <HeaderLabel label="Your role" value={role ?? 'not a member'} />
      </Header>
      <OrganizationBody name={org} organization={organization} />
    </Page>
  );
};
