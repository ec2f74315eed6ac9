export { createPaasOrganizationCreateAction } from './organizationCreate';
export { createPaasDeploymentCreateAction } from './deploymentCreate';
