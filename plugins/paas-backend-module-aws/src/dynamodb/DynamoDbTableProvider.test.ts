import {
  ContinuousBackupsUnavailableException,
  CreateBackupCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  TableDescription,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbTableProvider } from './DynamoDbTableProvider';
import { singleAccount } from '../accountClients';

const TABLE = 'checkout-orders';
const ARN = `arn:aws:dynamodb:eu-west-1:123456789012:table/${TABLE}`;
const OWN_TAGS = [
  { Key: 'paasport.io/organization', Value: 'checkout' },
  { Key: 'paasport.io/resource-id', Value: 'res-0001' },
];

/** A resource whose spec is given as a user writes it; the provider fills in defaults. */
function resource(
  overrides: Partial<Omit<DesiredResource, 'spec'>> & { spec?: object } = {},
): DesiredResource {
  return {
    id: 'res-0001',
    kind: 'aws:dynamodb-table',
    name: TABLE,
    organization: 'checkout',
    owner: 'group:default/checkout',
    spec: { partitionKey: { name: 'orderId', type: 'S' } },
    tags: { 'paasport.io/organization': 'checkout' },
    ...overrides,
  } as DesiredResource;
}

function table(overrides: Partial<TableDescription> = {}): TableDescription {
  return {
    TableName: TABLE,
    TableArn: ARN,
    TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
    SSEDescription: {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/aws-dynamodb',
    },
    ...overrides,
  };
}

const notFound = () =>
  new ResourceNotFoundException({
    $metadata: { httpStatusCode: 400 },
    message: 'Requested resource not found',
  });
const inUse = () =>
  new ResourceInUseException({
    $metadata: { httpStatusCode: 400 },
    message: 'Table already exists',
  });
const unknownOperation = () =>
  new DynamoDBServiceException({
    name: 'UnknownOperationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'UnknownError',
  });

/** How dynalite answers an UpdateTable whose only change is one it does not know. */
const dynaliteUpdateTableRefusal = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message:
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
  });

const MUTATING_COMMANDS = [
  CreateBackupCommand,
  CreateTableCommand,
  DeleteTableCommand,
  UpdateTableCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
];

describe('DynamoDbTableProvider', () => {
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  const dynamodb = mockClient(client);

  function provider(options: { backupBeforeDelete?: boolean } = {}) {
    return new DynamoDbTableProvider({
      clientFor: singleAccount({ client, region: 'eu-west-1' }),
      ...options,
    });
  }

  /** An ACTIVE table of this resource with every setting as the default spec wants. */
  function givenOwnActiveTable(overrides: Partial<TableDescription> = {}) {
    dynamodb.on(DescribeTableCommand).resolves({ Table: table(overrides) });
    dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: OWN_TAGS });
    dynamodb.on(UpdateContinuousBackupsCommand).resolves({});
    dynamodb.on(UpdateTimeToLiveCommand).resolves({});
    dynamodb.on(TagResourceCommand).resolves({});
    dynamodb.on(DeleteTableCommand).resolves({});
    dynamodb.on(UpdateTableCommand).resolves({});
    dynamodb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    dynamodb.on(CreateBackupCommand).resolves({
      BackupDetails: {
        BackupArn: `${ARN}/backup/01700000000000-abcdef12`,
        BackupName: `${TABLE}-final-res-0001`,
        BackupStatus: 'CREATING',
        BackupType: 'USER',
        BackupCreationDateTime: new Date(0),
      },
    });
    dynamodb.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
    dynamodb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'ENABLED',
        },
      },
    });
  }

  const sentCommands = () =>
    dynamodb.calls().map(call => (call.args[0] as object).constructor.name);

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(dynamodb).not.toHaveReceivedCommand(
        command as typeof TagResourceCommand,
      );
    }
  }

  beforeEach(() => dynamodb.reset());

  describe('apply', () => {
    it('creates an encrypted, tagged table and waits for it to become ACTIVE', async () => {
      dynamodb.on(DescribeTableCommand).rejects(notFound());
      dynamodb.on(CreateTableCommand).resolves({
        TableDescription: table({
          TableStatus: 'CREATING',
          SSEDescription: { Status: 'ENABLING', SSEType: 'KMS' },
        }),
      });
      // AWS lists no tags of a table that is still being created.
      dynamodb.on(ListTagsOfResourceCommand).rejects(notFound());

      const result = await provider().apply(resource());

      expect(sentCommands()).toEqual([
        'DescribeTableCommand',
        'CreateTableCommand',
        'ListTagsOfResourceCommand',
      ]);
      expect(
        dynamodb.commandCalls(CreateTableCommand)[0].args[0].input,
      ).toEqual({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
        DeletionProtectionEnabled: true,
        Tags: [
          { Key: 'paasport.io/organization', Value: 'checkout' },
          { Key: 'paasport.io/resource-id', Value: 'res-0001' },
        ],
      });
      expect(result).toEqual({
        state: 'pending',
        externalId: ARN,
        outputs: {
          tableName: TABLE,
          arn: ARN,
          region: 'eu-west-1',
          consoleUrl: `https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=${TABLE}`,
        },
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            status: 'True',
            reason: 'CreatedByThisApply',
          }),
          expect.objectContaining({
            type: 'Tagged',
            status: 'True',
            reason: 'TaggedOnCreate',
          }),
          expect.objectContaining({
            type: 'Encrypted',
            status: 'True',
            reason: 'KmsKeyEnabling',
          }),
          expect.objectContaining({
            type: 'Active',
            status: 'False',
            reason: 'Waiting',
            message: expect.stringContaining('The table is CREATING'),
          }),
        ],
      });
    });

    it('sends the sort key, provisioned capacity and the spec KMS key to CreateTable', async () => {
      const kmsKeyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd';
      dynamodb.on(DescribeTableCommand).rejects(notFound());
      dynamodb.on(CreateTableCommand).resolves({
        TableDescription: table({ TableStatus: 'CREATING' }),
      });
      dynamodb.on(ListTagsOfResourceCommand).rejects(notFound());

      await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'customerId', type: 'S' },
            sortKey: { name: 'createdAt', type: 'N' },
            billingMode: 'PROVISIONED',
            readCapacityUnits: 5,
            writeCapacityUnits: 2,
            kmsKeyId,
          },
          tags: { 'paasport.io/resource-id': 'res-9999', team: 'checkout' },
        }),
      );

      expect(
        dynamodb.commandCalls(CreateTableCommand)[0].args[0].input,
      ).toEqual({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'customerId', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
        SSESpecification: {
          Enabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: kmsKeyId,
        },
        DeletionProtectionEnabled: true,
        // The ownership tag wins over a resource tag of the same key.
        Tags: [
          { Key: 'paasport.io/resource-id', Value: 'res-0001' },
          { Key: 'team', Value: 'checkout' },
        ],
      });
    });

    it('tags the new table itself when the endpoint dropped the tags of CreateTable', async () => {
      dynamodb.on(DescribeTableCommand).rejects(notFound());
      dynamodb.on(CreateTableCommand).resolves({
        TableDescription: table({ TableStatus: 'CREATING' }),
      });
      dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: [] });
      dynamodb.on(TagResourceCommand).resolves({});

      const result = await provider().apply(resource());

      expect(
        dynamodb.commandCalls(TagResourceCommand)[0].args[0].input,
      ).toEqual({ ResourceArn: ARN, Tags: OWN_TAGS });
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Tagged',
          status: 'True',
          reason: 'Applied',
        }),
      );
    });

    it('turns on point-in-time recovery and time to live once the table is ACTIVE', async () => {
      givenOwnActiveTable();

      const result = await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            ttlAttribute: 'expiresAt',
          },
        }),
      );

      expect(sentCommands()).toEqual([
        'DescribeTableCommand',
        'ListTagsOfResourceCommand',
        'UpdateTableCommand',
        'UpdateContinuousBackupsCommand',
        'DescribeTimeToLiveCommand',
        'UpdateTimeToLiveCommand',
      ]);
      // A table made before Paasport turned protection on, or adopted, gets it too.
      expect(
        dynamodb.commandCalls(UpdateTableCommand)[0].args[0].input,
      ).toEqual({ TableName: TABLE, DeletionProtectionEnabled: true });
      expect(
        dynamodb.commandCalls(UpdateContinuousBackupsCommand)[0].args[0].input,
      ).toEqual({
        TableName: TABLE,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      expect(
        dynamodb.commandCalls(UpdateTimeToLiveCommand)[0].args[0].input,
      ).toEqual({
        TableName: TABLE,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      });
      expect(dynamodb).not.toHaveReceivedCommand(CreateTableCommand);
      expect(dynamodb).not.toHaveReceivedCommand(TagResourceCommand);
      expect(result).toEqual({
        state: 'ready',
        externalId: ARN,
        outputs: expect.objectContaining({ tableName: TABLE, arn: ARN }),
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            status: 'True',
            reason: 'OwnershipTagMatches',
          }),
          expect.objectContaining({ type: 'Tagged', status: 'True' }),
          {
            type: 'Encrypted',
            status: 'True',
            reason: 'KmsKey',
            message:
              'Encrypted at rest with KMS key arn:aws:kms:eu-west-1:123456789012:key/aws-dynamodb',
          },
          {
            type: 'DeletionProtected',
            status: 'True',
            reason: 'Applied',
            message:
              'Deletion protection is on: DeleteTable fails until Paasport, deleting the resource, turns it off',
          },
          {
            type: 'PointInTimeRecovery',
            status: 'True',
            reason: 'Applied',
            message: 'Point-in-time recovery is enabled',
          },
          {
            type: 'TimeToLive',
            status: 'True',
            reason: 'Applied',
            message: 'Items expire at the time in attribute expiresAt',
          },
        ],
      });
    });

    it('leaves deletion protection alone when the table already has it', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: true });

      const result = await provider().apply(resource());

      expect(dynamodb).not.toHaveReceivedCommand(UpdateTableCommand);
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'DeletionProtected',
          status: 'True',
          reason: 'Enabled',
        }),
      );
    });

    it('adds only the tags the table lacks', async () => {
      givenOwnActiveTable();

      await provider().apply(
        resource({
          tags: { 'paasport.io/organization': 'checkout', team: 'payments' },
        }),
      );

      expect(
        dynamodb.commandCalls(TagResourceCommand)[0].args[0].input,
      ).toEqual({
        ResourceArn: ARN,
        Tags: [{ Key: 'team', Value: 'payments' }],
      });
    });

    it('turns point-in-time recovery off and disables time to live when the spec says so', async () => {
      givenOwnActiveTable();
      dynamodb.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: {
          TimeToLiveStatus: 'ENABLED',
          AttributeName: 'expiresAt',
        },
      });

      const result = await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            pointInTimeRecovery: false,
          },
        }),
      );

      expect(dynamodb).toHaveReceivedCommandWith(
        UpdateContinuousBackupsCommand,
        {
          TableName: TABLE,
          PointInTimeRecoverySpecification: {
            PointInTimeRecoveryEnabled: false,
          },
        },
      );
      expect(
        dynamodb.commandCalls(UpdateTimeToLiveCommand)[0].args[0].input,
      ).toEqual({
        TableName: TABLE,
        TimeToLiveSpecification: { Enabled: false, AttributeName: 'expiresAt' },
      });
      expect(result.state).toBe('ready');
    });

    it('leaves time to live alone when it is already on the wanted attribute', async () => {
      givenOwnActiveTable();
      dynamodb.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: {
          TimeToLiveStatus: 'ENABLED',
          AttributeName: 'expiresAt',
        },
      });

      const result = await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            ttlAttribute: 'expiresAt',
          },
        }),
      );

      expect(dynamodb).not.toHaveReceivedCommand(UpdateTimeToLiveCommand);
      expect(result.state).toBe('ready');
    });

    it('fails without switching time to live from another attribute', async () => {
      givenOwnActiveTable();
      dynamodb.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: {
          TimeToLiveStatus: 'ENABLED',
          AttributeName: 'legacyExpiry',
        },
      });

      const result = await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            ttlAttribute: 'expiresAt',
          },
        }),
      );

      expect(dynamodb).not.toHaveReceivedCommand(UpdateTimeToLiveCommand);
      expect(result.state).toBe('failed');
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'TimeToLive',
          status: 'False',
          reason: 'OtherAttributeEnabled',
          message: expect.stringContaining(
            'Time to live is on attribute legacyExpiry, but the spec names expiresAt',
          ),
        }),
      );
    });

    it('stays pending while AWS refuses point-in-time recovery on a new table', async () => {
      givenOwnActiveTable();
      dynamodb.on(UpdateContinuousBackupsCommand).rejects(
        new ContinuousBackupsUnavailableException({
          $metadata: { httpStatusCode: 400 },
          message: 'Backups are being enabled for the table',
        }),
      );

      const result = await provider().apply(resource());

      expect(result.state).toBe('pending');
      expect(result.conditions).toContainEqual({
        type: 'PointInTimeRecovery',
        status: 'False',
        reason: 'Waiting',
        message: `DynamoDB table ${TABLE} is not ready for the call to enable point-in-time recovery yet; the next apply tries again`,
      });
    });

    it('reports the settings the endpoint does not implement as Unknown and is ready', async () => {
      givenOwnActiveTable({ SSEDescription: undefined });
      dynamodb.on(UpdateTableCommand).rejects(dynaliteUpdateTableRefusal());
      dynamodb.on(UpdateContinuousBackupsCommand).rejects(unknownOperation());
      dynamodb.on(UpdateTimeToLiveCommand).rejects(unknownOperation());

      const result = await provider().apply(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            ttlAttribute: 'expiresAt',
          },
        }),
      );

      expect(result.state).toBe('ready');
      expect(
        result.conditions?.map(({ type, status, reason }) => ({
          type,
          status,
          reason,
        })),
      ).toEqual([
        { type: 'Owned', status: 'True', reason: 'OwnershipTagMatches' },
        { type: 'Tagged', status: 'True', reason: 'Applied' },
        {
          type: 'Encrypted',
          status: 'Unknown',
          reason: 'KmsEncryptionNotReported',
        },
        {
          type: 'DeletionProtected',
          status: 'Unknown',
          reason: 'NotImplementedByEndpoint',
        },
        {
          type: 'PointInTimeRecovery',
          status: 'Unknown',
          reason: 'NotImplementedByEndpoint',
        },
        {
          type: 'TimeToLive',
          status: 'Unknown',
          reason: 'NotImplementedByEndpoint',
        },
      ]);
    });

    it.each([
      ['on ResourceInUseException', true],
      ['when DescribeTable finds it', false],
    ])(
      'adopts a table tagged for this resource %s',
      async (_, raceOnCreate) => {
        givenOwnActiveTable();
        if (raceOnCreate) {
          dynamodb
            .on(DescribeTableCommand)
            .rejectsOnce(notFound())
            .resolves({ Table: table() });
          dynamodb.on(CreateTableCommand).rejects(inUse());
        }

        const result = await provider().apply(resource());

        expect(dynamodb).toHaveReceivedCommandTimes(
          CreateTableCommand,
          raceOnCreate ? 1 : 0,
        );
        expect(dynamodb).toHaveReceivedCommandWith(ListTagsOfResourceCommand, {
          ResourceArn: ARN,
        });
        expect(result.state).toBe('ready');
        expect(result.conditions?.[0]).toMatchObject({
          type: 'Owned',
          reason: 'OwnershipTagMatches',
        });
      },
    );

    it.each([
      [
        'tagged for another resource',
        [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
        `DynamoDB table ${TABLE} belongs to another Paasport resource`,
      ],
      [
        'without the ownership tag',
        [{ Key: 'team', Value: 'legacy' }],
        `DynamoDB table ${TABLE} already exists without the paasport.io/resource-id tag`,
      ],
      [
        'without any tag',
        [],
        `DynamoDB table ${TABLE} already exists without the paasport.io/resource-id tag`,
      ],
    ])(
      'refuses a table %s after ResourceInUseException and changes nothing',
      async (_, tags, message) => {
        dynamodb
          .on(DescribeTableCommand)
          .rejectsOnce(notFound())
          .resolves({ Table: table() });
        dynamodb.on(CreateTableCommand).rejects(inUse());
        dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: tags });

        const failure = provider().apply(resource());

        await expect(failure).rejects.toThrow(ConflictError);
        await expect(failure).rejects.toThrow(message);
        await expect(failure).rejects.not.toThrow('res-0002');
        expect(sentCommands()).toEqual([
          'DescribeTableCommand',
          'CreateTableCommand',
          'DescribeTableCommand',
          'ListTagsOfResourceCommand',
        ]);
      },
    );

    it('changes nothing on a table another apply is still creating', async () => {
      dynamodb.on(DescribeTableCommand).resolves({
        Table: table({ TableStatus: 'CREATING' }),
      });
      dynamodb.on(ListTagsOfResourceCommand).rejects(notFound());

      const result = await provider().apply(resource());

      expect(result).toMatchObject({
        state: 'pending',
        conditions: [
          { type: 'Owned', status: 'Unknown', reason: 'TagsNotListedYet' },
        ],
      });
      expectNoMutation();
    });

    it('fails, changing nothing, when the table has other keys than the spec', async () => {
      givenOwnActiveTable({
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'orderId', AttributeType: 'N' },
        ],
      });

      const result = await provider().apply(resource());

      expect(result.state).toBe('failed');
      expect(result.conditions).toContainEqual({
        type: 'KeySchema',
        status: 'False',
        reason: 'KeysDiffer',
        message:
          'The table has partition key orderId (N); the spec asks for partition key orderId (S). DynamoDB cannot change the keys of a table: create the resource under a new name',
      });
      expectNoMutation();
    });

    it('fails on any other error of a step, naming the step and the table', async () => {
      givenOwnActiveTable();
      dynamodb.on(UpdateContinuousBackupsCommand).rejects(
        new DynamoDBServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'not authorized',
        }),
      );

      await expect(provider().apply(resource())).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(
          `Could not enable point-in-time recovery on DynamoDB table ${TABLE}`,
        ),
      });
      expect(dynamodb).not.toHaveReceivedCommand(UpdateTimeToLiveCommand);
    });

    it.each([
      ['an unknown field', { partitionKey: { name: 'id', type: 'S' }, x: 1 }],
      ['no partition key', {}],
      [
        'provisioned billing without capacity',
        { partitionKey: { name: 'id', type: 'S' }, billingMode: 'PROVISIONED' },
      ],
      [
        'a sort key named like the partition key',
        {
          partitionKey: { name: 'id', type: 'S' },
          sortKey: { name: 'id', type: 'N' },
        },
      ],
    ])('refuses a spec with %s before any call', async (_, spec) => {
      await expect(provider().apply(resource({ spec }))).rejects.toThrow(
        InputError,
      );
      expect(dynamodb.calls()).toHaveLength(0);
    });

    it.each(['ab', 'orders table', 'orders/2024'])(
      'refuses the table name %s before any call',
      async name => {
        await expect(provider().apply(resource({ name }))).rejects.toThrow(
          InputError,
        );
        expect(dynamodb.calls()).toHaveLength(0);
      },
    );

    it('refuses a resource of another kind', async () => {
      await expect(
        provider().apply(resource({ kind: 'aws:s3-bucket' })),
      ).rejects.toThrow('Provider aws-dynamodb handles aws:dynamodb-table');
      expect(dynamodb.calls()).toHaveLength(0);
    });
  });

  describe('observe', () => {
    it('returns undefined when the table does not exist', async () => {
      dynamodb.on(DescribeTableCommand).rejects(notFound());

      await expect(provider().observe(resource())).resolves.toBeUndefined();
      expect(sentCommands()).toEqual(['DescribeTableCommand']);
    });

    it('reports an ACTIVE table with its settings in place as ready, changing nothing', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: true });
      dynamodb.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: {
          TimeToLiveStatus: 'ENABLED',
          AttributeName: 'expiresAt',
        },
      });

      const result = await provider().observe(
        resource({
          spec: {
            partitionKey: { name: 'orderId', type: 'S' },
            ttlAttribute: 'expiresAt',
          },
        }),
      );

      expect(result).toEqual({
        state: 'ready',
        externalId: ARN,
        outputs: expect.objectContaining({ tableName: TABLE, arn: ARN }),
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            reason: 'OwnershipTagMatches',
          }),
          expect.objectContaining({ type: 'Encrypted', status: 'True' }),
          expect.objectContaining({
            type: 'DeletionProtected',
            status: 'True',
          }),
          expect.objectContaining({
            type: 'PointInTimeRecovery',
            status: 'True',
          }),
          expect.objectContaining({ type: 'TimeToLive', status: 'True' }),
        ],
      });
      expectNoMutation();
    });

    it('reports pending while deletion protection is off', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: false });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(result?.conditions).toContainEqual({
        type: 'DeletionProtected',
        status: 'False',
        reason: 'DiffersFromSpec',
        message: 'Deletion protection is off; the next apply turns it on',
      });
    });

    it('reports pending while a setting still differs from the spec', async () => {
      givenOwnActiveTable();
      dynamodb.on(DescribeContinuousBackupsCommand).resolves({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: 'DISABLED',
          },
        },
      });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(result?.conditions).toContainEqual({
        type: 'PointInTimeRecovery',
        status: 'False',
        reason: 'DiffersFromSpec',
        message:
          'Point-in-time recovery is not enabled; the next apply enables it',
      });
    });

    it('reports a CREATING table as pending', async () => {
      givenOwnActiveTable({ TableStatus: 'CREATING' });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(dynamodb).not.toHaveReceivedCommand(
        DescribeContinuousBackupsCommand,
      );
    });

    it('throws a ConflictError for a table tagged for another resource', async () => {
      givenOwnActiveTable();
      dynamodb.on(ListTagsOfResourceCommand).resolves({
        Tags: [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
      });

      await expect(provider().observe(resource())).rejects.toThrow(
        ConflictError,
      );
    });
  });

  describe('delete', () => {
    it('backs the table up, turns deletion protection off, then deletes it', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: true });

      await provider().delete(resource());

      expect(sentCommands()).toEqual([
        'DescribeTableCommand',
        'ListTagsOfResourceCommand',
        'ListBackupsCommand',
        'CreateBackupCommand',
        'UpdateTableCommand',
        'DeleteTableCommand',
      ]);
      expect(
        dynamodb.commandCalls(ListBackupsCommand)[0].args[0].input,
      ).toEqual({ TableName: TABLE, BackupType: 'USER' });
      expect(
        dynamodb.commandCalls(CreateBackupCommand)[0].args[0].input,
      ).toEqual({ TableName: TABLE, BackupName: `${TABLE}-final-res-0001` });
      expect(
        dynamodb.commandCalls(UpdateTableCommand)[0].args[0].input,
      ).toEqual({ TableName: TABLE, DeletionProtectionEnabled: false });
      expect(
        dynamodb.commandCalls(DeleteTableCommand)[0].args[0].input,
      ).toEqual({ TableName: TABLE });
    });

    it('takes no second backup when an earlier attempt took it', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: true });
      dynamodb.on(ListBackupsCommand).resolves({
        BackupSummaries: [
          {
            TableName: TABLE,
            BackupName: `${TABLE}-final-res-0001`,
            BackupStatus: 'AVAILABLE',
          },
        ],
      });

      await provider().delete(resource());

      expect(dynamodb).not.toHaveReceivedCommand(CreateBackupCommand);
      expect(dynamodb).toHaveReceivedCommand(DeleteTableCommand);
    });

    it('deletes without a backup when told to, and without UpdateTable when unprotected', async () => {
      givenOwnActiveTable();

      await provider({ backupBeforeDelete: false }).delete(resource());

      expect(sentCommands()).toEqual([
        'DescribeTableCommand',
        'ListTagsOfResourceCommand',
        'DeleteTableCommand',
      ]);
    });

    it('deletes without a backup where the endpoint does not implement backups', async () => {
      givenOwnActiveTable();
      dynamodb.on(ListBackupsCommand).rejects(unknownOperation());
      dynamodb.on(CreateBackupCommand).rejects(unknownOperation());

      await provider().delete(resource());

      expect(dynamodb).toHaveReceivedCommand(DeleteTableCommand);
    });

    it('keeps the table, protected, when the backup fails', async () => {
      givenOwnActiveTable({ DeletionProtectionEnabled: true });
      dynamodb.on(CreateBackupCommand).rejects(
        new DynamoDBServiceException({
          name: 'LimitExceededException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Too many backups in progress',
        }),
      );

      await expect(provider().delete(resource())).rejects.toThrow(
        `Could not back up DynamoDB table ${TABLE} before deleting it`,
      );
      expect(dynamodb).not.toHaveReceivedCommand(UpdateTableCommand);
      expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
    });

    it('succeeds without DeleteTable when the table is gone or going', async () => {
      dynamodb.on(DescribeTableCommand).rejects(notFound());
      await provider().delete(resource());

      dynamodb
        .on(DescribeTableCommand)
        .resolves({ Table: table({ TableStatus: 'DELETING' }) });
      await provider().delete(resource());

      expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
    });

    it('counts ResourceNotFoundException from DeleteTable as done', async () => {
      givenOwnActiveTable();
      dynamodb.on(DeleteTableCommand).rejects(notFound());

      await expect(provider().delete(resource())).resolves.toBeUndefined();
    });

    it.each([
      [
        'tagged for another resource',
        [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
      ],
      ['without the ownership tag', []],
    ])('never deletes a table %s', async (_, tags) => {
      givenOwnActiveTable();
      dynamodb.on(ListTagsOfResourceCommand).resolves({ Tags: tags });

      await expect(provider().delete(resource())).rejects.toThrow(
        ConflictError,
      );
      expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
    });

    it('asks to delete again later while the table is being created', async () => {
      givenOwnActiveTable({ TableStatus: 'CREATING' });
      dynamodb.on(ListTagsOfResourceCommand).rejects(notFound());

      await expect(provider().delete(resource())).rejects.toThrow(
        `DynamoDB table ${TABLE} is still being created; delete it again once it is ACTIVE`,
      );
      expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
    });
  });
});
