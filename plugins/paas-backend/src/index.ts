/**
 * The Paasport backend plugin.
 *
 * @packageDocumentation
 */

export { paasPlugin as default } from './plugin';
