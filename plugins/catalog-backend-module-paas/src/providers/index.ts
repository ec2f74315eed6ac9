export { PaasOrganizationEntityProvider } from './PaasOrganizationEntityProvider';
export {
  DEFAULT_PAAS_PROVIDER_SCHEDULE,
  readProviderSchedule,
} from './readProviderSchedule';
