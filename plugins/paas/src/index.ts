/**
 * Paasport frontend: the Paasport page and the organization card for Group entity pages.
 *
 * @packageDocumentation
 */

export { paasPlugin, PaasportPage, EntityPaasOrganizationCard } from './plugin';
export { paasApiRef, PaasClient } from './api';
export type { PaasApi } from './api';
