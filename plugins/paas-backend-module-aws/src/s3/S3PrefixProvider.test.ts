import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NotFound,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { singleAccount } from '../accountClients';
import { S3PrefixProvider } from './S3PrefixProvider';

const ACCOUNT = '111111111111';
const BUCKET = 'acme-shared-data';
const ROLE = 'arn:aws:iam::222222222222:role/acme-checkout';
const SEARCH_ROLE = 'arn:aws:iam::222222222222:role/acme-search';

function resource(overrides: Partial<DesiredResource> = {}): DesiredResource {
  return {
    id: 'res-0001',
    kind: 'aws:s3-prefix',
    name: 'acme-checkout-reports',
    organization: 'acme',
    owner: 'group:default/checkout',
    spec: { bucket: BUCKET },
    tags: {
      'paasport.io/organization': 'acme',
      'paasport.io/team': 'checkout',
    },
    ...overrides,
  };
}

const search = resource({
  id: 'res-0002',
  name: 'acme-search-index',
  tags: { 'paasport.io/team': 'search' },
});

/** The statements the provider writes for `checkout`'s prefix. */
const CHECKOUT_STATEMENTS = [
  {
    Sid: 'paasportres0001Objects',
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    Resource: `arn:aws:s3:::${BUCKET}/acme-checkout-reports/*`,
  },
  {
    Sid: 'paasportres0001List',
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: 's3:ListBucket',
    Resource: `arn:aws:s3:::${BUCKET}`,
    Condition: { StringLike: { 's3:prefix': ['acme-checkout-reports/*'] } },
  },
];

const PLATFORM_STATEMENT = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

const policyOf = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

function s3Error(name: string, httpStatusCode: number) {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} from the mock`,
  });
}

const notFound = () =>
  new NotFound({ $metadata: { httpStatusCode: 404 }, message: 'Not Found' });

const MUTATING_COMMANDS = [
  PutObjectCommand,
  DeleteObjectCommand,
  PutBucketPolicyCommand,
  DeleteBucketPolicyCommand,
];

describe('S3PrefixProvider', () => {
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = mockClient(client);

  function provider(
    sharedBuckets: Array<{ name: string; organizations?: string[] }> = [
      { name: BUCKET },
    ],
  ) {
    return new S3PrefixProvider({
      clientFor: singleAccount({
        client,
        region: 'eu-west-1',
        accountId: ACCOUNT,
      }),
      sharedBuckets,
      teamRoles: { acme: { checkout: ROLE, search: SEARCH_ROLE } },
    });
  }

  /**
   * A bucket whose policy is what was last written, starting from `initial`; the marker of
   * each prefix appears once written.
   */
  function givenBucket(initial?: string) {
    let policy = initial;
    const markers = new Map<string, Record<string, string>>();
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(HeadObjectCommand).callsFake(({ Key }) => {
      const metadata = markers.get(Key);
      if (!metadata) {
        throw notFound();
      }
      return { Metadata: metadata };
    });
    s3.on(PutObjectCommand).callsFake(({ Key, Metadata }) => {
      markers.set(Key, Metadata);
      return {};
    });
    s3.on(DeleteObjectCommand).callsFake(({ Key }) => {
      markers.delete(Key);
      return {};
    });
    s3.on(GetBucketPolicyCommand).callsFake(() => {
      if (policy === undefined) {
        throw s3Error('NoSuchBucketPolicy', 404);
      }
      return { Policy: policy };
    });
    s3.on(PutBucketPolicyCommand).callsFake(({ Policy }) => {
      policy = Policy;
      return {};
    });
    s3.on(DeleteBucketPolicyCommand).callsFake(() => {
      policy = undefined;
      return {};
    });
    return {
      policy: () => (policy === undefined ? undefined : JSON.parse(policy)),
      markers,
    };
  }

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(s3).not.toHaveReceivedCommand(command as typeof PutObjectCommand);
    }
  }

  beforeEach(() => s3.reset());

  it('creates the marker and adds its statements, keeping the others', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));

    const result = await provider().apply(resource());

    expect(s3).toHaveReceivedCommandWith(HeadBucketCommand, {
      Bucket: BUCKET,
      ExpectedBucketOwner: ACCOUNT,
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: 'acme-checkout-reports/.paasport',
      Metadata: { 'paasport-resource-id': 'res-0001' },
      IfNoneMatch: '*',
      ExpectedBucketOwner: ACCOUNT,
    });
    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutBucketPolicyCommand, {
      Bucket: BUCKET,
      ExpectedBucketOwner: ACCOUNT,
    });
    expect(bucket.policy()).toEqual({
      Version: '2012-10-17',
      Statement: [PLATFORM_STATEMENT, ...CHECKOUT_STATEMENTS],
    });
    expect(result).toEqual({
      state: 'ready',
      externalId: `s3://${BUCKET}/acme-checkout-reports/`,
      outputs: {
        bucket: BUCKET,
        prefix: 'acme-checkout-reports/',
        s3Uri: `s3://${BUCKET}/acme-checkout-reports/`,
        region: 'eu-west-1',
        roleArn: ROLE,
        consoleUrl: `https://s3.console.aws.amazon.com/s3/buckets/${BUCKET}?region=eu-west-1&prefix=acme-checkout-reports%2F`,
      },
      conditions: [
        expect.objectContaining({
          type: 'Owned',
          reason: 'CreatedByThisApply',
        }),
        expect.objectContaining({
          type: 'TeamAccessGranted',
          status: 'True',
        }),
      ],
    });
  });

  it('writes a policy of its own when the bucket has none', async () => {
    const bucket = givenBucket();

    await provider().apply(resource());

    expect(bucket.policy()).toEqual({
      Version: '2012-10-17',
      Statement: CHECKOUT_STATEMENTS,
    });
  });

  it('writes nothing when applied again', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));
    const prefixes = provider();
    const first = await prefixes.apply(resource());
    s3.resetHistory();

    const second = await prefixes.apply(resource());

    expectNoMutation();
    expect(bucket.policy().Statement).toHaveLength(3);
    expect(second.outputs).toEqual(first.outputs);
    expect(second.conditions?.[0]).toMatchObject({
      reason: 'OwnershipTagMatches',
    });
  });

  it('accepts its statements as AWS may return them, lists of one as a string', async () => {
    const [objects, list] = CHECKOUT_STATEMENTS;
    givenBucket(
      policyOf(PLATFORM_STATEMENT, objects, {
        ...list,
        Action: ['s3:ListBucket'],
        Condition: { StringLike: { 's3:prefix': 'acme-checkout-reports/*' } },
      }),
    );
    const prefixes = provider();
    await prefixes.apply(resource());
    s3.resetHistory();

    await prefixes.apply(resource());

    expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
  });

  it('adds a second prefix as statements of its own', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));
    const prefixes = provider();

    await prefixes.apply(resource());
    await prefixes.apply(search);

    expect(bucket.policy().Statement).toEqual([
      PLATFORM_STATEMENT,
      ...CHECKOUT_STATEMENTS,
      expect.objectContaining({
        Sid: 'paasportres0002Objects',
        Principal: { AWS: SEARCH_ROLE },
        Resource: `arn:aws:s3:::${BUCKET}/acme-search-index/*`,
      }),
      expect.objectContaining({
        Sid: 'paasportres0002List',
        Principal: { AWS: SEARCH_ROLE },
        Condition: { StringLike: { 's3:prefix': ['acme-search-index/*'] } },
      }),
    ]);
  });

  it('replaces a statement of its own that differs, in place', async () => {
    const [objects, list] = CHECKOUT_STATEMENTS;
    const bucket = givenBucket(
      policyOf(
        { ...objects, Principal: { AWS: SEARCH_ROLE } },
        PLATFORM_STATEMENT,
        list,
      ),
    );

    await provider().apply(resource());

    expect(bucket.policy().Statement).toEqual([
      PLATFORM_STATEMENT,
      ...CHECKOUT_STATEMENTS,
    ]);
  });

  it('removes only its own statements and its marker on delete, and keeps the data', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));
    const prefixes = provider();
    await prefixes.apply(resource());
    await prefixes.apply(search);
    s3.resetHistory();

    await prefixes.delete(resource());

    expect(
      bucket.policy().Statement.map((s: { Sid: string }) => s.Sid),
    ).toEqual([
      'DenyInsecureTransport',
      'paasportres0002Objects',
      'paasportres0002List',
    ]);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: BUCKET,
      Key: 'acme-checkout-reports/.paasport',
      ExpectedBucketOwner: ACCOUNT,
    });
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectCommand, 1);
    expect([...bucket.markers.keys()]).toEqual(['acme-search-index/.paasport']);
    await expect(prefixes.observe(resource())).resolves.toBeUndefined();
  });

  it('deletes the policy when its statements were the last ones', async () => {
    const bucket = givenBucket();
    const prefixes = provider();
    await prefixes.apply(resource());

    await prefixes.delete(resource());
    await prefixes.delete(resource());

    expect(s3).toHaveReceivedCommandTimes(DeleteBucketPolicyCommand, 1);
    expect(bucket.policy()).toBeUndefined();
  });

  it('refuses a prefix whose marker names another resource, and writes nothing', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));
    bucket.markers.set('acme-checkout-reports/.paasport', {
      'paasport-resource-id': 'res-9999',
    });

    const prefixes = provider();
    for (const call of [
      prefixes.apply(resource()),
      prefixes.observe(resource()),
      prefixes.delete(resource()),
    ]) {
      await expect(call).rejects.toThrow(ConflictError);
    }
    await expect(prefixes.apply(resource())).rejects.toThrow(
      `S3 prefix acme-checkout-reports/ in bucket ${BUCKET} belongs to another Paasport resource`,
    );
    expectNoMutation();
  });

  it('refuses a prefix whose marker names no resource', async () => {
    const bucket = givenBucket();
    bucket.markers.set('acme-checkout-reports/.paasport', {});

    await expect(provider().apply(resource())).rejects.toThrow(
      'was not created by Paasport',
    );
    expectNoMutation();
  });

  it.each([
    [[{ name: 'acme-other-data' }], 'is not a shared bucket'],
    [
      [{ name: BUCKET, organizations: ['globex'] }],
      `Shared S3 bucket ${BUCKET} is not open to organization acme`,
    ],
  ])(
    'refuses a bucket the configuration does not share with the organization (%j) without a call',
    async (sharedBuckets, message) => {
      givenBucket();
      const prefixes = provider(sharedBuckets);

      await expect(prefixes.apply(resource())).rejects.toThrow(InputError);
      await expect(prefixes.apply(resource())).rejects.toThrow(message);
      await expect(prefixes.delete(resource())).rejects.toThrow(message);
      expect(s3.calls()).toHaveLength(0);
    },
  );

  it('refuses a team without a configured role, naming the key', async () => {
    givenBucket();

    await expect(
      provider().apply(resource({ tags: { 'paasport.io/team': 'ledger' } })),
    ).rejects.toThrow(
      'Team ledger of organization acme has no IAM role for S3 prefixes; the platform team sets it in paas.aws.organizations.acme.teamRoles.ledger',
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses a spec without a bucket and a name that would widen the policy', async () => {
    await expect(
      provider().apply(resource({ spec: {} as never })),
    ).rejects.toThrow(
      'Invalid spec of S3 prefix acme-checkout-reports: bucket',
    );
    await expect(
      provider().apply(resource({ name: 'acme-*' })),
    ).rejects.toThrow("'acme-*' is not a valid S3 prefix name");
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses when the shared bucket does not exist, and writes nothing', async () => {
    givenBucket();
    s3.on(HeadBucketCommand).rejects(notFound());

    await expect(provider().apply(resource())).rejects.toThrow(
      `Shared S3 bucket ${BUCKET} does not exist`,
    );
    await expect(provider().observe(resource())).resolves.toBeUndefined();
    await expect(provider().delete(resource())).resolves.toBeUndefined();
    expectNoMutation();
  });

  it('reports pending when a concurrent write replaced its statements', async () => {
    givenBucket(policyOf(PLATFORM_STATEMENT));
    // Another prefix's apply wrote its policy between our write and our read-back.
    s3.on(GetBucketPolicyCommand)
      .resolvesOnce({ Policy: policyOf(PLATFORM_STATEMENT) })
      .resolves({ Policy: policyOf(PLATFORM_STATEMENT, { Sid: 'other' }) });

    const result = await provider().apply(resource());

    expect(s3).toHaveReceivedCommandTimes(PutBucketPolicyCommand, 1);
    expect(s3).toHaveReceivedCommandTimes(GetBucketPolicyCommand, 2);
    expect(result.state).toBe('pending');
    expect(result.conditions?.[1]).toMatchObject({
      type: 'TeamAccessGranted',
      status: 'False',
      reason: 'Waiting',
    });
  });

  it('observes the marker and the statements', async () => {
    const bucket = givenBucket(policyOf(PLATFORM_STATEMENT));
    const prefixes = provider();
    await expect(prefixes.observe(resource())).resolves.toBeUndefined();

    await prefixes.apply(resource());
    await expect(prefixes.observe(resource())).resolves.toMatchObject({
      state: 'ready',
      outputs: { s3Uri: `s3://${BUCKET}/acme-checkout-reports/` },
    });

    s3.on(GetBucketPolicyCommand).resolves({
      Policy: policyOf(PLATFORM_STATEMENT),
    });
    await expect(prefixes.observe(resource())).resolves.toMatchObject({
      state: 'pending',
      conditions: [
        { type: 'Owned' },
        { type: 'TeamAccessGranted', status: 'False' },
      ],
    });
    expect(bucket.policy().Statement).toHaveLength(3);
  });

  it('takes a marker created by a concurrent attempt of the same resource', async () => {
    const bucket = givenBucket();
    s3.on(PutObjectCommand).callsFake(({ Key, Metadata }) => {
      bucket.markers.set(Key, Metadata);
      throw s3Error('PreconditionFailed', 412);
    });

    await expect(provider().apply(resource())).resolves.toMatchObject({
      state: 'ready',
    });
  });
});
