import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ConditionTransformer } from '@backstage/plugin-permission-node';
import { CallContext } from './CallContext';

/** What a list may show: everything, nothing, or what matches criteria (applied in SQL). */
export type Visibility<TQuery> =
  | { type: 'all' }
  | { type: 'none' }
  | { type: 'filter'; criteria: PermissionCriteria<TQuery> };

/** Whether the caller holds a resource permission on one resource. */
export async function isAllowed(
  permissions: PermissionsService,
  permission: ResourcePermission,
  resourceRef: string,
  ctx: CallContext,
): Promise<boolean> {
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef }],
    { credentials: ctx.credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}

/** Which resources of a list the caller may see with a read permission. */
export async function visibilityOf<TQuery>(
  permissions: PermissionsService,
  permission: ResourcePermission,
  toQuery: ConditionTransformer<TQuery>,
  ctx: CallContext,
): Promise<Visibility<TQuery>> {
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials: ctx.credentials,
  });
  if (decision.result === AuthorizeResult.ALLOW) {
    return { type: 'all' };
  }
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return { type: 'none' };
  }
  return { type: 'filter', criteria: toQuery(decision.conditions) };
}
