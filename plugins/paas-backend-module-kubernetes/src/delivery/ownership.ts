import { InputError } from '@backstage/errors';
import {
  KubernetesManifest,
  LABEL_RESOURCE_ID,
  toLabelValue,
} from '../manifests';
import { ManifestTarget } from './types';

/** The ownership label value that marks the objects of a target. */
export function ownerOf(target: ManifestTarget): string {
  return toLabelValue(target.resourceId);
}

/** Kind and name of an object, as drift messages and conflicts name it: `Kind/name`. */
export function keyOf(manifest: {
  kind: string;
  metadata: { name: string };
}): string {
  return `${manifest.kind}/${manifest.metadata.name}`;
}

/**
 * Why an object is not the target's, for the message of a `ConflictError`; `holder` is
 * the value of its ownership label.
 */
export function describeHolder(holder?: string): string {
  return holder
    ? `it belongs to resource ${holder}`
    : 'it has no Paasport ownership label';
}

/**
 * Throws an `InputError` unless every manifest carries the target's ownership label, lies
 * in the target's namespace (a Namespace must be the target's namespace itself), and
 * appears once. Both sinks check this before they change anything.
 */
export function assertManifestsOfTarget(
  target: ManifestTarget,
  manifests: readonly KubernetesManifest[],
): void {
  const owner = ownerOf(target);
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const what = `${manifest.kind} '${manifest.metadata.name}'`;
    if (manifest.metadata.labels?.[LABEL_RESOURCE_ID] !== owner) {
      throw new InputError(
        `${what} lacks the ownership label ${LABEL_RESOURCE_ID}=${owner}`,
      );
    }
    const inTarget =
      manifest.kind === 'Namespace'
        ? manifest.metadata.name === target.namespace
        : manifest.metadata.namespace === target.namespace;
    if (!inTarget) {
      throw new InputError(`${what} is not in namespace ${target.namespace}`);
    }
    if (seen.has(keyOf(manifest))) {
      throw new InputError(`${what} appears twice`);
    }
    seen.add(keyOf(manifest));
  }
}

/**
 * What a commit or a log line says the objects are: `namespace checkout-dev` when they
 * include the namespace, otherwise the objects and their namespace.
 */
export function describeObjects(
  target: ManifestTarget,
  manifests: readonly KubernetesManifest[],
): string {
  if (manifests.some(m => m.kind === 'Namespace')) {
    return `namespace ${target.namespace}`;
  }
  const objects = manifests.map(m => `${m.kind} ${m.metadata.name}`);
  return `${objects.join(', ') || 'no objects'} in namespace ${
    target.namespace
  }`;
}
