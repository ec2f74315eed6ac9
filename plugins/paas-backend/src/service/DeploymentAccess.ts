import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
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

const toDeploymentQuery: ConditionTransformer<DeploymentQuery> =
  createConditionTransformer(Object.values(paasDeploymentRules));

/** What a list of deployments may show: everything, nothing, or what matches (in SQL). */
export type DeploymentVisibility =
  | { type: 'all' }
  | { type: 'none' }
  | { type: 'filter'; criteria: PermissionCriteria<DeploymentQuery> };

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

  async function allowed(
    id: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_PAAS_DEPLOYMENT>,
    ctx: CallContext,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: id }],
      { credentials: ctx.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

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

    async visibility(ctx) {
      const [decision] = await permissions.authorizeConditional(
        [{ permission: paasDeploymentReadPermission }],
        { credentials: ctx.credentials },
      );
      if (decision.result === AuthorizeResult.ALLOW) {
        return { type: 'all' };
      }
      if (decision.result !== AuthorizeResult.CONDITIONAL) {
        return { type: 'none' };
      }
      return {
        type: 'filter',
        criteria: toDeploymentQuery(decision.conditions),
      };
    },
  };
}
