import { mockServices } from '@backstage/backend-test-utils';
import {
  Entity,
  FieldFormatEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ManagedResource,
  ResourceCondition,
} from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { PaasResourceEntityProvider } from './PaasResourceEntityProvider';

const LOCATION = 'paas:http://localhost:7007/api/paas';
const APP = 'http://localhost:3000';

function confirmed(type: string): ResourceCondition {
  return { type, status: 'True', reason: 'Applied' };
}

function resource(
  kind: ManagedResource['kind'],
  name: string,
  extra: Partial<ManagedResource> = {},
): ManagedResource {
  return {
    id: `id-${kind}-${name}`,
    organization: 'acme-payments',
    team: 'checkout',
    kind,
    name,
    externalName: `acme-payments-checkout-${name}`,
    owner: 'group:default/acme-payments-checkout',
    spec: {},
    phase: 'ready',
    deletionPolicy: 'delete',
    generation: 1,
    observedGeneration: 1,
    conditions: [],
    outputs: {},
    monthlyCost: 5,
    requestedBy: 'user:default/ada.lovelace',
    createdAt: '2026-01-05T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
    ...extra,
  };
}

const bucket = resource('aws:s3-bucket', 'assets', {
  id: '6f1c2f4e-0d7a-4c1b-9a51-5d2a8f0c9e11',
  component: 'component:default/payments-api',
  spec: { versioning: false, encryption: { type: 'SSE-S3' } },
  conditions: [
    confirmed('Tagged'),
    confirmed('PublicAccessBlocked'),
    confirmed('Encrypted'),
    confirmed('SecureTransportOnly'),
  ],
  outputs: {
    bucketName: 'acme-payments-checkout-assets',
    arn: 'arn:aws:s3:::acme-payments-checkout-assets',
    region: 'eu-west-1',
    consoleUrl:
      'https://s3.console.aws.amazon.com/s3/buckets/acme-payments-checkout-assets?region=eu-west-1',
  },
});
const table = resource('aws:dynamodb-table', 'orders', {
  component: 'component:default/payments-api',
  conditions: [
    confirmed('Tagged'),
    {
      type: 'Encrypted',
      status: 'Unknown',
      reason: 'KmsEncryptionNotReported',
    },
    confirmed('PointInTimeRecovery'),
  ],
  outputs: {
    tableName: 'acme-payments-checkout-orders',
    consoleUrl:
      'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=acme-payments-checkout-orders',
  },
});
const queue = resource('aws:sqs-queue', 'payments', {
  phase: 'provisioning',
  outputs: {
    queueUrl:
      'https://sqs.eu-west-1.amazonaws.com/123456789012/acme-payments-checkout-payments',
  },
});
const lambda = resource('aws:lambda-function', 'refunds', {
  phase: 'pending-approval',
});
const database = resource('aws:rds-instance', 'ledger', {
  phase: 'failed',
  conditions: [
    {
      type: 'Encrypted',
      status: 'False',
      reason: 'Failed',
    },
  ],
});
const namespace = resource('kubernetes:namespace', 'dev', {
  phase: 'deleting',
  conditions: [confirmed('Committed'), confirmed('UpToDate')],
  outputs: {
    namespace: 'acme-payments-checkout-dev',
    cluster: 'eu-west-gpu',
    gitopsPath: 'clusters/eu-west-gpu/acme-payments-checkout-dev',
  },
});
const deleted = resource('aws:s3-bucket', 'old-assets', { phase: 'deleted' });

function setup(options: { baseUrl?: string; appBaseUrl?: string } = {}) {
  const paas = {
    listResources: jest.fn(async () => [
      bucket,
      table,
      queue,
      lambda,
      database,
      namespace,
      deleted,
    ]),
  } as unknown as jest.Mocked<PaasService>;
  const logger = mockServices.logger.mock();
  const taskRunner = { run: jest.fn() };
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  };
  const provider = new PaasResourceEntityProvider({
    paas,
    logger,
    taskRunner,
    baseUrl:
      'baseUrl' in options ? options.baseUrl : 'http://localhost:7007/api/paas',
    appBaseUrl: 'appBaseUrl' in options ? options.appBaseUrl : `${APP}/`,
  });

  /** The entities of the last mutation, which must have been a full one. */
  function published(): Entity[] {
    const mutation = connection.applyMutation.mock.lastCall?.[0];
    if (mutation?.type !== 'full') {
      throw new Error(`expected a full mutation, got ${mutation?.type}`);
    }
    for (const deferred of mutation.entities) {
      expect(deferred.locationKey).toBe('paas-resources');
    }
    return mutation.entities.map(e => e.entity);
  }
  const entity = (name: string) =>
    published().find(e => e.metadata.name === name);

  return { paas, logger, taskRunner, connection, provider, published, entity };
}

/** What the catalog itself checks before it accepts an entity. */
async function expectAccepted(entity: Entity) {
  await expect(
    new SchemaValidEntityPolicy().enforce(entity),
  ).resolves.toBeDefined();
  await expect(
    new FieldFormatEntityPolicy().enforce(entity),
  ).resolves.toBeDefined();
  await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
    true,
  );
}

describe('PaasResourceEntityProvider', () => {
  it('is named paas-resources and refreshes on its task runner', async () => {
    const { provider, taskRunner, connection } = setup();

    await provider.connect(connection);

    expect(provider.getProviderName()).toBe('paas-resources');
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'paas-resources:refresh',
      fn: expect.any(Function),
    });
    await taskRunner.run.mock.calls[0][0].fn();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('publishes every resource that is not deleted in one full mutation', async () => {
    const { provider, connection, published } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(published().map(e => e.metadata.name)).toEqual([
      's3-bucket-acme-payments-checkout-assets',
      'dynamodb-table-acme-payments-checkout-orders',
      'sqs-queue-acme-payments-checkout-payments',
      'lambda-function-acme-payments-checkout-refunds',
      'rds-instance-acme-payments-checkout-ledger',
      'kubernetes-namespace-acme-payments-checkout-dev',
    ]);
  });

  it('publishes an S3 bucket owned by its team, as a dependency of its component', async () => {
    const { provider, connection, entity } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(entity('s3-bucket-acme-payments-checkout-assets')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 's3-bucket-acme-payments-checkout-assets',
        namespace: 'default',
        title: 'assets',
        description:
          'S3 bucket acme-payments-checkout-assets, managed by Paasport. ' +
          'Public access blocked, encrypted, TLS required, Paasport tags applied.',
        labels: { 'paasport.io/phase': 'ready' },
        annotations: {
          'backstage.io/managed-by-location': LOCATION,
          'backstage.io/managed-by-origin-location': LOCATION,
          'backstage.io/view-url': `${APP}/paasport/organizations/acme-payments`,
          'paasport.io/resource-id': '6f1c2f4e-0d7a-4c1b-9a51-5d2a8f0c9e11',
          'paasport.io/organization': 'acme-payments',
          'paasport.io/team': 'checkout',
          'paasport.io/kind': 'aws:s3-bucket',
        },
        tags: [
          'public-access-blocked',
          'encrypted',
          'tls-only',
          'paasport-tagged',
        ],
        links: [
          {
            url: 'https://s3.console.aws.amazon.com/s3/buckets/acme-payments-checkout-assets?region=eu-west-1',
            title: 'Console URL',
          },
          {
            url: `${APP}/paasport/organizations/acme-payments`,
            title: 'Paasport',
          },
        ],
      },
      spec: {
        type: 's3-bucket',
        owner: 'group:default/acme-payments-checkout',
        dependencyOf: ['component:default/payments-api'],
      },
    });
  });

  it.each<
    [
      type: string,
      source: ManagedResource,
      description: string,
      tags: string[],
      links: string[],
    ]
  >([
    [
      's3-bucket',
      bucket,
      'S3 bucket acme-payments-checkout-assets, managed by Paasport. Public access blocked, encrypted, TLS required, Paasport tags applied.',
      ['public-access-blocked', 'encrypted', 'tls-only', 'paasport-tagged'],
      ['Console URL', 'Paasport'],
    ],
    [
      'dynamodb-table',
      table,
      'DynamoDB table acme-payments-checkout-orders, managed by Paasport. Point-in-time recovery on, Paasport tags applied.',
      ['point-in-time-recovery', 'paasport-tagged'],
      ['Console URL', 'Paasport'],
    ],
    [
      'sqs-queue',
      queue,
      'SQS queue acme-payments-checkout-payments, managed by Paasport, being provisioned.',
      [],
      ['Queue URL', 'Paasport'],
    ],
    [
      'lambda-function',
      lambda,
      'Lambda function acme-payments-checkout-refunds, managed by Paasport, waiting for approval.',
      [],
      ['Paasport'],
    ],
    [
      'rds-instance',
      database,
      'RDS instance acme-payments-checkout-ledger, managed by Paasport, failed.',
      [],
      ['Paasport'],
    ],
    [
      'kubernetes-namespace',
      namespace,
      'Kubernetes namespace acme-payments-checkout-dev, managed by Paasport, being deleted.',
      [],
      ['Paasport'],
    ],
  ])(
    'publishes a %s with its type, phase and confirmed safeguards',
    async (type, source, description, tags, links) => {
      const { provider, connection, published } = setup();
      await provider.connect(connection);

      await provider.refresh();

      const found = published().find(
        e => e.metadata.annotations?.['paasport.io/resource-id'] === source.id,
      )!;
      expect(found.spec?.type).toBe(type);
      expect(found.metadata.title).toBe(source.name);
      expect(found.metadata.description).toBe(description);
      expect(found.metadata.labels).toEqual({
        'paasport.io/phase': source.phase,
      });
      expect(found.metadata.tags).toEqual(tags);
      expect(found.metadata.links?.map(l => l.title)).toEqual(links);
      expect(found.metadata.annotations).toMatchObject({
        'paasport.io/organization': 'acme-payments',
        'paasport.io/team': 'checkout',
        'paasport.io/kind': source.kind,
      });
      expect(found.spec?.owner).toBe('group:default/acme-payments-checkout');
      expect(found.spec).not.toHaveProperty('system');
      await expectAccepted(found);
    },
  );

  it('names the component as dependencyOf, and no dependency without one', async () => {
    const { provider, connection, entity } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(
      entity('dynamodb-table-acme-payments-checkout-orders')?.spec
        ?.dependencyOf,
    ).toEqual(['component:default/payments-api']);
    expect(
      entity('kubernetes-namespace-acme-payments-checkout-dev')?.spec,
    ).toEqual({
      type: 'kubernetes-namespace',
      owner: 'group:default/acme-payments-checkout',
    });
  });

  it('claims no safeguard whose condition is not True', async () => {
    const { provider, connection, paas, entity } = setup();
    paas.listResources.mockResolvedValue([
      {
        ...bucket,
        conditions: [
          { type: 'PublicAccessBlocked', status: 'Unknown', reason: 'X' },
          { type: 'Encrypted', status: 'False', reason: 'Waiting' },
        ],
      },
    ]);
    await provider.connect(connection);

    await provider.refresh();

    const found = entity('s3-bucket-acme-payments-checkout-assets');
    expect(found?.metadata.tags).toEqual([]);
    expect(found?.metadata.description).toBe(
      'S3 bucket acme-payments-checkout-assets, managed by Paasport.',
    );
  });

  it('shortens a name the catalog would find too long, the same way on every refresh', async () => {
    const { provider, connection, paas, published } = setup();
    const long = resource('kubernetes:namespace', 'storefront-preview', {
      organization: 'acme-payments-and-settlements',
      team: 'checkout-experience',
      externalName: 'acme-payments-and-settlements-checkout-experience-storef',
    });
    paas.listResources.mockResolvedValue([long]);
    await provider.connect(connection);

    await provider.refresh();
    const [first] = published();
    await provider.refresh();
    const [second] = published();

    expect(first.metadata.name).toMatch(
      /^kubernetes-namespace-acme-payments-and-settlements-che-[0-9a-f]{8}$/,
    );
    expect(second.metadata.name).toBe(first.metadata.name);
    await expectAccepted(first);
  });

  it('removes resources deleted since the last refresh with the next full mutation', async () => {
    const { provider, connection, paas, published } = setup();
    await provider.connect(connection);
    await provider.refresh();

    paas.listResources.mockResolvedValue([
      bucket,
      { ...table, phase: 'deleted' },
    ]);
    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(published().map(e => e.metadata.name)).toEqual([
      's3-bucket-acme-payments-checkout-assets',
    ]);
  });

  it('keeps the published resources, and keeps running, when Paasport cannot be read', async () => {
    const { provider, connection, paas, logger } = setup();
    await provider.connect(connection);
    await provider.refresh();

    paas.listResources.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    await expect(provider.refresh()).resolves.toBeUndefined();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not read Paasport managed resources'),
      expect.objectContaining({ message: 'connect ECONNREFUSED' }),
    );

    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
  });

  it('reads Paasport with its own service credentials', async () => {
    const { provider, connection, paas } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(paas.listResources).toHaveBeenCalledWith();
  });

  it('skips, with a warning, a resource that would get an invalid entity name', async () => {
    const { provider, connection, paas, logger, published } = setup();
    paas.listResources.mockResolvedValue([
      resource('aws:s3-bucket', 'bad name'),
      bucket,
    ]);
    await provider.connect(connection);

    await provider.refresh();

    expect(published().map(e => e.metadata.name)).toEqual([
      's3-bucket-acme-payments-checkout-assets',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "Not publishing aws:s3-bucket 'bad name' of team 'checkout' in 'acme-payments'",
      ),
    );
  });

  it('names a generic location, and links to no Paasport page, when the base URLs are unknown', async () => {
    const { provider, connection, entity } = setup({
      baseUrl: undefined,
      appBaseUrl: undefined,
    });
    await provider.connect(connection);

    await provider.refresh();

    const found = entity('s3-bucket-acme-payments-checkout-assets')!;
    expect(found.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': 'paas:paasport',
      'backstage.io/managed-by-origin-location': 'paas:paasport',
    });
    expect(found.metadata.annotations).not.toHaveProperty(
      'backstage.io/view-url',
    );
    expect(found.metadata.links?.map(l => l.title)).toEqual(['Console URL']);
    await expectAccepted(found);
  });

  it('refuses to refresh before the catalog has connected it', async () => {
    const { provider } = setup();

    await expect(provider.refresh()).rejects.toThrow('not connected');
  });
});
