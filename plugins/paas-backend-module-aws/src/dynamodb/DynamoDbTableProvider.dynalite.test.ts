import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBClientConfig,
  ListTagsOfResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import {
  afterTableTransition,
  DYNALITE_CREDENTIALS,
  isOperation,
  RunningDynalite,
  startDynalite,
  tableNames,
  throttlingRequestHandler,
} from '../__testUtils__/dynalite';
import { awsClientConfig } from '../clients';
import { DynamoDbTableProvider } from './DynamoDbTableProvider';
import { singleAccount } from '../accountClients';

const REGION = 'eu-west-1';
const MAX_ATTEMPTS = 3;

const resource: DesiredResource = {
  id: 'res-0001',
  kind: 'aws:dynamodb-table',
  name: 'checkout-orders',
  organization: 'checkout',
  owner: 'group:default/checkout',
  spec: {
    partitionKey: { name: 'orderId', type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    pointInTimeRecovery: true,
  },
  tags: { 'paasport.io/organization': 'checkout' },
};

describe('DynamoDbTableProvider against dynalite', () => {
  let emulator: RunningDynalite;
  let config: DynamoDBClientConfig;
  const clients: DynamoDBClient[] = [];

  function client(overrides: Partial<DynamoDBClientConfig> = {}) {
    const created = new DynamoDBClient({ ...config, ...overrides });
    clients.push(created);
    return created;
  }

  function provider(overrides: Partial<DynamoDBClientConfig> = {}) {
    return new DynamoDbTableProvider({
      clientFor: singleAccount({ client: client(overrides), region: REGION }),
    });
  }

  /** Applies until the table leaves CREATING, as the reconciler would. */
  async function applyUntilSettled(tables: DynamoDbTableProvider) {
    const first = await tables.apply(resource);
    expect(first.state).toBe('pending');
    await afterTableTransition();
    return tables.apply(resource);
  }

  beforeEach(async () => {
    emulator = await startDynalite();
    config = awsClientConfig(
      'dynamodb',
      {
        region: REGION,
        endpoints: { dynamodb: emulator.endpoint },
        forcePathStyle: false,
        maxAttempts: MAX_ATTEMPTS,
        requestTimeoutMs: 60_000,
      },
      async () => DYNALITE_CREDENTIALS,
    );
  });

  afterEach(async () => {
    clients.splice(0).forEach(c => c.destroy());
    await emulator.stop();
  });

  it('creates the table, then reports what dynalite does not implement as Unknown', async () => {
    const tables = provider();

    const created = await tables.apply(resource);
    expect(created).toMatchObject({
      state: 'pending',
      conditions: expect.arrayContaining([
        expect.objectContaining({
          type: 'Owned',
          reason: 'CreatedByThisApply',
        }),
        expect.objectContaining({ type: 'Active', status: 'False' }),
      ]),
    });
    expect(await tableNames(client())).toEqual(['checkout-orders']);

    await afterTableTransition();
    const settled = await tables.apply(resource);

    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/checkout-orders';
    expect(settled.state).toBe('ready');
    expect(settled.externalId).toBe(arn);
    expect(settled.outputs).toEqual({
      tableName: 'checkout-orders',
      arn,
      region: REGION,
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=checkout-orders',
    });
    // dynalite ignores SSESpecification and deletion protection and has no
    // UpdateContinuousBackups: each stays visible.
    expect(
      settled.conditions?.map(({ type, status, reason }) => ({
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
    ]);

    // dynalite drops the tags of CreateTable; the provider put them on afterwards.
    const { Tags } = await client().send(
      new ListTagsOfResourceCommand({ ResourceArn: arn }),
    );
    expect(Tags).toEqual(
      expect.arrayContaining([
        { Key: 'paasport.io/organization', Value: 'checkout' },
        { Key: 'paasport.io/resource-id', Value: 'res-0001' },
      ]),
    );
    expect(Tags).toHaveLength(2);

    const { Table } = await client().send(
      new DescribeTableCommand({ TableName: 'checkout-orders' }),
    );
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('observes nothing before apply and a ready table after', async () => {
    const tables = provider();
    await expect(tables.observe(resource)).resolves.toBeUndefined();

    await applyUntilSettled(tables);

    await expect(tables.observe(resource)).resolves.toMatchObject({
      state: 'ready',
      outputs: { tableName: 'checkout-orders' },
      conditions: [
        { type: 'Owned', status: 'True', reason: 'OwnershipTagMatches' },
        { type: 'Encrypted', status: 'Unknown' },
        {
          type: 'DeletionProtected',
          status: 'Unknown',
          reason: 'NotReportedByEndpoint',
        },
        {
          type: 'PointInTimeRecovery',
          status: 'Unknown',
          reason: 'NotImplementedByEndpoint',
        },
      ],
    });
  });

  it('applies again, with a new provider, and adopts the table without a second one', async () => {
    const first = await applyUntilSettled(provider());

    const again = await provider().apply(resource);

    expect(again).toEqual(first);
    expect(await tableNames(client())).toEqual(['checkout-orders']);
  });

  it('reports time to live as Unknown on apply and as not enabled on observe', async () => {
    const withTtl = {
      ...resource,
      spec: { ...resource.spec, ttlAttribute: 'expiresAt' },
    };
    const tables = provider();
    await tables.apply(withTtl);
    await afterTableTransition();

    const applied = await tables.apply(withTtl);
    const observed = await tables.observe(withTtl);

    // dynalite answers DescribeTimeToLive (always DISABLED) but not UpdateTimeToLive.
    expect(applied.conditions).toContainEqual(
      expect.objectContaining({
        type: 'TimeToLive',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      }),
    );
    expect(observed).toMatchObject({ state: 'pending' });
    expect(observed?.conditions).toContainEqual(
      expect.objectContaining({
        type: 'TimeToLive',
        status: 'False',
        reason: 'DiffersFromSpec',
      }),
    );
  });

  it('refuses a table of the same name tagged for another resource, and keeps it', async () => {
    const inspector = client();
    const { TableDescription } = await inspector.send(
      new CreateTableCommand({
        TableName: 'checkout-orders',
        AttributeDefinitions: [
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await inspector.send(
      new TagResourceCommand({
        ResourceArn: TableDescription!.TableArn,
        Tags: [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
      }),
    );
    await afterTableTransition();
    const tables = provider();

    await expect(tables.apply(resource)).rejects.toThrow(ConflictError);
    await expect(tables.observe(resource)).rejects.toThrow(
      'DynamoDB table checkout-orders belongs to another Paasport resource',
    );
    await expect(tables.delete(resource)).rejects.toThrow(ConflictError);

    expect(await tableNames(inspector)).toEqual(['checkout-orders']);
    const { Tags } = await inspector.send(
      new ListTagsOfResourceCommand({
        ResourceArn: TableDescription!.TableArn,
      }),
    );
    expect(Tags).toEqual([
      { Key: 'paasport.io/resource-id', Value: 'res-0002' },
    ]);
  });

  it('deletes idempotently', async () => {
    const tables = provider();
    await applyUntilSettled(tables);

    await tables.delete(resource);
    await tables.delete(resource);
    await afterTableTransition();
    await tables.delete(resource);

    expect(await tableNames(client())).toEqual([]);
    await expect(tables.observe(resource)).resolves.toBeUndefined();
  });

  describe(`throttling, with the SDK standard retry mode and maxAttempts ${MAX_ATTEMPTS}`, () => {
    // The standard strategy waits up to a second or more before retrying throttling; the
    // same strategy with millisecond back-off keeps the test fast.
    const fastRetries = () =>
      new ConfiguredRetryStrategy(MAX_ATTEMPTS, () => 1);

    it('succeeds when CreateTable is throttled twice', async () => {
      let attempts = 0;
      const tables = provider({
        retryStrategy: fastRetries(),
        requestHandler: throttlingRequestHandler(config, request => {
          if (!isOperation('CreateTable')(request)) {
            return false;
          }
          attempts += 1;
          return attempts <= 2;
        }),
      });

      const result = await tables.apply(resource);

      expect(result.state).toBe('pending');
      expect(attempts).toBe(3);
      expect(await tableNames(client())).toEqual(['checkout-orders']);
    });

    it('fails cleanly after maxAttempts when CreateTable is always throttled', async () => {
      let attempts = 0;
      const tables = provider({
        retryStrategy: fastRetries(),
        requestHandler: throttlingRequestHandler(config, request => {
          if (isOperation('CreateTable')(request)) {
            attempts += 1;
            return true;
          }
          return false;
        }),
      });

      const failure = tables.apply(resource);

      await expect(failure).rejects.toMatchObject({
        name: 'ThrottlingException',
        message: expect.stringContaining(
          `Could not create DynamoDB table checkout-orders after ${MAX_ATTEMPTS} attempts; caused by ThrottlingException: Rate of requests exceeds the allowed throughput.`,
        ),
      });
      expect(attempts).toBe(MAX_ATTEMPTS);
      expect(await tableNames(client())).toEqual([]);
      await expect(provider().observe(resource)).resolves.toBeUndefined();
    });
  });
});
