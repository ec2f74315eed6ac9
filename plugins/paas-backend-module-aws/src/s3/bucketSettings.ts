import {
  LifecycleRule,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3';
import { ResourceSpec } from '@paasport/plugin-paas-common';
import { partitionOf } from '../awsConsole';
import { PAASPORT_RESOURCE_ID_TAG } from '../ownership';

export { PAASPORT_RESOURCE_ID_TAG };

/** Id of the one lifecycle rule Paasport manages on a bucket. */
export const NONCURRENT_EXPIRY_RULE_ID = 'paasport-expire-noncurrent-versions';

type S3BucketSpec = ResourceSpec<'aws:s3-bucket'>;

export function bucketArn(bucket: string, region: string): string {
  return `arn:${partitionOf(region)}:s3:::${bucket}`;
}

export function bucketConsoleUrl(bucket: string, region: string): string {
  const host = {
    aws: 's3.console.aws.amazon.com',
    'aws-cn': 'console.amazonaws.cn',
    'aws-us-gov': 'console.amazonaws-us-gov.com',
  }[partitionOf(region)];
  return `https://${host}/s3/buckets/${encodeURIComponent(
    bucket,
  )}?region=${encodeURIComponent(region)}`;
}

/** All four Block Public Access switches on. */
export function publicAccessBlock(): PublicAccessBlockConfiguration {
  return {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };
}

/** Default encryption: SSE-S3, or SSE-KMS with the spec's key and an S3 bucket key. */
export function encryptionConfiguration(
  encryption: S3BucketSpec['encryption'],
): ServerSideEncryptionConfiguration {
  if (encryption.type === 'SSE-KMS') {
    return {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: encryption.kmsKeyId,
          },
          // Bucket keys cut the KMS requests, and so the cost, of SSE-KMS by orders of magnitude.
          BucketKeyEnabled: true,
        },
      ],
    };
  }
  return {
    Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  };
}

/** A bucket policy that refuses every request not made over TLS. */
export function tlsOnlyPolicy(arn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

export function noncurrentExpiryRule(days: number): LifecycleRule {
  return {
    ID: NONCURRENT_EXPIRY_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    NoncurrentVersionExpiration: { NoncurrentDays: days },
  };
}

/**
 * The resource's tags plus the ownership tag, sorted by key. The ownership tag always wins,
 * so a resource cannot claim another's id through its own tags.
 */
export function bucketTagSet(
  resourceId: string,
  tags: Record<string, string>,
): Tag[] {
  return Object.entries({ ...tags, [PAASPORT_RESOURCE_ID_TAG]: resourceId })
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Key, Value]) => ({ Key, Value }));
}
