import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { paasPermissions } from '@paasport/plugin-paas-common';
import {
  paasProvidersExtensionPoint,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import { applyDatabaseMigrations } from './database/migrations';
import { DatabaseOrganizationStore } from './database/OrganizationStore';
import { createRouter } from './router';
import { createHealthService } from './service/HealthService';
import { createOrganizationService } from './service/OrganizationService';
import { ProviderRegistry } from './service/ProviderRegistry';

/**
 * The Paasport backend plugin.
 * @public
 */
export const paasPlugin = createBackendPlugin({
  pluginId: 'paas',
  register(env) {
    const providers = new ProviderRegistry();
    env.registerExtensionPoint(paasProvidersExtensionPoint, {
      addProvider: (...added: PaasResourceProvider[]) =>
        providers.add(...added),
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
      },
      async init({
        logger,
        httpRouter,
        httpAuth,
        database,
        permissions,
        permissionsRegistry,
        auditor,
      }) {
        const db = await applyDatabaseMigrations(database);
        permissionsRegistry.addPermissions(paasPermissions);

        const organizations = createOrganizationService({
          store: new DatabaseOrganizationStore(db),
          permissions,
          auditor,
          logger,
        });
        const health = createHealthService({
          db,
          providerKinds: () => providers.kinds(),
          logger,
        });

        httpRouter.use(await createRouter({ httpAuth, organizations, health }));
        logger.info(
          `Paasport providers installed for: ${
            providers.kinds().join(', ') || 'no kinds'
          }`,
        );
      },
    });
  },
});
