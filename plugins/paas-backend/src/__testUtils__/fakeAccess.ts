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
  paasResourceCreatePermission,
  paasResourceDeletePermission,
  paasResourceReadPermission,
} from '@paasport/plugin-paas-common';
import {
  DeploymentAccess,
  MemberScopedAccess,
  ResourceAccess,
} from '../service/MemberScopedAccess';
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
 * Decides deployments or resources as the Paasport policy does, from the same table: readers
 * of the organization read them; holders of the `change` permission in it (admins), and
 * holders of the `create` permission (developers) for what they asked for, change them.
 */
function createFakeMemberScopedAccess(
  grants: Grants,
  names: { create: string; change: string; read: string; noun: string },
): MemberScopedAccess<string> {
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
    if (permission === names.read) {
      return mine.includes(paasOrganizationReadPermission.name);
    }
    return (
      mine.includes(names.change) ||
      (mine.includes(names.create) && d.createdBy === user)
    );
  };
  return {
    async require(row, permission, ctx, refusal) {
      const user = userOf(ctx);
      if (may(user, permission.name, row)) {
        return;
      }
      if (may(user, names.read, row)) {
        throw new NotAllowedError(refusal);
      }
      throw new NotFoundError(`No ${names.noun} with id '${row.id}'`);
    },
    async visibility() {
      return { type: 'all' };
    },
  };
}

export function createFakeDeploymentAccess(grants: Grants): DeploymentAccess {
  return createFakeMemberScopedAccess(grants, {
    create: paasDeploymentCreatePermission.name,
    change: paasDeploymentDeletePermission.name,
    read: paasDeploymentReadPermission.name,
    noun: 'deployment',
  });
}

export function createFakeResourceAccess(grants: Grants): ResourceAccess {
  return createFakeMemberScopedAccess(grants, {
    create: paasResourceCreatePermission.name,
    change: paasResourceDeletePermission.name,
    read: paasResourceReadPermission.name,
    noun: 'resource',
  });
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
    /**
     * Everything for reading. For another permission: everything if held in every
     * organization, otherwise the organizations the caller is a member of, so tests that list
     * by it keep memberships in line with the grants.
     */
    async visibility(ctx, permission) {
      if (!permission || permission === paasOrganizationReadPermission) {
        return { type: 'all' };
      }
      if (holds(ctx, permission.name)) {
        return { type: 'all' };
      }
      const user = userOf(ctx);
      if (!organizations.some(org => holds(ctx, permission.name, org))) {
        return { type: 'none' };
      }
      return {
        type: 'filter',
        criteria: {
          type: 'has-role',
          claims: [user],
          roles: ['admin', 'developer', 'viewer'],
        },
      };
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
