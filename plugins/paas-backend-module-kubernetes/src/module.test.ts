import fs from 'node:fs';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  paasProvidersExtensionPoint,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import paasModuleKubernetes from './index';
import { useTempDirectory } from './__testUtils__/tempDirectory';

/** Stands in for the paas backend plugin: owns the extension point and keeps what is added. */
function fakePaasPlugin(added: PaasResourceProvider[]) {
  return createBackendPlugin({
    pluginId: 'paas',
    register(env) {
      env.registerExtensionPoint(paasProvidersExtensionPoint, {
        addProvider: (...providers) => added.push(...providers),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('paasModuleKubernetes', () => {
  const mockDir = useTempDirectory();

  it('adds the namespace provider, delivering to the configured GitOps repository', async () => {
    const added: PaasResourceProvider[] = [];
    const backend = await startTestBackend({
      features: [
        fakePaasPlugin(added),
        paasModuleKubernetes,
        mockServices.rootConfig.factory({
          data: {
            paas: {
              kubernetes: {
                gitops: { directory: mockDir.resolve('gitops') },
                defaultCluster: 'eu-central-general',
                podSecurityVersion: 'v1.32',
                namespaceDefaults: { quota: { pods: 7, gpus: 1 } },
              },
            },
          },
        }),
      ],
    });

    try {
      expect(added.map(p => [p.id, p.kinds])).toEqual([
        ['kubernetes', ['kubernetes:namespace']],
      ]);

      const observed = await added[0].apply({
        id: 'res-1',
        kind: 'kubernetes:namespace',
        name: 'checkout-dev',
        organization: 'acme',
        owner: 'group:default/checkout',
        spec: { team: 'checkout', environment: 'dev' },
        tags: {},
      });

      expect(observed.state).toBe('ready');
      const folder = mockDir.resolve(
        'gitops/clusters/eu-central-general/namespaces/checkout-dev',
      );
      const quota = fs.readFileSync(
        `${folder}/resourcequota-paasport-quota.yaml`,
        'utf8',
      );
      expect(quota).toContain("pods: '7'");
      expect(quota).toContain("requests.nvidia.com/gpu: '1'");
      expect(
        fs.readFileSync(`${folder}/namespace-checkout-dev.yaml`, 'utf8'),
      ).toContain('pod-security.kubernetes.io/enforce-version: v1.32');
    } finally {
      await backend.stop();
    }
  });

  it('stops the backend from starting when the configuration is invalid', async () => {
    await expect(
      startTestBackend({
        features: [
          fakePaasPlugin([]),
          paasModuleKubernetes,
          mockServices.rootConfig.factory({
            data: {
              paas: {
                kubernetes: {
                  gitops: { directory: mockDir.resolve('gitops') },
                  podSecurityVersion: 'latest',
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/paas\.kubernetes\.podSecurityVersion must pin/);
    expect(fs.existsSync(mockDir.resolve('gitops'))).toBe(false);
  });
});
