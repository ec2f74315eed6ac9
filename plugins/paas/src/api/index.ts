export { paasApiRef } from './PaasApi';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  ResourceFilter,
  SetQuotaRequest,
} from './PaasApi';
export { PaasClient } from './PaasClient';
