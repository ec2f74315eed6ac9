import fs from 'node:fs';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  DesiredWorkload,
  PaasResourceProvider,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import { createProviderCollectorPlugin } from '@paasport/plugin-paas-node/testUtils';
import { setupServer } from 'msw/node';
import paasModuleKubernetes from './index';
import { FakeKubernetesApi } from './__testUtils__/fakeKubernetesApi';
import { useTempDirectory } from './__testUtils__/tempDirectory';

const workload: DesiredWorkload = {
  id: 'dep-1',
  name: 'payments-api',
  organization: 'acme',
  team: 'checkout',
  cluster: 'eu-central-general',
  namespace: 'checkout-dev',
  image: 'ghcr.io/acme/payments-api:1.4.2',
  replicas: 1,
  resources: { cpuMillicores: 250, memoryMiB: 256, gpus: 0 },
  labels: {},
};

describe('paasModuleKubernetes', () => {
  const mockDir = useTempDirectory();
  const server = setupServer();
  registerMswTestHooks(server);

  it('adds the namespace provider and the workload runtime, delivering to the configured GitOps repository', async () => {
    const added: PaasResourceProvider[] = [];
    const runtimes: PaasWorkloadRuntime[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added, runtimes).plugin,
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

      expect(runtimes.map(r => r.id)).toEqual(['kubernetes']);
      expect((await runtimes[0].apply(workload)).state).toBe('running');
      expect(fs.existsSync(`${folder}/deployment-payments-api.yaml`)).toBe(
        true,
      );
    } finally {
      await backend.stop();
    }
  });

  it('applies directly to the configured clusters when delivery is direct', async () => {
    const api = new FakeKubernetesApi(
      'https://k8s.eu-central.example.com:6443',
      'sa-token-1',
    );
    server.use(...api.handlers);
    const added: PaasResourceProvider[] = [];
    const runtimes: PaasWorkloadRuntime[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added, runtimes).plugin,
        paasModuleKubernetes,
        mockServices.rootConfig.factory({
          data: {
            paas: {
              kubernetes: {
                delivery: 'direct',
                gitops: { directory: mockDir.resolve('gitops') },
                defaultCluster: 'eu-central-general',
                clusters: [
                  {
                    name: 'eu-central-general',
                    url: 'https://k8s.eu-central.example.com:6443',
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'sa-token-1',
                  },
                ],
              },
            },
          },
        }),
      ],
    });

    try {
      const observed = await added[0].apply({
        id: 'res-1',
        kind: 'kubernetes:namespace',
        name: 'checkout-dev',
        organization: 'acme',
        owner: 'group:default/checkout',
        spec: { team: 'checkout', environment: 'dev' },
        tags: {},
      });
      expect(observed.outputs?.delivery).toBe('direct');
      expect((await runtimes[0].apply(workload)).state).toBe('running');

      expect(api.object('Namespace', 'checkout-dev')).toBeDefined();
      expect(
        api.object('Deployment', 'payments-api', 'checkout-dev'),
      ).toBeDefined();
      expect(fs.existsSync(mockDir.resolve('gitops'))).toBe(false);
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

  it('stops the backend from starting when direct delivery has no clusters', async () => {
    await expect(
      startTestBackend({
        features: [
          createProviderCollectorPlugin([]).plugin,
          paasModuleKubernetes,
          mockServices.rootConfig.factory({
            data: { paas: { kubernetes: { delivery: 'direct' } } },
          }),
        ],
      }),
    ).rejects.toThrow(/paas\.kubernetes\.clusters must list at least one/);
  });
});
