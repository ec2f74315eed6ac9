import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { PaasResourceProvider } from '@paasport/plugin-paas-node';
import { createProviderCollectorPlugin } from '@paasport/plugin-paas-node/testUtils';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DYNALITE_CREDENTIALS,
  RunningDynalite,
  startDynalite,
  tableNames,
} from './__testUtils__/dynalite';
import {
  RunningS3rver,
  S3RVER_CREDENTIALS,
  startS3rver,
} from './__testUtils__/s3';
import { paasModuleAws } from './module';

describe('paasModuleAws', () => {
  let s3rver: RunningS3rver;
  let dynalite: RunningDynalite;

  beforeEach(async () => {
    s3rver = await startS3rver();
    dynalite = await startDynalite();
  });

  afterEach(async () => {
    await s3rver.stop();
    await dynalite.stop();
  });

  it('adds a provider for every AWS kind', async () => {
    const added: PaasResourceProvider[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added).plugin,
        paasModuleAws,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });

    try {
      expect(added.map(({ id, kinds }) => ({ id, kinds }))).toEqual([
        { id: 'aws-s3', kinds: ['aws:s3-bucket'] },
        { id: 'aws-s3-prefix', kinds: ['aws:s3-prefix'] },
        { id: 'aws-dynamodb', kinds: ['aws:dynamodb-table'] },
        { id: 'aws-sqs', kinds: ['aws:sqs-queue'] },
        { id: 'aws-lambda', kinds: ['aws:lambda-function'] },
        { id: 'aws-rds', kinds: ['aws:rds-instance'] },
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('gives each provider the endpoint configured for its service', async () => {
    const added: PaasResourceProvider[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added).plugin,
        paasModuleAws,
        mockServices.rootConfig.factory({
          data: {
            // dynalite accepts any signature, s3rver only these keys'.
            aws: { mainAccount: S3RVER_CREDENTIALS },
            paas: {
              aws: {
                region: 'eu-west-1',
                endpoint: s3rver.endpoint,
                endpoints: { dynamodb: dynalite.endpoint },
                forcePathStyle: true,
              },
            },
          },
        }),
      ],
    });
    const inspector = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: dynalite.endpoint,
      credentials: DYNALITE_CREDENTIALS,
    });

    try {
      const tables = added.find(p => p.kinds.includes('aws:dynamodb-table'))!;
      const result = await tables.apply({
        id: 'res-0002',
        kind: 'aws:dynamodb-table',
        name: 'checkout-orders',
        organization: 'checkout',
        owner: 'group:default/checkout',
        spec: {
          partitionKey: { name: 'orderId', type: 'S' },
          billingMode: 'PAY_PER_REQUEST',
          pointInTimeRecovery: true,
        },
        tags: {},
      });

      expect(result).toMatchObject({
        state: 'pending',
        outputs: { tableName: 'checkout-orders', region: 'eu-west-1' },
      });
      expect(await tableNames(inspector)).toEqual(['checkout-orders']);
    } finally {
      inspector.destroy();
      await backend.stop();
    }
  });

  it('adds an S3 bucket provider that uses the configured endpoint and credentials', async () => {
    const added: PaasResourceProvider[] = [];
    const backend = await startTestBackend({
      features: [
        createProviderCollectorPlugin(added).plugin,
        paasModuleAws,
        mockServices.rootConfig.factory({
          data: {
            aws: { mainAccount: S3RVER_CREDENTIALS },
            paas: {
              aws: {
                region: 'eu-west-1',
                endpoint: s3rver.endpoint,
                forcePathStyle: true,
                maxAttempts: 2,
              },
            },
          },
        }),
      ],
    });

    try {
      const result = await added[0].apply({
        id: 'res-0001',
        kind: 'aws:s3-bucket',
        name: 'paasport-module-test',
        organization: 'checkout',
        owner: 'group:default/checkout',
        spec: { versioning: false, encryption: { type: 'SSE-S3' } },
        tags: {},
      });
      expect(result).toMatchObject({
        state: 'ready',
        externalId: 'arn:aws:s3:::paasport-module-test',
        outputs: { region: 'eu-west-1' },
      });
      expect(JSON.stringify(result)).not.toContain(
        S3RVER_CREDENTIALS.secretAccessKey,
      );
    } finally {
      await backend.stop();
    }
  });

  it('stops the backend from starting on invalid configuration', async () => {
    await expect(
      startTestBackend({
        features: [
          createProviderCollectorPlugin([]).plugin,
          paasModuleAws,
          mockServices.rootConfig.factory({
            data: { paas: { aws: { maxAttempts: 0 } } },
          }),
        ],
      }),
    ).rejects.toThrow('paas.aws.maxAttempts must be an integer from 1 to 10');
  });

  it('stops the backend from starting on an invalid per-service endpoint', async () => {
    await expect(
      startTestBackend({
        features: [
          createProviderCollectorPlugin([]).plugin,
          paasModuleAws,
          mockServices.rootConfig.factory({
            data: { paas: { aws: { endpoints: { sqs: 'sqs.local' } } } },
          }),
        ],
      }),
    ).rejects.toThrow('paas.aws.endpoints.sqs must be an absolute URL');
  });
});
