import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  Deployment,
  paasDeploymentReadPermission,
  RESOURCE_TYPE_PAAS_DEPLOYMENT,
} from '@paasport/plugin-paas-common';
import {
  DeploymentQuery,
  paasDeploymentRules,
} from '@paasport/plugin-paas-node';
import { CallContext } from './CallContext';
import { isAllowed, Visibility, visibilityOf } from './permissionChecks';

const toDeploymentQuery: ConditionTransformer<DeploymentQuery> =
  createConditionTransformer(Object.values(paasDeploymentRules));

/** Which deployments a list may show. */
export type DeploymentVisibility = Visibility<DeploymentQuery>;

/** Authorization of what is done to one deployment (the `paas-deployment` resource type). */
export interface DeploymentAccess {
  /**
   * Throws NotFoundError when the caller may not see the deployment, and NotAllowedError
   * with `refusal` when they may see it but not do `permission` to it.
   */
  require(
    deployment: Deployment,
    permission: ResourcePermission<typeof RESOURCE_TYPE_PAAS_DEPLOYMENT>,
    ctx: CallContext,
    refusal: string,
  ): Promise<void>;
  /** Which deployments the caller may read; for lists. */
  visibility(ctx: CallContext): Promise<DeploymentVisibility>;
}

export function createDeploymentAccess(options: {
  permissions: PermissionsService;
}): DeploymentAccess {
  const { permissions } = options;

  const allowed = (
    id: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_PAAS_DEPLOYMENT>,
    ctx: CallContext,
  ) => isAllowed(permissions, permission, id, ctx);

  return {
    async require(deployment, permission, ctx, refusal) {
      if (await allowed(deployment.id, permission, ctx)) {
        return;
      }
      if (
        permission.name !== paasDeploymentReadPermission.name &&
        (await allowed(deployment.id, paasDeploymentReadPermission, ctx))
      ) {
        throw new NotAllowedError(refusal);
      }
      throw new NotFoundError(`No deployment with id '${deployment.id}'`);
    },

    visibility(ctx) {
      return visibilityOf(
        permissions,
        paasDeploymentReadPermission,
        toDeploymentQuery,
        ctx,
      );
    },
  };
}
