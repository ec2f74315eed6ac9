/**
 * Paasport frontend: the Paasport page with each organization's page, the "Join an
 * organization" page, the approvals inbox and the organization card for Group entity pages.
 *
 * @packageDocumentation
 */

export {
  paasPlugin,
  PaasportPage,
  PaasportJoinPage,
  PaasportApprovalsPage,
  EntityPaasOrganizationCard,
} from './plugin';
export { paasApiRef, PaasClient } from './api';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  SetQuotaRequest,
} from './api';
