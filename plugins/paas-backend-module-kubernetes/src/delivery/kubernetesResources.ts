import { InputError } from '@backstage/errors';
import { KubernetesManifest } from '../manifests';

/** Where the API server serves one kind of object. */
export interface KubernetesResourceType {
  apiVersion: string;
  kind: string;
  /** The resource name in URL paths, such as `networkpolicies`. */
  plural: string;
  namespaced: boolean;
}

/** The Namespace type: the one cluster-scoped kind Paasport writes. */
export const NAMESPACE_TYPE: KubernetesResourceType = {
  apiVersion: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
};

/**
 * The namespaced kinds the manifest builders produce. A fixed table rather than API
 * discovery: these are the only kinds Paasport reads, writes and deletes, so a target can
 * never reach beyond them, and there is no discovery request before every operation.
 */
export const NAMESPACED_TYPES: readonly KubernetesResourceType[] = [
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
  },
  {
    apiVersion: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  },
];

const ALL_TYPES = [NAMESPACE_TYPE, ...NAMESPACED_TYPES];

/** The type of a manifest; an `InputError` for a kind Paasport does not deliver directly. */
export function resourceTypeOf(
  manifest: KubernetesManifest,
): KubernetesResourceType {
  const type = ALL_TYPES.find(
    t => t.kind === manifest.kind && t.apiVersion === manifest.apiVersion,
  );
  if (!type) {
    throw new InputError(
      `${manifest.apiVersion} ${manifest.kind} '${manifest.metadata.name}' is not a kind Paasport applies to clusters`,
    );
  }
  return type;
}

function groupPath(type: KubernetesResourceType): string {
  return type.apiVersion === 'v1' ? '/api/v1' : `/apis/${type.apiVersion}`;
}

/** Path of the objects of a type, in `namespace` when the type is namespaced. */
export function collectionPath(
  type: KubernetesResourceType,
  namespace?: string,
): string {
  const scope =
    type.namespaced && namespace
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${groupPath(type)}${scope}/${type.plural}`;
}

/** Path of one object. */
export function objectPath(
  type: KubernetesResourceType,
  name: string,
  namespace?: string,
): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
}
