import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  paasOrganizationReadPermission,
  RESOURCE_TYPE_PAAS_ORGANIZATION,
} from '@paasport/plugin-paas-common';
import {
  OrganizationQuery,
  paasOrganizationRules,
} from '@paasport/plugin-paas-node';
import { OrganizationStore } from '../database/OrganizationStore';
import { CallContext } from './CallContext';
import { isAllowed, Visibility, visibilityOf } from './permissionChecks';

const toOrganizationQuery: ConditionTransformer<OrganizationQuery> =
  createConditionTransformer(Object.values(paasOrganizationRules));

/** Which organizations a list may show. */
export type OrganizationVisibility = Visibility<OrganizationQuery>;

/** Authorization of everything that happens inside one organization. */
export interface OrganizationAccess {
  /** Which organizations the caller may read, or hold `permission` in; for lists. */
  visibility(
    ctx: CallContext,
    permission?: ResourcePermission<typeof RESOURCE_TYPE_PAAS_ORGANIZATION>,
  ): Promise<OrganizationVisibility>;
  /**
   * Throws NotFoundError when the organization does not exist or the caller may not see it,
   * and NotAllowedError when they may see it but not do `permission` in it.
   */
  require(
    organization: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_PAAS_ORGANIZATION>,
    ctx: CallContext,
    refusal: string,
  ): Promise<void>;
  /** Throws NotAllowedError unless the caller holds a permission that is not per organization. */
  requireBasic(
    permission: BasicPermission,
    ctx: CallContext,
    refusal: string,
  ): Promise<void>;
}

export function createOrganizationAccess(options: {
  permissions: PermissionsService;
  store: OrganizationStore;
}): OrganizationAccess {
  const { permissions, store } = options;

  const allowed = (
    organization: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_PAAS_ORGANIZATION>,
    ctx: CallContext,
  ) => isAllowed(permissions, permission, organization, ctx);

  return {
    visibility(ctx, permission = paasOrganizationReadPermission) {
      return visibilityOf(permissions, permission, toOrganizationQuery, ctx);
    },

    async require(organization, permission, ctx, refusal) {
      const notFound = new NotFoundError(
        `No organization named '${organization}'`,
      );
      if (!(await store.get(organization))) {
        throw notFound;
      }
      if (await allowed(organization, permission, ctx)) {
        return;
      }
      if (
        permission.name !== paasOrganizationReadPermission.name &&
        (await allowed(organization, paasOrganizationReadPermission, ctx))
      ) {
        throw new NotAllowedError(refusal);
      }
      throw notFound;
    },

    async requireBasic(permission, ctx, refusal) {
      const [decision] = await permissions.authorize([{ permission }], {
        credentials: ctx.credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(refusal);
      }
    },
  };
}
