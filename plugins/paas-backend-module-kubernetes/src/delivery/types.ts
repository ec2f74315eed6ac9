import { ResourceCondition } from '@paasport/plugin-paas-common';
import { KubernetesManifest } from '../manifests';

/** Where one resource's manifests go: one namespace on one cluster. @public */
export interface ManifestTarget {
  /**
   * Paasport's id of the resource. A sink only changes or removes manifests that carry
   * this id in their ownership label, and refuses others with a `ConflictError`.
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
 * repository, or (later) by server-side apply. Every method is idempotent and safe to call
 * again after a crash.
 * @public
 */
export interface ManifestSink {
  /** Short id for logs and outputs, such as `gitops`. */
  readonly id: string;
  /** Reads what is delivered for the target; undefined when nothing is. */
  observe(target: ManifestTarget): Promise<DeliveredManifests | undefined>;
  /**
   * Makes the delivered set exactly `manifests`: writes new and changed objects and
   * removes objects of the target that are no longer in the set.
   */
  apply(
    target: ManifestTarget,
    manifests: readonly KubernetesManifest[],
  ): Promise<DeliveredManifests>;
  /** Removes everything delivered for the target; succeeds when nothing is left. */
  remove(target: ManifestTarget): Promise<void>;
}
