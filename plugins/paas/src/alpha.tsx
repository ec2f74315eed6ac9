import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import GroupAddIcon from '@material-ui/icons/GroupAdd';
import { PaasClient, paasApiRef } from './api';
import { joinRouteRef, organizationRouteRef, rootRouteRef } from './routes';

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

/**
 * The Paasport frontend plugin for the new frontend system: the Paasport page (with each
 * organization's page below it), the "Join an organization" page (both with navigation
 * items), the API client and the organization card for Group entity pages.
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
  },
  extensions: [paasApi, paasportPage, joinPage, entityPaasOrganizationCard],
});
