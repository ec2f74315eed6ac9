import { isResourceKind, ResourceKind } from '@paasport/plugin-paas-common';

/** How each kind reads in the catalog: its `spec.type` and its name in a sentence. */
const RESOURCE_TYPES: Record<ResourceKind, { type: string; label: string }> = {
  'aws:s3-bucket': { type: 's3-bucket', label: 'S3 bucket' },
  'aws:s3-prefix': { type: 's3-prefix', label: 'S3 prefix' },
  'aws:dynamodb-table': { type: 'dynamodb-table', label: 'DynamoDB table' },
  'aws:sqs-queue': { type: 'sqs-queue', label: 'SQS queue' },
  'aws:lambda-function': { type: 'lambda-function', label: 'Lambda function' },
  'aws:rds-instance': { type: 'rds-instance', label: 'RDS instance' },
  'kubernetes:namespace': {
    type: 'kubernetes-namespace',
    label: 'Kubernetes namespace',
  },
};

/**
 * The catalog `spec.type` of a managed resource's kind, such as `s3-bucket`. A kind this
 * module does not know yet, from a newer backend, becomes its id with dashes.
 */
export function resourceEntityType(kind: string): string {
  return isResourceKind(kind)
    ? RESOURCE_TYPES[kind].type
    : kind.toLocaleLowerCase('en-US').replace(/[^a-z0-9]+/g, '-');
}

/** The kind as it reads in a sentence, such as `S3 bucket`. */
export function resourceKindLabel(kind: string): string {
  return isResourceKind(kind) ? RESOURCE_TYPES[kind].label : kind;
}
