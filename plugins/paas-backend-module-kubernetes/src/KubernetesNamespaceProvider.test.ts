import fs from 'node:fs';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { log } from 'isomorphic-git';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { DirectApplyManifestSink, GitOpsManifestSink } from './delivery';
import { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';
import { NamespaceQuota } from './manifests';
import { FakeKubernetesApi } from './__testUtils__/fakeKubernetesApi';
import { useTempDirectory } from './__testUtils__/tempDirectory';

const quota: NamespaceQuota = {
  requestsCpu: '4',
  requestsMemory: '8Gi',
  limitsCpu: '8',
  limitsMemory: '16Gi',
  pods: 50,
  gpus: 0,
};

const resource: DesiredResource<'kubernetes:namespace'> = {
  id: 'res-42',
  kind: 'kubernetes:namespace',
  name: 'checkout-dev',
  organization: 'acme',
  owner: 'group:default/checkout',
  spec: { team: 'checkout', environment: 'dev' },
  tags: { 'cost-center': 'cc-7' },
};

const folder = 'clusters/eu-central-general/namespaces/checkout-dev';

describe('KubernetesNamespaceProvider', () => {
  const mockDir = useTempDirectory();
  const repo = () => mockDir.resolve('gitops');
  let currentQuota: NamespaceQuota;

  function createProvider(options: { defaultCluster?: string } = {}) {
    return new KubernetesNamespaceProvider({
      sink: new GitOpsManifestSink({ directory: repo() }),
      quotaFor: async () => currentQuota,
      containerDefaults: {
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        defaultLimit: { cpu: '500m', memory: '512Mi' },
      },
      podSecurityVersion: 'v1.33',
      groupPrefix: 'oidc:',
      defaultCluster:
        'defaultCluster' in options
          ? options.defaultCluster
          : 'eu-central-general',
    });
  }

  const commits = async () => log({ fs, dir: repo() }).catch(() => []);
  const readFile = (name: string) =>
    parse(fs.readFileSync(mockDir.resolve('gitops', folder, name), 'utf8'));

  beforeEach(() => {
    currentQuota = quota;
  });

  it('handles kubernetes:namespace as provider kubernetes', () => {
    const provider = createProvider();
    expect(provider.id).toBe('kubernetes');
    expect(provider.kinds).toEqual(['kubernetes:namespace']);
  });

  it('observes nothing before the first apply', async () => {
    expect(await createProvider().observe(resource)).toBeUndefined();
  });

  it('commits the namespace and reports it ready with its outputs', async () => {
    const provider = createProvider();

    const applied = await provider.apply(resource);

    const [head] = await commits();
    expect(applied).toEqual({
      state: 'ready',
      externalId: 'eu-central-general/checkout-dev',
      outputs: {
        namespace: 'checkout-dev',
        cluster: 'eu-central-general',
        delivery: 'gitops',
        gitopsPath: folder,
        commit: head.oid,
      },
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
        expect.objectContaining({ type: 'UpToDate', status: 'True' }),
      ],
    });
    expect(readFile('rolebinding-paasport-team-edit.yaml').subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'oidc:acme-checkout',
      },
    ]);
    expect(
      readFile('namespace-checkout-dev.yaml').metadata.labels,
    ).toMatchObject({
      'paasport.io/resource-id': 'res-42',
      'paasport.io/organization': 'acme',
      'cost-center': 'cc-7',
    });
  });

  it("binds each organization's own team group, even when two organizations name a team alike", async () => {
    const provider = createProvider();
    const globexFolder =
      'clusters/eu-central-general/namespaces/globex-checkout-dev';

    await provider.apply(resource);
    await provider.apply({
      ...resource,
      id: 'res-43',
      name: 'globex-checkout-dev',
      organization: 'globex',
      owner: 'group:default/globex-checkout',
    });

    const subjectOf = (dir: string) =>
      parse(
        fs.readFileSync(
          mockDir.resolve('gitops', dir, 'rolebinding-paasport-team-edit.yaml'),
          'utf8',
        ),
      ).subjects.map((subject: { name: string }) => subject.name);
    expect(subjectOf(folder)).toEqual(['oidc:acme-checkout']);
    expect(subjectOf(globexFolder)).toEqual(['oidc:globex-checkout']);
  });

  it('observes what it applied: present, committed, matching the spec', async () => {
    const provider = createProvider();
    const applied = await provider.apply(resource);

    expect(await provider.observe(resource)).toEqual(applied);
  });

  it('is idempotent: applying again adds no commit and reports the same commit', async () => {
    const provider = createProvider();
    const first = await provider.apply(resource);

    const second = await provider.apply(resource);

    expect(second).toEqual(first);
    expect(await commits()).toHaveLength(1);
  });

  it('reports drift when the quota changes, and one apply commits the new quota', async () => {
    const provider = createProvider();
    const first = await provider.apply(resource);
    currentQuota = { ...quota, requestsCpu: '6', gpus: 1 };

    const drifted = await provider.observe(resource);
    expect(drifted?.state).toBe('pending');
    expect(drifted?.conditions).toContainEqual(
      expect.objectContaining({
        type: 'UpToDate',
        status: 'False',
        reason: 'Drifted',
        message: expect.stringContaining(
          'ResourceQuota/paasport-quota differs',
        ),
      }),
    );

    const reapplied = await provider.apply(resource);
    expect(reapplied.state).toBe('ready');
    expect(reapplied.outputs?.commit).not.toBe(first.outputs?.commit);
    expect(await commits()).toHaveLength(2);
    expect(
      readFile('resourcequota-paasport-quota.yaml').spec.hard,
    ).toMatchObject({
      'requests.cpu': '6',
      'requests.nvidia.com/gpu': '1',
    });
  });

  it('deletes the namespace in a commit and succeeds when it is already gone', async () => {
    const provider = createProvider();
    await provider.apply(resource);

    await provider.delete(resource);
    await provider.delete(resource);

    expect(await provider.observe(resource)).toBeUndefined();
    expect(await commits()).toHaveLength(2);
    expect(fs.existsSync(mockDir.resolve('gitops', folder))).toBe(false);
  });

  it('uses the cluster the spec names over the default', async () => {
    const applied = await createProvider().apply({
      ...resource,
      spec: { ...resource.spec, cluster: 'eu-central-gpu' },
    });

    expect(applied.outputs?.gitopsPath).toBe(
      'clusters/eu-central-gpu/namespaces/checkout-dev',
    );
  });

  it('refuses a namespace without a cluster when no default is configured', async () => {
    const provider = createProvider({ defaultCluster: undefined });

    await expect(provider.apply(resource)).rejects.toThrow(
      /names no cluster and paas\.kubernetes\.defaultCluster is not set/,
    );
  });

  it('refuses a namespace that another resource already holds, and deletes nothing of it', async () => {
    const provider = createProvider();
    await provider.apply({ ...resource, id: 'res-other' });

    await expect(provider.observe(resource)).rejects.toThrow(ConflictError);
    await expect(provider.apply(resource)).rejects.toThrow(ConflictError);
    // Nothing of res-42 exists, so deleting it succeeds (a resource that failed on the
    // conflict can be deleted) and leaves the other resource's namespace alone.
    await provider.delete(resource);
    expect(await commits()).toHaveLength(1);
    expect(
      readFile('namespace-checkout-dev.yaml').metadata.labels,
    ).toMatchObject({ 'paasport.io/resource-id': 'res-other' });
  });

  it.each([
    [
      'another kind',
      { kind: 'aws:s3-bucket' },
      /handles kubernetes:namespace, not aws:s3-bucket/,
    ],
    [
      'a spec with an unknown field',
      { spec: { team: 'checkout', environment: 'dev', size: 3 } },
      /Invalid spec/,
    ],
    ['a spec without team', { spec: { environment: 'dev' } }, /team/],
    ['a reserved namespace name', { name: 'kube-system' }, /reserved/],
    [
      'a namespace name that is not a DNS label',
      { name: 'Checkout' },
      /Checkout/,
    ],
  ])(
    'refuses %s with an InputError and writes nothing',
    async (_, override, message) => {
      const provider = createProvider();
      const bad = { ...resource, ...override } as DesiredResource;

      await expect(provider.apply(bad)).rejects.toThrow(InputError);
      await expect(provider.apply(bad)).rejects.toThrow(message);
      expect(fs.existsSync(repo())).toBe(false);
    },
  );
});

describe('KubernetesNamespaceProvider with direct delivery', () => {
  const API = 'https://eu-central-general.k8s.test:6443';
  const server = setupServer();
  registerMswTestHooks(server);
  let api: FakeKubernetesApi;

  beforeEach(() => {
    api = new FakeKubernetesApi(API, 'sa-token');
    server.use(...api.handlers);
  });

  const provider = () =>
    new KubernetesNamespaceProvider({
      sink: new DirectApplyManifestSink({
        clusters: [
          {
            name: 'eu-central-general',
            url: API,
            serviceAccountToken: 'sa-token',
          },
        ],
      }),
      quotaFor: async () => quota,
      containerDefaults: {
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        defaultLimit: { cpu: '0.5', memory: '512Mi' },
      },
      podSecurityVersion: 'v1.33',
      defaultCluster: 'eu-central-general',
    });

  it('applies the namespace to the cluster, observes it ready, and reports drift someone caused', async () => {
    const applied = await provider().apply(resource);

    expect(applied).toEqual({
      state: 'ready',
      externalId: 'eu-central-general/checkout-dev',
      outputs: {
        namespace: 'checkout-dev',
        cluster: 'eu-central-general',
        delivery: 'direct',
      },
      conditions: [
        expect.objectContaining({ type: 'Applied', status: 'True' }),
        expect.objectContaining({ type: 'UpToDate', status: 'True' }),
      ],
    });
    expect((await provider().observe(resource))?.state).toBe('ready');

    // A team member with `edit` opens the namespace's egress.
    api.edit(
      'NetworkPolicy',
      'paasport-default-deny',
      'checkout-dev',
      ['spec', 'policyTypes'],
      ['Ingress'],
    );
    const drifted = await provider().observe(resource);
    expect(drifted?.state).toBe('pending');
    expect(drifted?.conditions).toContainEqual(
      expect.objectContaining({
        type: 'UpToDate',
        status: 'False',
        message: expect.stringContaining(
          'NetworkPolicy/paasport-default-deny differs',
        ),
      }),
    );

    expect((await provider().apply(resource)).state).toBe('ready');
    expect((await provider().observe(resource))?.state).toBe('ready');
  });

  it('deletes the namespace, and observes nothing once it is gone', async () => {
    await provider().apply(resource);

    await provider().delete(resource);
    await provider().delete(resource);

    expect(await provider().observe(resource)).toBeUndefined();
    expect(
      api.requests.filter(r => r.method === 'DELETE').map(r => r.path),
    ).toEqual(['/api/v1/namespaces/checkout-dev']);
  });
});
