import { z } from 'zod';

/** Spec of an S3 bucket. Paasport always asks for public access to be blocked and encryption on. @public */
export const s3BucketSpecSchema = z
  .object({
    versioning: z
      .boolean()
      .default(false)
      .describe('Keep every version of every object'),
    encryption: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('SSE-S3') }),
        z.object({
          type: z.literal('SSE-KMS'),
          kmsKeyId: z.string().min(1).max(2048).describe('KMS key id or ARN'),
        }),
      ])
      .default({ type: 'SSE-S3' })
      .describe('Default encryption of new objects'),
    expireNoncurrentAfterDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('Delete non-current object versions after this many days'),
  })
  .strict();

/**
 * Spec of an S3 prefix: a team's `<org>-<team>-<name>/` inside a bucket the platform team
 * shares (`paas.aws.sharedBuckets`), guarded by a bucket policy statement for the team's role.
 * @public
 */
export const s3PrefixSpecSchema = z
  .object({
    bucket: z
      .string()
      .regex(
        /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be an S3 bucket name: 3 to 63 lower-case letters, digits, dots and dashes',
      )
      .describe(
        'The shared bucket the prefix lives in; one of those the platform team shares',
      ),
  })
  .strict();

const attributeSchema = z
  .object({
    name: z.string().min(1).max(255),
    type: z.enum(['S', 'N', 'B']),
  })
  .strict();

/** Spec of a DynamoDB table. Point-in-time recovery is on unless turned off. @public */
export const dynamodbTableSpecSchema = z
  .object({
    partitionKey: attributeSchema.describe('Partition (hash) key'),
    sortKey: attributeSchema.optional().describe('Sort (range) key'),
    billingMode: z
      .enum(['PAY_PER_REQUEST', 'PROVISIONED'])
      .default('PAY_PER_REQUEST'),
    readCapacityUnits: z.number().int().min(1).max(40000).optional(),
    writeCapacityUnits: z.number().int().min(1).max(40000).optional(),
    pointInTimeRecovery: z.boolean().default(true),
    ttlAttribute: z.string().min(1).max(255).optional(),
    kmsKeyId: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe(
        "KMS key id or ARN for encryption at rest; DynamoDB's AWS managed key when unset",
      ),
  })
  .strict()
  .refine(
    s =>
      s.billingMode === 'PAY_PER_REQUEST' ||
      (s.readCapacityUnits !== undefined && s.writeCapacityUnits !== undefined),
    {
      message:
        'PROVISIONED billing needs readCapacityUnits and writeCapacityUnits',
      path: ['billingMode'],
    },
  );

/** Spec of an SQS queue. @public */
export const sqsQueueSpecSchema = z
  .object({
    fifo: z.boolean().default(false),
    visibilityTimeoutSeconds: z.number().int().min(0).max(43200).default(30),
    messageRetentionSeconds: z
      .number()
      .int()
      .min(60)
      .max(1209600)
      .default(345600),
    deadLetterQueue: z
      .object({ maxReceiveCount: z.number().int().min(1).max(1000) })
      .strict()
      .optional()
      .describe(
        'Create a dead-letter queue and move messages there after this many receives',
      ),
    kmsKeyId: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe(
        'KMS key id, alias or ARN for server-side encryption; SQS managed encryption when unset',
      ),
  })
  .strict();

/** Spec of a Lambda function whose code is an object in S3. @public */
export const lambdaFunctionSpecSchema = z
  .object({
    runtime: z.enum([
      'nodejs22.x',
      'nodejs20.x',
      'python3.13',
      'python3.12',
      'java21',
      'provided.al2023',
    ]),
    handler: z.string().min(1).max(128),
    codeS3Bucket: z.string().min(3).max(63),
    codeS3Key: z.string().min(1).max(1024),
    memoryMiB: z.number().int().min(128).max(10240).default(256),
    timeoutSeconds: z.number().int().min(1).max(900).default(30),
  })
  .strict();

/** Spec of an RDS instance. Paasport always asks for it to be private and its storage encrypted. @public */
export const rdsInstanceSpecSchema = z
  .object({
    engine: z.enum(['postgres', 'mysql', 'mariadb']),
    engineVersion: z.string().min(1).max(32).optional(),
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/),
    allocatedStorageGiB: z.number().int().min(20).max(65536).default(20),
    multiAz: z.boolean().default(false),
  })
  .strict();
