import { partitionOf } from '../awsConsole';

/** One statement of a bucket policy, as far as Paasport reads it. */
export interface PolicyStatement {
  Sid?: string;
  [key: string]: unknown;
}

/** A bucket policy document. */
export interface BucketPolicy {
  Version?: string;
  Statement: PolicyStatement[];
  [key: string]: unknown;
}

/**
 * The Sids of a resource's statements. Only letters and digits: IAM's policy grammar allows
 * no more in a Sid, and S3 keeps to it. Object actions and listing need a statement each:
 * the `s3:prefix` condition that limits listing to the prefix is absent from object requests,
 * so in a shared statement it would refuse every `GetObject` too.
 */
export function prefixStatementSids(resourceId: string): {
  objects: string;
  list: string;
} {
  const base = `paasport${resourceId.replace(/[^A-Za-z0-9]/g, '')}`;
  return { objects: `${base}Objects`, list: `${base}List` };
}

/** The statements that give `roleArn` the objects under `prefix` and the listing of them. */
export function prefixStatements(
  resourceId: string,
  bucket: string,
  prefix: string,
  roleArn: string,
  region: string,
): PolicyStatement[] {
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  const sids = prefixStatementSids(resourceId);
  return [
    {
      Sid: sids.objects,
      Effect: 'Allow',
      Principal: { AWS: roleArn },
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `${arn}/${prefix}*`,
    },
    {
      Sid: sids.list,
      Effect: 'Allow',
      Principal: { AWS: roleArn },
      Action: 's3:ListBucket',
      Resource: arn,
      Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    },
  ];
}

/** Parses a policy document; an absent policy is one without statements. */
export function parsePolicy(policy: string | undefined): BucketPolicy {
  if (!policy) {
    return { Version: '2012-10-17', Statement: [] };
  }
  const parsed = JSON.parse(policy) as Partial<BucketPolicy>;
  const statements = parsed.Statement ?? [];
  return {
    ...parsed,
    // A policy of one statement may hold it as an object rather than a list.
    Statement: Array.isArray(statements) ? statements : [statements],
  };
}

/**
 * The policy with the resource's statements set to `ours`: statements of other Sids are
 * kept as they are and where they are, ours replaced in place or added at the end. With
 * `ours` empty, the resource's statements are removed.
 */
export function withPrefixStatements(
  policy: BucketPolicy,
  resourceId: string,
  ours: PolicyStatement[],
): BucketPolicy {
  const sids = Object.values(prefixStatementSids(resourceId));
  const kept = policy.Statement.filter(
    statement => !sids.includes(statement.Sid ?? ''),
  );
  return { ...policy, Statement: [...kept, ...ours] };
}

/** True when the policy holds each of `ours`, compared as AWS may normalize them. */
export function hasStatements(
  policy: BucketPolicy,
  ours: PolicyStatement[],
): boolean {
  return ours.every(statement =>
    policy.Statement.some(
      present =>
        present.Sid === statement.Sid &&
        canonical(present) === canonical(statement),
    ),
  );
}

/** True when the policy holds a statement with one of the resource's Sids. */
export function hasAnyStatementOf(
  policy: BucketPolicy,
  resourceId: string,
): boolean {
  const sids = Object.values(prefixStatementSids(resourceId));
  return policy.Statement.some(statement => sids.includes(statement.Sid ?? ''));
}

/**
 * A JSON form in which a one-element list equals its element and lists compare without
 * order, as AWS treats them.
 */
function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    if (items.length === 1) {
      return items[0];
    }
    return items
      .map(item => JSON.stringify(item))
      .sort()
      .map(item => JSON.parse(item));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, item]) => [key, normalize(item)]),
    );
  }
  return value;
}
