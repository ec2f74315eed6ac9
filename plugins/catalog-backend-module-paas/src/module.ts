import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { paasServiceRef } from '@paasport/plugin-paas-node';
import {
  PaasOrganizationEntityProvider,
  PaasResourceEntityProvider,
  readProviderSchedule,
} from './providers';

/**
 * Publishes Paasport organizations and their teams to the catalog as Group entities, and
 * managed resources as Resource entities.
 *
 * @public
 */
export const catalogModulePaas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paas',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        paas: paasServiceRef,
      },
      async init({ catalog, config, discovery, logger, scheduler, paas }) {
        // One schedule; each provider runs its own task on it.
        const taskRunner = scheduler.createScheduledTaskRunner(
          readProviderSchedule(config),
        );
        const baseUrl = await discovery.getExternalBaseUrl('paas');
        catalog.addEntityProvider(
          new PaasOrganizationEntityProvider({
            paas,
            logger,
            taskRunner,
            baseUrl,
          }),
          new PaasResourceEntityProvider({
            paas,
            logger,
            taskRunner,
            baseUrl,
            appBaseUrl: config.getOptionalString('app.baseUrl'),
          }),
        );
      },
    });
  },
});
