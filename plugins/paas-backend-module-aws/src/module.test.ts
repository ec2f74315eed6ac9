import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { PaasResourceProvider } from '@paasport/plugin-paas-node';
import { createProviderCollectorPlugin } from '@paasport/plugin-paas-node/testUtils';
import {
  RunningS3rver,
  S3RVER_CREDENTIALS,
  startS3rver,
} from './__testUtils__/s3';
import { paasModuleAws } from './module';

describe('paasModuleAws', () => {
  let s3rver: RunningS3rver;

  beforeEach(async () => {
    s3rver = await startS3rver();
  });

  afterEach(async () => {
    await s3rver.stop();
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
      expect(added.map(({ id, kinds }) => ({ id, kinds }))).toEqual([
        { id: 'aws-s3', kinds: ['aws:s3-bucket'] },
      ]);

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
});
