import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ConflictError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import {
  bucketNames,
  isCreateBucket,
  RunningS3rver,
  S3RVER_CREDENTIALS,
  startS3rver,
  throttlingRequestHandler,
} from '../__testUtils__/s3';
import { s3ClientConfig } from '../clients';
import { S3BucketProvider } from './S3BucketProvider';
import { singleAccount } from '../accountClients';

const REGION = 'eu-west-1';

const resource: DesiredResource = {
  id: 'res-0001',
  kind: 'aws:s3-bucket',
  name: 'paasport-checkout-assets',
  organization: 'checkout',
  owner: 'group:default/checkout',
  spec: { versioning: false, encryption: { type: 'SSE-S3' } },
  tags: { 'paasport.io/organization': 'checkout' },
};

describe('S3BucketProvider against s3rver', () => {
  let s3rver: RunningS3rver;
  let config: S3ClientConfig;
  const clients: S3Client[] = [];

  function provider(
    overrides: Partial<S3ClientConfig> = {},
    assumeOwnershipWhenTagsUnreadable = false,
  ) {
    const client = new S3Client({ ...config, ...overrides });
    clients.push(client);
    return new S3BucketProvider({
      clientFor: singleAccount({ client, region: REGION }),
      assumeOwnershipWhenTagsUnreadable,
    });
  }

  function inspector() {
    const client = new S3Client(config);
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    s3rver = await startS3rver();
    config = s3ClientConfig(
      {
        region: REGION,
        endpoint: s3rver.endpoint,
        forcePathStyle: true,
        maxAttempts: 3,
        requestTimeoutMs: 60_000,
      },
      async () => S3RVER_CREDENTIALS,
    );
  });

  afterEach(async () => {
    clients.splice(0).forEach(client => client.destroy());
    await s3rver.stop();
  });

  it('creates the bucket and reports each setting the endpoint does not implement', async () => {
    const result = await provider().apply(resource);

    expect(await bucketNames(inspector())).toEqual([resource.name]);
    expect(result.state).toBe('ready');
    expect(result.externalId).toBe('arn:aws:s3:::paasport-checkout-assets');
    expect(result.outputs).toEqual({
      bucketName: 'paasport-checkout-assets',
      arn: 'arn:aws:s3:::paasport-checkout-assets',
      region: REGION,
      consoleUrl:
        'https://s3.console.aws.amazon.com/s3/buckets/paasport-checkout-assets?region=eu-west-1',
    });
    // s3rver answers NotImplemented to tagging, public access block, encryption and policy,
    // and routes ownership controls as a create: each shows as Unknown, none is silently
    // dropped or claimed as done.
    expect(
      result.conditions?.map(({ type, status, reason }) => ({
        type,
        status,
        reason,
      })),
    ).toEqual([
      { type: 'Owned', status: 'True', reason: 'CreatedByPaasport' },
      { type: 'Tagged', status: 'Unknown', reason: 'NotImplementedByEndpoint' },
      {
        type: 'ObjectOwnershipEnforced',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      },
      {
        type: 'PublicAccessBlocked',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      },
      {
        type: 'Encrypted',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      },
      {
        type: 'SecureTransportOnly',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      },
    ]);
    for (const condition of result.conditions?.slice(1) ?? []) {
      expect(condition.message).toContain('paasport-checkout-assets');
    }
  });

  it('reports versioning as not implemented where s3rver answers it as a create', async () => {
    const versioned = {
      ...resource,
      spec: { ...resource.spec, versioning: true },
    };
    const result = await provider().apply(versioned);

    expect(result.state).toBe('ready');
    expect(result.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Versioned',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
      }),
    );
    expect(await bucketNames(inspector())).toEqual([resource.name]);
  });

  it('applies twice without a second bucket and with the same result', async () => {
    const s3 = provider();
    const first = await s3.apply(resource);
    const second = await s3.apply(resource);

    expect(second).toEqual(first);
    expect(await bucketNames(inspector())).toEqual([resource.name]);
  });

  it('observes nothing before apply and the bucket after', async () => {
    const s3 = provider();
    await expect(s3.observe(resource)).resolves.toBeUndefined();

    await s3.apply(resource);

    await expect(s3.observe(resource)).resolves.toEqual({
      state: 'ready',
      externalId: 'arn:aws:s3:::paasport-checkout-assets',
      outputs: expect.objectContaining({ bucketName: resource.name }),
      conditions: [
        expect.objectContaining({
          type: 'Owned',
          status: 'True',
          reason: 'CreatedByPaasport',
        }),
      ],
    });
  });

  describe('ownership where the endpoint cannot read bucket tags', () => {
    it('adopts on retry the bucket an attempt created before it was cut short', async () => {
      // Every call after CreateBucket fails, as when the reconciler's time limit ran out
      // right after CreateBucket was sent.
      let cut = true;
      const s3 = provider({
        maxAttempts: 1,
        requestHandler: throttlingRequestHandler(
          config,
          request =>
            cut &&
            request.method !== 'HEAD' &&
            !isCreateBucket(resource.name)(request),
        ),
      });
      await expect(s3.apply(resource)).rejects.toThrow();
      expect(await bucketNames(inspector())).toEqual([resource.name]);

      // A provider that did not create it (another replica, or after a restart) refuses it.
      await expect(provider().apply(resource)).rejects.toThrow(
        'already exists and its paasport.io/resource-id tag cannot be read on this endpoint; tag it paasport.io/resource-id=res-0001 or delete it',
      );
      await expect(provider().delete(resource)).rejects.toThrow(ConflictError);
      expect(await bucketNames(inspector())).toEqual([resource.name]);

      cut = false;
      const result = await s3.apply(resource);
      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'True',
        reason: 'CreatedByPaasport',
      });
      expect(await bucketNames(inspector())).toEqual([resource.name]);
      await s3.delete(resource);
      expect(await bucketNames(inspector())).toEqual([]);
    });

    it('adopts a bucket it did not create only when the operator assumes ownership', async () => {
      await inspector().send(
        new CreateBucketCommand({ Bucket: resource.name }),
      );

      await expect(provider().apply(resource)).rejects.toThrow(ConflictError);
      const result = await provider({}, true).apply(resource);

      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        status: 'Unknown',
        reason: 'AssumedByConfiguration',
      });
    });
  });

  it('deletes idempotently', async () => {
    const s3 = provider();
    await s3.apply(resource);

    await s3.delete(resource);
    await s3.delete(resource);

    await expect(
      inspector().send(new HeadBucketCommand({ Bucket: resource.name })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(await bucketNames(inspector())).toEqual([]);
    await expect(s3.observe(resource)).resolves.toBeUndefined();
  });

  it('refuses to delete a bucket that holds objects, and keeps it', async () => {
    const s3 = provider();
    await s3.apply(resource);
    await inspector().send(
      new PutObjectCommand({
        Bucket: resource.name,
        Key: 'report.csv',
        Body: 'a,b',
      }),
    );

    const failure = s3.delete(resource);
    await expect(failure).rejects.toThrow(ConflictError);
    await expect(failure).rejects.toThrow(
      'S3 bucket paasport-checkout-assets still holds objects',
    );
    expect(await bucketNames(inspector())).toEqual([resource.name]);
  });

  describe('throttling, with the SDK standard retry mode and maxAttempts 3', () => {
    it('succeeds when CreateBucket is throttled twice', async () => {
      let throttled = 0;
      let attempts = 0;
      const s3 = provider({
        requestHandler: throttlingRequestHandler(config, request => {
          if (!isCreateBucket(resource.name)(request)) {
            return false;
          }
          attempts += 1;
          return throttled++ < 2;
        }),
      });

      const result = await s3.apply(resource);

      expect(result.state).toBe('ready');
      expect(attempts).toBe(3);
      expect(await bucketNames(inspector())).toEqual([resource.name]);
    });

    it('fails cleanly after maxAttempts when CreateBucket is always throttled', async () => {
      let attempts = 0;
      const s3 = provider({
        requestHandler: throttlingRequestHandler(config, request => {
          if (isCreateBucket(resource.name)(request)) {
            attempts += 1;
            return true;
          }
          return false;
        }),
      });

      const failure = s3.apply(resource);

      await expect(failure).rejects.toMatchObject({
        name: 'SlowDown',
        message: expect.stringContaining(
          'Could not create S3 bucket paasport-checkout-assets',
        ),
      });
      expect(attempts).toBe(3);
      expect(await bucketNames(inspector())).toEqual([]);
      await expect(provider().observe(resource)).resolves.toBeUndefined();
    });
  });
});
