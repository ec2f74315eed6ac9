import {
  createPermissionRule,
  PermissionResourceRef,
} from '@backstage/plugin-permission-node';
import {
  ORGANIZATION_ROLES,
  OrganizationRole,
} from '@paasport/plugin-paas-common';
import { z } from 'zod';

/**
 * Something an organization owns and one of its members asked for (a deployment, a managed
 * resource), as permission rules see it.
 * @public
 */
export type MemberScopedResource = {
  id: string;
  organization: string;
  /** Entity ref of the user who submitted or requested it. */
  createdBy: string;
  members: Array<{ userRef: string; role: OrganizationRole }>;
};

/** A member-scoped rule translated for a store, which turns it into SQL. @public */
export type MemberScopedQuery =
  | {
      type: 'in-organization-with-role';
      /** Lower-cased entity refs the user is known by. */
      claims: string[];
      roles: OrganizationRole[];
    }
  | { type: 'submitted-by'; claims: string[] };

const claimsSchema = z
  .array(z.string())
  .describe('Entity refs of the user, usually its ownership refs');

const lowerCased = (claims: string[]) =>
  claims.map(ref => ref.toLocaleLowerCase('en-US'));

/**
 * The two rules of a member-scoped resource type: a role in its organization, and being the
 * member who asked for it (`IS_SUBMITTER` for deployments, `IS_REQUESTER` for resources).
 */
export function createMemberScopedRules<TResourceType extends string>(options: {
  resourceRef: PermissionResourceRef<
    MemberScopedResource,
    MemberScopedQuery,
    TResourceType
  >;
  /** What the rules call the resource in their descriptions, such as `deployment`. */
  noun: string;
  askerRule: { name: string; verb: string };
}) {
  const { resourceRef, noun, askerRule } = options;

  const inOrganizationWithRole = createPermissionRule({
    name: 'IN_ORGANIZATION_WITH_ROLE',
    description: `Allow when the user holds one of the given roles in the ${noun}'s organization`,
    resourceRef,
    paramsSchema: z.object({
      claims: claimsSchema,
      roles: z
        .array(z.enum(ORGANIZATION_ROLES))
        .describe('Roles that satisfy the rule'),
    }),
    apply: (resource, { claims, roles }) => {
      const refs = new Set(lowerCased(claims));
      return resource.members.some(
        member => refs.has(member.userRef) && roles.includes(member.role),
      );
    },
    toQuery: ({ claims, roles }) => ({
      type: 'in-organization-with-role' as const,
      claims: lowerCased(claims),
      roles,
    }),
  });

  const isAsker = createPermissionRule({
    name: askerRule.name,
    description: `Allow when the user ${askerRule.verb} the ${noun}`,
    resourceRef,
    paramsSchema: z.object({ claims: claimsSchema }),
    apply: (resource, { claims }) =>
      lowerCased(claims).includes(
        resource.createdBy.toLocaleLowerCase('en-US'),
      ),
    toQuery: ({ claims }) => ({
      type: 'submitted-by' as const,
      claims: lowerCased(claims),
    }),
  });

  return { inOrganizationWithRole, isAsker };
}
