export { PaasOrganizationEntityProvider } from './PaasOrganizationEntityProvider';
export { PaasResourceEntityProvider } from './PaasResourceEntityProvider';
export {
  DEFAULT_PAAS_PROVIDER_SCHEDULE,
  readProviderSchedule,
} from './readProviderSchedule';
