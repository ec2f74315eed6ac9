export { paasApiRef } from './PaasApi';
export type {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  SetQuotaRequest,
} from './PaasApi';
export { PaasClient } from './PaasClient';
