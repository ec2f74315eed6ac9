import { createBackendModule } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { paasProvidersExtensionPoint } from './extensionPoint';
import { PaasResourceProvider } from './types';
import { createProviderCollectorPlugin } from '../testUtils';

describe('paasProvidersExtensionPoint', () => {
  it('hands the providers a module adds to the plugin that owns the point', async () => {
    const provider: PaasResourceProvider = {
      id: 'fake',
      kinds: ['aws:sqs-queue'],
      observe: async () => undefined,
      apply: async () => ({ state: 'ready' }),
      delete: async () => {},
    };
    const { plugin, collected } = createProviderCollectorPlugin();
    const module = createBackendModule({
      pluginId: 'paas',
      moduleId: 'fake',
      register(env) {
        env.registerInit({
          deps: { providers: paasProvidersExtensionPoint },
          async init({ providers }) {
            providers.addProvider(provider);
          },
        });
      },
    });

    const backend = await startTestBackend({ features: [plugin, module] });
    expect(collected).toEqual([provider]);
    await backend.stop();
  });
});
