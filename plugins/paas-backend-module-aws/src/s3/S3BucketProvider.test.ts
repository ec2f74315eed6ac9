import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  NoSuchBucket,
  NotFound,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { S3BucketProvider } from './S3BucketProvider';
import { singleAccount } from '../accountClients';

const ACCOUNT = '123456789012';
const BUCKET = 'paasport-checkout-assets';
const ARN = `arn:aws:s3:::${BUCKET}`;

function resource(overrides: Partial<DesiredResource> = {}): DesiredResource {
  return {
    id: 'res-0001',
    kind: 'aws:s3-bucket',
    name: BUCKET,
    organization: 'checkout',
    owner: 'group:default/checkout',
    spec: { versioning: false, encryption: { type: 'SSE-S3' } },
    tags: {
      'paasport.io/organization': 'checkout',
      'paasport.io/owner': 'group-default-checkout',
    },
    ...overrides,
  };
}

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
const forbidden = () => s3Error('Forbidden', 403);
const tagged = (...tags: Array<[string, string]>) => ({
  TagSet: tags.map(([Key, Value]) => ({ Key, Value })),
});

const MUTATING_COMMANDS = [
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
];

describe('S3BucketProvider', () => {
  const client = new S3Client({ region: 'eu-west-1' });
  const s3 = mockClient(client);

  function provider(region = 'eu-west-1', assumeOwnership = false) {
    return new S3BucketProvider({
      clientFor: singleAccount({ client, region, accountId: ACCOUNT }),
      ...(assumeOwnership ? { assumeOwnershipWhenTagsUnreadable: true } : {}),
    });
  }

  const OWNERSHIP_TAGS = [
    { Key: 'paasport.io/organization', Value: 'checkout' },
    { Key: 'paasport.io/owner', Value: 'group-default-checkout' },
    { Key: 'paasport.io/resource-id', Value: 'res-0001' },
  ];

  /** A bucket that does not exist yet, on an endpoint that implements everything. */
  function givenNoBucket(mock = s3) {
    mock.on(HeadBucketCommand).rejects(notFound());
    mock.on(CreateBucketCommand).resolves({});
    mock.on(GetBucketTaggingCommand).rejects(s3Error('NoSuchTagSet', 404));
    mock.on(GetBucketVersioningCommand).resolves({});
    mock
      .on(GetBucketLifecycleConfigurationCommand)
      .rejects(s3Error('NoSuchLifecycleConfiguration', 404));
    for (const command of MUTATING_COMMANDS) {
      if (command !== CreateBucketCommand) {
        mock.on(command as typeof PutBucketTaggingCommand).resolves({});
      }
    }
  }

  function givenExistingBucket(tags: ReturnType<typeof tagged>) {
    givenNoBucket();
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(GetBucketTaggingCommand).resolves(tags);
  }

  const sentCommands = () =>
    s3.calls().map(call => (call.args[0] as object).constructor.name);

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(s3).not.toHaveReceivedCommand(
        command as typeof PutBucketTaggingCommand,
      );
    }
  }

  beforeEach(() => s3.reset());

  describe('with an account per organization', () => {
    const SEARCH_ACCOUNT = '222222222222';
    const searchClient = new S3Client({ region: 'eu-central-1' });
    const searchS3 = mockClient(searchClient);

    function providerPerOrganization() {
      return new S3BucketProvider({
        clientFor: organization =>
          organization === 'search'
            ? {
                client: searchClient,
                region: 'eu-central-1',
                accountId: SEARCH_ACCOUNT,
              }
            : { client, region: 'eu-west-1', accountId: ACCOUNT },
      });
    }

    beforeEach(() => searchS3.reset());

    it("creates the bucket through the organization's client, region and expected owner", async () => {
      givenNoBucket(searchS3);

      const result = await providerPerOrganization().apply(
        resource({ organization: 'search' }),
      );

      expect(s3.calls()).toHaveLength(0);
      expect(searchS3).toHaveReceivedCommandWith(HeadBucketCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: SEARCH_ACCOUNT,
      });
      expect(searchS3).toHaveReceivedCommandWith(CreateBucketCommand, {
        Bucket: BUCKET,
        CreateBucketConfiguration: {
          LocationConstraint: 'eu-central-1',
          Tags: OWNERSHIP_TAGS,
        },
      });
      expect(searchS3).toHaveReceivedCommandWith(PutBucketTaggingCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: SEARCH_ACCOUNT,
      });
      expect(result.outputs).toMatchObject({
        region: 'eu-central-1',
        consoleUrl: expect.stringContaining('region=eu-central-1'),
      });
    });

    it('keeps other organizations on the main client and account', async () => {
      givenNoBucket();

      await providerPerOrganization().apply(resource());

      expect(searchS3.calls()).toHaveLength(0);
      expect(s3).toHaveReceivedCommandWith(HeadBucketCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
    });

    it("names the organization's account when a bucket is another account's", async () => {
      searchS3.on(HeadBucketCommand).rejects(forbidden());

      await expect(
        providerPerOrganization().observe(resource({ organization: 'search' })),
      ).rejects.toThrow(`another AWS account than ${SEARCH_ACCOUNT}`);
    });
  });

  describe('apply', () => {
    it('creates a bucket with every secure default, in this order and with these inputs', async () => {
      givenNoBucket();

      const result = await provider().apply(resource());

      expect(sentCommands()).toEqual([
        'HeadBucketCommand',
        'CreateBucketCommand',
        'GetBucketTaggingCommand',
        'PutBucketTaggingCommand',
        'PutBucketOwnershipControlsCommand',
        'PutPublicAccessBlockCommand',
        'PutBucketEncryptionCommand',
        'PutBucketPolicyCommand',
        'GetBucketVersioningCommand',
        'GetBucketLifecycleConfigurationCommand',
      ]);
      expect(s3).toHaveReceivedCommandWith(HeadBucketCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
      // The ownership tag travels with CreateBucket, so even an attempt that dies right
      // after it leaves a bucket the retry can prove is this resource's.
      expect(s3.commandCalls(CreateBucketCommand)[0].args[0].input).toEqual({
        Bucket: BUCKET,
        ObjectOwnership: 'BucketOwnerEnforced',
        CreateBucketConfiguration: {
          LocationConstraint: 'eu-west-1',
          Tags: OWNERSHIP_TAGS,
        },
      });
      expect(
        s3.commandCalls(PutBucketOwnershipControlsCommand)[0].args[0].input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        OwnershipControls: {
          Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
        },
      });
      expect(s3.commandCalls(PutBucketTaggingCommand)[0].args[0].input).toEqual(
        {
          Bucket: BUCKET,
          ExpectedBucketOwner: ACCOUNT,
          Tagging: {
            TagSet: [
              { Key: 'paasport.io/organization', Value: 'checkout' },
              { Key: 'paasport.io/owner', Value: 'group-default-checkout' },
              { Key: 'paasport.io/resource-id', Value: 'res-0001' },
            ],
          },
        },
      );
      expect(
        s3.commandCalls(PutPublicAccessBlockCommand)[0].args[0].input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(
        s3.commandCalls(PutBucketEncryptionCommand)[0].args[0].input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
      });
      const policyInput = s3.commandCalls(PutBucketPolicyCommand)[0].args[0]
        .input;
      expect(policyInput).toMatchObject({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
      expect(JSON.parse(policyInput.Policy!)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [ARN, `${ARN}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      });

      expect(result).toEqual({
        state: 'ready',
        externalId: ARN,
        outputs: {
          bucketName: BUCKET,
          arn: ARN,
          region: 'eu-west-1',
          consoleUrl: `https://s3.console.aws.amazon.com/s3/buckets/${BUCKET}?region=eu-west-1`,
        },
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            status: 'True',
            reason: 'CreatedByPaasport',
          }),
          expect.objectContaining({ type: 'Tagged', status: 'True' }),
          expect.objectContaining({
            type: 'ObjectOwnershipEnforced',
            status: 'True',
          }),
          expect.objectContaining({
            type: 'PublicAccessBlocked',
            status: 'True',
          }),
          expect.objectContaining({ type: 'Encrypted', status: 'True' }),
          expect.objectContaining({
            type: 'SecureTransportOnly',
            status: 'True',
          }),
        ],
      });
    });

    it('sends no location constraint in us-east-1', async () => {
      givenNoBucket();

      const result = await provider('us-east-1').apply(resource());

      expect(s3.commandCalls(CreateBucketCommand)[0].args[0].input).toEqual({
        Bucket: BUCKET,
        ObjectOwnership: 'BucketOwnerEnforced',
        CreateBucketConfiguration: { Tags: OWNERSHIP_TAGS },
      });
      expect(result.outputs?.region).toBe('us-east-1');
    });

    it('keeps the ownership tag even when the resource tags try to override it', async () => {
      givenNoBucket();

      await provider().apply(
        resource({ tags: { 'paasport.io/resource-id': 'res-9999' } }),
      );

      expect(s3).toHaveReceivedCommandWith(PutBucketTaggingCommand, {
        Tagging: {
          TagSet: [{ Key: 'paasport.io/resource-id', Value: 'res-0001' }],
        },
      });
    });

    it('uses SSE-KMS with a bucket key, enables versioning and keeps foreign lifecycle rules', async () => {
      givenNoBucket();
      const archiveRule = {
        ID: 'archive-logs',
        Status: 'Enabled' as const,
        Filter: { Prefix: 'logs/' },
        Transitions: [{ Days: 30, StorageClass: 'GLACIER' as const }],
      };
      s3.on(GetBucketLifecycleConfigurationCommand).resolves({
        Rules: [
          archiveRule,
          {
            ID: 'paasport-expire-noncurrent-versions',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
          },
        ],
      });
      const kmsKeyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd';

      const result = await provider().apply(
        resource({
          spec: {
            versioning: true,
            encryption: { type: 'SSE-KMS', kmsKeyId },
            expireNoncurrentAfterDays: 30,
          },
        }),
      );

      expect(
        s3.commandCalls(PutBucketEncryptionCommand)[0].args[0].input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: kmsKeyId,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      });
      expect(
        s3.commandCalls(PutBucketVersioningCommand)[0].args[0].input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        VersioningConfiguration: { Status: 'Enabled' },
      });
      expect(
        s3.commandCalls(PutBucketLifecycleConfigurationCommand)[0].args[0]
          .input,
      ).toEqual({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
        LifecycleConfiguration: {
          Rules: [
            archiveRule,
            {
              ID: 'paasport-expire-noncurrent-versions',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            },
          ],
        },
      });
      expect(s3).not.toHaveReceivedCommand(GetBucketVersioningCommand);
      expect(result.conditions?.slice(-2)).toEqual([
        expect.objectContaining({ type: 'Versioned', status: 'True' }),
        expect.objectContaining({
          type: 'NoncurrentVersionsExpire',
          status: 'True',
          message: 'Noncurrent versions expire after 30 days',
        }),
      ]);
    });

    it('suspends versioning and drops its own lifecycle rule when the spec turns them off', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0001']));
      s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
      s3.on(GetBucketLifecycleConfigurationCommand).resolves({
        Rules: [
          {
            ID: 'paasport-expire-noncurrent-versions',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
          },
        ],
      });

      const result = await provider().apply(resource());

      expect(s3).toHaveReceivedCommandWith(PutBucketVersioningCommand, {
        Bucket: BUCKET,
        VersioningConfiguration: { Status: 'Suspended' },
      });
      expect(s3).toHaveReceivedCommandWith(DeleteBucketLifecycleCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
      expect(s3).not.toHaveReceivedCommand(
        PutBucketLifecycleConfigurationCommand,
      );
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Versioned',
          status: 'False',
          reason: 'Suspended',
        }),
      );
    });

    it('updates a bucket it owns without creating it again', async () => {
      givenExistingBucket(
        tagged(['paasport.io/resource-id', 'res-0001'], ['team', 'checkout']),
      );

      const result = await provider().apply(resource());

      expect(s3).not.toHaveReceivedCommand(CreateBucketCommand);
      expect(s3).toHaveReceivedCommandTimes(PutPublicAccessBlockCommand, 1);
      // A bucket made before Paasport (or changed since) may still honour ACLs.
      expect(s3).toHaveReceivedCommandWith(PutBucketOwnershipControlsCommand, {
        Bucket: BUCKET,
        OwnershipControls: {
          Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
        },
      });
      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'True',
        reason: 'OwnershipTagMatches',
      });
    });

    it('refuses a bucket tagged for another resource and changes nothing', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0002']));

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        `S3 bucket ${BUCKET} belongs to another Paasport resource`,
      );
      await expect(failure).rejects.not.toThrow('res-0002');
      expect(sentCommands()).toEqual([
        'HeadBucketCommand',
        'GetBucketTaggingCommand',
      ]);
      expectNoMutation();
    });

    it('refuses a tagged bucket without the ownership tag and changes nothing', async () => {
      givenExistingBucket(tagged(['aws:cloudformation:stack-name', 'legacy']));

      await expect(provider().apply(resource())).rejects.toThrow(
        `S3 bucket ${BUCKET} already exists with tags but without the paasport.io/resource-id tag`,
      );
      expectNoMutation();
    });

    it('refuses an untagged bucket it did not create, says how to adopt it, and changes nothing', async () => {
      givenExistingBucket({ TagSet: [] });

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        `S3 bucket ${BUCKET} already exists without the paasport.io/resource-id tag; tag it paasport.io/resource-id=res-0001 to let Paasport adopt it, or delete it to let Paasport create it`,
      );
      expectNoMutation();
    });

    it('refuses an existing bucket whose tags the endpoint cannot read, and changes nothing', async () => {
      givenExistingBucket({ TagSet: [] });
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        `S3 bucket ${BUCKET} already exists and its paasport.io/resource-id tag cannot be read on this endpoint; tag it paasport.io/resource-id=res-0001 or delete it to let Paasport create it (on an endpoint without bucket tagging, such as an emulator, the operator may set paas.aws.s3.assumeOwnershipWhenTagsUnreadable)`,
      );
      expectNoMutation();
    });

    it('adopts an existing bucket whose tags cannot be read when the operator says so, and shows it', async () => {
      givenExistingBucket({ TagSet: [] });
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));

      const result = await provider('eu-west-1', true).apply(resource());

      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'Unknown',
        reason: 'AssumedByConfiguration',
      });
      expect(s3).toHaveReceivedCommand(PutPublicAccessBlockCommand);
    });

    it('owns the bucket its own CreateBucket made even when the endpoint cannot read tags', async () => {
      givenNoBucket();
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));

      const result = await provider().apply(resource());

      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'True',
        reason: 'CreatedByPaasport',
      });
    });

    it('adopts on retry the untagged bucket an earlier attempt of this process created', async () => {
      // The first attempt creates the bucket, then fails (as when the reconciler's time
      // limit ran out) before the tag is on; the retry must not refuse its own bucket.
      givenNoBucket();
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));
      s3.on(PutPublicAccessBlockCommand).rejects(s3Error('InternalError', 500));
      const s3Provider = provider();
      await expect(s3Provider.apply(resource())).rejects.toThrow();

      s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
      s3.on(PutPublicAccessBlockCommand).resolves({});
      const result = await s3Provider.apply(resource());

      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'True',
        reason: 'CreatedByPaasport',
      });
      expect(s3).toHaveReceivedCommandTimes(CreateBucketCommand, 1);
      // Another resource under the same name is still refused.
      await expect(
        s3Provider.apply(resource({ id: 'res-0002' })),
      ).rejects.toThrow(ConflictError);
    });

    it('refuses when us-east-1 silently succeeds on a bucket of another resource', async () => {
      // HeadBucket said missing, someone in the account created it meanwhile, and
      // us-east-1 answers 200 to CreateBucket on a bucket the account already owns.
      givenNoBucket();
      s3.on(GetBucketTaggingCommand).resolves(
        tagged(['paasport.io/resource-id', 'res-0002']),
      );

      await expect(provider('us-east-1').apply(resource())).rejects.toThrow(
        ConflictError,
      );
      expect(sentCommands()).toEqual([
        'HeadBucketCommand',
        'CreateBucketCommand',
        'GetBucketTaggingCommand',
      ]);
    });

    it.each([
      [
        'carries our ownership tag',
        tagged(['paasport.io/resource-id', 'res-0001']),
        'OwnershipTagMatches',
      ],
    ])(
      'counts BucketAlreadyOwnedByYou as success when the bucket %s',
      async (_, tags, reason) => {
        givenNoBucket();
        s3.on(CreateBucketCommand).rejects(
          new BucketAlreadyOwnedByYou({
            $metadata: { httpStatusCode: 409 },
            message:
              'Your previous request to create the named bucket succeeded',
          }),
        );
        s3.on(GetBucketTaggingCommand).resolves(tags);

        const result = await provider().apply(resource());

        expect(result.state).toBe('ready');
        expect(result.conditions?.[0]).toMatchObject({ type: 'Owned', reason });
        expect(s3).toHaveReceivedCommandWith(PutBucketTaggingCommand, {
          Bucket: BUCKET,
        });
      },
    );

    it('refuses BucketAlreadyOwnedByYou on an untagged bucket it cannot show it created', async () => {
      givenNoBucket();
      s3.on(CreateBucketCommand).rejects(
        new BucketAlreadyOwnedByYou({
          $metadata: { httpStatusCode: 409, attempts: 1 },
          message: 'owned',
        }),
      );
      s3.on(GetBucketTaggingCommand).resolves({ TagSet: [] });

      await expect(provider().apply(resource())).rejects.toThrow(
        'already exists without the paasport.io/resource-id tag',
      );
      expect(s3).not.toHaveReceivedCommand(PutBucketTaggingCommand);
    });

    it('owns the bucket when BucketAlreadyOwnedByYou answers an SDK retry of its own CreateBucket', async () => {
      // HeadBucket said missing; the first try timed out after S3 made the bucket.
      givenNoBucket();
      s3.on(CreateBucketCommand).rejects(
        new BucketAlreadyOwnedByYou({
          $metadata: { httpStatusCode: 409, attempts: 2 },
          message: 'owned',
        }),
      );
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));

      const result = await provider().apply(resource());

      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'True',
        reason: 'CreatedByPaasport',
      });
    });

    it('refuses BucketAlreadyOwnedByYou when the bucket is tagged for another resource', async () => {
      givenNoBucket();
      s3.on(CreateBucketCommand).rejects(
        new BucketAlreadyOwnedByYou({
          $metadata: { httpStatusCode: 409 },
          message: 'owned',
        }),
      );
      s3.on(GetBucketTaggingCommand).resolves(
        tagged(['paasport.io/resource-id', 'res-0002']),
      );

      await expect(provider().apply(resource())).rejects.toThrow(ConflictError);
      expect(s3).toHaveReceivedCommandTimes(CreateBucketCommand, 1);
      expect(s3).not.toHaveReceivedCommand(PutBucketTaggingCommand);
      expect(s3).not.toHaveReceivedCommand(PutPublicAccessBlockCommand);
    });

    it('turns BucketAlreadyExists (another account) into a ConflictError', async () => {
      givenNoBucket();
      s3.on(CreateBucketCommand).rejects(
        new BucketAlreadyExists({
          $metadata: { httpStatusCode: 409 },
          message: 'The requested bucket name is not available',
        }),
      );

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        `S3 bucket name ${BUCKET} is taken by another AWS account`,
      );
      expect(sentCommands()).toEqual([
        'HeadBucketCommand',
        'CreateBucketCommand',
      ]);
    });

    it('lets CreateBucket decide when HeadBucket is forbidden', async () => {
      givenNoBucket();
      s3.on(HeadBucketCommand).rejects(forbidden());
      s3.on(CreateBucketCommand).rejects(
        new BucketAlreadyExists({
          $metadata: { httpStatusCode: 409 },
          message: 'taken',
        }),
      );

      await expect(provider().apply(resource())).rejects.toThrow(ConflictError);
      expect(sentCommands()).toEqual([
        'HeadBucketCommand',
        'CreateBucketCommand',
      ]);
    });

    it('records a step the endpoint does not implement as Unknown and carries on', async () => {
      givenNoBucket();
      s3.on(PutBucketEncryptionCommand).rejects(s3Error('NotImplemented', 501));

      const result = await provider().apply(resource());

      expect(result.state).toBe('ready');
      expect(result.conditions).toContainEqual({
        type: 'Encrypted',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
        message: `The endpoint does not implement the call to set default encryption; S3 bucket ${BUCKET} may lack this setting`,
      });
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'SecureTransportOnly',
          status: 'True',
        }),
      );
      expect(s3).toHaveReceivedCommand(PutBucketPolicyCommand);
    });

    it('fails on any other error of a step, naming the step and the bucket', async () => {
      givenNoBucket();
      s3.on(PutBucketPolicyCommand).rejects(s3Error('AccessDenied', 403));

      const failure = provider().apply(resource());

      await expect(failure).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining(
          `Could not put the TLS-only bucket policy on S3 bucket ${BUCKET}`,
        ),
      });
      expect(s3).not.toHaveReceivedCommand(GetBucketVersioningCommand);
    });

    it('stops cleanly when throttling outlasts the SDK retries: no later step, no result', async () => {
      givenNoBucket();
      s3.on(PutPublicAccessBlockCommand).rejects(
        s3Error('ThrottlingException', 400),
      );

      await expect(provider().apply(resource())).rejects.toMatchObject({
        name: 'ThrottlingException',
        message: expect.stringContaining(
          `Could not block public access on S3 bucket ${BUCKET}`,
        ),
      });
      expect(s3).not.toHaveReceivedCommand(PutBucketEncryptionCommand);
      expect(s3).not.toHaveReceivedCommand(PutBucketPolicyCommand);
    });

    it.each([
      ['an unknown field', { versioning: true, public: true }, '"public"'],
      [
        'a bad KMS key',
        { encryption: { type: 'SSE-KMS', kmsKeyId: '' } },
        'encryption.kmsKeyId',
      ],
      [
        'a negative expiry',
        { expireNoncurrentAfterDays: -1 },
        'expireNoncurrentAfterDays',
      ],
    ])('refuses a spec with %s before any call', async (_, spec, field) => {
      const failure = provider().apply(resource({ spec: spec as any }));

      await expect(failure).rejects.toThrow(InputError);
      await expect(failure).rejects.toThrow(field);
      expect(s3.calls()).toHaveLength(0);
    });

    it.each(['Upper-Case', 'ab', 'a..b', '192.168.1.10', '-leading-dash'])(
      'refuses the bucket name %s before any call',
      async name => {
        await expect(provider().apply(resource({ name }))).rejects.toThrow(
          InputError,
        );
        expect(s3.calls()).toHaveLength(0);
      },
    );

    it('refuses a resource of another kind', async () => {
      await expect(
        provider().apply(resource({ kind: 'aws:sqs-queue' })),
      ).rejects.toThrow(InputError);
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe('observe', () => {
    it('returns undefined when the bucket does not exist', async () => {
      s3.on(HeadBucketCommand).rejects(notFound());

      await expect(provider().observe(resource())).resolves.toBeUndefined();
      expect(sentCommands()).toEqual(['HeadBucketCommand']);
    });

    it('reports a bucket with our ownership tag as ready', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0001']));

      await expect(provider().observe(resource())).resolves.toEqual({
        state: 'ready',
        externalId: ARN,
        outputs: expect.objectContaining({ arn: ARN, region: 'eu-west-1' }),
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            reason: 'OwnershipTagMatches',
          }),
        ],
      });
      expectNoMutation();
    });

    it('throws a ConflictError for an untagged bucket it did not create', async () => {
      givenExistingBucket({ TagSet: [] });

      await expect(provider().observe(resource())).rejects.toThrow(
        'already exists without the paasport.io/resource-id tag',
      );
    });

    it('throws a ConflictError for a bucket tagged for another resource', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0002']));

      await expect(provider().observe(resource())).rejects.toThrow(
        ConflictError,
      );
    });

    it('throws a ConflictError naming the bucket when another account owns it', async () => {
      s3.on(HeadBucketCommand).rejects(forbidden());

      await expect(provider().observe(resource())).rejects.toThrow(
        new RegExp(
          `S3 bucket ${BUCKET} exists but these credentials may not use it`,
        ),
      );
      expect(sentCommands()).toEqual(['HeadBucketCommand']);
    });
  });

  describe('delete', () => {
    it('deletes a bucket it owns', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0001']));
      s3.on(DeleteBucketCommand).resolves({});

      await provider().delete(resource());

      expect(s3).toHaveReceivedCommandWith(DeleteBucketCommand, {
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
    });

    it('succeeds without a call to DeleteBucket when the bucket is gone', async () => {
      s3.on(HeadBucketCommand).rejects(notFound());

      await provider().delete(resource());

      expect(sentCommands()).toEqual(['HeadBucketCommand']);
    });

    it('counts NoSuchBucket as done when the bucket vanishes meanwhile', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0001']));
      s3.on(DeleteBucketCommand).rejects(
        new NoSuchBucket({
          $metadata: { httpStatusCode: 404 },
          message: 'gone',
        }),
      );

      await expect(provider().delete(resource())).resolves.toBeUndefined();
    });

    it('refuses to empty a bucket that still holds objects', async () => {
      givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0001']));
      s3.on(DeleteBucketCommand).rejects(s3Error('BucketNotEmpty', 409));

      const failure = provider().delete(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        `S3 bucket ${BUCKET} still holds objects or object versions; Paasport does not delete data`,
      );
    });

    it.each([
      [
        'tagged for another resource',
        () =>
          givenExistingBucket(tagged(['paasport.io/resource-id', 'res-0002'])),
      ],
      [
        'owned by another account',
        () => s3.on(HeadBucketCommand).rejects(forbidden()),
      ],
      ['without any tags', () => givenExistingBucket({ TagSet: [] })],
      [
        'whose tags the endpoint cannot read',
        () => {
          givenExistingBucket({ TagSet: [] });
          s3.on(GetBucketTaggingCommand).rejects(
            s3Error('NotImplemented', 501),
          );
        },
      ],
    ])('never deletes a bucket %s', async (_, given) => {
      given();

      await expect(provider().delete(resource())).rejects.toThrow(
        ConflictError,
      );
      expect(s3).not.toHaveReceivedCommand(DeleteBucketCommand);
    });

    it('deletes an untaggable bucket that this process created for the resource', async () => {
      givenNoBucket();
      s3.on(GetBucketTaggingCommand).rejects(s3Error('NotImplemented', 501));
      const s3Provider = provider();
      await s3Provider.apply(resource());
      s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });

      await s3Provider.delete(resource());

      expect(s3).toHaveReceivedCommand(DeleteBucketCommand);
    });
  });
});
