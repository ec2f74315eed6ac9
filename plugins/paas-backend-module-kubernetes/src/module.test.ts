import fs from 'node:fs';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { PaasResourceProvider } from '@paasport/plugin-paas-node';
import { createProviderCollectorPlugin } from '@paasport/plugin-paas-node/testUtils';
import paasModuleKubernetes from './index';
import { useTempDirectory } from './__testUtils__/tempDirectory';

describe('paasModuleKubernetes', () => {
  const mockDir = useTempDirectory();

  it('adds the namespace provider, delivering to the configured GitOps repository', async () => {
    const added: PaasResourceProvider[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added).plugin,
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
          createProviderCollectorPlugin([]).plugin,
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
