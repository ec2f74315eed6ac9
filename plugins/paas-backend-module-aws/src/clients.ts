import { S3ClientConfig } from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
} from '@backstage/integration-aws-node';

/** Where and how the AWS providers reach AWS, read from `paas.aws`. */
export interface AwsProviderOptions {
  region: string;
  /** Custom endpoint (emulator, S3-compatible store, VPC endpoint); AWS's own when unset. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** The account resources are created in; also checked as the expected bucket owner. */
  accountId?: string;
  /** Attempts per call, first try included, under the SDK's `standard` retry mode. */
  maxAttempts: number;
}

/** The identity provider the AWS SDK clients take as `credentials`. */
export type AwsSdkCredentials = AwsCredentialProvider['sdkCredentialProvider'];

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_MAX_ATTEMPTS = 10;

/**
 * Reads and checks `paas.aws`, so that a bad value stops the backend at start-up rather
 * than failing the first provisioning call.
 */
export function readAwsProviderOptions(config: Config): AwsProviderOptions {
  const aws = config.getOptionalConfig('paas.aws');

  const region = aws?.getOptionalString('region') ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new Error(
      `paas.aws.region must be an AWS region such as eu-west-1, got '${region}'`,
    );
  }

  const endpoint = aws?.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new Error(`paas.aws.endpoint must be an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`paas.aws.endpoint must be an http or https URL`);
    }
    if (url.username || url.password) {
      // Credentials belong in the `aws` section, which keeps them out of logs.
      throw new Error(
        `paas.aws.endpoint must not contain credentials; configure them in the aws section`,
      );
    }
  }

  const accountId = aws?.getOptionalString('accountId');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    throw new Error(`paas.aws.accountId must be a 12-digit AWS account id`);
  }

  const maxAttempts =
    aws?.getOptionalNumber('maxAttempts') ?? DEFAULT_MAX_ATTEMPTS;
  if (
    !Number.isInteger(maxAttempts) ||
    maxAttempts < 1 ||
    maxAttempts > MAX_MAX_ATTEMPTS
  ) {
    throw new Error(
      `paas.aws.maxAttempts must be an integer from 1 to ${MAX_MAX_ATTEMPTS}, got ${maxAttempts}`,
    );
  }

  return {
    region,
    endpoint,
    forcePathStyle: aws?.getOptionalBoolean('forcePathStyle') ?? false,
    accountId,
    maxAttempts,
  };
}

/**
 * Credentials for the configured account from Backstage's AWS integration (the `aws:`
 * config section: main account, accounts, assumed roles). Resolved on first use, so a
 * backend starts even while AWS is unreachable; a failed lookup is retried on the next call.
 */
export function credentialsFromManager(
  manager: AwsCredentialsManager,
  accountId?: string,
): AwsSdkCredentials {
  let pending: Promise<AwsSdkCredentials> | undefined;
  return async identityProperties => {
    if (!pending) {
      pending = manager.getCredentialProvider({ accountId }).then(
        provider => provider.sdkCredentialProvider,
        error => {
          pending = undefined;
          throw error;
        },
      );
    }
    const provider = await pending;
    return provider(identityProperties);
  };
}

/**
 * Options every AWS SDK client of these providers shares: region, endpoint, credentials
 * and bounded retries in `standard` mode (exponential back-off with jitter, throttling
 * errors retried from a token bucket).
 */
export function awsClientConfig(
  options: AwsProviderOptions,
  credentials: AwsSdkCredentials,
) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    credentials,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts,
  };
}

/** Options of the S3 client. */
export function s3ClientConfig(
  options: AwsProviderOptions,
  credentials: AwsSdkCredentials,
): S3ClientConfig {
  return {
    ...awsClientConfig(options, credentials),
    forcePathStyle: options.forcePathStyle,
  };
}
