/**
 * Paasport frontend: the Paasport page with each organization's page, the "Join an
 * organization" page, the approvals inbox, the clusters page, the organization card for
 * Group entity pages and the `PaasResourceEstimate` scaffolder field.
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
  PaasResourceEstimateFieldExtension,
} from './plugin';
export type { PaasResourceEstimateUiOptions } from './components/PaasResourceEstimateField';
export { paasApiRef, PaasClient } from './api';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  ResourceFilter,
  ResourceKindInfo,
  SetQuotaRequest,
} from './api';
