import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import { readKubernetesModuleConfig } from './config';
import {
  DirectApplyManifestSink,
  GitOpsManifestSink,
  ManifestSink,
} from './delivery';
import { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';
import { KubernetesWorkloadRuntime } from './KubernetesWorkloadRuntime';

/**
 * Adds the Kubernetes resource provider (`kubernetes:namespace`) and the Kubernetes
 * workload runtime to the Paasport backend.
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
        let sink: ManifestSink;
        if (options.delivery === 'direct') {
          sink = new DirectApplyManifestSink({
            clusters: options.clusters,
            logger,
          });
          logger.info(
            `Kubernetes manifests are applied directly to the clusters ${options.clusters
              .map(c => c.name)
              .join(', ')}`,
          );
        } else {
          sink = new GitOpsManifestSink({
            directory: options.gitopsDirectory,
            logger,
          });
          logger.info(
            `Kubernetes manifests are delivered through GitOps in ${options.gitopsDirectory}`,
          );
        }
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
        providers.setWorkloadRuntime?.(new KubernetesWorkloadRuntime({ sink }));
      },
    });
  },
});
