import { InputError } from '@backstage/errors';
import { teamGroupName as paasTeamGroupName } from '@paasport/plugin-paas-common';
import { loadKubernetesModels } from './kubernetesModels';
import {
  assertUserLabelKey,
  isDnsLabel,
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_ORGANIZATION,
  LABEL_RESOURCE_ID,
  LABEL_TEAM,
  MANAGED_BY_PAASPORT,
  toLabelValue,
  withExtraLabels,
} from './labels';
import { assertCount, parseQuantity } from './quantity';
import {
  ContainerDefaults,
  KubernetesManifest,
  NamespaceManifestsInput,
  NamespaceQuota,
} from './types';
import { validated } from './validated';

/** Names of the objects Paasport puts into every team namespace. @public */
export const NAMESPACE_OBJECT_NAMES = {
  resourceQuota: 'paasport-quota',
  limitRange: 'paasport-container-defaults',
  defaultDeny: 'paasport-default-deny',
  allowDnsEgress: 'paasport-allow-dns-egress',
  allowSameNamespace: 'paasport-allow-same-namespace',
  teamEdit: 'paasport-team-edit',
} as const;

/** Extended resource name of NVIDIA GPUs, as the device plugin advertises them. */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

const POD_SECURITY_LEVEL = 'restricted';
const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;
const PINNED_VERSION = /^v1\.\d+$/;

/**
 * Checks a quota: non-negative quantities and counts. Error messages name fields as
 * `<prefix>.<field>`, so the same check serves config and builder input.
 */
export function assertNamespaceQuota(
  quota: NamespaceQuota,
  prefix: string,
): void {
  parseQuantity(`${prefix}.requestsCpu`, quota.requestsCpu);
  parseQuantity(`${prefix}.requestsMemory`, quota.requestsMemory);
  parseQuantity(`${prefix}.limitsCpu`, quota.limitsCpu);
  parseQuantity(`${prefix}.limitsMemory`, quota.limitsMemory);
  assertCount(`${prefix}.pods`, quota.pods);
  if (quota.gpus !== undefined) {
    assertCount(`${prefix}.gpus`, quota.gpus);
  }
}

/**
 * Checks container defaults: quantities, and no default request above its default limit.
 * The API server refuses such a LimitRange; with GitOps that refusal would only show in
 * the GitOps controller, long after Paasport reported success, so it is caught here.
 */
export function assertContainerDefaults(
  defaults: ContainerDefaults,
  prefix: string,
): void {
  for (const resource of ['cpu', 'memory'] as const) {
    const request = defaults.defaultRequest[resource];
    const limit = defaults.defaultLimit[resource];
    if (
      parseQuantity(`${prefix}.defaultRequest.${resource}`, request) >
      parseQuantity(`${prefix}.defaultLimit.${resource}`, limit)
    ) {
      throw new InputError(
        `${prefix}.defaultRequest.${resource} (${request}) is above ${prefix}.defaultLimit.${resource} (${limit})`,
      );
    }
  }
}

/** Throws an `InputError` unless `version` pins a Kubernetes minor version, like `v1.33`. */
export function assertPodSecurityVersion(version: string, field: string): void {
  if (!PINNED_VERSION.test(version)) {
    throw new InputError(
      `${field} must pin a Kubernetes minor version such as v1.33; got '${version}'`,
    );
  }
}

/**
 * Throws an `InputError` unless `namespace` may hold a tenant's objects: a DNS label, and
 * neither `default` nor one of the cluster's own `kube-*` namespaces.
 */
export function assertTenantNamespace(namespace: string): void {
  if (!isDnsLabel(namespace)) {
    throw new InputError(
      `Namespace name '${namespace}' must be at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    );
  }
  if (namespace === 'default' || namespace.startsWith('kube-')) {
    throw new InputError(
      `Namespace name '${namespace}' is reserved for the cluster itself`,
    );
  }
}

function checkInput(input: NamespaceManifestsInput): void {
  assertTenantNamespace(input.namespace);
  assertPodSecurityVersion(
    input.podSecurityVersion,
    'The Pod Security version',
  );
  if (!input.organization.trim() || !input.team.trim()) {
    throw new InputError(
      'The namespace names no organization or team to bind its group',
    );
  }
  assertNamespaceQuota(input.quota, 'quota');
  assertContainerDefaults(input.containerDefaults, 'containerDefaults');
  for (const key of Object.keys(input.extraLabels ?? {})) {
    assertUserLabelKey(key);
  }
}

function commonLabels(input: NamespaceManifestsInput): Record<string, string> {
  return withExtraLabels(
    {
      [LABEL_MANAGED_BY]: MANAGED_BY_PAASPORT,
      [LABEL_RESOURCE_ID]: toLabelValue(input.resourceId),
      [LABEL_ORGANIZATION]: toLabelValue(input.organization),
      [LABEL_TEAM]: toLabelValue(input.team),
      [LABEL_ENVIRONMENT]: toLabelValue(input.environment),
    },
    input.extraLabels,
  );
}

/** The Kubernetes group of the namespace's team: its catalog group name, prefixed. */
function teamGroupName(input: NamespaceManifestsInput): string {
  return `${input.groupPrefix ?? ''}${paasTeamGroupName(
    input.organization,
    input.team,
  )}`;
}

function podSecurityLabels(version: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of POD_SECURITY_MODES) {
    labels[`pod-security.kubernetes.io/${mode}`] = POD_SECURITY_LEVEL;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return labels;
}

/**
 * Builds every object a team namespace needs, validated against the Kubernetes schema:
 * the Namespace with pinned `restricted` Pod Security labels, a ResourceQuota, a LimitRange
 * with container defaults, default-deny NetworkPolicies with DNS and same-namespace
 * exceptions, and a RoleBinding of the `edit` ClusterRole to the team's group,
 * `<groupPrefix><organization>-<team>`.
 *
 * Deterministic: the same input gives the same objects, in the same order. Asynchronous
 * only because the model classes are loaded on first use. Throws an `InputError` when the
 * input would give an object the API server would refuse.
 *
 * @public
 */
export async function buildNamespaceManifests(
  input: NamespaceManifestsInput,
): Promise<KubernetesManifest[]> {
  checkInput(input);
  const { Namespace, ResourceQuota, LimitRange, NetworkPolicy, RoleBinding } =
    await loadKubernetesModels();
  const { namespace, quota, containerDefaults } = input;
  const labels = commonLabels(input);
  const meta = (name: string) => ({ name, namespace, labels: { ...labels } });
  const names = NAMESPACE_OBJECT_NAMES;

  const hard: Record<string, string> = {
    'requests.cpu': quota.requestsCpu,
    'requests.memory': quota.requestsMemory,
    'limits.cpu': quota.limitsCpu,
    'limits.memory': quota.limitsMemory,
    pods: String(quota.pods),
  };
  if (quota.gpus !== undefined) {
    // Extended resources can only be limited by their requests in a quota.
    hard[`requests.${NVIDIA_GPU_RESOURCE}`] = String(quota.gpus);
  }

  return [
    validated(
      new Namespace({
        metadata: {
          name: namespace,
          labels: { ...labels, ...podSecurityLabels(input.podSecurityVersion) },
        },
      }),
      `Namespace '${namespace}'`,
    ),
    validated(
      new ResourceQuota({
        metadata: meta(names.resourceQuota),
        spec: { hard },
      }),
      `ResourceQuota '${names.resourceQuota}'`,
    ),
    validated(
      new LimitRange({
        metadata: meta(names.limitRange),
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: { ...containerDefaults.defaultRequest },
              default: { ...containerDefaults.defaultLimit },
            },
          ],
        },
      }),
      `LimitRange '${names.limitRange}'`,
    ),
    validated(
      new NetworkPolicy({
        metadata: meta(names.defaultDeny),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
      `NetworkPolicy '${names.defaultDeny}'`,
    ),
    validated(
      new NetworkPolicy({
        metadata: meta(names.allowDnsEgress),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': 'kube-system',
                    },
                  },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      }),
      `NetworkPolicy '${names.allowDnsEgress}'`,
    ),
    validated(
      new NetworkPolicy({
        metadata: meta(names.allowSameNamespace),
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: {} }] }],
          egress: [{ to: [{ podSelector: {} }] }],
        },
      }),
      `NetworkPolicy '${names.allowSameNamespace}'`,
    ),
    validated(
      new RoleBinding({
        metadata: meta(names.teamEdit),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'edit',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: teamGroupName(input),
          },
        ],
      }),
      `RoleBinding '${names.teamEdit}'`,
    ),
  ];
}
