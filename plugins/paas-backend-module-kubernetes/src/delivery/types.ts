import { ResourceCondition } from '@paasport/plugin-paas-common';
import { KubernetesManifest } from '../manifests';

/**
 * Where one resource's manifests go: one namespace on one cluster. Several targets may share
 * a namespace (a namespace resource and the workloads in it); the resource id keeps their
 * objects apart.
 * @public
 */
export interface ManifestTarget {
  /**
   * Paasport's id of the resource. A sink only changes or removes objects that carry this
   * id in their ownership label, and refuses to overwrite others with a `ConflictError`.
   */
  resourceId: string;
  cluster: string;
  namespace: string;
}

/** The manifests a sink holds for a target, as it reads them back. @public */
export interface DeliveredManifests {
  manifests: KubernetesManifest[];
  /** The version that holds them, such as a commit id; stable while nothing changes. */
  revision: string;
  /** True when the call that returned this changed anything; false for reads. */
  changed: boolean;
  /** Non-secret facts worth showing on the resource, such as the path in the repository. */
  outputs: Record<string, string>;
  /** How far the delivery got, such as `Committed`. */
  conditions: ResourceCondition[];
}

/**
 * Delivers the manifests of a resource to a cluster: by committing them to a GitOps
 * repository, or by server-side apply to the cluster's API. Every method is idempotent and
 * safe to call again after a crash.
 * @public
 */
export interface ManifestSink {
  /** Short id for logs and outputs, such as `gitops` or `direct`. */
  readonly id: string;
  /**
   * Reads what is delivered for the target, its own objects only; undefined when there are
   * none. Throws a `ConflictError` when one of `expected` (the objects the target would
   * deliver) is taken by an object that is not the target's, as `apply` would.
   */
  observe(
    target: ManifestTarget,
    expected?: readonly KubernetesManifest[],
  ): Promise<DeliveredManifests | undefined>;
  /**
   * Makes the target's delivered set exactly `manifests`: writes new and changed objects
   * and removes objects of the target that are no longer in the set. Objects of other
   * targets in the same namespace stay as they are.
   */
  apply(
    target: ManifestTarget,
    manifests: readonly KubernetesManifest[],
  ): Promise<DeliveredManifests>;
  /**
   * Removes the target's objects; succeeds when none are left. A target that owns its
   * Namespace removes it, and with it everything in it, so this throws a `ConflictError`
   * while other resources still have objects there.
   */
  remove(target: ManifestTarget): Promise<void>;
}
