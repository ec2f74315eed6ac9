export { S3BucketProvider } from './S3BucketProvider';
export type { S3BucketProviderOptions } from './S3BucketProvider';
export { PAASPORT_RESOURCE_ID_TAG } from './bucketSettings';
export { S3PrefixProvider } from './S3PrefixProvider';
export type { S3PrefixProviderOptions } from './S3PrefixProvider';
