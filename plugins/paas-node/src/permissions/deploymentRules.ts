import {
  createConditionExports,
  createPermissionResourceRef,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_PAAS_DEPLOYMENT } from '@paasport/plugin-paas-common';
import {
  createMemberScopedRules,
  MemberScopedQuery,
  MemberScopedResource,
} from './memberScopedRules';

/** A deployment as permission rules see it: who submitted it, and its organization's members. @public */
export type DeploymentResource = MemberScopedResource;

/** A deployment rule translated for the store, which turns it into SQL. @public */
export type DeploymentQuery = MemberScopedQuery;

/** The permission resource of Paasport deployments. @public */
export const deploymentResourceRef = createPermissionResourceRef<
  DeploymentResource,
  DeploymentQuery
>().with({ pluginId: 'paas', resourceType: RESOURCE_TYPE_PAAS_DEPLOYMENT });

const rules = createMemberScopedRules({
  resourceRef: deploymentResourceRef,
  noun: 'deployment',
  askerRule: { name: 'IS_SUBMITTER', verb: 'submitted' },
});

/** Allows when any of `claims` holds one of `roles` in the deployment's organization. @public */
export const inOrganizationWithRole = rules.inOrganizationWithRole;

/** Allows when the user submitted the deployment: the "is owner" rule. @public */
export const isSubmitter = rules.isAsker;

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
