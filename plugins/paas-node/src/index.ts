/**
 * Node library of Paasport: the resource provider extension point and a client of the
 * Paasport backend for other backend plugins.
 *
 * @packageDocumentation
 */

export * from './providers';
export * from './client';
export * from './permissions';
