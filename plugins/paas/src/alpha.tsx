import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { PaasClient, paasApiRef } from './api';
import { rootRouteRef } from './routes';

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
    loader: () =>
      import('./components/PaasportPage').then(m => <m.PaasportPageContent />),
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
 * The Paasport frontend plugin for the new frontend system: the Paasport page (with its
 * navigation item), the API client and the organization card for Group entity pages.
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
  },
  extensions: [paasApi, paasportPage, entityPaasOrganizationCard],
});
