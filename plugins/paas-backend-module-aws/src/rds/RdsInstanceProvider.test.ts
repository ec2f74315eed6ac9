import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DBInstance,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { RdsOptions } from '../clients';
import { RdsInstanceProvider } from './RdsInstanceProvider';
import { singleAccount } from '../accountClients';

const INSTANCE = 'checkout-db';
const ARN = `arn:aws:rds:eu-west-1:123456789012:db:${INSTANCE}`;
const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1a2b3c-AbCdEf';
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
    kind: 'aws:rds-instance',
    name: INSTANCE,
    organization: 'checkout',
    owner: 'group:default/checkout',
    spec: { engine: 'postgres', instanceClass: 'db.t4g.micro' },
    tags: { 'paasport.io/organization': 'checkout' },
    ...overrides,
  } as DesiredResource;
}

/** What RDS reports for an available instance Paasport created. */
function instance(overrides: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: INSTANCE,
    DBInstanceArn: ARN,
    DBInstanceStatus: 'available',
    Engine: 'postgres',
    MasterUsername: 'paasadmin',
    Endpoint: {
      Address: `${INSTANCE}.abcdefghijkl.eu-west-1.rds.amazonaws.com`,
      Port: 5432,
    },
    PubliclyAccessible: false,
    StorageEncrypted: true,
    KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/rds-default',
    DeletionProtection: true,
    MasterUserSecret: {
      SecretArn: SECRET_ARN,
      SecretStatus: 'active',
      KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/secrets',
    },
    TagList: OWN_TAGS,
    ...overrides,
  };
}

const notFound = () =>
  new DBInstanceNotFoundFault({
    $metadata: { httpStatusCode: 404 },
    message: `DBInstance ${INSTANCE} not found.`,
  });

const MUTATING_COMMANDS = [
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  ModifyDBInstanceCommand,
];

describe('RdsInstanceProvider', () => {
  const client = new RDSClient({ region: 'eu-west-1' });
  const rds = mockClient(client);

  function provider(options: Partial<RdsOptions> = {}) {
    return new RdsInstanceProvider({
      clientFor: singleAccount({ client, region: 'eu-west-1' }),
      deletionProtection: true,
      ...options,
    });
  }

  function givenInstance(overrides: Partial<DBInstance> = {}) {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves({ DBInstances: [instance(overrides)] });
    rds.on(AddTagsToResourceCommand).resolves({});
    rds.on(ModifyDBInstanceCommand).resolves({
      DBInstance: instance({ ...overrides, DBInstanceStatus: 'modifying' }),
    });
    rds.on(DeleteDBInstanceCommand).resolves({});
  }

  const sentCommands = () =>
    rds.calls().map(call => (call.args[0] as object).constructor.name);

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(rds).not.toHaveReceivedCommand(
        command as typeof ModifyDBInstanceCommand,
      );
    }
  }

  /** Every input sent to RDS, as one string. */
  const everythingSent = () =>
    JSON.stringify(rds.calls().map(call => (call.args[0] as any).input));

  beforeEach(() => rds.reset());

  describe('apply', () => {
    it('creates a private, encrypted instance whose password RDS keeps, and never sends one', async () => {
      rds.on(DescribeDBInstancesCommand).rejects(notFound());
      rds.on(CreateDBInstanceCommand).resolves({
        DBInstance: instance({
          DBInstanceStatus: 'creating',
          Endpoint: undefined,
          MasterUserSecret: { SecretArn: SECRET_ARN, SecretStatus: 'creating' },
        }),
      });

      const result = await provider().apply(resource());

      expect(sentCommands()).toEqual([
        'DescribeDBInstancesCommand',
        'CreateDBInstanceCommand',
      ]);
      expect(
        rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input,
      ).toEqual({
        DBInstanceIdentifier: INSTANCE,
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.micro',
        AllocatedStorage: 20,
        StorageType: 'gp3',
        MultiAZ: false,
        MasterUsername: 'paasadmin',
        ManageMasterUserPassword: true,
        PubliclyAccessible: false,
        StorageEncrypted: true,
        CopyTagsToSnapshot: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        AutoMinorVersionUpgrade: true,
        Tags: OWN_TAGS,
      });
      expect(everythingSent()).not.toMatch(/"(MasterUser)?Password"/);
      expect(result).toEqual({
        state: 'pending',
        externalId: ARN,
        outputs: {
          instanceId: INSTANCE,
          arn: ARN,
          region: 'eu-west-1',
          engine: 'postgres',
          masterUsername: 'paasadmin',
          masterUserSecretArn: SECRET_ARN,
          consoleUrl: `https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#database:id=${INSTANCE}`,
        },
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            reason: 'CreatedByThisApply',
          }),
          expect.objectContaining({ type: 'Encrypted', status: 'True' }),
          expect.objectContaining({
            type: 'PrivateNetworkOnly',
            status: 'True',
          }),
          expect.objectContaining({
            type: 'MasterPasswordManaged',
            status: 'True',
          }),
          expect.objectContaining({
            type: 'DeletionProtected',
            status: 'True',
          }),
          {
            type: 'Available',
            status: 'False',
            reason: 'Waiting',
            message: 'The instance is creating',
          },
        ],
      });
    });

    it('places the instance as configured and creates it unprotected when told to', async () => {
      rds.on(DescribeDBInstancesCommand).rejects(notFound());
      rds.on(CreateDBInstanceCommand).resolves({
        DBInstance: instance({ DBInstanceStatus: 'creating' }),
      });

      await provider({
        deletionProtection: false,
        dbSubnetGroupName: 'paasport-private',
        vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      }).apply(
        resource({
          spec: {
            engine: 'mysql',
            engineVersion: '8.0.39',
            instanceClass: 'db.m7g.large',
            allocatedStorageGiB: 100,
            multiAz: true,
          },
        }),
      );

      expect(
        rds.commandCalls(CreateDBInstanceCommand)[0].args[0].input,
      ).toMatchObject({
        Engine: 'mysql',
        EngineVersion: '8.0.39',
        DBInstanceClass: 'db.m7g.large',
        AllocatedStorage: 100,
        MultiAZ: true,
        DeletionProtection: false,
        DBSubnetGroupName: 'paasport-private',
        VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      });
    });

    it('reports an available instance it owns as ready with its endpoint, changing nothing', async () => {
      givenInstance();

      const result = await provider().apply(resource());

      expectNoMutation();
      expect(result).toMatchObject({
        state: 'ready',
        outputs: {
          endpointAddress: `${INSTANCE}.abcdefghijkl.eu-west-1.rds.amazonaws.com`,
          endpointPort: '5432',
          masterUserSecretArn: SECRET_ARN,
        },
      });
      expect(result.conditions?.every(c => c.status === 'True')).toBe(true);
    });

    it('puts nothing secret into outputs or conditions, whatever RDS answers', async () => {
      givenInstance({
        // Not in RDS's answer today; here to prove outputs are picked field by field.
        MasterUserPassword: 'hunter2-not-for-output',
      } as Partial<DBInstance>);

      const result = await provider().apply(resource());

      expect(JSON.stringify(result)).not.toContain('hunter2');
      expect(JSON.stringify(result)).not.toMatch(/password"\s*:/i);
      expect(Object.keys(result.outputs ?? {}).sort()).toEqual([
        'arn',
        'consoleUrl',
        'endpointAddress',
        'endpointPort',
        'engine',
        'instanceId',
        'masterUserSecretArn',
        'masterUsername',
        'region',
      ]);
    });

    it('turns the secure settings back on when an own instance lost them', async () => {
      givenInstance({
        PubliclyAccessible: true,
        MasterUserSecret: undefined,
        DeletionProtection: false,
      });

      const result = await provider().apply(resource());

      expect(
        rds.commandCalls(ModifyDBInstanceCommand)[0].args[0].input,
      ).toEqual({
        DBInstanceIdentifier: INSTANCE,
        PubliclyAccessible: false,
        ManageMasterUserPassword: true,
        DeletionProtection: true,
        ApplyImmediately: true,
      });
      expect(everythingSent()).not.toMatch(/"(MasterUser)?Password"/);
      expect(result.state).toBe('pending');
    });

    it('waits for an instance that is not available before modifying it', async () => {
      givenInstance({
        DBInstanceStatus: 'backing-up',
        PubliclyAccessible: true,
      });

      const result = await provider().apply(resource());

      expectNoMutation();
      expect(result.state).toBe('pending');
      expect(result.conditions).toContainEqual({
        type: 'PrivateNetworkOnly',
        status: 'False',
        reason: 'Waiting',
        message:
          'The instance is publicly accessible; apply changes it once the instance is available',
      });
    });

    it('turns deletion protection off only when the configuration says so', async () => {
      givenInstance();

      await provider({ deletionProtection: false }).apply(resource());

      expect(
        rds.commandCalls(ModifyDBInstanceCommand)[0].args[0].input,
      ).toEqual({
        DBInstanceIdentifier: INSTANCE,
        DeletionProtection: false,
        ApplyImmediately: true,
      });
    });

    it('adds only the tags the instance lacks', async () => {
      givenInstance();

      await provider().apply(resource({ tags: { team: 'payments' } }));

      expect(
        rds.commandCalls(AddTagsToResourceCommand)[0].args[0].input,
      ).toEqual({
        ResourceName: ARN,
        Tags: [{ Key: 'team', Value: 'payments' }],
      });
    });

    it('reports an unencrypted instance as failed: RDS cannot encrypt in place', async () => {
      givenInstance({ StorageEncrypted: false });

      const result = await provider().apply(resource());

      expect(result.state).toBe('failed');
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Encrypted',
          status: 'False',
          reason: 'CannotEncryptInPlace',
        }),
      );
    });

    it('reports an instance in a failed status as failed', async () => {
      givenInstance({ DBInstanceStatus: 'storage-full' });

      await expect(provider().apply(resource())).resolves.toMatchObject({
        state: 'failed',
        conditions: expect.arrayContaining([
          {
            type: 'Available',
            status: 'False',
            reason: 'Failed',
            message: 'The instance is storage-full',
          },
        ]),
      });
    });

    /** DescribeDBInstances missed the instance, then CreateDBInstance met it. */
    function givenAlreadyExists(tags: DBInstance['TagList']) {
      givenInstance({ TagList: tags });
      rds
        .on(DescribeDBInstancesCommand)
        .rejectsOnce(notFound())
        .resolves({ DBInstances: [instance({ TagList: tags })] });
      rds.on(CreateDBInstanceCommand).rejects(
        new DBInstanceAlreadyExistsFault({
          $metadata: { httpStatusCode: 400 },
          message: 'DB instance already exists',
        }),
      );
    }

    it('on DBInstanceAlreadyExists adopts the instance when it is ours', async () => {
      givenAlreadyExists(OWN_TAGS);

      await expect(provider().apply(resource())).resolves.toMatchObject({
        state: 'ready',
        conditions: expect.arrayContaining([
          expect.objectContaining({
            type: 'Owned',
            reason: 'OwnershipTagMatches',
          }),
        ]),
      });
      expect(sentCommands()).toEqual([
        'DescribeDBInstancesCommand',
        'CreateDBInstanceCommand',
        'DescribeDBInstancesCommand',
      ]);
    });

    it.each([
      [
        'belongs to another resource',
        [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
        `RDS instance ${INSTANCE} belongs to another Paasport resource`,
      ],
      [
        'has no ownership tag',
        [],
        `RDS instance ${INSTANCE} already exists without the paasport.io/resource-id tag`,
      ],
    ])(
      'on DBInstanceAlreadyExists refuses an instance that %s',
      async (_, tags, message) => {
        givenAlreadyExists(tags);

        const failure = provider().apply(resource());

        await expect(failure).rejects.toThrow(ConflictError);
        await expect(failure).rejects.toThrow(message);
        expect(sentCommands()).toEqual([
          'DescribeDBInstancesCommand',
          'CreateDBInstanceCommand',
          'DescribeDBInstancesCommand',
        ]);
      },
    );

    it('names the instance and the step when a call fails', async () => {
      givenInstance({ PubliclyAccessible: true });
      rds.on(ModifyDBInstanceCommand).rejects(
        new InvalidDBInstanceStateFault({
          $metadata: { httpStatusCode: 400 },
          message: 'Instance is not available',
        }),
      );

      await expect(provider().apply(resource())).rejects.toMatchObject({
        name: 'InvalidDBInstanceStateFault',
        message: expect.stringContaining(
          `Could not modify RDS instance ${INSTANCE}`,
        ),
      });
    });

    it.each([
      ['an upper-case identifier', { name: 'Checkout-DB' }],
      ['a double dash', { name: 'checkout--db' }],
      ['a trailing dash', { name: 'checkout-db-' }],
      [
        'a bad instance class',
        { spec: { engine: 'postgres', instanceClass: 'large' } },
      ],
      [
        'an unknown field such as a password',
        {
          spec: {
            engine: 'postgres',
            instanceClass: 'db.t4g.micro',
            masterPassword: 'x',
          },
        },
      ],
    ])('refuses %s before any call', async (_, overrides) => {
      await expect(provider().apply(resource(overrides))).rejects.toThrow(
        InputError,
      );
      expect(rds.calls()).toHaveLength(0);
    });
  });

  describe('observe', () => {
    it('returns undefined when the instance does not exist', async () => {
      rds.on(DescribeDBInstancesCommand).rejects(notFound());

      await expect(provider().observe(resource())).resolves.toBeUndefined();
      expect(rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
        DBInstanceIdentifier: INSTANCE,
      });
    });

    it('reports an instance that is still being created as pending', async () => {
      givenInstance({ DBInstanceStatus: 'creating', Endpoint: undefined });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(result?.outputs).not.toHaveProperty('endpointAddress');
      expectNoMutation();
    });

    it('reports pending when a secure setting differs', async () => {
      givenInstance({ PubliclyAccessible: true });

      await expect(provider().observe(resource())).resolves.toMatchObject({
        state: 'pending',
      });
      expectNoMutation();
    });

    it('throws a ConflictError for an instance of another resource', async () => {
      givenInstance({
        TagList: [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
      });

      await expect(provider().observe(resource())).rejects.toThrow(
        ConflictError,
      );
    });
  });

  describe('delete', () => {
    it('deletes an unprotected instance it owns, keeping a final snapshot', async () => {
      givenInstance({ DeletionProtection: false });

      await provider({ deletionProtection: false }).delete(resource());

      expect(
        rds.commandCalls(DeleteDBInstanceCommand)[0].args[0].input,
      ).toEqual({
        DBInstanceIdentifier: INSTANCE,
        SkipFinalSnapshot: false,
        FinalDBSnapshotIdentifier: 'checkout-db-final-res-0001',
        DeleteAutomatedBackups: false,
      });
    });

    it('refuses to delete an instance with deletion protection on, and does not turn it off', async () => {
      givenInstance();

      const failure = provider().delete(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        'Set paas.aws.rds.deletionProtection to false and apply the resource',
      );
      expectNoMutation();
    });

    it('succeeds without DeleteDBInstance when the instance is gone or going', async () => {
      rds.on(DescribeDBInstancesCommand).rejects(notFound());
      await provider().delete(resource());

      givenInstance({ DBInstanceStatus: 'deleting' });
      await provider().delete(resource());

      expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    });

    it('counts DBInstanceNotFound from DeleteDBInstance as done', async () => {
      givenInstance({ DeletionProtection: false });
      rds.on(DeleteDBInstanceCommand).rejects(notFound());

      await expect(
        provider({ deletionProtection: false }).delete(resource()),
      ).resolves.toBeUndefined();
    });

    it.each([
      [
        new InvalidDBInstanceStateFault({
          $metadata: { httpStatusCode: 400 },
          message: 'Instance is being modified',
        }),
        `RDS instance ${INSTANCE} cannot be deleted while it is modifying; delete it again once it is available`,
      ],
      [
        new DBSnapshotAlreadyExistsFault({
          $metadata: { httpStatusCode: 400 },
          message: 'Snapshot already exists',
        }),
        `its final snapshot checkout-db-final-res-0001 already exists`,
      ],
    ])('explains %s as a ConflictError', async (error, message) => {
      givenInstance({
        DeletionProtection: false,
        DBInstanceStatus: 'modifying',
      });
      rds.on(DeleteDBInstanceCommand).rejects(error);

      const failure = provider({ deletionProtection: false }).delete(
        resource(),
      );

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(message);
    });

    it('never deletes an instance of another resource', async () => {
      givenInstance({
        DeletionProtection: false,
        TagList: [{ Key: 'paasport.io/resource-id', Value: 'res-0002' }],
      });

      await expect(
        provider({ deletionProtection: false }).delete(resource()),
      ).rejects.toThrow(ConflictError);
      expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    });
  });
});
