import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsAccountClients } from './accountClients';
import { readAwsProviderOptions } from './clients';

/** A credentials manager whose keys name the account they were asked for. */
function fakeCredentialsManager() {
  const getCredentialProvider = jest.fn(
    async ({ accountId }: { accountId?: string }) => ({
      ...(accountId ? { accountId } : {}),
      sdkCredentialProvider: async () => ({
        accessKeyId: `AKID-${accountId ?? 'main'}`,
        secretAccessKey: 'example-secret',
      }),
    }),
  );
  const manager: AwsCredentialsManager = { getCredentialProvider };
  return { manager, getCredentialProvider };
}

function accountClients(manager: AwsCredentialsManager) {
  return new AwsAccountClients(
    readAwsProviderOptions(
      new ConfigReader({
        paas: {
          aws: {
            region: 'eu-west-1',
            accountId: '111111111111',
            endpoints: { s3: 'http://127.0.0.1:4568' },
            organizations: {
              checkout: { accountId: '222222222222', region: 'eu-central-1' },
              'search-1': { accountId: '333333333333' },
            },
          },
        },
      }),
    ),
    manager,
  );
}

describe('AwsAccountClients', () => {
  it('gives two organizations clients with their own credentials and region', async () => {
    const { manager, getCredentialProvider } = fakeCredentialsManager();
    const accounts = accountClients(manager);

    const checkout = accounts.clientFor('sqs', 'checkout');
    const search = accounts.clientFor('sqs', 'search-1');

    expect(checkout.client).toBeInstanceOf(SQSClient);
    expect(checkout).toMatchObject({
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    expect(search).toMatchObject({
      accountId: '333333333333',
      region: 'eu-west-1',
    });
    expect(await checkout.client.config.region()).toBe('eu-central-1');
    expect(await search.client.config.region()).toBe('eu-west-1');
    expect(getCredentialProvider).not.toHaveBeenCalled();

    expect(await checkout.client.config.credentials()).toMatchObject({
      accessKeyId: 'AKID-222222222222',
    });
    expect(await search.client.config.credentials()).toMatchObject({
      accessKeyId: 'AKID-333333333333',
    });
    expect(getCredentialProvider.mock.calls).toEqual([
      [{ accountId: '222222222222' }],
      [{ accountId: '333333333333' }],
    ]);
    accounts.destroy();
  });

  it('gives organizations not listed the clients of paas.aws.accountId, shared', async () => {
    const { manager, getCredentialProvider } = fakeCredentialsManager();
    const accounts = accountClients(manager);

    const payments = accounts.clientFor('s3', 'payments');
    const constructor = accounts.clientFor('s3', 'constructor');

    expect(payments).toMatchObject({
      accountId: '111111111111',
      region: 'eu-west-1',
    });
    expect(constructor).toBe(payments);
    expect(await payments.client.config.credentials()).toMatchObject({
      accessKeyId: 'AKID-111111111111',
    });
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: '111111111111',
    });
    accounts.destroy();
  });

  it('caches one client per service and account, with the endpoint overrides of every account', async () => {
    const { manager } = fakeCredentialsManager();
    const accounts = accountClients(manager);

    const s3 = accounts.clientFor('s3', 'checkout');
    expect(accounts.clientFor('s3', 'checkout')).toBe(s3);
    expect(accounts.clientFor('sqs', 'checkout').client).not.toBe(s3.client);
    expect(s3.client).toBeInstanceOf(S3Client);
    expect(await s3.client.config.endpoint!()).toMatchObject({
      hostname: '127.0.0.1',
      port: 4568,
    });
    accounts.destroy();
  });

  it('uses the main account of the aws section when no account id is configured', async () => {
    const { manager, getCredentialProvider } = fakeCredentialsManager();
    const accounts = new AwsAccountClients(
      readAwsProviderOptions(new ConfigReader({})),
      manager,
    );

    const sqs = accounts.clientFor('sqs', 'checkout');

    expect(sqs.accountId).toBeUndefined();
    expect(sqs.region).toBe('us-east-1');
    await sqs.client.config.credentials();
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: undefined,
    });
    accounts.destroy();
  });

  it('destroys every cached client', () => {
    const { manager } = fakeCredentialsManager();
    const accounts = accountClients(manager);
    const clients = [
      accounts.clientFor('s3', 'checkout').client,
      accounts.clientFor('rds', 'search-1').client,
      accounts.clientFor('lambda', 'payments').client,
    ];
    const destroyed = clients.map(client => jest.spyOn(client, 'destroy'));

    accounts.destroy();

    for (const spy of destroyed) {
      expect(spy).toHaveBeenCalledTimes(1);
    }
    expect(accounts.clientFor('s3', 'checkout').client).not.toBe(clients[0]);
    accounts.destroy();
  });
});
