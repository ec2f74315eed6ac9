import { S3Client } from '@aws-sdk/client-s3';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  credentialsFromManager,
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
      forcePathStyle: false,
      accountId: undefined,
      maxAttempts: 3,
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
        },
      },
    });

    expect(readAwsProviderOptions(config)).toEqual({
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:4569',
      forcePathStyle: true,
      accountId: '123456789012',
      maxAttempts: 5,
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
  ])('refuses %j', (aws, message) => {
    expect(() =>
      readAwsProviderOptions(new ConfigReader({ paas: { aws } })),
    ).toThrow(message);
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
