export { paasApiRef } from './PaasApi';
export type { PaasApi } from './PaasApi';
export { PaasClient } from './PaasClient';
