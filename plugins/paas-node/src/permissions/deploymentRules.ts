import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ORGANIZATION_ROLES,
  OrganizationRole,
  RESOURCE_TYPE_PAAS_DEPLOYMENT,
} from '@paasport/plugin-paas-common';
import { z } from 'zod';

/** A deployment as permission rules see it: who submitted it, and its organization's members. @public */
export type DeploymentResource = {
  id: string;
  organization: string;
  createdBy: string;
  members: Array<{ userRef: string; role: OrganizationRole }>;
};

/** A deployment rule translated for the store, which turns it into SQL. @public */
export type DeploymentQuery =
  | {
      type: 'in-organization-with-role';
      /** Lower-cased entity refs the user is known by. */
      claims: string[];
      roles: OrganizationRole[];
    }
  | { type: 'submitted-by'; claims: string[] };

/** The permission resource of Paasport deployments. @public */
export const deploymentResourceRef = createPermissionResourceRef<
  DeploymentResource,
  DeploymentQuery
>().with({ pluginId: 'paas', resourceType: RESOURCE_TYPE_PAAS_DEPLOYMENT });

const claimsSchema = z
  .array(z.string())
  .describe('Entity refs of the user, usually its ownership refs');

const lowerCased = (claims: string[]) =>
  claims.map(ref => ref.toLocaleLowerCase('en-US'));

/** Allows when any of `claims` holds one of `roles` in the deployment's organization. @public */
export const inOrganizationWithRole = createPermissionRule({
  name: 'IN_ORGANIZATION_WITH_ROLE',
  description:
    "Allow when the user holds one of the given roles in the deployment's organization",
  resourceRef: deploymentResourceRef,
  paramsSchema: z.object({
    claims: claimsSchema,
    roles: z
      .array(z.enum(ORGANIZATION_ROLES))
      .describe('Roles that satisfy the rule'),
  }),
  apply: (deployment, { claims, roles }) => {
    const refs = new Set(lowerCased(claims));
    return deployment.members.some(
      member => refs.has(member.userRef) && roles.includes(member.role),
    );
  },
  toQuery: ({ claims, roles }) => ({
    type: 'in-organization-with-role',
    claims: lowerCased(claims),
    roles,
  }),
});

/** Allows when the user submitted the deployment: the "is owner" rule. @public */
export const isSubmitter = createPermissionRule({
  name: 'IS_SUBMITTER',
  description: 'Allow when the user submitted the deployment',
  resourceRef: deploymentResourceRef,
  paramsSchema: z.object({ claims: claimsSchema }),
  apply: (deployment, { claims }) =>
    lowerCased(claims).includes(
      deployment.createdBy.toLocaleLowerCase('en-US'),
    ),
  toQuery: ({ claims }) => ({
    type: 'submitted-by',
    claims: lowerCased(claims),
  }),
});

/** Every permission rule on deployments. @public */
export const paasDeploymentRules = { inOrganizationWithRole, isSubmitter };

const deploymentConditionExports = createConditionExports({
  resourceRef: deploymentResourceRef,
  rules: paasDeploymentRules,
});

/** Condition factories for policies: `paasDeploymentConditions.isSubmitter({...})`. @public */
export const paasDeploymentConditions = deploymentConditionExports.conditions;

/** Wraps deployment conditions into a conditional policy decision. @public */
export const createPaasDeploymentConditionalDecision =
  deploymentConditionExports.createConditionalDecision;
