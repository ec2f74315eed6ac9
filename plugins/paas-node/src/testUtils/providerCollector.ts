import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { paasProvidersExtensionPoint } from '../providers/extensionPoint';
import { PaasResourceProvider } from '../providers/types';
import { PaasWorkloadRuntime } from '../providers/workloads';

/**
 * A stand-in for the Paasport backend plugin in tests of provider modules: it owns the
 * providers extension point and collects what modules add to it.
 * @public
 */
export function createProviderCollectorPlugin(
  collected: PaasResourceProvider[] = [],
  runtimes: PaasWorkloadRuntime[] = [],
) {
  const plugin = createBackendPlugin({
    pluginId: 'paas',
    register(env) {
      env.registerExtensionPoint(paasProvidersExtensionPoint, {
        addProvider: (...providers) => collected.push(...providers),
        setWorkloadRuntime: runtime => runtimes.push(runtime),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, collected, runtimes };
}
