import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { DesiredResource } from '@paasport/plugin-paas-node';
import {
  RunningS3rver,
  S3RVER_CREDENTIALS,
  startS3rver,
} from '../__testUtils__/s3';
import { singleAccount } from '../accountClients';
import { s3ClientConfig } from '../clients';
import { S3PrefixProvider } from './S3PrefixProvider';

const REGION = 'eu-west-1';
const BUCKET = 'acme-shared-data';
const ROLE = 'arn:aws:iam::222222222222:role/acme-checkout';

const resource: DesiredResource = {
  id: 'res-0001',
  kind: 'aws:s3-prefix',
  name: 'acme-checkout-reports',
  organization: 'acme',
  owner: 'group:default/checkout',
  spec: { bucket: BUCKET },
  tags: { 'paasport.io/organization': 'acme', 'paasport.io/team': 'checkout' },
};

describe('S3PrefixProvider against s3rver', () => {
  let s3rver: RunningS3rver;
  let client: S3Client;

  function provider() {
    return new S3PrefixProvider({
      clientFor: singleAccount({ client, region: REGION }),
      sharedBuckets: [{ name: BUCKET }],
      teamRoles: { acme: { checkout: ROLE } },
    });
  }

  beforeEach(async () => {
    s3rver = await startS3rver();
    const config: S3ClientConfig = s3ClientConfig(
      {
        region: REGION,
        endpoint: s3rver.endpoint,
        forcePathStyle: true,
        maxAttempts: 3,
        requestTimeoutMs: 60_000,
      },
      async () => S3RVER_CREDENTIALS,
    );
    client = new S3Client(config);
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  afterEach(async () => {
    client.destroy();
    await s3rver.stop();
  });

  it('creates the marker and reports the bucket policy as not implemented', async () => {
    const result = await provider().apply(resource);

    const marker = await client.send(
      new HeadObjectCommand({
        Bucket: BUCKET,
        Key: 'acme-checkout-reports/.paasport',
      }),
    );
    expect(marker.Metadata).toEqual({ 'paasport-resource-id': 'res-0001' });
    expect(result.state).toBe('ready');
    expect(result.outputs).toMatchObject({
      bucket: BUCKET,
      prefix: 'acme-checkout-reports/',
      s3Uri: `s3://${BUCKET}/acme-checkout-reports/`,
      roleArn: ROLE,
    });
    // s3rver has no bucket policies: the grant shows as Unknown, never as done.
    expect(result.conditions).toEqual([
      expect.objectContaining({ type: 'Owned', status: 'True' }),
      expect.objectContaining({
        type: 'TeamAccessGranted',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      }),
    ]);
  });

  it('applies again, observes, and deletes the marker but not the data', async () => {
    const prefixes = provider();
    await expect(prefixes.observe(resource)).resolves.toBeUndefined();
    await prefixes.apply(resource);
    await prefixes.apply(resource);
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'acme-checkout-reports/report.csv',
        Body: 'a,b',
      }),
    );
    await expect(prefixes.observe(resource)).resolves.toMatchObject({
      state: 'ready',
    });

    await prefixes.delete(resource);
    await prefixes.delete(resource);

    await expect(prefixes.observe(resource)).resolves.toBeUndefined();
    await expect(
      client.send(
        new HeadObjectCommand({
          Bucket: BUCKET,
          Key: 'acme-checkout-reports/report.csv',
        }),
      ),
    ).resolves.toMatchObject({ ContentLength: 3 });
  });
});
