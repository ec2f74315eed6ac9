import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { paasOrganizationReadPermission } from '@paasport/plugin-paas-common';
import { CallContext } from '../service/CallContext';
import { OrganizationAccess } from '../service/OrganizationAccess';

/** Per user: permission names held in every organization (`*`) or in named ones. */
export type Grants = Record<string, Record<string, string[]>>;

/**
 * Decides as the Paasport policy would, from a table instead of the permission framework:
 * unknown organizations and those the caller cannot read are 404, readable ones without the
 * permission 403.
 */
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
