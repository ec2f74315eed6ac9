import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { paasServiceRef } from '@paasport/plugin-paas-node';
import { RESOURCE_KINDS } from '@paasport/plugin-paas-common';
import {
  createPaasDeploymentCreateAction,
  createPaasOrganizationCreateAction,
  createPaasResourceCreateAction,
  createPaasResourceWaitAction,
} from './actions';

/**
 * Adds the Paasport actions (`paas:*`) to the scaffolder.
 *
 * @public
 */
export const scaffolderModulePaas = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paas',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        paas: paasServiceRef,
      },
      async init({ scaffolder, config, paas }) {
        const appBaseUrl = config.getOptionalString('app.baseUrl');
        scaffolder.addActions(
          createPaasOrganizationCreateAction({ paas, appBaseUrl }),
          createPaasDeploymentCreateAction({ paas, appBaseUrl }),
          createPaasResourceCreateAction({ paas, appBaseUrl }),
          ...RESOURCE_KINDS.map(kind =>
            createPaasResourceCreateAction({ paas, appBaseUrl, kind }),
          ),
          createPaasResourceWaitAction({ paas }),
        );
      },
    });
  },
});
