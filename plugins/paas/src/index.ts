/**
 * Paasport frontend: the Paasport page with each organization's page, the "Join an
 * organization" page and the organization card for Group entity pages.
 *
 * @packageDocumentation
 */

export {
  paasPlugin,
  PaasportPage,
  PaasportJoinPage,
  EntityPaasOrganizationCard,
} from './plugin';
export { paasApiRef, PaasClient } from './api';
export type {
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  SetQuotaRequest,
} from './api';
