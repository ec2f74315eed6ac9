import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';

/** Tag that names the Paasport resource a cloud object belongs to. @public */
export const PAASPORT_RESOURCE_ID_TAG = 'paasport.io/resource-id';

/**
 * The resource's tags plus the ownership tag, sorted by key. The ownership tag always wins,
 * so a resource cannot claim another's id through its own tags.
 */
export function desiredTags(
  resourceId: string,
  tags: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...tags, [PAASPORT_RESOURCE_ID_TAG]: resourceId }).sort(
      ([a], [b]) => (a < b ? -1 : 1),
    ),
  );
}

/** The entries of `desired` that `current` lacks or holds with another value. */
export function tagsToAdd(
  desired: Record<string, string>,
  current: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(desired).filter(([key, value]) => current[key] !== value),
  );
}

/** A `Key`/`Value` list, as most AWS APIs take tags, turned into a record. */
export function tagRecord(
  tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']),
  );
}

/** A record turned into the `Key`/`Value` list most AWS APIs take. */
export function tagList(
  tags: Record<string, string>,
): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Throws a `ConflictError` unless the object's tags name this resource as its owner.
 * `target` names the object for the message, such as `DynamoDB table orders`.
 */
export function assertOwnedBy(
  tags: Record<string, string>,
  resourceId: string,
  target: string,
  logger?: LoggerService,
): void {
  const owner = tags[PAASPORT_RESOURCE_ID_TAG];
  if (owner === resourceId) {
    return;
  }
  if (owner !== undefined) {
    // The other id goes to the operator's log only, not to the caller.
    logger?.warn(`${target} belongs to another Paasport resource`, {
      target,
      resourceId,
      ownerResourceId: owner,
    });
    throw new ConflictError(
      `${target} belongs to another Paasport resource; Paasport will not modify it`,
    );
  }
  throw new ConflictError(
    `${target} already exists without the ${PAASPORT_RESOURCE_ID_TAG} tag: it was not created by Paasport, which will not adopt it`,
  );
}

/** The `Owned` condition of an object whose ownership tag names the resource. */
export const OWNED_BY_TAG = {
  type: 'Owned',
  status: 'True',
  reason: 'OwnershipTagMatches',
  message: `The ${PAASPORT_RESOURCE_ID_TAG} tag names this resource`,
} as const;

/** The `Owned` condition of an object this very call created. */
export const OWNED_BY_CREATION = {
  type: 'Owned',
  status: 'True',
  reason: 'CreatedByThisApply',
  message: `Created by this apply, with the ${PAASPORT_RESOURCE_ID_TAG} tag`,
} as const;
