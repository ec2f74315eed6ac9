export { ApprovalsPage, ApprovalsPageContent } from './ApprovalsPage';
