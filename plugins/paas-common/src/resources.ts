import { z } from 'zod';
import { dnsLabelSchema, entityRefSchema } from './names';
import { RESOURCE_KINDS, ResourceKind } from './schemas/resourceKinds';
import { ResourceCondition } from './types';

/**
 * Where a managed resource is:
 * - `pending-approval`: policy asked for an approval; nothing is reserved or created yet;
 * - `provisioning`: quota is reserved and the reconciler is bringing it about;
 * - `ready`: the provider reported it exists and matches its spec;
 * - `failed`: the provider refused it, or gave up after retries; it still holds its quota
 *   until it is deleted, because something may exist in the cloud;
 * - `deleting`: asked to be deleted; the reconciler removes it (or lets go of it);
 * - `deleted`: gone, its quota released; kept for the history.
 * @public
 */
export const RESOURCE_PHASES = [
  'pending-approval',
  'provisioning',
  'ready',
  'failed',
  'deleting',
  'deleted',
] as const;

/** A managed resource's phase. @public */
export type ResourcePhase = (typeof RESOURCE_PHASES)[number];

/**
 * What deleting the resource in Paasport does to the real one: `delete` removes it,
 * `orphan` leaves it in place and forgets it, `protect` refuses the deletion.
 * @public
 */
export const DELETION_POLICIES = ['delete', 'orphan', 'protect'] as const;

/** A deletion policy. @public */
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** Body of `POST /organizations/:org/resources`. @public */
export const createResourceRequestSchema = z
  .object({
    team: dnsLabelSchema.describe('Team that owns the resource'),
    name: dnsLabelSchema
      .max(40)
      .describe('Name of the resource, unique per team and kind'),
    kind: z.enum(RESOURCE_KINDS as [ResourceKind, ...ResourceKind[]]),
    spec: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Settings of the kind; checked against the kind’s schema'),
    component: entityRefSchema
      .optional()
      .describe(
        'Catalog entity the resource serves, such as component:default/payments-api',
      ),
    deletionPolicy: z.enum(DELETION_POLICIES).default('delete'),
    reason: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('Why, shown to approvers when policy asks for an approval'),
  })
  .strict();

/** A validated resource request, before its spec is checked against the kind. @public */
export type CreateResourceRequest = z.output<
  typeof createResourceRequestSchema
>;

/** A resource Paasport manages: what was asked for and what the provider last reported. @public */
export interface ManagedResource {
  id: string;
  organization: string;
  team: string;
  kind: ResourceKind;
  /** The name the requester chose, unique per team and kind. */
  name: string;
  /** The deterministic name of the real resource: bucket, table, namespace. */
  externalName: string;
  /** Catalog ref of the owning team's group. */
  owner: string;
  component?: string;
  spec: Record<string, unknown>;
  phase: ResourcePhase;
  deletionPolicy: DeletionPolicy;
  /** Goes up each time the spec changes. */
  generation: number;
  /** The generation the provider last brought about; behind `generation` while working. */
  observedGeneration: number;
  conditions: ResourceCondition[];
  /** Non-secret facts from the provider: ARN, endpoint, console link. */
  outputs: Record<string, string>;
  externalId?: string;
  /** Estimated cost per month from `paas.costs.resources`, in whole currency units. */
  monthlyCost: number;
  approvalId?: string;
  /** The last error, when the phase is `failed` or a retry is pending. */
  message?: string;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What happened to a resource, in order. @public */
export interface ResourceEvent {
  id: number;
  resourceId: string;
  /** Such as `requested`, `approved`, `ready`, `retrying`, `failed`, `deleted`. */
  type: string;
  message: string;
  actor?: string;
  createdAt: string;
}

/** The longest name the real resource of each kind may have. @public */
export const EXTERNAL_NAME_LIMITS: Record<ResourceKind, number> = {
  'aws:s3-bucket': 63,
  // S3 keys may be 1024 bytes; the rest is left to the objects under the prefix.
  'aws:s3-prefix': 200,
  'aws:dynamodb-table': 255,
  // 80, less room for the `.fifo` and `-dlq` suffixes a provider may add.
  'aws:sqs-queue': 71,
  'aws:lambda-function': 64,
  'aws:rds-instance': 63,
  'kubernetes:namespace': 63,
};

/** FNV-1a, 32 bits, as 8 hex digits: short, stable and the same in browsers and Node. */
function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The deterministic name of the real resource: `<org>-<team>-<name>`, shortened with a hash
 * of the whole when the kind allows fewer characters. The same request always gets the same
 * name, which is what lets a retry find and adopt what an interrupted attempt created.
 * @public
 */
export function externalResourceName(
  kind: ResourceKind,
  organization: string,
  team: string,
  name: string,
): string {
  const full = `${organization}-${team}-${name}`.replace(/-{2,}/g, '-');
  const limit = EXTERNAL_NAME_LIMITS[kind];
  if (full.length <= limit) {
    return full;
  }
  const head = full.slice(0, limit - 9).replace(/-+$/, '');
  return `${head}-${shortHash(full)}`;
}
