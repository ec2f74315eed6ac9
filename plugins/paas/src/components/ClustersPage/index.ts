export { ClustersPage, ClustersPageContent } from './ClustersPage';
