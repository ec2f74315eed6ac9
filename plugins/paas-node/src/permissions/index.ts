export * from './organizationRules';
export type {
  MemberScopedQuery,
  MemberScopedResource,
} from './memberScopedRules';
export * from './deploymentRules';
export * from './resourceRules';
