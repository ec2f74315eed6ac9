import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasDeploymentReadPermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import { DeploymentAccess } from '../service/DeploymentAccess';
import { CallContext } from '../service/CallContext';
import { OrganizationAccess } from '../service/OrganizationAccess';

/** Per user: permission names held in every organization (`*`) or in named ones. */
export type Grants = Record<string, Record<string, string[]>>;

/**
 * Decides as the Paasport policy would, from a table instead of the permission framework:
 * unknown organizations and those the caller cannot read are 404, readable ones without the
 * permission 403.
 */
function userOf(ctx: CallContext): string {
  return (ctx.credentials as BackstageCredentials<BackstageUserPrincipal>)
    .principal.userEntityRef;
}

/**
 * Decides deployments as the Paasport policy does, from the same table: readers of the
 * organization read its deployments; holders of `paas.deployment.delete` in it (admins), and
 * holders of `paas.deployment.create` (developers) for what they submitted, change them.
 */
export function createFakeDeploymentAccess(grants: Grants): DeploymentAccess {
  const held = (user: string, organization: string) => [
    ...(grants[user]?.['*'] ?? []),
    ...(grants[user]?.[organization] ?? []),
  ];
  const may = (
    user: string,
    permission: string,
    d: { organization: string; createdBy: string },
  ) => {
    const mine = held(user, d.organization);
    if (permission === paasDeploymentReadPermission.name) {
      return mine.includes(paasOrganizationReadPermission.name);
    }
    return (
      mine.includes(paasDeploymentDeletePermission.name) ||
      (mine.includes(paasDeploymentCreatePermission.name) &&
        d.createdBy === user)
    );
  };
  return {
    async require(deployment, permission, ctx, refusal) {
      const user = userOf(ctx);
      if (may(user, permission.name, deployment)) {
        return;
      }
      if (may(user, paasDeploymentReadPermission.name, deployment)) {
        throw new NotAllowedError(refusal);
      }
      throw new NotFoundError(`No deployment with id '${deployment.id}'`);
    },
    async visibility() {
      return { type: 'all' };
    },
  };
}

export function createFakeAccess(
  grants: Grants,
  organizations: string[],
): OrganizationAccess {
  const holds = (
    ctx: CallContext,
    permission: string,
    organization?: string,
  ) => {
    const user = (
      ctx.credentials as BackstageCredentials<BackstageUserPrincipal>
    ).principal.userEntityRef;
    const mine = grants[user] ?? {};
    return [
      ...(mine['*'] ?? []),
      ...(organization ? mine[organization] ?? [] : []),
    ].includes(permission);
  };
  return {
    async visibility() {
      return { type: 'all' };
    },
    async require(organization, permission, ctx, refusal) {
      const notFound = new NotFoundError(
        `No organization named '${organization}'`,
      );
      if (!organizations.includes(organization)) {
        throw notFound;
      }
      if (holds(ctx, permission.name, organization)) {
        return;
      }
      if (holds(ctx, paasOrganizationReadPermission.name, organization)) {
        throw new NotAllowedError(refusal);
      }
      throw notFound;
    },
    async requireBasic(permission, ctx, refusal) {
      if (!holds(ctx, permission.name)) {
        throw new NotAllowedError(refusal);
      }
    },
  };
}
