import { isResourceKind, ResourceKind } from '@paasport/plugin-paas-common';

const KIND_NAMES: Record<ResourceKind, [singular: string, plural: string]> = {
  'aws:s3-bucket': ['S3 bucket', 'S3 buckets'],
  'aws:s3-prefix': ['S3 prefix', 'S3 prefixes'],
  'aws:dynamodb-table': ['DynamoDB table', 'DynamoDB tables'],
  'aws:sqs-queue': ['SQS queue', 'SQS queues'],
  'aws:lambda-function': ['Lambda function', 'Lambda functions'],
  'aws:rds-instance': ['RDS instance', 'RDS instances'],
  'kubernetes:namespace': ['Kubernetes namespace', 'Kubernetes namespaces'],
};

/** A resource kind in words, such as `S3 bucket` for `aws:s3-bucket`; unknown kinds as they are. */
export function resourceKindName(kind: string): string {
  return isResourceKind(kind) ? KIND_NAMES[kind][0] : kind;
}

/** The plural of {@link resourceKindName}, such as `S3 buckets`. */
export function resourceKindPluralName(kind: string): string {
  return isResourceKind(kind) ? KIND_NAMES[kind][1] : kind;
}
