import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  paasPermissions,
  RESOURCE_TYPE_PAAS_DEPLOYMENT,
  RESOURCE_TYPE_PAAS_ORGANIZATION,
  RESOURCE_TYPE_PAAS_RESOURCE,
} from '@paasport/plugin-paas-common';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  deploymentResourceRef,
  managedResourceRef,
  organizationResourceRef,
  paasDeploymentRules,
  paasOrganizationRules,
  paasProvidersExtensionPoint,
  PaasResourceProvider,
  paasResourceRules,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import { scheduleCatalogClusterSync } from './catalog/scheduleCatalogClusterSync';
import { DatabaseApprovalStore } from './database/ApprovalStore';
import { DatabaseClusterAllocationStore } from './database/ClusterAllocationStore';
import { DatabaseClusterStore } from './database/ClusterStore';
import { DatabaseDeploymentStore } from './database/DeploymentStore';
import { applyDatabaseMigrations } from './database/migrations';
import {
  guardConnections,
  readDatabaseSafeguards,
} from './database/connectionSafeguards';
import { DatabaseInviteStore } from './database/InviteStore';
import { DatabaseMembershipStore } from './database/MembershipStore';
import { DatabaseOrganizationStore } from './database/OrganizationStore';
import { DatabaseQuotaStore } from './database/QuotaStore';
import { DatabaseResourceStore } from './database/ResourceStore';
import { DatabaseTeamStore } from './database/TeamStore';
import {
  createApprovalsRouter,
  createClustersRouter,
  createDeploymentsRouter,
  createInvitesRouter,
  createOrganizationsRouter,
  createQuotasRouter,
  createResourcesRouter,
  createRouter,
} from './router';
import { createApprovalService } from './service/ApprovalService';
import {
  readAllowSelfApproval,
  readApprovalRules,
} from './service/approvalRules';
import { createClusterService } from './service/ClusterService';
import { readCapacityRates, readResourceRates } from './service/costs';
import {
  createDeploymentAccess,
  createResourceAccess,
} from './service/MemberScopedAccess';
import { createDeploymentService } from './service/DeploymentService';
import {
  readSchedulerFrequency,
  readSchedulerPolicy,
} from './scheduler/config';
import {
  DEFAULT_CYCLE_BUDGET_MS,
  DeploymentScheduler,
} from './scheduler/DeploymentScheduler';
import { createHealthService } from './service/HealthService';
import { LoopMonitor } from './service/LoopMonitor';
import { createInviteService } from './service/InviteService';
import { createMembershipService } from './service/MembershipService';
import { createOrganizationAccess } from './service/OrganizationAccess';
import { createOrganizationService } from './service/OrganizationService';
import { ProviderRegistry } from './service/ProviderRegistry';
import { createQuotaService } from './service/QuotaService';
import { createResourceService } from './service/ResourceService';
import { readReconcilerSettings } from './reconciler/config';
import { ResourceReconciler } from './reconciler/ResourceReconciler';
import { DatabaseWorkloadStore } from './database/WorkloadStore';
import {
  DEFAULT_PASS_BUDGET_MS as ROLLOUT_PASS_BUDGET_MS,
  WorkloadRollout,
} from './workloads/WorkloadRollout';
import { createTeamService } from './service/TeamService';

const ROLLOUT_FREQUENCY = { seconds: 15 };

/**
 * The Paasport backend plugin.
 * @public
 */
export const paasPlugin = createBackendPlugin({
  pluginId: 'paas',
  register(env) {
    const providers = new ProviderRegistry();
    let workloadRuntime: PaasWorkloadRuntime | undefined;
    env.registerExtensionPoint(paasProvidersExtensionPoint, {
      addProvider: (...added: PaasResourceProvider[]) =>
        providers.add(...added),
      setWorkloadRuntime(runtime: PaasWorkloadRuntime) {
        if (workloadRuntime) {
          throw new Error(
            `Workload runtimes '${workloadRuntime.id}' and '${runtime.id}' are both installed; install only one`,
          );
        }
        workloadRuntime = runtime;
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init({
        logger,
        config,
        lifecycle,
        httpRouter,
        httpAuth,
        database,
        permissions,
        permissionsRegistry,
        auditor,
        scheduler,
        auth,
        catalog,
        notifications,
      }) {
        const db = await applyDatabaseMigrations(database);
        guardConnections(db, readDatabaseSafeguards(config));
        const loops = new LoopMonitor();
        const organizationStore = new DatabaseOrganizationStore(db);
        const membershipStore = new DatabaseMembershipStore(db);

        permissionsRegistry.addPermissions(paasPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: organizationResourceRef,
          permissions: paasPermissions.filter(
            p =>
              'resourceType' in p &&
              p.resourceType === RESOURCE_TYPE_PAAS_ORGANIZATION,
          ),
          rules: Object.values(paasOrganizationRules),
          getResources: names => organizationStore.getResources(names),
        });

        const access = createOrganizationAccess({
          permissions,
          store: organizationStore,
        });
        const deploymentAccess = createDeploymentAccess({ permissions });
        const organizations = createOrganizationService({
          store: organizationStore,
          access,
          auditor,
          logger,
        });
        const teamStore = new DatabaseTeamStore(db);
        const teams = createTeamService({
          teams: teamStore,
          memberships: membershipStore,
          access,
          auditor,
        });
        const memberships = createMembershipService({
          memberships: membershipStore,
          access,
          auditor,
        });
        const quotaStore = new DatabaseQuotaStore(db);
        const clusterStore = new DatabaseClusterStore(db);
        const deploymentStore = new DatabaseDeploymentStore(
          db,
          quotaStore,
          clusterStore,
        );
        const schedulerPolicy = readSchedulerPolicy(config);
        const approvalRules = readApprovalRules(config);
        const rollout =
          workloadRuntime &&
          new WorkloadRollout({
            store: new DatabaseWorkloadStore(db),
            runtime: workloadRuntime,
            logger,
            liveness: loops.register('workload-rollout', {
              intervalMs: durationToMilliseconds(ROLLOUT_FREQUENCY),
              budgetMs: ROLLOUT_PASS_BUDGET_MS,
            }),
          });
        const schedulerFrequency = readSchedulerFrequency(config);
        const deploymentScheduler = new DeploymentScheduler({
          deployments: deploymentStore,
          clusters: clusterStore,
          quotas: quotaStore,
          policy: schedulerPolicy,
          logger,
          afterCycle: rollout && (() => void rollout.trigger()),
          liveness: loops.register('deployment-scheduler', {
            intervalMs: durationToMilliseconds(schedulerFrequency),
            budgetMs: DEFAULT_CYCLE_BUDGET_MS,
          }),
        });
        if (rollout) {
          await scheduler.scheduleTask({
            id: 'paas-workload-rollout',
            scope: 'local',
            frequency: ROLLOUT_FREQUENCY,
            timeout: { minutes: 10 },
            initialDelay: { seconds: 10 },
            fn: () => rollout.trigger(),
          });
          logger.info(
            `Admitted deployments run on clusters through the '${
              workloadRuntime!.id
            }' workload runtime`,
          );
        } else {
          logger.info(
            'No workload runtime is installed: admitted deployments stay admitted',
          );
        }
        const reschedule = () => void deploymentScheduler.trigger();
        await scheduleCatalogClusterSync({
          scheduler,
          config,
          auditor,
          catalog,
          auth,
          logger,
          clusters: clusterStore,
          onChange: reschedule,
        });
        const quotas = createQuotaService({
          quotas: quotaStore,
          organizations: organizationStore,
          teams: teamStore,
          access,
          auditor,
          onChange: reschedule,
        });
        const clusters = createClusterService({
          clusters: clusterStore,
          allocations: new DatabaseClusterAllocationStore(db),
          access,
          auditor,
          onChange: reschedule,
        });
        const approvals = createApprovalService({
          store: new DatabaseApprovalStore(db),
          quotas: quotaStore,
          access,
          auditor,
          notifications,
          logger,
          allowSelfApproval: readAllowSelfApproval(config),
        });
        permissionsRegistry.addResourceType({
          resourceRef: deploymentResourceRef,
          permissions: paasPermissions.filter(p =>
            isResourcePermission(p, RESOURCE_TYPE_PAAS_DEPLOYMENT),
          ),
          rules: Object.values(paasDeploymentRules),
          getResources: ids => deploymentStore.getResources(ids),
        });
        const deployments = createDeploymentService({
          deployments: deploymentStore,
          teams: teamStore,
          clusters: clusterStore,
          quotas: quotaStore,
          access,
          deploymentAccess,
          auditor,
          approvals,
          scheduler: deploymentScheduler,
          policy: schedulerPolicy,
          approvalRules,
          rates: readCapacityRates(config),
        });
        await scheduler.scheduleTask({
          id: 'paas-deployment-scheduler',
          scope: 'global',
          frequency: schedulerFrequency,
          timeout: { minutes: 5 },
          initialDelay: { seconds: 10 },
          fn: () => deploymentScheduler.trigger(),
        });
        const resourceStore = new DatabaseResourceStore(db, quotaStore);
        permissionsRegistry.addResourceType({
          resourceRef: managedResourceRef,
          permissions: paasPermissions.filter(p =>
            isResourcePermission(p, RESOURCE_TYPE_PAAS_RESOURCE),
          ),
          rules: Object.values(paasResourceRules),
          getResources: ids => resourceStore.getResources(ids),
        });
        const reconcilerSettings = readReconcilerSettings(config);
        const reconciler = new ResourceReconciler({
          store: resourceStore,
          providers,
          settings: reconcilerSettings,
          logger,
          liveness: loops.register('resource-reconciler', {
            intervalMs: durationToMilliseconds(reconcilerSettings.frequency),
            budgetMs: reconcilerSettings.passBudgetMs,
          }),
        });
        const resources = createResourceService({
          resources: resourceStore,
          teams: teamStore,
          quotas: quotaStore,
          clusters: clusterStore,
          access,
          resourceAccess: createResourceAccess({ permissions }),
          auditor,
          approvals,
          reconciler,
          approvalRules,
          rates: readResourceRates(config),
          providerKinds: () => providers.kinds(),
          validateWithProvider: resource =>
            providers.get(resource.kind).validate?.(resource),
        });
        // Every replica runs passes: leases keep them off each other's resources, and a
        // replica that dies mid-call leaves its resources to the others once leases expire.
        await scheduler.scheduleTask({
          id: 'paas-resource-reconciler',
          scope: 'local',
          frequency: reconcilerSettings.frequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          fn: () => reconciler.trigger(),
        });
        const invites = createInviteService({
          store: new DatabaseInviteStore(db, membershipStore),
          access,
          auditor,
          logger,
          config,
        });
        const health = createHealthService({
          db,
          providerKinds: () => providers.kinds(),
          logger,
          loops,
        });

        httpRouter.use(
          await createRouter({
            health,
            routers: [
              createOrganizationsRouter({
                httpAuth,
                organizations,
                teams,
                memberships,
              }),
              createInvitesRouter({
                httpAuth,
                invites,
                config,
                logger,
                lifecycle,
              }),
              createQuotasRouter({ httpAuth, quotas }),
              createApprovalsRouter({ httpAuth, approvals }),
              createClustersRouter({ httpAuth, clusters }),
              createDeploymentsRouter({ httpAuth, deployments }),
              createResourcesRouter({ httpAuth, resources }),
            ],
          }),
        );
        logger.info(
          `Paasport providers installed for: ${
            providers.kinds().join(', ') || 'no kinds'
          }`,
        );
      },
    });
  },
});
