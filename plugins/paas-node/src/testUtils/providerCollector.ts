import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { paasProvidersExtensionPoint } from '../providers/extensionPoint';
import { PaasResourceProvider } from '../providers/types';

/**
 * A stand-in for the Paasport backend plugin in tests of provider modules: it owns the
 * providers extension point and collects what modules add to it.
 * @public
 */
export function createProviderCollectorPlugin(
  collected: PaasResourceProvider[] = [],
) {
  const plugin = createBackendPlugin({
    pluginId: 'paas',
    register(env) {
      env.registerExtensionPoint(paasProvidersExtensionPoint, {
        addProvider: (...providers) => collected.push(...providers),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, collected };
}
