export { EntityPaasOrganizationCard } from './EntityPaasOrganizationCard';
