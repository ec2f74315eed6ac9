import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { loadKubernetesModels } from './kubernetesModels';
import {
  buildNamespaceManifests,
  NAMESPACE_OBJECT_NAMES,
} from './namespaceManifests';
import { KubernetesManifest, NamespaceManifestsInput } from './types';
import { manifestsToYaml, parseYamlDocuments } from './yaml';

const baseInput: NamespaceManifestsInput = {
  namespace: 'checkout-dev',
  resourceId: '3f6c2a8e-1d2b-4c5e-9f0a-7b8c9d0e1f2a',
  organization: 'acme',
  team: 'checkout',
  environment: 'dev',
  podSecurityVersion: 'v1.33',
  quota: {
    requestsCpu: '4',
    requestsMemory: '8Gi',
    limitsCpu: '8',
    limitsMemory: '16Gi',
    pods: 50,
    gpus: 0,
  },
  containerDefaults: {
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    defaultLimit: { cpu: '500m', memory: '512Mi' },
  },
};

/** Each scenario has a committed fixture, `__fixtures__/<name>.yaml`, compared exactly. */
const scenarios: Record<string, NamespaceManifestsInput> = {
  'team-namespace': baseInput,
  'gpu-namespace': {
    ...baseInput,
    namespace: 'vision-training-prod',
    resourceId: 'acme/vision:training-prod',
    organization: 'acme',
    team: 'vision',
    environment: 'prod',
    groupPrefix: 'oidc:',
    podSecurityVersion: 'v1.32',
    quota: {
      requestsCpu: '16',
      requestsMemory: '64Gi',
      limitsCpu: '32',
      limitsMemory: '128Gi',
      pods: 20,
      gpus: 2,
    },
    containerDefaults: {
      defaultRequest: { cpu: '250m', memory: '256Mi' },
      defaultLimit: { cpu: '1', memory: '1Gi' },
    },
    extraLabels: {
      'cost-center': 'ML platform #42',
      'paasport.io/team': 'spoofed',
    },
  },
};

const modelsByKind: Record<string, new (data: any) => { validate(): void }> = {
  Namespace,
  ResourceQuota,
  LimitRange,
  NetworkPolicy,
  RoleBinding,
};

function validateAgainstSchema(manifest: unknown): void {
  const { kind, apiVersion, ...data } = manifest as KubernetesManifest;
  const Model = modelsByKind[kind];
  expect(Model).toBeDefined();
  const model = new Model(data);
  expect((model as unknown as KubernetesManifest).apiVersion).toBe(apiVersion);
  model.validate();
}

const fixturePath = (name: string) =>
  path.join(__dirname, '__fixtures__', `${name}.yaml`);

function fixture(name: string): string {
  return fs.readFileSync(fixturePath(name), 'utf8');
}

function byKindAndName(
  manifests: KubernetesManifest[],
  kind: string,
  name: string,
) {
  const found = manifests.find(
    m => m.kind === kind && m.metadata.name === name,
  );
  expect(found).toBeDefined();
  return found as KubernetesManifest & { spec: any };
}

describe('buildNamespaceManifests', () => {
  describe.each(Object.entries(scenarios))(
    'golden manifests: %s',
    (name, input) => {
      it('matches the committed fixture exactly', async () => {
        const yaml = manifestsToYaml(await buildNamespaceManifests(input));
        // Only on request, after a deliberate change: review the diff before committing it.
        if (process.env.UPDATE_GOLDEN_MANIFESTS === 'true') {
          fs.writeFileSync(fixturePath(name), yaml);
        }
        expect(yaml).toBe(fixture(name));
      });

      it('is valid against the Kubernetes schema, object by object', async () => {
        const documents = parseYamlDocuments(fixture(name));
        expect(documents).toHaveLength(7);
        documents.forEach(validateAgainstSchema);
      });

      it('gives the same objects every time', async () => {
        expect(await buildNamespaceManifests(input)).toEqual(
          await buildNamespaceManifests(input),
        );
      });
    },
  );

  it('rejects, in the schema check, an object the API server would refuse', () => {
    expect(() =>
      validateAgainstSchema({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'q' },
        spec: { hard: { 'requests.cpu': 'four' } },
      }),
    ).toThrow(/quantity/);
  });

  it('binds the team with a namespaced RoleBinding and never a ClusterRoleBinding', async () => {
    const manifests = await buildNamespaceManifests(baseInput);

    expect(manifests.map(m => m.kind)).not.toContain('ClusterRoleBinding');
    expect(manifests.map(m => m.kind)).not.toContain('ClusterRole');
    const bindings = manifests.filter(m => m.kind === 'RoleBinding');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]).toMatchObject({
      metadata: { namespace: 'checkout-dev' },
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'acme-checkout' }],
    });
    for (const manifest of manifests.filter(m => m.kind !== 'Namespace')) {
      expect(manifest.metadata.namespace).toBe('checkout-dev');
    }
  });

  it("binds the catalog group of the organization's team, so same-named teams of two organizations differ", async () => {
    const subjectsOf = async (input: NamespaceManifestsInput) =>
      byKindAndName(
        await buildNamespaceManifests(input),
        'RoleBinding',
        NAMESPACE_OBJECT_NAMES.teamEdit,
      ).subjects;

    const acme = await subjectsOf({ ...baseInput, groupPrefix: 'oidc:' });
    const globex = await subjectsOf({
      ...baseInput,
      organization: 'globex',
      groupPrefix: 'oidc:',
    });

    expect(acme).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'oidc:acme-checkout',
      },
    ]);
    expect(globex).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'oidc:globex-checkout',
      },
    ]);
  });

  it('denies all ingress and egress by default, then allows DNS and the namespace itself', async () => {
    const manifests = await buildNamespaceManifests(baseInput);

    const deny = byKindAndName(
      manifests,
      'NetworkPolicy',
      NAMESPACE_OBJECT_NAMES.defaultDeny,
    );
    expect(deny.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });

    const dns = byKindAndName(
      manifests,
      'NetworkPolicy',
      NAMESPACE_OBJECT_NAMES.allowDnsEgress,
    );
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.ingress).toBeUndefined();
    expect(dns.spec.egress).toEqual([
      {
        // One peer with both selectors: kube-dns pods *in* kube-system, nothing else.
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
            },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);

    const same = byKindAndName(
      manifests,
      'NetworkPolicy',
      NAMESPACE_OBJECT_NAMES.allowSameNamespace,
    );
    expect(same.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    // No policy opens anything beyond these: no ipBlock, no namespaceSelector but DNS's.
    const text = JSON.stringify(
      manifests.filter(m => m.kind === 'NetworkPolicy'),
    );
    expect(text).not.toContain('ipBlock');
    expect(text.match(/namespaceSelector/g)).toHaveLength(1);
  });

  it('pins restricted Pod Security for enforce, audit and warn', async () => {
    const [namespace] = await buildNamespaceManifests(baseInput);

    expect(namespace.kind).toBe('Namespace');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
    });
  });

  it('labels every object with the resource, organization, team and environment', async () => {
    const manifests = await buildNamespaceManifests({
      ...baseInput,
      organization: 'Acme Corp.',
      extraLabels: { 'paasport.io/resource-id': 'someone-else' },
    });

    for (const manifest of manifests) {
      expect(manifest.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'paasport',
        'paasport.io/resource-id': baseInput.resourceId,
        'paasport.io/organization': expect.stringMatching(
          /^Acme-Corp-[0-9a-f]{8}$/,
        ),
        'paasport.io/team': 'checkout',
        'paasport.io/environment': 'dev',
      });
    }
  });

  it('leaves GPUs out of the quota only when the quota does not mention them', async () => {
    const withZero = await buildNamespaceManifests(baseInput);
    const without = await buildNamespaceManifests({
      ...baseInput,
      quota: { ...baseInput.quota, gpus: undefined },
    });

    const hard = (manifests: KubernetesManifest[]) =>
      byKindAndName(
        manifests,
        'ResourceQuota',
        NAMESPACE_OBJECT_NAMES.resourceQuota,
      ).spec.hard;
    expect(hard(withZero)['requests.nvidia.com/gpu']).toBe('0');
    expect(hard(without)).not.toHaveProperty(['requests.nvidia.com/gpu']);
  });

  const quotaWith = (change: Partial<NamespaceManifestsInput['quota']>) => ({
    quota: { ...baseInput.quota, ...change },
  });

  it.each<[string, Partial<NamespaceManifestsInput>, RegExp]>([
    [
      'a namespace name that is not a DNS label',
      { namespace: 'Checkout_Dev' },
      /Namespace name 'Checkout_Dev'/,
    ],
    ['kube-system', { namespace: 'kube-system' }, /reserved for the cluster/],
    [
      'the default namespace',
      { namespace: 'default' },
      /reserved for the cluster/,
    ],
    [
      'an unpinned Pod Security version',
      { podSecurityVersion: 'latest' },
      /pin a Kubernetes minor version/,
    ],
    ['an empty team', { team: ' ' }, /no organization or team/],
    ['an empty organization', { organization: '' }, /no organization or team/],
    [
      'a negative CPU quota',
      quotaWith({ requestsCpu: '-1' }),
      /quota\.requestsCpu must be a non-negative/,
    ],
    [
      'a memory quota that is no quantity',
      quotaWith({ limitsMemory: '16 GB' }),
      /quota\.limitsMemory/,
    ],
    [
      'a fractional pod count',
      quotaWith({ pods: 2.5 }),
      /quota\.pods must be a whole number/,
    ],
    ['a negative GPU count', quotaWith({ gpus: -1 }), /quota\.gpus/],
    [
      'a default request above the default limit',
      {
        containerDefaults: {
          ...baseInput.containerDefaults,
          defaultRequest: { cpu: '2', memory: '128Mi' },
        },
      },
      /defaultRequest\.cpu \(2\) is above containerDefaults\.defaultLimit\.cpu \(500m\)/,
    ],
    [
      'a tag that would weaken Pod Security',
      { extraLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      /reserved for Kubernetes/,
    ],
    [
      'a tag key that is no label key',
      { extraLabels: { 'paasport:owner': 'x' } },
      /cannot be a Kubernetes label/,
    ],
  ])('refuses %s with a clear InputError', async (_, override, message) => {
    const result = buildNamespaceManifests({ ...baseInput, ...override });
    await expect(result).rejects.toThrow(InputError);
    await expect(result).rejects.toThrow(message);
  });

  it('throws a clear error when an object fails the schema check', async () => {
    const { ResourceQuota: Quota } = await loadKubernetesModels();
    const validate = jest
      .spyOn(Quota.prototype, 'validate')
      .mockImplementation(() => {
        throw new Error('data/spec/hard must be object');
      });
    try {
      await expect(buildNamespaceManifests(baseInput)).rejects.toThrow(
        "The generated ResourceQuota 'paasport-quota' is not a valid Kubernetes object: data/spec/hard must be object",
      );
    } finally {
      validate.mockRestore();
    }
  });
});
