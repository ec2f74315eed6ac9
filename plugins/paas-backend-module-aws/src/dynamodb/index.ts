export { DynamoDbTableProvider } from './DynamoDbTableProvider';
export type { DynamoDbTableProviderOptions } from './DynamoDbTableProvider';
