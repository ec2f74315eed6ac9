export { SqsQueueProvider } from './SqsQueueProvider';
export type { SqsQueueProviderOptions } from './SqsQueueProvider';
