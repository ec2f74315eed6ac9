/**
 * Paasport frontend: the Paasport page with each organization's page, the "Join an
 * organization" page, the approvals inbox, the clusters page and the organization card for
 * Group entity pages.
 *
 * @packageDocumentation
 */

export {
  paasPlugin,
  PaasportPage,
  PaasportJoinPage,
  PaasportApprovalsPage,
  PaasportClustersPage,
  EntityPaasOrganizationCard,
} from './plugin';
export { paasApiRef, PaasClient } from './api';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  ResourceFilter,
  SetQuotaRequest,
} from './api';
