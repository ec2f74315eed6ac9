export {
  PaasportPage,
  PaasportPageContent,
  PaasportPageRoutes,
} from './PaasportPage';
