export * from './organizationRules';
export * from './deploymentRules';
