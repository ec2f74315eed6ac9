import { RESOURCE_KINDS, ResourceKind } from '@paasport/plugin-paas-common';

/** How messages and descriptions name each kind. */
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  'aws:s3-bucket': 'S3 bucket',
  'aws:s3-prefix': 'S3 prefix',
  'aws:dynamodb-table': 'DynamoDB table',
  'aws:sqs-queue': 'SQS queue',
  'aws:lambda-function': 'Lambda function',
  'aws:rds-instance': 'RDS instance',
  'kubernetes:namespace': 'Kubernetes namespace',
};

/** What the `spec` input of each kind's action takes. */
export const SPEC_DESCRIPTIONS: Record<ResourceKind, string> = {
  'aws:s3-bucket':
    'Bucket settings: `versioning` (boolean), `encryption` (`{ type: SSE-S3 }` by default, ' +
    'or `{ type: SSE-KMS, kmsKeyId }`), `expireNoncurrentAfterDays`. Paasport always ' +
    'asks for public access to be blocked and TLS to be required; the conditions show ' +
    'what the endpoint confirmed.',
  'aws:s3-prefix':
    'Prefix settings: `bucket`, a shared bucket the platform team allows for the ' +
    "organization. The team's IAM role gets read, write and list access to the " +
    'prefix `<org>-<team>-<name>/` only, through a bucket policy statement.',
  'aws:dynamodb-table':
    'Table settings: `partitionKey` and optional `sortKey` (`{ name, type: S|N|B }`), ' +
    '`billingMode` (PAY_PER_REQUEST or PROVISIONED with `readCapacityUnits` and ' +
    '`writeCapacityUnits`), `pointInTimeRecovery` (on by default), `ttlAttribute`.',
  'aws:sqs-queue':
    'Queue settings: `fifo`, `visibilityTimeoutSeconds`, `messageRetentionSeconds`, ' +
    '`deadLetterQueue: { maxReceiveCount }`. Encrypted by default.',
  'aws:lambda-function':
    'Function settings: `runtime`, `handler`, `codeS3Bucket`, `codeS3Key`, `memoryMiB`, ' +
    '`timeoutSeconds`.',
  'aws:rds-instance':
    'Instance settings: `engine` (postgres, mysql, mariadb), `engineVersion`, ' +
    '`instanceClass` (such as db.t4g.micro), `allocatedStorageGiB`, `multiAz`. Paasport ' +
    'always asks for it to be private and encrypted; the master password stays in AWS ' +
    'Secrets Manager and is never shown.',
  'kubernetes:namespace':
    'Namespace settings: `team` (the same as the team input), `environment` (such as dev ' +
    'or prod), optional `cluster`. It gets a quota, container defaults, default-deny ' +
    "network policies, pinned Pod Security labels and the team's role binding.",
};

/** `paas:resource:create`, or `paas:aws:s3-bucket:create` for one kind. */
export function resourceActionId(kind?: ResourceKind): string {
  return kind ? `paas:${kind}:create` : 'paas:resource:create';
}

export { RESOURCE_KINDS };
