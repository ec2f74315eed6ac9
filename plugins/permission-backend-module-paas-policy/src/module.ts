import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PaasPermissionPolicy } from './policy';

/**
 * Installs the Paasport permission policy in the permission backend.
 *
 * @public
 */
export const permissionModulePaasPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paas-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(PaasPermissionPolicy.fromConfig(config, { userInfo }));
      },
    });
  },
});
