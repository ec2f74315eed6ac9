export * from './organizationRules';
