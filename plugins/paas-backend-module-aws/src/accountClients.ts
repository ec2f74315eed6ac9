import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { ResourceKind } from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import {
  awsClientConfig,
  AwsProviderOptions,
  AwsSdkCredentials,
  AwsService,
  credentialsFromManager,
  s3ClientConfig,
} from './clients';

/**
 * The SDK client of one service for one organization, with the account and region it
 * reaches.
 * @public
 */
export interface AwsAccountClient<C> {
  client: C;
  /** The region new resources are created in. */
  region: string;
  /** The account; undefined for the main account of the `aws` config section. */
  accountId?: string;
}

/**
 * Returns the client of an organization's account. Providers call it on every observe,
 * apply and delete with the resource's organization.
 * @public
 */
export type AwsClientFor<C> = (organization: string) => AwsAccountClient<C>;

/**
 * A {@link AwsClientFor} that gives every organization the same client: one account for
 * all, as in tests or an embedder that builds its own client.
 * @public
 */
export function singleAccount<C>(
  account: AwsAccountClient<C>,
): AwsClientFor<C> {
  return () => account;
}

/** The SDK client class of each service. */
export interface AwsClientOf {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  lambda: LambdaClient;
  rds: RDSClient;
}

const CREATE_CLIENT: {
  [S in AwsService]: (
    options: AwsProviderOptions,
    credentials: AwsSdkCredentials,
  ) => AwsClientOf[S];
} = {
  s3: (options, credentials) =>
    new S3Client(s3ClientConfig(options, credentials)),
  dynamodb: (options, credentials) =>
    new DynamoDBClient(awsClientConfig('dynamodb', options, credentials)),
  sqs: (options, credentials) =>
    new SQSClient(awsClientConfig('sqs', options, credentials)),
  lambda: (options, credentials) =>
    new LambdaClient(awsClientConfig('lambda', options, credentials)),
  rds: (options, credentials) =>
    new RDSClient(awsClientConfig('rds', options, credentials)),
};

/**
 * Builds, caches and destroys the SDK clients of every organization's account. An
 * organization in `paas.aws.organizations` gets clients with the credentials Backstage's
 * AWS integration has for its account (so the `aws` section decides the role assumed) and
 * its region; every other organization shares the clients of `paas.aws.accountId`.
 * Endpoint overrides, retries and time limits are the same for every account.
 */
export class AwsAccountClients {
  private readonly clients = new Map<string, AwsAccountClient<unknown>>();
  private readonly credentials = new Map<string, AwsSdkCredentials>();

  constructor(
    private readonly options: AwsProviderOptions,
    private readonly credentialsManager: AwsCredentialsManager,
  ) {}

  /** The account and region of an organization's resources. */
  accountOf(organization: string): { accountId?: string; region: string } {
    const own = Object.hasOwn(this.options.organizations ?? {}, organization)
      ? this.options.organizations![organization]
      : undefined;
    if (!own) {
      return { accountId: this.options.accountId, region: this.options.region };
    }
    return {
      accountId: own.accountId,
      region: own.region ?? this.options.region,
    };
  }

  /** The client of `service` for the organization's account and region. */
  clientFor<S extends AwsService>(
    service: S,
    organization: string,
  ): AwsAccountClient<AwsClientOf[S]> {
    const { accountId, region } = this.accountOf(organization);
    return this.clientIn(service, accountId, region);
  }

  /**
   * The client of `service` in the platform's own account (`paas.aws.accountId`, or the main
   * account) and region, whatever the organization: where shared buckets live.
   */
  platformClient<S extends AwsService>(
    service: S,
  ): AwsAccountClient<AwsClientOf[S]> {
    return this.clientIn(service, this.options.accountId, this.options.region);
  }

  private clientIn<S extends AwsService>(
    service: S,
    accountId: string | undefined,
    region: string,
  ): AwsAccountClient<AwsClientOf[S]> {
    const key = [service, accountId ?? 'main', region].join(' ');
    let cached = this.clients.get(key);
    if (!cached) {
      const client = CREATE_CLIENT[service](
        { ...this.options, region },
        this.credentialsOf(accountId),
      );
      cached = { client, region, ...(accountId ? { accountId } : {}) };
      this.clients.set(key, cached);
    }
    return cached as AwsAccountClient<AwsClientOf[S]>;
  }

  /** Destroys every client built so far, closing their connections. */
  destroy(): void {
    for (const { client } of this.clients.values()) {
      (client as { destroy(): void }).destroy();
    }
    this.clients.clear();
  }

  private credentialsOf(accountId: string | undefined): AwsSdkCredentials {
    const key = accountId ?? 'main';
    let credentials = this.credentials.get(key);
    if (!credentials) {
      credentials = credentialsFromManager(this.credentialsManager, accountId);
      this.credentials.set(key, credentials);
    }
    return credentials;
  }
}

/**
 * A provider whose every call runs in the account of the resource's organization: it builds
 * the provider for that account (`inAccount`) with the organization's client, region and
 * account id, and hands the call to it.
 * @public
 */
export abstract class AccountScopedProvider<
  C,
  O extends { clientFor: AwsClientFor<C> },
> implements PaasResourceProvider
{
  abstract readonly id: string;
  abstract readonly kinds: readonly ResourceKind[];

  constructor(protected readonly options: O) {}

  /** The provider of one account. */
  protected abstract inAccount(
    options: Omit<O, 'clientFor'> & AwsAccountClient<C>,
  ): PaasResourceProvider;

  observe(resource: DesiredResource): Promise<ObservedResource | undefined> {
    return this.inAccountOf(resource).observe(resource);
  }

  apply(resource: DesiredResource): Promise<ObservedResource> {
    return this.inAccountOf(resource).apply(resource);
  }

  delete(resource: DesiredResource): Promise<void> {
    return this.inAccountOf(resource).delete(resource);
  }

  private inAccountOf(resource: DesiredResource): PaasResourceProvider {
    const { clientFor, ...options } = this.options;
    return this.inAccount({ ...options, ...clientFor(resource.organization) });
  }
}
