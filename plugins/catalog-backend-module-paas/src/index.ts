/**
 * Catalog module that publishes Paasport organizations as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModulePaas as default } from './module';
export * from './providers';
