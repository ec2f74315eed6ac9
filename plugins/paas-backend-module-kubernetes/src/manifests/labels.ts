import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';

/** Label naming the Paasport resource an object belongs to; Paasport's ownership mark. */
export const LABEL_RESOURCE_ID = 'paasport.io/resource-id';
/** Label with the organization that owns the resource. */
export const LABEL_ORGANIZATION = 'paasport.io/organization';
/** Label with the team that owns the namespace. */
export const LABEL_TEAM = 'paasport.io/team';
/** Label with the environment of the namespace, such as `dev` or `prod`. */
export const LABEL_ENVIRONMENT = 'paasport.io/environment';
/** The well-known label that tells tools which controller manages an object. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** Value of {@link LABEL_MANAGED_BY} on everything Paasport generates. */
export const MANAGED_BY_PAASPORT = 'paasport';
/** The well-known label with the name of an application: a workload's name. */
export const LABEL_APP_NAME = 'app.kubernetes.io/name';
/**
 * Node label naming the GPU model of a node, such as `nvidia-a100`: Paasport's GPU types.
 * Cluster administrators put it on GPU nodes; workloads that ask for a type select on it.
 */
export const NODE_LABEL_GPU_TYPE = 'paasport.io/gpu-type';

const MAX_LABEL_VALUE = 63;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** True if `value` may be used as a label value as it is. */
export function isLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL_VALUE && LABEL_VALUE.test(value);
}

/**
 * Turns any string into a valid label value. Valid values are kept as they are; anything
 * else is cleaned up, shortened and suffixed with a hash of the original, so that two
 * different inputs do not end up with the same label (which ownership checks rely on).
 */
export function toLabelValue(value: string): string {
  if (isLabelValue(value)) {
    return value;
  }
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const cleaned = value
    .replace(/[^-A-Za-z0-9_.]+/g, '-')
    .slice(0, MAX_LABEL_VALUE - hash.length - 1)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned ? `${cleaned}-${hash}` : hash;
}

/** True if `name` is a valid RFC 1123 label: the rule for namespace names. */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/**
 * Checks that a key may be used as a label key: an optional DNS subdomain prefix and a
 * name. Keys under `kubernetes.io` and `k8s.io` are refused, as Kubernetes reserves them
 * and some carry meaning (Pod Security Admission levels, namespace names in selectors).
 */
export function assertUserLabelKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const validPrefix =
    prefix === undefined ||
    (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!validPrefix || name.length > 63 || !LABEL_NAME.test(name)) {
    throw new InputError(
      `Tag '${key}' cannot be a Kubernetes label: keys are an optional DNS prefix and '/' followed by at most 63 letters, digits, '-', '_' or '.'`,
    );
  }
  if (prefix && /(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix)) {
    throw new InputError(
      `Tag '${key}' uses a label prefix reserved for Kubernetes`,
    );
  }
}

/**
 * Paasport's own labels followed by `extra` (a resource's tags) in key order, values made
 * valid. Tags never replace Paasport's labels: a resource cannot claim another resource's
 * id or team through its tags.
 */
export function withExtraLabels(
  own: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const labels = { ...own };
  // Keys of an object are unique, so the order never needs a tie.
  const tags = Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, value] of tags) {
    if (!Object.hasOwn(labels, key)) {
      labels[key] = toLabelValue(value);
    }
  }
  return labels;
}
