export { paasApiRef } from './PaasApi';
export type {
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  SetQuotaRequest,
} from './PaasApi';
export { PaasClient } from './PaasClient';
