import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import { readKubernetesModuleConfig } from './config';
import { GitOpsManifestSink } from './delivery';
import { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';

/**
 * Adds the Kubernetes resource provider (`kubernetes:namespace`) to the Paasport backend.
 *
 * @public
 */
export const paasModuleKubernetes = createBackendModule({
  pluginId: 'paas',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: paasProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const options = readKubernetesModuleConfig(config);
        const sink = new GitOpsManifestSink({
          directory: options.gitopsDirectory,
          logger,
        });
        providers.addProvider(
          new KubernetesNamespaceProvider({
            sink,
            quotaFor: async () => options.quota,
            containerDefaults: options.containerDefaults,
            podSecurityVersion: options.podSecurityVersion,
            defaultCluster: options.defaultCluster,
            groupPrefix: options.groupPrefix,
          }),
        );
        logger.info(
          `Kubernetes namespaces are delivered through GitOps in ${options.gitopsDirectory}`,
        );
      },
    });
  },
});
