import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Organization,
  ORGANIZATION_ROLES,
  OrganizationRole,
  RESOURCE_TYPE_PAAS_ORGANIZATION,
} from '@paasport/plugin-paas-common';
import { z } from 'zod';

/** An organization as permission rules see it: with who holds which role. @public */
export type OrganizationResource = Organization & {
  members: Array<{ userRef: string; role: OrganizationRole }>;
};

/** A rule translated for the store, which turns it into SQL. @public */
export type OrganizationQuery = {
  type: 'has-role';
  /** Lower-cased entity refs the user is known by. */
  claims: string[];
  roles: OrganizationRole[];
};

/** The permission resource of Paasport organizations. @public */
export const organizationResourceRef = createPermissionResourceRef<
  OrganizationResource,
  OrganizationQuery
>().with({ pluginId: 'paas', resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION });

/** Allows when any of `claims` holds one of `roles` in the organization. @public */
export const hasOrganizationRole = createPermissionRule({
  name: 'HAS_ORGANIZATION_ROLE',
  description:
    'Allow when the user (any of the given entity refs) holds one of the given roles in the organization',
  resourceRef: organizationResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user, usually its ownership refs'),
    roles: z
      .array(z.enum(ORGANIZATION_ROLES))
      .describe('Roles that satisfy the rule'),
  }),
  apply: (organization, { claims, roles }) => {
    const refs = new Set(claims.map(ref => ref.toLocaleLowerCase('en-US')));
    return organization.members.some(
      member => refs.has(member.userRef) && roles.includes(member.role),
    );
  },
  toQuery: ({ claims, roles }) => ({
    type: 'has-role',
    claims: claims.map(ref => ref.toLocaleLowerCase('en-US')),
    roles,
  }),
});

/** Every permission rule on organizations. @public */
export const paasOrganizationRules = { hasOrganizationRole };

const organizationConditionExports = createConditionExports({
  resourceRef: organizationResourceRef,
  rules: paasOrganizationRules,
});

/** Condition factories for policies: `paasOrganizationConditions.hasOrganizationRole({...})`. @public */
export const paasOrganizationConditions =
  organizationConditionExports.conditions;

/** Wraps organization conditions into a conditional policy decision. @public */
export const createPaasOrganizationConditionalDecision =
  organizationConditionExports.createConditionalDecision;
