export { createPaasOrganizationCreateAction } from './organizationCreate';
