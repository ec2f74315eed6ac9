/**
 * Scaffolder actions that create Paasport organizations, resources and deployments.
 *
 * @packageDocumentation
 */

export { scaffolderModulePaas as default } from './module';
export * from './actions';
