/**
 * Catalog module that publishes Paasport organizations and teams as catalog groups.
 *
 * @packageDocumentation
 */

export { catalogModulePaas as default } from './module';
export * from './providers';
