import http from 'node:http';
import { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  awsClientConfig,
  AwsProviderOptions,
  credentialsFromManager,
  endpointFor,
  readAwsProviderOptions,
  s3ClientConfig,
} from './clients';

const staticCredentials = async () => ({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'example-secret',
});

describe('readAwsProviderOptions', () => {
  it('defaults to us-east-1, AWS endpoints and three attempts', () => {
    expect(readAwsProviderOptions(new ConfigReader({}))).toEqual({
      region: 'us-east-1',
      endpoint: undefined,
      endpoints: {},
      forcePathStyle: false,
      accountId: undefined,
      maxAttempts: 3,
      requestTimeoutMs: 60_000,
      s3: { assumeOwnershipWhenTagsUnreadable: false },
      dynamodb: { backupBeforeDelete: true },
      lambda: { codeDelivery: 's3-reference', allowSharedExecutionRole: false },
      rds: { deletionProtection: true },
    });
  });

  it('reads every key of paas.aws', () => {
    const config = new ConfigReader({
      paas: {
        aws: {
          region: 'eu-central-1',
          endpoint: 'http://127.0.0.1:4569',
          forcePathStyle: true,
          accountId: '123456789012',
          maxAttempts: 5,
          requestTimeoutSeconds: 20,
          endpoints: {
            s3: 'http://127.0.0.1:4568',
            dynamodb: 'http://127.0.0.1:4567',
            sqs: 'https://sqs.eu-central-1.amazonaws.com',
            lambda: 'https://vpce-0abc.lambda.eu-central-1.vpce.amazonaws.com',
            rds: 'https://rds.eu-central-1.amazonaws.com',
          },
          s3: { assumeOwnershipWhenTagsUnreadable: true },
          dynamodb: { backupBeforeDelete: false },
          lambda: {
            executionRoleArn: 'arn:aws:iam::123456789012:role/paasport-lambda',
            codeDelivery: 'upload',
            allowSharedExecutionRole: true,
            codeBuckets: ['acme-artifacts', 'acme-payments-*'],
          },
          rds: {
            deletionProtection: false,
            dbSubnetGroupName: 'paasport-private',
            vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
          },
        },
      },
    });

    expect(readAwsProviderOptions(config)).toEqual({
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:4569',
      endpoints: {
        s3: 'http://127.0.0.1:4568',
        dynamodb: 'http://127.0.0.1:4567',
        sqs: 'https://sqs.eu-central-1.amazonaws.com',
        lambda: 'https://vpce-0abc.lambda.eu-central-1.vpce.amazonaws.com',
        rds: 'https://rds.eu-central-1.amazonaws.com',
      },
      forcePathStyle: true,
      accountId: '123456789012',
      maxAttempts: 5,
      requestTimeoutMs: 20_000,
      s3: { assumeOwnershipWhenTagsUnreadable: true },
      dynamodb: { backupBeforeDelete: false },
      lambda: {
        executionRoleArn: 'arn:aws:iam::123456789012:role/paasport-lambda',
        codeDelivery: 'upload',
        allowSharedExecutionRole: true,
        codeBuckets: ['acme-artifacts', 'acme-payments-*'],
      },
      rds: {
        deletionProtection: false,
        dbSubnetGroupName: 'paasport-private',
        vpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      },
    });
  });

  it.each([
    [{ region: 'Europe' }, 'paas.aws.region'],
    [{ endpoint: 'localhost:4569' }, 'paas.aws.endpoint must be an'],
    [{ endpoint: 'ftp://127.0.0.1' }, 'paas.aws.endpoint must be an http'],
    [
      { endpoint: 'http://key:secret@127.0.0.1' },
      'must not contain credentials',
    ],
    [{ accountId: '1234' }, 'paas.aws.accountId'],
    [{ maxAttempts: 0 }, 'paas.aws.maxAttempts'],
    [{ maxAttempts: 11 }, 'paas.aws.maxAttempts'],
    [{ maxAttempts: 2.5 }, 'paas.aws.maxAttempts'],
    [
      { endpoints: { dynamodb: '127.0.0.1:8000' } },
      'paas.aws.endpoints.dynamodb must be an absolute URL',
    ],
    [
      { endpoints: { sqs: 'ftp://127.0.0.1' } },
      'paas.aws.endpoints.sqs must be an http or https URL',
    ],
    [
      { endpoints: { rds: 'https://key:secret@rds.example.com' } },
      'paas.aws.endpoints.rds must not contain credentials',
    ],
    [
      { lambda: { executionRoleArn: 'paasport-lambda' } },
      'paas.aws.lambda.executionRoleArn must be the ARN of an IAM role',
    ],
    [
      {
        lambda: {
          executionRoleArn: 'arn:aws:iam::123456789012:user/paasport',
        },
      },
      'paas.aws.lambda.executionRoleArn',
    ],
    [
      { lambda: { codeDelivery: 'zip' } },
      "paas.aws.lambda.codeDelivery must be one of s3-reference, upload, got 'zip'",
    ],
    [{ lambda: { codeDelivery: true } }, 'paas.aws.lambda.codeDelivery'],
    [
      { lambda: { codeBuckets: ['Not A Bucket'] } },
      "paas.aws.lambda.codeBuckets must hold bucket names, or prefixes ending in *, got 'Not A Bucket'",
    ],
    [
      { lambda: { codeBuckets: ['acme-*-code'] } },
      "paas.aws.lambda.codeBuckets must hold bucket names, or prefixes ending in *, got 'acme-*-code'",
    ],
    [
      { rds: { vpcSecurityGroupIds: ['default'] } },
      "paas.aws.rds.vpcSecurityGroupIds must hold security group ids such as sg-0123456789abcdef0, got 'default'",
    ],
    [
      { rds: { dbSubnetGroupName: 'private/subnets' } },
      'paas.aws.rds.dbSubnetGroupName',
    ],
  ])('refuses %j', (aws, message) => {
    expect(() =>
      readAwsProviderOptions(new ConfigReader({ paas: { aws } })),
    ).toThrow(message);
  });
});

describe('per-service endpoints', () => {
  const options: AwsProviderOptions = {
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:4566',
    endpoints: { dynamodb: 'http://127.0.0.1:8000' },
    forcePathStyle: false,
    maxAttempts: 3,
    requestTimeoutMs: 60_000,
  };

  it('uses a service endpoint for its service and the shared one for the others', () => {
    expect(endpointFor(options, 'dynamodb')).toBe('http://127.0.0.1:8000');
    expect(endpointFor(options, 'sqs')).toBe('http://127.0.0.1:4566');
    expect(endpointFor({ ...options, endpoint: undefined }, 'sqs')).toBe(
      undefined,
    );
  });

  it('builds each client with the endpoint of its service', async () => {
    expect(awsClientConfig('dynamodb', options, staticCredentials)).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
      credentials: staticCredentials,
      retryMode: 'standard',
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: 5_000,
        requestTimeout: 60_000,
        throwOnRequestTimeout: true,
      },
    });
    expect(awsClientConfig('lambda', options, staticCredentials).endpoint).toBe(
      'http://127.0.0.1:4566',
    );
    expect(
      s3ClientConfig(
        {
          ...options,
          endpoint: undefined,
          endpoints: { s3: 'http://s3.local' },
        },
        staticCredentials,
      ).endpoint,
    ).toBe('http://s3.local');
    expect(
      awsClientConfig(
        'rds',
        { ...options, endpoint: undefined },
        staticCredentials,
      ),
    ).not.toHaveProperty('endpoint');

    const client = new DynamoDBClient(
      awsClientConfig('dynamodb', options, staticCredentials),
    );
    const endpoint = await client.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(
      'http://127.0.0.1:8000',
    );
    client.destroy();
  });
});

describe('request time limit', () => {
  it('fails and retries an attempt that gets no answer in time, instead of waiting forever', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>(resolve =>
      silent.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = silent.address() as AddressInfo;
    const client = new DynamoDBClient(
      awsClientConfig(
        'dynamodb',
        {
          region: 'us-east-1',
          endpoints: { dynamodb: `http://127.0.0.1:${port}` },
          forcePathStyle: false,
          maxAttempts: 2,
          requestTimeoutMs: 200,
        },
        staticCredentials,
      ),
    );
    const started = Date.now();
    const outcome = await client.send(new ListTablesCommand({})).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    const elapsed = Date.now() - started;
    client.destroy();
    silent.closeAllConnections();
    await new Promise(resolve => silent.close(resolve));

    expect(outcome).toBe('TimeoutError');
    // Two attempts of 200 ms and a back-off in between, far below any default.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe('s3ClientConfig', () => {
  it('builds a client with standard retries and the configured bound', async () => {
    const client = new S3Client(
      s3ClientConfig(
        {
          region: 'eu-west-1',
          endpoint: 'http://127.0.0.1:4569',
          forcePathStyle: true,
          maxAttempts: 4,
          requestTimeoutMs: 60_000,
        },
        staticCredentials,
      ),
    );

    const retryStrategy = await client.config.retryStrategy();
    expect(retryStrategy).toHaveProperty('mode', 'standard');
    expect(await client.config.maxAttempts()).toBe(4);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(client.config.forcePathStyle).toBe(true);
    client.destroy();
  });
});

describe('paas.aws.organizations', () => {
  const read = (organizations: unknown) =>
    readAwsProviderOptions(
      new ConfigReader({
        paas: { aws: { organizations } },
      } as ConstructorParameters<typeof ConfigReader>[0]),
    );

  it('reads the account and optional region of each organization', () => {
    expect(
      read({
        checkout: { accountId: '222222222222', region: 'eu-central-1' },
        'search-1': { accountId: '333333333333' },
      }).organizations,
    ).toEqual({
      checkout: { accountId: '222222222222', region: 'eu-central-1' },
      'search-1': { accountId: '333333333333' },
    });
  });

  it('is left out when unset', () => {
    expect(read(undefined)).not.toHaveProperty('organizations');
  });

  it.each([
    [
      { checkout: { accountId: '12345' } },
      'paas.aws.organizations.checkout.accountId must be a 12-digit AWS account id',
    ],
    [
      { checkout: {} },
      'paas.aws.organizations.checkout.accountId must be a 12-digit AWS account id',
    ],
    [
      { checkout: { accountId: '222222222222', region: 'europe' } },
      "paas.aws.organizations.checkout.region must be an AWS region such as eu-west-1, got 'europe'",
    ],
    [
      { Checkout_Team: { accountId: '222222222222' } },
      "paas.aws.organizations.Checkout_Team: 'Checkout_Team' is not an organization name",
    ],
    [
      { '1team': { accountId: '222222222222' } },
      "paas.aws.organizations.1team: '1team' is not an organization name",
    ],
    [
      { checkout: '222222222222' },
      'paas.aws.organizations.checkout must be an object with an accountId',
    ],
    [
      ['checkout'],
      'paas.aws.organizations must map organization names to their AWS account',
    ],
  ])('refuses %j', (organizations, message) => {
    expect(() => read(organizations)).toThrow(message);
  });
});

describe('paas.aws.organizations.<org>.lambdaExecutionRoleArn', () => {
  const read = (organizations: unknown) =>
    readAwsProviderOptions(
      new ConfigReader({
        paas: { aws: { organizations } },
      } as ConstructorParameters<typeof ConfigReader>[0]),
    );
  const ROLE = 'arn:aws:iam::222222222222:role/paasport-acme-lambda';

  it('reads the role beside the account, and alone (the shared account)', () => {
    const options = read({
      acme: { accountId: '222222222222', lambdaExecutionRoleArn: ROLE },
      globex: {
        lambdaExecutionRoleArn:
          'arn:aws:iam::123456789012:role/paasport-globex-lambda',
      },
    });

    expect(options.organizations).toEqual({
      acme: { accountId: '222222222222' },
    });
    expect(options.lambdaExecutionRoleArns).toEqual({
      acme: ROLE,
      globex: 'arn:aws:iam::123456789012:role/paasport-globex-lambda',
    });
  });

  it('refuses a value that is not a role ARN', () => {
    expect(() =>
      read({ acme: { lambdaExecutionRoleArn: 'paasport-acme' } }),
    ).toThrow(
      'paas.aws.organizations.acme.lambdaExecutionRoleArn must be the ARN of an IAM role',
    );
  });
});

describe('paas.aws.organizations.<org>.teamRoles', () => {
  const read = (organizations: unknown) =>
    readAwsProviderOptions(
      new ConfigReader({
        paas: { aws: { organizations } },
      } as ConstructorParameters<typeof ConfigReader>[0]),
    );
  const ROLE = 'arn:aws:iam::222222222222:role/acme-checkout';

  it('reads team roles beside the account, and alone', () => {
    const options = read({
      acme: { accountId: '222222222222', teamRoles: { checkout: ROLE } },
      globex: { teamRoles: { 'search-1': ROLE } },
    });
    expect(options.teamRoles).toEqual({
      acme: { checkout: ROLE },
      globex: { 'search-1': ROLE },
    });
    // Team roles alone leave the organization in the shared account.
    expect(options.organizations).toEqual({
      acme: { accountId: '222222222222' },
    });
    expect(read({ acme: { accountId: '222222222222' } })).not.toHaveProperty(
      'teamRoles',
    );
  });

  it.each([
    [
      { acme: { teamRoles: { checkout: 'checkout-role' } } },
      'paas.aws.organizations.acme.teamRoles.checkout must be the ARN of an IAM role',
    ],
    [
      { acme: { teamRoles: { Checkout: ROLE } } },
      "paas.aws.organizations.acme.teamRoles.Checkout: 'Checkout' is not a team name",
    ],
    [
      { acme: { teamRoles: [ROLE] } },
      'paas.aws.organizations.acme.teamRoles must map team names to IAM role ARNs',
    ],
    [
      { acme: { teamRoles: {} } },
      'paas.aws.organizations.acme.accountId must be a 12-digit AWS account id',
    ],
  ])('refuses %j', (organizations, message) => {
    expect(() => read(organizations)).toThrow(message);
  });
});

describe('paas.aws.sharedBuckets', () => {
  const read = (sharedBuckets: unknown) =>
    readAwsProviderOptions(
      new ConfigReader({
        paas: { aws: { sharedBuckets } },
      } as ConstructorParameters<typeof ConfigReader>[0]),
    );

  it('reads the buckets and the organizations that may use them', () => {
    expect(
      read([
        { name: 'acme-shared-data', organizations: ['acme', 'globex'] },
        { name: 'shared.logs' },
      ]).sharedBuckets,
    ).toEqual([
      { name: 'acme-shared-data', organizations: ['acme', 'globex'] },
      { name: 'shared.logs' },
    ]);
    expect(read(undefined)).not.toHaveProperty('sharedBuckets');
  });

  it.each([
    [{ name: 'a' }, 'paas.aws.sharedBuckets must be a list of buckets'],
    [['acme-shared-data'], 'paas.aws.sharedBuckets[0] must be an object'],
    [
      [{ name: 'Acme_Data' }],
      'paas.aws.sharedBuckets[0].name must be an S3 bucket name',
    ],
    [
      [{ name: 'acme-shared-data' }, { name: 'acme-shared-data' }],
      'paas.aws.sharedBuckets[1].name: bucket acme-shared-data is listed twice',
    ],
    [
      [{ name: 'acme-shared-data', organizations: ['Acme'] }],
      'paas.aws.sharedBuckets[0].organizations must be a list of organization names',
    ],
  ])('refuses %j', (sharedBuckets, message) => {
    expect(() => read(sharedBuckets)).toThrow(message);
  });
});

describe('credentialsFromManager', () => {
  it('asks for the account lazily, once, and retries a failed lookup', async () => {
    const getCredentialProvider = jest
      .fn()
      .mockRejectedValueOnce(new Error('STS unreachable'))
      .mockResolvedValue({ sdkCredentialProvider: staticCredentials });
    const manager: AwsCredentialsManager = { getCredentialProvider };

    const credentials = credentialsFromManager(manager, '123456789012');
    expect(getCredentialProvider).not.toHaveBeenCalled();

    await expect(credentials()).rejects.toThrow('STS unreachable');
    await expect(credentials()).resolves.toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'example-secret',
    });
    await credentials();

    expect(getCredentialProvider).toHaveBeenCalledTimes(2);
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: '123456789012',
    });
  });
});
