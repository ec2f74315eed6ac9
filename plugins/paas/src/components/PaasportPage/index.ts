export { PaasportPage, PaasportPageContent } from './PaasportPage';
