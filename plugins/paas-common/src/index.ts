/**
 * Types, schemas and permissions shared by the Paasport plugins.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './names';
export * from './annotations';
export * from './types';
export * from './schemas';
export * from './tenancy';
export * from './quotas';
export * from './approvals';
export * from './clusters';
export * from './deployments';
export * from './costs';
export * from './resources';
export * from './pagination';
