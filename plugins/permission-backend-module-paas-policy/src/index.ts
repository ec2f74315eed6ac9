/**
 * The Paasport permission policy for the Backstage permission backend.
 *
 * @packageDocumentation
 */

export { permissionModulePaasPolicy as default } from './module';
export * from './policy';
