export {
  PaasOrganizationEntityProvider,
  PAAS_ORGANIZATION_ANNOTATION,
} from './PaasOrganizationEntityProvider';
export {
  DEFAULT_PAAS_PROVIDER_SCHEDULE,
  readProviderSchedule,
} from './readProviderSchedule';
