export { createPaasOrganizationCreateAction } from './organizationCreate';
export { createPaasDeploymentCreateAction } from './deploymentCreate';
export { createPaasResourceCreateAction } from './resourceCreate';
export type { PaasResourceActionOptions } from './resourceCreate';
export { createPaasResourceWaitAction } from './resourceWait';
