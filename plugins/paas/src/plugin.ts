import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { PaasClient, paasApiRef } from './api';
import {
  PaasResourceEstimateField,
  PaasResourceEstimateFieldSchema,
} from './components/PaasResourceEstimateField';
import {
  approvalsRouteRef,
  clustersRouteRef,
  joinRouteRef,
  organizationRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The Paasport frontend plugin, for apps on the legacy frontend system.
 *
 * @public
 */
export const paasPlugin = createPlugin({
  id: 'paas',
  apis: [
    createApiFactory({
      api: paasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PaasClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    organization: organizationRouteRef,
    join: joinRouteRef,
    approvals: approvalsRouteRef,
    clusters: clustersRouteRef,
  },
});

/**
 * The Paasport page: backend health, organizations and the form to create one, and below it
 * each organization's page (`organizations/:org`: members, teams, invite codes, quotas).
 *
 * @public
 */
export const PaasportPage = paasPlugin.provide(
  createRoutableExtension({
    name: 'PaasportPage',
    component: () =>
      import('./components/PaasportPage').then(m => m.PaasportPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Join an organization" page: redeems an invite code.
 *
 * @public
 */
export const PaasportJoinPage = paasPlugin.provide(
  createRoutableExtension({
    name: 'PaasportJoinPage',
    component: () => import('./components/JoinPage').then(m => m.JoinPage),
    mountPoint: joinRouteRef,
  }),
);

/**
 * The approvals inbox: what the signed-in user may approve or deny, with a reason for a
 * denial. Mount it at `/paasport/approvals`.
 *
 * @public
 */
export const PaasportApprovalsPage = paasPlugin.provide(
  createRoutableExtension({
    name: 'PaasportApprovalsPage',
    component: () =>
      import('./components/ApprovalsPage').then(m => m.ApprovalsPage),
    mountPoint: approvalsRouteRef,
  }),
);

/**
 * The clusters page: every cluster deployments are scheduled onto, with its state, labels and
 * allocated share of CPU, memory and GPUs. Mount it at `/paasport/clusters`.
 *
 * @public
 */
export const PaasportClustersPage = paasPlugin.provide(
  createRoutableExtension({
    name: 'PaasportClustersPage',
    component: () =>
      import('./components/ClustersPage').then(m => m.ClustersPage),
    mountPoint: clustersRouteRef,
  }),
);

/**
 * Card for Group entity pages: the Paasport organization behind the group.
 *
 * @public
 */
export const EntityPaasOrganizationCard = paasPlugin.provide(
  createComponentExtension({
    name: 'EntityPaasOrganizationCard',
    component: {
      lazy: () =>
        import('./components/EntityPaasOrganizationCard').then(
          m => m.EntityPaasOrganizationCard,
        ),
    },
  }),
);

/**
 * Scaffolder field `PaasResourceEstimate`: the estimated monthly cost of one resource of a kind
 * and the quota the owning team has left, read-only. Register it inside the app's
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const PaasResourceEstimateFieldExtension = paasPlugin.provide(
  createScaffolderFieldExtension({
    name: 'PaasResourceEstimate',
    component: PaasResourceEstimateField,
    schema: PaasResourceEstimateFieldSchema.schema,
  }),
);
