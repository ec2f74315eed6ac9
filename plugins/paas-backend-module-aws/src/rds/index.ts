export { RdsInstanceProvider } from './RdsInstanceProvider';
export type { RdsInstanceProviderOptions } from './RdsInstanceProvider';
export type { RdsOptions } from '../clients';
