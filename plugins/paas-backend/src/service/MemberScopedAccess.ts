import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
  PermissionRule,
} from '@backstage/plugin-permission-node';
import {
  paasDeploymentReadPermission,
  paasResourceReadPermission,
  RESOURCE_TYPE_PAAS_DEPLOYMENT,
  RESOURCE_TYPE_PAAS_RESOURCE,
} from '@paasport/plugin-paas-common';
import {
  MemberScopedQuery,
  MemberScopedResource,
  paasDeploymentRules,
  paasResourceRules,
} from '@paasport/plugin-paas-node';
import { CallContext } from './CallContext';
import { isAllowed, Visibility, visibilityOf } from './permissionChecks';

/** Which rows of a member-scoped list the caller may see. */
export type MemberScopedVisibility = Visibility<MemberScopedQuery>;

/**
 * Authorization of what is done to one deployment or one managed resource: resource types
 * whose rules look at the organization's members and at who asked for the row.
 */
export interface MemberScopedAccess<TResourceType extends string> {
  /**
   * Throws NotFoundError when the caller may not see the row, and NotAllowedError with
   * `refusal` when they may see it but not do `permission` to it.
   */
  require(
    row: { id: string; organization: string; createdBy: string },
    permission: ResourcePermission<TResourceType>,
    ctx: CallContext,
    refusal: string,
  ): Promise<void>;
  /** Which rows the caller may read; for lists. */
  visibility(ctx: CallContext): Promise<MemberScopedVisibility>;
}

function createMemberScopedAccess<TResourceType extends string>(options: {
  permissions: PermissionsService;
  readPermission: ResourcePermission<TResourceType>;
  rules: Record<
    string,
    PermissionRule<MemberScopedResource, MemberScopedQuery, TResourceType>
  >;
  noun: string;
}): MemberScopedAccess<TResourceType> {
  const { permissions, readPermission, noun } = options;
  const toQuery: ConditionTransformer<MemberScopedQuery> =
    createConditionTransformer(Object.values(options.rules));

  const allowed = (
    id: string,
    permission: ResourcePermission<TResourceType>,
    ctx: CallContext,
  ) => isAllowed(permissions, permission, id, ctx);

  return {
    async require(row, permission, ctx, refusal) {
      if (await allowed(row.id, permission, ctx)) {
        return;
      }
      if (
        permission.name !== readPermission.name &&
        (await allowed(row.id, readPermission, ctx))
      ) {
        throw new NotAllowedError(refusal);
      }
      throw new NotFoundError(`No ${noun} with id '${row.id}'`);
    },

    visibility(ctx) {
      return visibilityOf(permissions, readPermission, toQuery, ctx);
    },
  };
}

/** Authorization of deployments (the `paas-deployment` resource type). */
export type DeploymentAccess = MemberScopedAccess<
  typeof RESOURCE_TYPE_PAAS_DEPLOYMENT
>;

export function createDeploymentAccess(options: {
  permissions: PermissionsService;
}): DeploymentAccess {
  return createMemberScopedAccess({
    permissions: options.permissions,
    readPermission: paasDeploymentReadPermission,
    rules: paasDeploymentRules,
    noun: 'deployment',
  });
}

/** Authorization of managed resources (the `paas-resource` resource type). */
export type ResourceAccess = MemberScopedAccess<
  typeof RESOURCE_TYPE_PAAS_RESOURCE
>;

export function createResourceAccess(options: {
  permissions: PermissionsService;
}): ResourceAccess {
  return createMemberScopedAccess({
    permissions: options.permissions,
    readPermission: paasResourceReadPermission,
    rules: paasResourceRules,
    noun: 'resource',
  });
}
