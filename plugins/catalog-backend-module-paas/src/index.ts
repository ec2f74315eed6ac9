/**
 * Catalog module that publishes Paasport organizations and teams as catalog groups, and
 * managed resources as catalog resources.
 *
 * @packageDocumentation
 */

export { catalogModulePaas as default } from './module';
export * from './providers';
