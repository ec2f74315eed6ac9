export { paasApiRef } from './PaasApi';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  ResourceFilter,
  ResourceKindInfo,
  SetQuotaRequest,
} from './PaasApi';
export { PaasClient } from './PaasClient';
