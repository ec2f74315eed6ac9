import fs from 'node:fs';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { DesiredResource, DesiredWorkload } from '@paasport/plugin-paas-node';
import { log } from 'isomorphic-git';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  DirectApplyManifestSink,
  GitOpsManifestSink,
  ManifestSink,
} from './delivery';
import { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';
import { KubernetesWorkloadRuntime } from './KubernetesWorkloadRuntime';
import { FakeKubernetesApi } from './__testUtils__/fakeKubernetesApi';
import { useTempDirectory } from './__testUtils__/tempDirectory';

const workload: DesiredWorkload = {
  id: 'dep-7',
  name: 'payments-api',
  organization: 'acme',
  team: 'checkout',
  cluster: 'eu-central-general',
  namespace: 'checkout-dev',
  image: 'ghcr.io/acme/payments-api:1.4.2',
  replicas: 2,
  resources: { cpuMillicores: 500, memoryMiB: 512, gpus: 0 },
  labels: { 'cost-center': 'cc-7' },
};

const namespaceResource: DesiredResource<'kubernetes:namespace'> = {
  id: 'res-42',
  kind: 'kubernetes:namespace',
  name: 'checkout-dev',
  organization: 'acme',
  owner: 'group:default/checkout',
  spec: { team: 'checkout', environment: 'dev', cluster: 'eu-central-general' },
  tags: {},
};

function createNamespaceProvider(sink: ManifestSink) {
  return new KubernetesNamespaceProvider({
    sink,
    quotaFor: async () => ({
      requestsCpu: '4',
      requestsMemory: '8Gi',
      limitsCpu: '8',
      limitsMemory: '16Gi',
      pods: 50,
      gpus: 0,
    }),
    containerDefaults: {
      defaultRequest: { cpu: '0.1', memory: '128Mi' },
      defaultLimit: { cpu: '500m', memory: '512Mi' },
    },
    podSecurityVersion: 'v1.33',
  });
}

const folder = 'clusters/eu-central-general/namespaces/checkout-dev';

describe('KubernetesWorkloadRuntime', () => {
  describe('with GitOps delivery', () => {
    const mockDir = useTempDirectory();
    const repo = () => mockDir.resolve('gitops');
    const sink = () => new GitOpsManifestSink({ directory: repo() });
    const commits = async () => log({ fs, dir: repo() }).catch(() => []);
    const files = () =>
      fs.readdirSync(mockDir.resolve('gitops', folder)).sort();

    it('commits the Deployment into the namespace folder and reports it running', async () => {
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });

      const observed = await runtime.apply(workload);

      const [head] = await commits();
      expect(observed).toEqual({
        state: 'running',
        externalId: 'eu-central-general/checkout-dev/deployment/payments-api',
        conditions: [
          expect.objectContaining({
            type: 'Committed',
            status: 'True',
            message: expect.stringContaining(head.oid),
          }),
          expect.objectContaining({
            type: 'AppliedToCluster',
            status: 'Unknown',
          }),
        ],
      });
      const deployment = parse(
        fs.readFileSync(
          mockDir.resolve('gitops', folder, 'deployment-payments-api.yaml'),
          'utf8',
        ),
      );
      expect(deployment.metadata.labels).toMatchObject({
        'paasport.io/resource-id': 'dep-7',
        'app.kubernetes.io/name': 'payments-api',
        'cost-center': 'cc-7',
      });
      expect(deployment.spec.template.spec.containers[0].resources).toEqual({
        requests: { cpu: '500m', memory: '512Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      });

      await runtime.apply(workload);
      expect(await commits()).toHaveLength(1);
    });

    it("applies the workload's root filesystem opt-out to its container", async () => {
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });
      const container = () =>
        parse(
          fs.readFileSync(
            mockDir.resolve('gitops', folder, 'deployment-payments-api.yaml'),
            'utf8',
          ),
        ).spec.template.spec.containers[0];

      await runtime.apply(workload);
      expect(container().securityContext.readOnlyRootFilesystem).toBe(true);

      await runtime.apply({ ...workload, writableRootFilesystem: true });
      expect(container().securityContext.readOnlyRootFilesystem).toBe(false);
    });

    it('shares the folder with its namespace: neither removes the other', async () => {
      const provider = createNamespaceProvider(sink());
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });
      await provider.apply(namespaceResource);

      await runtime.apply(workload);
      await runtime.apply({ ...workload, replicas: 3 });

      expect((await provider.observe(namespaceResource))?.state).toBe('ready');
      expect(files()).toHaveLength(8);
      await expect(provider.delete(namespaceResource)).rejects.toThrow(
        /still holds objects of other Paasport resources: .*deployment-payments-api\.yaml \(resource dep-7\)/,
      );

      await runtime.remove(workload);
      await runtime.remove(workload);

      expect(files()).not.toContain('deployment-payments-api.yaml');
      expect((await provider.observe(namespaceResource))?.state).toBe('ready');
      await provider.delete(namespaceResource);
      expect(fs.existsSync(mockDir.resolve('gitops', folder))).toBe(false);
    });

    it('fails a workload whose name another resource holds, and changes nothing', async () => {
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });
      await runtime.apply({ ...workload, id: 'dep-other' });

      const observed = await runtime.apply(workload);

      expect(observed).toEqual({
        state: 'failed',
        externalId: 'eu-central-general/checkout-dev/deployment/payments-api',
        conditions: [
          {
            type: 'Applied',
            status: 'False',
            reason: 'Conflict',
            message: expect.stringContaining(
              'deployment-payments-api.yaml is not managed by Paasport resource dep-7 (it belongs to resource dep-other)',
            ),
          },
        ],
      });
      expect(await commits()).toHaveLength(1);
    });

    it('fails an invalid workload without writing anything', async () => {
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });

      const observed = await runtime.apply({
        ...workload,
        image: 'not an image',
      });

      expect(observed.state).toBe('failed');
      expect(observed.conditions).toEqual([
        expect.objectContaining({
          type: 'Applied',
          status: 'False',
          reason: 'Invalid',
          message: expect.stringContaining("Image 'not an image'"),
        }),
      ]);
      expect(fs.existsSync(repo())).toBe(false);
    });
  });

  describe('with direct delivery', () => {
    const API = 'https://eu-central-general.k8s.test:6443';
    const DEPLOYMENT_PATH =
      '/apis/apps/v1/namespaces/checkout-dev/deployments/payments-api';
    const server = setupServer();
    registerMswTestHooks(server);
    let api: FakeKubernetesApi;

    beforeEach(() => {
      api = new FakeKubernetesApi(API, 'sa-token');
      server.use(...api.handlers);
    });

    const sink = () =>
      new DirectApplyManifestSink({
        clusters: [
          {
            name: 'eu-central-general',
            url: API,
            serviceAccountToken: 'sa-token',
          },
        ],
      });

    it('applies the Deployment next to its namespace; neither removes the other', async () => {
      const provider = createNamespaceProvider(sink());
      const runtime = new KubernetesWorkloadRuntime({ sink: sink() });
      await provider.apply(namespaceResource);

      const observed = await runtime.apply(workload);

      expect(observed).toEqual({
        state: 'running',
        externalId: 'eu-central-general/checkout-dev/deployment/payments-api',
        conditions: [
          expect.objectContaining({
            type: 'Applied',
            status: 'True',
            reason: 'ServerSideApplied',
          }),
        ],
      });
      const patch = api.requests.find(
        r => r.method === 'PATCH' && r.path === DEPLOYMENT_PATH,
      );
      expect(patch?.body.spec.template.spec.securityContext).toEqual({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      // The LimitRange's `0.1` CPU comes back as `100m`; the namespace is still in order.
      expect((await provider.observe(namespaceResource))?.state).toBe('ready');
      await expect(provider.delete(namespaceResource)).rejects.toThrow(
        ConflictError,
      );

      await runtime.remove(workload);

      expect(
        api.object('Deployment', 'payments-api', 'checkout-dev'),
      ).toBeUndefined();
      expect(
        api.writes.filter(r => r.method === 'DELETE').map(r => r.path),
      ).toEqual([DEPLOYMENT_PATH]);
      expect((await provider.observe(namespaceResource))?.state).toBe('ready');
    });

    it("fails a workload the API server refuses, with the server's message", async () => {
      server.use(
        http.patch(`${API}${DEPLOYMENT_PATH}`, () =>
          HttpResponse.json(
            {
              kind: 'Status',
              reason: 'Invalid',
              code: 422,
              message:
                'Deployment.apps "payments-api" is invalid: spec.template.spec.containers[0].image: Required value',
            },
            { status: 422 },
          ),
        ),
      );
      await createNamespaceProvider(sink()).apply(namespaceResource);

      const observed = await new KubernetesWorkloadRuntime({
        sink: sink(),
      }).apply(workload);

      expect(observed.state).toBe('failed');
      expect(observed.conditions).toEqual([
        expect.objectContaining({
          type: 'Applied',
          status: 'False',
          message: expect.stringContaining(
            'Invalid (422): Deployment.apps "payments-api" is invalid',
          ),
        }),
      ]);
    });

    it('throws, for a retry, when the cluster is unavailable', async () => {
      server.use(
        http.patch(`${API}${DEPLOYMENT_PATH}`, () =>
          HttpResponse.json(
            { kind: 'Status', reason: 'ServiceUnavailable', code: 503 },
            { status: 503 },
          ),
        ),
      );
      await createNamespaceProvider(sink()).apply(namespaceResource);

      await expect(
        new KubernetesWorkloadRuntime({ sink: sink() }).apply(workload),
      ).rejects.toThrow(ServiceUnavailableError);
    });
  });
});
