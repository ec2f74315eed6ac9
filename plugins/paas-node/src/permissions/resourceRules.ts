import {
  createConditionExports,
  createPermissionResourceRef,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_PAAS_RESOURCE } from '@paasport/plugin-paas-common';
import {
  createMemberScopedRules,
  MemberScopedQuery,
  MemberScopedResource,
} from './memberScopedRules';

/** The permission resource of managed infrastructure resources. @public */
export const managedResourceRef = createPermissionResourceRef<
  MemberScopedResource,
  MemberScopedQuery
>().with({ pluginId: 'paas', resourceType: RESOURCE_TYPE_PAAS_RESOURCE });

const rules = createMemberScopedRules({
  resourceRef: managedResourceRef,
  noun: 'resource',
  askerRule: { name: 'IS_REQUESTER', verb: 'requested' },
});

/** Every permission rule on managed resources. @public */
export const paasResourceRules = {
  inOrganizationWithRole: rules.inOrganizationWithRole,
  isRequester: rules.isAsker,
};

const resourceConditionExports = createConditionExports({
  resourceRef: managedResourceRef,
  rules: paasResourceRules,
});

/** Condition factories for policies: `paasResourceConditions.isRequester({...})`. @public */
export const paasResourceConditions = resourceConditionExports.conditions;

/** Wraps managed-resource conditions into a conditional policy decision. @public */
export const createPaasResourceConditionalDecision =
  resourceConditionExports.createConditionalDecision;
