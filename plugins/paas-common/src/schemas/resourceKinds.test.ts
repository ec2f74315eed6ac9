import {
  RESOURCE_KINDS,
  isResourceKind,
  parseResourceSpec,
  resourceSpecSchemas,
} from './resourceKinds';

describe('resource spec schemas', () => {
  it('fills in secure defaults for an S3 bucket', () => {
    expect(parseResourceSpec('aws:s3-bucket', {})).toEqual({
      versioning: false,
      encryption: { type: 'SSE-S3' },
    });
  });

  it('takes the shared bucket of an S3 prefix', () => {
    expect(
      parseResourceSpec('aws:s3-prefix', { bucket: 'acme-shared-data' }),
    ).toEqual({ bucket: 'acme-shared-data' });
  });

  it('turns point-in-time recovery on for DynamoDB unless asked not to', () => {
    const spec = parseResourceSpec('aws:dynamodb-table', {
      partitionKey: { name: 'pk', type: 'S' },
    });
    expect(spec.pointInTimeRecovery).toBe(true);
    expect(spec.billingMode).toBe('PAY_PER_REQUEST');
  });

  it.each([
    ['aws:s3-bucket', { versioning: 'yes' }, ['versioning']],
    ['aws:s3-bucket', { publicRead: true }, []],
    [
      'aws:s3-bucket',
      { encryption: { type: 'SSE-KMS' } },
      ['encryption', 'kmsKeyId'],
    ],
    ['aws:s3-prefix', {}, ['bucket']],
    ['aws:s3-prefix', { bucket: 'Shared_Bucket' }, ['bucket']],
    ['aws:s3-prefix', { bucket: 'shared..bucket' }, ['bucket']],
    ['aws:s3-prefix', { bucket: 'shared', prefix: 'x/' }, []],
    [
      'aws:dynamodb-table',
      { partitionKey: { name: 'pk', type: 'S' }, billingMode: 'PROVISIONED' },
      ['billingMode'],
    ],
    [
      'aws:sqs-queue',
      { visibilityTimeoutSeconds: -1 },
      ['visibilityTimeoutSeconds'],
    ],
    [
      'aws:rds-instance',
      { engine: 'postgres', instanceClass: 'huge; drop table' },
      ['instanceClass'],
    ],
    [
      'kubernetes:namespace',
      { team: 'Checkout', environment: 'dev' },
      ['team'],
    ],
  ] as const)(
    'rejects a bad %s spec %j naming the field',
    (kind, spec, path) => {
      const result = resourceSpecSchemas[kind].safeParse(spec);
      expect(result.success).toBe(false);
      const paths = result.error!.issues.map(issue => issue.path.join('.'));
      expect(paths).toContain(path.join('.'));
    },
  );

  it('knows every kind it lists, and nothing else', () => {
    expect(RESOURCE_KINDS).toHaveLength(7);
    expect(RESOURCE_KINDS.every(isResourceKind)).toBe(true);
    expect(isResourceKind('aws:ec2-instance')).toBe(false);
    expect(isResourceKind('constructor')).toBe(false);
  });
});
