import {
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
} from '@paasport/plugin-paas-common';

/**
 * What a provider is asked to bring about: one managed resource as Paasport records it.
 * @public
 */
export interface DesiredResource<K extends ResourceKind = ResourceKind> {
  /** Paasport's id of the resource; providers write it into an ownership tag or label. */
  id: string;
  kind: K;
  /**
   * The deterministic external name (bucket name, table name, namespace). A retry uses the
   * same name, so a provider can find and adopt what an interrupted attempt created.
   */
  name: string;
  organization: string;
  /** Catalog entity ref of the owning team. */
  owner: string;
  spec: ResourceSpec<K>;
  /** Tags or labels every object of this resource carries. */
  tags: Record<string, string>;
}

/** What a provider found or made. @public */
export interface ObservedResource {
  /** `ready` when the resource exists and matches the spec. */
  state: 'ready' | 'pending' | 'failed';
  /** Provider id of the object, such as an ARN. */
  externalId?: string;
  /** Non-secret values worth showing: endpoint, console link, region. */
  outputs?: Record<string, string>;
  conditions?: ResourceCondition[];
}

/**
 * Creates, observes and deletes resources of some kinds. Every method must be idempotent:
 * the reconciler calls them again after a crash, a timeout or a restart.
 * @public
 */
export interface PaasResourceProvider {
  /** Short id used in logs and conditions, such as `aws` or `kubernetes`. */
  readonly id: string;
  /** The kinds this provider handles. */
  readonly kinds: readonly ResourceKind[];
  /**
   * Reads what exists under the resource's name. Undefined when nothing does. Throws a
   * `ConflictError` when the name is taken by an object without Paasport's ownership tag.
   */
  observe(resource: DesiredResource): Promise<ObservedResource | undefined>;
  /** Creates the resource or brings it to the spec; adopts an object Paasport owns. */
  apply(resource: DesiredResource): Promise<ObservedResource>;
  /** Deletes the resource; succeeds when it is already gone. */
  delete(resource: DesiredResource): Promise<void>;
  /**
   * Optional: refuses a request that `apply` would always refuse, such as a setting this
   * installation does not allow, with an `InputError` (400) or `NotAllowedError` (403).
   * Called when the request comes in, before anything is recorded; makes no cloud call.
   */
  validate?(resource: DesiredResource): void | Promise<void>;
}
