export { OrganizationPage, OrganizationPageContent } from './OrganizationPage';
export { ORGANIZATION_TABS } from './tabs';
