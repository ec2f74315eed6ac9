/**
 * Paasport resource providers for AWS, as a module of the `paas` backend plugin.
 *
 * @packageDocumentation
 */

export { paasModuleAws as default } from './module';
export * from './s3';
export * from './dynamodb';
export * from './sqs';
export * from './lambda';
export * from './rds';
export { singleAccount } from './accountClients';
export type { AwsAccountClient, AwsClientFor } from './accountClients';
export type { LambdaCodeDelivery, SharedBucket } from './clients';
