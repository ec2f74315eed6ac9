import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { ResourceCondition } from '@paasport/plugin-paas-common';
import { KubernetesManifest, LABEL_RESOURCE_ID } from '../manifests';
import {
  KubernetesApiClient,
  KubernetesClusterConnection,
  KubernetesObject,
} from './KubernetesApiClient';
import {
  collectionPath,
  KubernetesResourceType,
  NAMESPACE_TYPE,
  NAMESPACED_TYPES,
  objectPath,
  resourceTypeOf,
} from './kubernetesResources';
import {
  appliedManifestOf,
  FIELD_MANAGER,
  withAppliedRecord,
} from './managedFields';
import {
  assertManifestsOfTarget,
  describeHolder,
  describeObjects,
  keyOf,
  ownerOf,
} from './ownership';
import { DeliveredManifests, ManifestSink, ManifestTarget } from './types';

/** Options of {@link DirectApplyManifestSink}. @public */
export interface DirectApplyManifestSinkOptions {
  /** The clusters Paasport may apply to, by the names targets use. */
  clusters: readonly KubernetesClusterConnection[];
  logger?: LoggerService;
  /** How long to wait for an API server's answer. Defaults to 30 seconds. */
  requestTimeoutMs?: number;
}

/** The target's objects on the cluster, and its namespace as found (anyone's). */
interface Inventory {
  namespace?: KubernetesObject;
  /** True while the namespace terminates: everything in it is on its way out. */
  terminating: boolean;
  ours: Map<string, KubernetesObject>;
}

function withType(
  object: KubernetesObject,
  type: KubernetesResourceType,
): KubernetesObject {
  return { ...object, apiVersion: type.apiVersion, kind: type.kind };
}

function pathOf(manifest: KubernetesManifest): string {
  return objectPath(
    resourceTypeOf(manifest),
    manifest.metadata.name,
    manifest.metadata.namespace,
  );
}

function objectName(manifest: KubernetesManifest): string {
  const { name, namespace } = manifest.metadata;
  return `${manifest.kind} ${namespace ? `${namespace}/${name}` : name}`;
}

function isBeingDeleted(object: KubernetesObject): boolean {
  return Boolean(object.metadata.deletionTimestamp);
}

/** Stable while no object changes: the resource versions of all of them. */
function revisionOf(objects: readonly KubernetesObject[]): string {
  const versions = objects
    .map(o => `${keyOf(o)}@${o.metadata.resourceVersion ?? ''}`)
    .sort();
  return createHash('sha256')
    .update(versions.join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Delivers manifests straight to each cluster's API server with server-side apply, as field
 * manager `paasport`. An object is Paasport's when it carries the target's resource id in
 * its ownership label; objects without it are never changed or deleted.
 * @public
 */
export class DirectApplyManifestSink implements ManifestSink {
  readonly id = 'direct';
  private readonly clients: Map<string, KubernetesApiClient>;
  private readonly logger?: LoggerService;

  constructor(options: DirectApplyManifestSinkOptions) {
    this.clients = new Map(
      options.clusters.map(cluster => [
        cluster.name,
        new KubernetesApiClient(cluster, options.requestTimeoutMs),
      ]),
    );
    this.logger = options.logger;
  }

  async observe(
    target: ManifestTarget,
    expected: readonly KubernetesManifest[] = [],
  ): Promise<DeliveredManifests | undefined> {
    const client = this.clientFor(target);
    const inventory = await this.inventory(client, target);
    await this.assertFree(client, target, inventory, expected, false);
    const present = inventory.terminating
      ? []
      : [...inventory.ours.values()].filter(o => !isBeingDeleted(o));
    if (present.length === 0) {
      return undefined;
    }
    return this.delivered(present.map(appliedManifestOf), present, false, {
      type: 'Applied',
      status: 'True',
      reason: 'FoundOnCluster',
      message: `${present.length} objects of the resource are on cluster ${target.cluster}`,
    });
  }

  async apply(
    target: ManifestTarget,
    manifests: readonly KubernetesManifest[],
  ): Promise<DeliveredManifests> {
    assertManifestsOfTarget(target, manifests);
    manifests.forEach(resourceTypeOf);
    const client = this.clientFor(target);
    // Everything is read and checked before the first change: a refused apply changes nothing.
    const inventory = await this.inventory(client, target);
    await this.assertFree(client, target, inventory, manifests, true);

    // The Namespace first: nothing can be created in a namespace that does not exist yet.
    const ordered = [...manifests].sort(
      (a, b) =>
        Number(resourceTypeOf(a).namespaced) -
        Number(resourceTypeOf(b).namespaced),
    );
    const applied: KubernetesObject[] = [];
    let changed = false;
    for (const manifest of ordered) {
      const before = inventory.ours.get(keyOf(manifest));
      // force: Paasport has just checked that the object is its own, and its spec wins
      // over anyone who changed fields Paasport applied (a team member with `edit` who
      // loosened a NetworkPolicy), as a GitOps controller's self-heal would do. Without it
      // such a change makes every later apply fail with a conflict until someone steps in.
      const after = await client.apply(
        pathOf(manifest),
        withAppliedRecord(manifest),
        { fieldManager: FIELD_MANAGER, force: true },
        objectName(manifest),
      );
      applied.push(withType(after, resourceTypeOf(manifest)));
      changed ||=
        after.metadata.resourceVersion !== before?.metadata.resourceVersion;
    }

    // Objects that left the set go after the new ones are in place, so that replacing one
    // never leaves a gap. Never the Namespace: the objects just applied are in it.
    const wanted = new Set(manifests.map(keyOf));
    for (const [key, object] of inventory.ours) {
      if (
        wanted.has(key) ||
        object.kind === NAMESPACE_TYPE.kind ||
        isBeingDeleted(object)
      ) {
        continue;
      }
      await client.delete(pathOf(object), objectName(object));
      changed = true;
    }

    if (changed) {
      this.logger?.info(
        `Applied ${describeObjects(target, manifests)} to cluster ${
          target.cluster
        }`,
        { resourceId: target.resourceId },
      );
    }
    return this.delivered(
      manifests.map(m => structuredClone(m)),
      applied,
      changed,
      {
        type: 'Applied',
        status: 'True',
        reason: 'ServerSideApplied',
        message: `${manifests.length} objects applied to cluster ${target.cluster} with server-side apply as field manager ${FIELD_MANAGER}`,
      },
    );
  }

  async remove(target: ManifestTarget): Promise<void> {
    const client = this.clientFor(target);
    const inventory = await this.inventory(client, target);
    if (inventory.terminating) {
      return;
    }
    const namespace = inventory.ours.get(
      keyOf({
        kind: NAMESPACE_TYPE.kind,
        metadata: { name: target.namespace },
      }),
    );
    if (namespace) {
      // Only the Namespace: Kubernetes removes what is in it. Deleting the quota and the
      // network policies first would lift the limits and the isolation from pods that
      // still run while the namespace terminates.
      await this.assertNoOtherResources(client, target);
      await client.delete(pathOf(namespace), objectName(namespace));
      this.logger?.info(
        `Deleted namespace ${target.namespace} on cluster ${target.cluster}`,
        { resourceId: target.resourceId },
      );
      return;
    }
    for (const object of inventory.ours.values()) {
      if (!isBeingDeleted(object)) {
        await client.delete(pathOf(object), objectName(object));
        this.logger?.info(
          `Deleted ${objectName(object)} on cluster ${target.cluster}`,
          { resourceId: target.resourceId },
        );
      }
    }
  }

  private clientFor(target: ManifestTarget): KubernetesApiClient {
    const client = this.clients.get(target.cluster);
    if (!client) {
      throw new InputError(
        `Cluster '${target.cluster}' is not configured under paas.kubernetes.clusters`,
      );
    }
    return client;
  }

  /** The target's namespace and the target's objects, by kind and name. */
  private async inventory(
    client: KubernetesApiClient,
    target: ManifestTarget,
  ): Promise<Inventory> {
    const owner = ownerOf(target);
    const namespace = await client.get(
      objectPath(NAMESPACE_TYPE, target.namespace),
      `Namespace ${target.namespace}`,
    );
    const ours = new Map<string, KubernetesObject>();
    if (!namespace) {
      return { ours, terminating: false };
    }
    const typedNamespace = withType(namespace, NAMESPACE_TYPE);
    if (namespace.metadata.labels?.[LABEL_RESOURCE_ID] === owner) {
      ours.set(keyOf(typedNamespace), typedNamespace);
    }
    const lists = await Promise.all(
      NAMESPACED_TYPES.map(async type =>
        (
          await client.list(
            collectionPath(type, target.namespace),
            `${LABEL_RESOURCE_ID}=${owner}`,
            `the ${type.kind} objects of resource ${target.resourceId} in namespace ${target.namespace}`,
          )
        ).map(item => withType(item, type)),
      ),
    );
    for (const object of lists.flat()) {
      ours.set(keyOf(object), object);
    }
    return {
      namespace: typedNamespace,
      terminating: isBeingDeleted(namespace),
      ours,
    };
  }

  /**
   * Throws a `ConflictError` when one of `manifests` exists on the cluster without the
   * target's ownership label, or, with `forApply`, is still being deleted (or its
   * namespace is).
   */
  private async assertFree(
    client: KubernetesApiClient,
    target: ManifestTarget,
    inventory: Inventory,
    manifests: readonly KubernetesManifest[],
    forApply: boolean,
  ): Promise<void> {
    const owner = ownerOf(target);
    if (forApply && inventory.terminating && manifests.length > 0) {
      throw new ConflictError(
        `Namespace ${target.namespace} on cluster ${target.cluster} is being deleted; apply again once it is gone`,
      );
    }
    for (const manifest of manifests) {
      let live = inventory.ours.get(keyOf(manifest));
      if (!live && manifest.kind === NAMESPACE_TYPE.kind) {
        live = inventory.namespace;
      } else if (!live && inventory.namespace) {
        // Not among the target's objects: read it to see whether another holds the name.
        live = await client.get(pathOf(manifest), objectName(manifest));
      }
      if (!live) {
        continue;
      }
      const holder = live.metadata.labels?.[LABEL_RESOURCE_ID];
      if (holder !== owner) {
        throw new ConflictError(
          `${objectName(manifest)} on cluster ${
            target.cluster
          } is not managed by Paasport resource ${
            target.resourceId
          } (${describeHolder(holder)}); Paasport leaves it alone`,
        );
      }
      if (forApply && isBeingDeleted(live)) {
        throw new ConflictError(
          `${objectName(manifest)} on cluster ${
            target.cluster
          } is being deleted; apply again once it is gone`,
        );
      }
    }
  }

  /**
   * Deleting a Namespace deletes everything in it, so the resource that owns it may only
   * delete it once no other Paasport resource has objects there.
   */
  private async assertNoOtherResources(
    client: KubernetesApiClient,
    target: ManifestTarget,
  ): Promise<void> {
    const owner = ownerOf(target);
    const lists = await Promise.all(
      NAMESPACED_TYPES.map(async type =>
        (
          await client.list(
            collectionPath(type, target.namespace),
            `${LABEL_RESOURCE_ID},${LABEL_RESOURCE_ID}!=${owner}`,
            `the ${type.kind} objects of other resources in namespace ${target.namespace}`,
          )
        ).map(item => withType(item, type)),
      ),
    );
    const others = lists.flat().filter(o => !isBeingDeleted(o));
    if (others.length > 0) {
      const listed = others
        .map(
          o =>
            `${keyOf(o)} (resource ${o.metadata.labels?.[LABEL_RESOURCE_ID]})`,
        )
        .join(', ');
      throw new ConflictError(
        `Namespace ${target.namespace} on cluster ${target.cluster} still holds objects of other Paasport resources: ${listed}; remove them before the namespace`,
      );
    }
  }

  private delivered(
    manifests: KubernetesManifest[],
    objects: readonly KubernetesObject[],
    changed: boolean,
    applied: ResourceCondition,
  ): DeliveredManifests {
    return {
      manifests,
      revision: revisionOf(objects),
      changed,
      outputs: {},
      conditions: [applied],
    };
  }
}
