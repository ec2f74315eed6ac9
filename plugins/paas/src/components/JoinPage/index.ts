export { JoinPage, JoinPageContent } from './JoinPage';
