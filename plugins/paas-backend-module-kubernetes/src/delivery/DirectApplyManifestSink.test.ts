import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { KubernetesManifest, LABEL_RESOURCE_ID } from '../manifests';
import { FakeKubernetesApi } from '../__testUtils__/fakeKubernetesApi';
import { DirectApplyManifestSink } from './DirectApplyManifestSink';
import { KubernetesApiError } from './KubernetesApiClient';
import { ManifestTarget } from './types';

const TOKEN = 'sa-token-5f2c9a71e0';
const API = 'https://eu-central-general.k8s.test:6443';

const target: ManifestTarget = {
  resourceId: 'res-1',
  cluster: 'eu-central-general',
  namespace: 'checkout-dev',
};
const workload: ManifestTarget = { ...target, resourceId: 'wl-1' };

const labels = (resourceId = target.resourceId) => ({
  'app.kubernetes.io/managed-by': 'paasport',
  [LABEL_RESOURCE_ID]: resourceId,
});

const namespaceManifest = (): KubernetesManifest => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'checkout-dev', labels: labels() },
});

const quotaManifest = (cpu = '4'): KubernetesManifest => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: {
    name: 'paasport-quota',
    namespace: 'checkout-dev',
    labels: labels(),
  },
  spec: { hard: { 'requests.cpu': cpu, pods: '50' } },
});

const denyManifest = (name = 'paasport-default-deny'): KubernetesManifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'checkout-dev', labels: labels() },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

const deploymentManifest = (): KubernetesManifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'payments-api',
    namespace: 'checkout-dev',
    labels: labels('wl-1'),
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'payments-api' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'payments-api' } },
      spec: {
        containers: [
          {
            name: 'payments-api',
            image: 'ghcr.io/acme/payments-api:1.4.2',
            resources: { limits: { cpu: '0.5', memory: '1Gi' } },
          },
        ],
      },
    },
  },
});

const QUOTA_PATH =
  '/api/v1/namespaces/checkout-dev/resourcequotas/paasport-quota';
const DENY_PATH =
  '/apis/networking.k8s.io/v1/namespaces/checkout-dev/networkpolicies/paasport-default-deny';

describe('DirectApplyManifestSink', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let api: FakeKubernetesApi;

  beforeEach(() => {
    api = new FakeKubernetesApi(API, TOKEN);
    server.use(...api.handlers);
  });

  const createSink = (token = TOKEN) =>
    new DirectApplyManifestSink({
      clusters: [
        { name: 'eu-central-general', url: API, serviceAccountToken: token },
      ],
    });

  const patches = () => api.requests.filter(r => r.method === 'PATCH');

  it('creates the objects with server-side apply as field manager paasport, the namespace first', async () => {
    const sink = createSink();

    const delivered = await sink.apply(target, [
      quotaManifest(),
      namespaceManifest(),
    ]);

    expect(patches().map(r => r.path)).toEqual([
      '/api/v1/namespaces/checkout-dev',
      QUOTA_PATH,
    ]);
    for (const request of patches()) {
      expect(request.contentType).toBe('application/apply-patch+yaml');
      expect(Object.fromEntries(request.query)).toEqual({
        fieldManager: 'paasport',
        force: 'true',
      });
    }
    const { annotations, ...metadata } = patches()[1].body.metadata;
    expect({ ...patches()[1].body, metadata }).toEqual(quotaManifest());
    expect(JSON.parse(annotations['paasport.io/applied-manifest'])).toEqual(
      quotaManifest(),
    );
    expect(delivered).toEqual({
      manifests: [quotaManifest(), namespaceManifest()],
      revision: expect.stringMatching(/^[0-9a-f]{16}$/),
      changed: true,
      outputs: {},
      conditions: [
        expect.objectContaining({
          type: 'Applied',
          status: 'True',
          reason: 'ServerSideApplied',
        }),
      ],
    });
    expect(
      api.object('ResourceQuota', 'paasport-quota', 'checkout-dev'),
    ).toBeDefined();
  });

  it('sends the service account token as a bearer token, on every request', async () => {
    await createSink().apply(target, [namespaceManifest(), quotaManifest()]);
    await createSink().observe(target);

    expect(api.requests.length).toBeGreaterThan(5);
    for (const request of api.requests) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('is idempotent: applying the same manifests again changes nothing on the server', async () => {
    const sink = createSink();
    const first = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest(),
    ]);
    const version = api.object(
      'ResourceQuota',
      'paasport-quota',
      'checkout-dev',
    )!.metadata.resourceVersion;

    const second = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest(),
    ]);

    expect(second.changed).toBe(false);
    expect(second.revision).toBe(first.revision);
    expect(
      api.object('ResourceQuota', 'paasport-quota', 'checkout-dev')!.metadata
        .resourceVersion,
    ).toBe(version);
    expect(api.requests.filter(r => r.method === 'DELETE')).toEqual([]);
  });

  it('observes exactly what it applied, although the server added defaults and rewrote quantities', async () => {
    const sink = createSink();
    await sink.apply(target, [namespaceManifest()]);
    const applied = await sink.apply(workload, [deploymentManifest()]);
    // The server holds `cpu: 500m` for the `0.5` applied, and a default strategy.
    expect(
      api.object('Deployment', 'payments-api', 'checkout-dev')!.spec.template
        .spec.containers[0].resources.limits.cpu,
    ).toBe('500m');

    const observed = await sink.observe(workload);

    expect(observed).toEqual({
      manifests: [deploymentManifest()],
      revision: applied.revision,
      changed: false,
      outputs: {},
      conditions: [
        expect.objectContaining({
          type: 'Applied',
          status: 'True',
          reason: 'FoundOnCluster',
        }),
      ],
    });
    expect((await sink.observe(target))?.manifests).toEqual([
      namespaceManifest(),
    ]);
  });

  it('shows a field someone else changed as drift, and the next apply takes it back', async () => {
    const sink = createSink();
    await sink.apply(target, [namespaceManifest(), denyManifest()]);
    api.edit(
      'NetworkPolicy',
      'paasport-default-deny',
      'checkout-dev',
      ['spec', 'policyTypes'],
      ['Ingress'],
    );

    const drifted = await sink.observe(target);
    const policy = drifted?.manifests.find(m => m.kind === 'NetworkPolicy');
    expect(policy).toBeDefined();
    expect(policy).not.toEqual(denyManifest());
    expect(policy?.spec).toEqual({ podSelector: {} });

    await sink.apply(target, [namespaceManifest(), denyManifest()]);

    expect(
      api.object('NetworkPolicy', 'paasport-default-deny', 'checkout-dev')!.spec
        .policyTypes,
    ).toEqual(['Ingress', 'Egress']);
    expect((await sink.observe(target))?.manifests).toContainEqual(
      denyManifest(),
    );
  });

  it('deletes objects that left the set, after applying the new ones', async () => {
    const sink = createSink();
    await sink.apply(target, [namespaceManifest(), denyManifest()]);
    api.requests.length = 0;

    const delivered = await sink.apply(target, [
      namespaceManifest(),
      denyManifest('paasport-deny-all'),
    ]);

    expect(delivered.changed).toBe(true);
    expect(api.writes.map(r => `${r.method} ${r.path}`)).toEqual([
      'PATCH /api/v1/namespaces/checkout-dev',
      'PATCH /apis/networking.k8s.io/v1/namespaces/checkout-dev/networkpolicies/paasport-deny-all',
      `DELETE ${DENY_PATH}`,
    ]);
    expect(
      api.requests
        .find(r => r.method === 'DELETE')
        ?.query.get('propagationPolicy'),
    ).toBe('Background');
  });

  it('refuses an object that exists without its ownership label, and sends no change at all', async () => {
    const sink = createSink();
    await sink.apply(target, [namespaceManifest()]);
    api.seed({
      ...denyManifest(),
      metadata: { name: 'paasport-default-deny', namespace: 'checkout-dev' },
    });
    api.requests.length = 0;

    const result = sink.apply(target, [
      namespaceManifest(),
      quotaManifest(),
      denyManifest(),
    ]);

    await expect(result).rejects.toThrow(ConflictError);
    await expect(result).rejects.toThrow(
      'NetworkPolicy checkout-dev/paasport-default-deny on cluster eu-central-general is not managed by Paasport resource res-1 (it has no Paasport ownership label); Paasport leaves it alone',
    );
    expect(api.writes).toEqual([]);
    expect(
      api.requests.some(r => r.method === 'GET' && r.path === DENY_PATH),
    ).toBe(true);
  });

  it('refuses a namespace another resource holds, in observe too, and removes nothing of it', async () => {
    await createSink().apply({ ...target, resourceId: 'res-2' }, [
      {
        ...namespaceManifest(),
        metadata: { name: 'checkout-dev', labels: labels('res-2') },
      },
    ]);
    const sink = createSink();
    api.requests.length = 0;

    expect(await sink.observe(target)).toBeUndefined();
    await expect(sink.observe(target, [namespaceManifest()])).rejects.toThrow(
      /\(it belongs to resource res-2\)/,
    );
    await expect(sink.apply(target, [namespaceManifest()])).rejects.toThrow(
      ConflictError,
    );
    await sink.remove(target);

    expect(api.writes).toEqual([]);
    expect(api.object('Namespace', 'checkout-dev')).toBeDefined();
  });

  it('surfaces a 409 from the API server as a ConflictError with the API message', async () => {
    server.use(
      http.patch(`${API}${QUOTA_PATH}`, () =>
        HttpResponse.json(
          {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'Conflict',
            code: 409,
            message:
              'Operation cannot be fulfilled on resourcequotas "paasport-quota": the object has been modified',
          },
          { status: 409 },
        ),
      ),
    );

    const result = createSink().apply(target, [
      namespaceManifest(),
      quotaManifest(),
    ]);

    await expect(result).rejects.toThrow(ConflictError);
    await expect(result).rejects.toThrow(
      'Kubernetes cluster eu-central-general refused to apply ResourceQuota checkout-dev/paasport-quota; caused by KubernetesApiError: Conflict (409): Operation cannot be fulfilled on resourcequotas "paasport-quota": the object has been modified',
    );
    const error = await result.catch(e => e);
    expect(error.cause).toBeInstanceOf(KubernetesApiError);
    expect(error.cause.statusCode).toBe(409);
  });

  describe('never puts the token into an error', () => {
    it('not when the server echoes it in its message', async () => {
      server.use(
        http.get(`${API}/api/v1/namespaces/checkout-dev`, ({ request }) =>
          HttpResponse.json(
            {
              kind: 'Status',
              reason: 'Forbidden',
              code: 403,
              message: `forbidden for ${request.headers.get('authorization')}`,
            },
            { status: 403 },
          ),
        ),
      );

      const error = await createSink()
        .apply(target, [namespaceManifest()])
        .catch(e => e);

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toContain('forbidden for Bearer <redacted>');
      expect(
        JSON.stringify(error, Object.getOwnPropertyNames(error)),
      ).not.toContain(TOKEN);
      expect(String(error.cause)).not.toContain(TOKEN);
    });

    it('not when the token is wrong', async () => {
      const error = await createSink('wrong-token-1234')
        .observe(target)
        .catch(e => e);

      expect(error.message).toContain('Unauthorized (401)');
      expect(error.message).not.toContain('wrong-token-1234');
    });

    it('not when the API server cannot be reached', async () => {
      server.use(
        http.get(`${API}/api/v1/namespaces/checkout-dev`, () =>
          HttpResponse.error(),
        ),
      );

      const error = await createSink()
        .observe(target)
        .catch(e => e);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^Cannot reach the Kubernetes API of cluster eu-central-general to read Namespace checkout-dev/,
      );
      expect(error.message).not.toContain(TOKEN);
    });
  });

  describe('remove', () => {
    it('deletes just the namespace it owns, and nothing while it terminates', async () => {
      const sink = createSink();
      await sink.apply(target, [
        namespaceManifest(),
        quotaManifest(),
        denyManifest(),
      ]);
      api.requests.length = 0;

      await sink.remove(target);
      await sink.remove(target);

      expect(api.writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'DELETE /api/v1/namespaces/checkout-dev',
      ]);
      expect(await sink.observe(target)).toBeUndefined();

      api.finishNamespaceDeletion('checkout-dev');
      await sink.remove(target);
      expect(api.writes).toHaveLength(1);
    });

    it("deletes a workload's objects and leaves the namespace", async () => {
      const sink = createSink();
      await sink.apply(target, [namespaceManifest(), quotaManifest()]);
      await sink.apply(workload, [deploymentManifest()]);
      api.requests.length = 0;

      await sink.remove(workload);

      expect(api.writes.map(r => `${r.method} ${r.path}`)).toEqual([
        'DELETE /apis/apps/v1/namespaces/checkout-dev/deployments/payments-api',
      ]);
      expect(await sink.observe(workload)).toBeUndefined();
      expect((await sink.observe(target))?.manifests).toHaveLength(2);
    });

    it('refuses to delete the namespace while another resource has objects in it', async () => {
      const sink = createSink();
      await sink.apply(target, [namespaceManifest()]);
      await sink.apply(workload, [deploymentManifest()]);
      api.requests.length = 0;

      await expect(sink.remove(target)).rejects.toThrow(
        'Namespace checkout-dev on cluster eu-central-general still holds objects of other Paasport resources: Deployment/payments-api (resource wl-1); remove them before the namespace',
      );
      expect(api.writes).toEqual([]);

      await sink.remove(workload);
      await sink.remove(target);
      expect(
        api.object('Namespace', 'checkout-dev')?.metadata.deletionTimestamp,
      ).toBeDefined();
    });

    it('succeeds when an object is gone between reading and deleting it', async () => {
      const sink = createSink();
      await sink.apply(target, [namespaceManifest()]);
      await sink.apply(workload, [deploymentManifest()]);
      server.use(
        http.delete(
          `${API}/apis/apps/v1/namespaces/checkout-dev/deployments/payments-api`,
          () =>
            HttpResponse.json(
              {
                kind: 'Status',
                reason: 'NotFound',
                code: 404,
                message: 'gone',
              },
              { status: 404 },
            ),
        ),
      );

      await expect(sink.remove(workload)).resolves.toBeUndefined();
    });

    it('succeeds when nothing exists, not even the namespace', async () => {
      await createSink().remove(target);

      expect(api.requests.map(r => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/namespaces/checkout-dev',
      ]);
    });
  });

  it('keeps a workload and a namespace in one namespace apart on apply', async () => {
    const sink = createSink();
    await sink.apply(target, [namespaceManifest(), quotaManifest()]);
    await sink.apply(workload, [deploymentManifest()]);

    // A namespace apply with one object less deletes only its own object.
    await sink.apply(target, [namespaceManifest()]);

    expect(
      api.object('Deployment', 'payments-api', 'checkout-dev'),
    ).toBeDefined();
    expect(
      api.object('ResourceQuota', 'paasport-quota', 'checkout-dev'),
    ).toBeUndefined();
  });

  it('refuses a cluster it has no connection for, and kinds it does not apply, before any request', async () => {
    const sink = createSink();

    await expect(
      sink.apply({ ...target, cluster: 'us-east' }, [namespaceManifest()]),
    ).rejects.toThrow(
      "Cluster 'us-east' is not configured under paas.kubernetes.clusters",
    );
    await expect(
      sink.apply(target, [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'checkout-dev', labels: labels() },
        },
      ]),
    ).rejects.toThrow(InputError);
    await expect(
      sink.apply(target, [
        {
          ...quotaManifest(),
          metadata: { ...quotaManifest().metadata, labels: labels('res-2') },
        },
      ]),
    ).rejects.toThrow(/lacks the ownership label/);
    expect(api.requests).toEqual([]);
  });
});
