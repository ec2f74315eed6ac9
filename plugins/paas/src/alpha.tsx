import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import GroupAddIcon from '@material-ui/icons/GroupAdd';
import StorageIcon from '@material-ui/icons/Storage';
import { PaasClient, paasApiRef } from './api';
import {
  approvalsRouteRef,
  clustersRouteRef,
  joinRouteRef,
  organizationRouteRef,
  rootRouteRef,
} from './routes';

const paasApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: paasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PaasClient({ discoveryApi, fetchApi }),
    }),
});

const paasportPage = PageBlueprint.make({
  params: {
    path: '/paasport',
    title: 'Paasport',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    // the organizations at its root, one organization's page at organizations/:org
    loader: () =>
      import('./components/PaasportPage').then(m => <m.PaasportPageRoutes />),
  },
});

// A page of its own, so the sidebar gets a "Join an organization" item for newcomers.
const joinPage = PageBlueprint.make({
  name: 'join',
  params: {
    path: '/paasport/join',
    title: 'Join an organization',
    icon: <GroupAddIcon />,
    routeRef: joinRouteRef,
    loader: () =>
      import('./components/JoinPage').then(m => <m.JoinPageContent />),
  },
});

// A page of its own rather than a sub-route of the Paasport page: approvers come back to it as
// a work queue across organizations, so it gets a nav item next to Paasport's, and the
// legacy system mounts the same route ref as a routable extension.
const approvalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/paasport/approvals',
    title: 'Approvals',
    icon: <AssignmentTurnedInIcon />,
    routeRef: approvalsRouteRef,
    loader: () =>
      import('./components/ApprovalsPage').then(m => (
        <m.ApprovalsPageContent />
      )),
  },
});

// Like the approvals inbox: clusters are shared by every organization, so not an
// organization tab; the legacy system mounts the same route ref as a routable extension.
const clustersPage = PageBlueprint.make({
  name: 'clusters',
  params: {
    path: '/paasport/clusters',
    title: 'Clusters',
    icon: <StorageIcon />,
    routeRef: clustersRouteRef,
    loader: () =>
      import('./components/ClustersPage').then(m => <m.ClustersPageContent />),
  },
});

const entityPaasOrganizationCard = EntityCardBlueprint.make({
  name: 'organization',
  params: {
    // the predicate form of `kind:group`; string filters are deprecated
    filter: { kind: 'group' },
    // beside the group's profile, where who runs a team is looked up
    type: 'info',
    loader: () =>
      import('./components/EntityPaasOrganizationCard').then(m => (
        <m.EntityPaasOrganizationCard />
      )),
  },
});

// Attaches to the scaffolder's form fields; templates use it as `ui:field: PaasResourceEstimate`.
const resourceEstimateFormField = FormFieldBlueprint.make({
  name: 'resource-estimate',
  params: {
    field: () =>
      import('./components/PaasResourceEstimateField/formField').then(
        m => m.paasResourceEstimateFormField,
      ),
  },
});

/**
 * The Paasport frontend plugin for the new frontend system: the Paasport page (with each
 * organization's page below it), the "Join an organization" page, the approvals inbox, the
 * clusters page (all with navigation items), the API client, the organization card for
 * Group entity pages and the `PaasResourceEstimate` scaffolder field.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'paas',
  title: 'Paasport',
  icon: <CloudQueueIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    organization: organizationRouteRef,
    join: joinRouteRef,
    approvals: approvalsRouteRef,
    clusters: clustersRouteRef,
  },
  extensions: [
    paasApi,
    paasportPage,
    joinPage,
    approvalsPage,
    clustersPage,
    entityPaasOrganizationCard,
    resourceEstimateFormField,
  ],
});
