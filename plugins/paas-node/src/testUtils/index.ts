/**
 * Test utilities for modules that extend the Paasport backend.
 *
 * @packageDocumentation
 */

export { createProviderCollectorPlugin } from './providerCollector';
