import { S3ClientConfig } from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import {
  dnsLabelSchema,
  s3PrefixSpecSchema,
} from '@paasport/plugin-paas-common';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
} from '@backstage/integration-aws-node';

/** The AWS services the providers call, each with its own client. */
export type AwsService = 's3' | 'dynamodb' | 'sqs' | 'lambda' | 'rds';

/** Every service of {@link AwsService}, in a stable order. */
export const AWS_SERVICES: readonly AwsService[] = [
  's3',
  'dynamodb',
  'sqs',
  'lambda',
  'rds',
];

/** Where and how the AWS providers reach AWS, read from `paas.aws`. */
export interface AwsProviderOptions {
  region: string;
  /** Custom endpoint (emulator, S3-compatible store, VPC endpoint); AWS's own when unset. */
  endpoint?: string;
  /** Endpoints of single services; each overrides `endpoint` for its service. */
  endpoints?: Partial<Record<AwsService, string>>;
  forcePathStyle: boolean;
  /** The account resources are created in; also checked as the expected bucket owner. */
  accountId?: string;
  /** Organizations whose resources live in an account (and region) of their own. */
  organizations?: Record<string, AwsOrganizationAccount>;
  /**
   * The IAM role of each team, by organization then team, from
   * `paas.aws.organizations.<org>.teamRoles`: the principal granted access to its S3 prefixes.
   */
  teamRoles?: Record<string, Record<string, string>>;
  /**
   * The role each organization's Lambda functions run as, by organization, from
   * `paas.aws.organizations.<org>.lambdaExecutionRoleArn`.
   */
  lambdaExecutionRoleArns?: Record<string, string>;
  /** The buckets the platform team shares for `aws:s3-prefix`, from `paas.aws.sharedBuckets`. */
  sharedBuckets?: SharedBucket[];
  /** Attempts per call, first try included, under the SDK's `standard` retry mode. */
  maxAttempts: number;
  /** How long one attempt may wait for an answer, in milliseconds. */
  requestTimeoutMs: number;
  s3?: S3Options;
  dynamodb?: DynamoDbOptions;
  lambda?: LambdaOptions;
  rds?: RdsOptions;
}

/** Options of the S3 bucket provider, from `paas.aws.s3`. */
export interface S3Options {
  /** Take an existing bucket whose tags the endpoint cannot read as the resource's. */
  assumeOwnershipWhenTagsUnreadable: boolean;
}

/** The account of one organization, from `paas.aws.organizations.<name>`. */
export interface AwsOrganizationAccount {
  accountId: string;
  /** The organization's region; `paas.aws.region` when unset. */
  region?: string;
}

/** A bucket the platform team created for sharing, from `paas.aws.sharedBuckets`. */
export interface SharedBucket {
  name: string;
  /** The organizations that may put prefixes in it; every organization when unset. */
  organizations?: string[];
}

/** Options of the DynamoDB table provider, from `paas.aws.dynamodb`. */
export interface DynamoDbOptions {
  /** Take an on-demand backup before deleting a table. */
  backupBeforeDelete: boolean;
}

/** Options of the Lambda function provider, from `paas.aws.lambda`. */
export interface LambdaOptions {
  /** The IAM role new functions run as; creating a function fails without it. */
  executionRoleArn?: string;
  /** How function code reaches Lambda, from `paas.aws.lambda.codeDelivery`. */
  codeDelivery: LambdaCodeDelivery;
  /** Whether organizations without a role of their own may use `executionRoleArn`. */
  allowSharedExecutionRole: boolean;
  /** The buckets function code may come from: names, or prefixes ending in `*`. */
  codeBuckets?: string[];
}

/**
 * How function code reaches Lambda: `s3-reference` names the S3 object in the Lambda call
 * (Lambda reads it itself); `upload` reads the object through the module's S3 client and
 * sends its bytes (`ZipFile`), for code buckets Lambda cannot read (emulators, another
 * region or account).
 * @public
 */
export type LambdaCodeDelivery = 's3-reference' | 'upload';

const LAMBDA_CODE_DELIVERIES: readonly LambdaCodeDelivery[] = [
  's3-reference',
  'upload',
];

/** Options of the RDS instance provider, from `paas.aws.rds`. */
export interface RdsOptions {
  /** Whether instances are created, and kept, with deletion protection on. */
  deletionProtection: boolean;
  dbSubnetGroupName?: string;
  vpcSecurityGroupIds?: string[];
}

/** The identity provider the AWS SDK clients take as `credentials`. */
export type AwsSdkCredentials = AwsCredentialProvider['sdkCredentialProvider'];

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
const MAX_MAX_ATTEMPTS = 10;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** A bucket name, or a prefix of one followed by `*` (`*` alone: every bucket). */
const CODE_BUCKET_ENTRY =
  /^(?:[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]|[a-z0-9.-]*\*)$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;

/**
 * Reads and checks `paas.aws`, so that a bad value stops the backend at start-up rather
 * than failing the first provisioning call.
 */
export function readAwsProviderOptions(config: Config): AwsProviderOptions {
  const aws = config.getOptionalConfig('paas.aws');

  const region = aws?.getOptionalString('region') ?? DEFAULT_REGION;
  if (!REGION.test(region)) {
    throw new Error(
      `paas.aws.region must be an AWS region such as eu-west-1, got '${region}'`,
    );
  }

  const endpoint = readEndpoint(aws, 'endpoint');
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const service of AWS_SERVICES) {
    const serviceEndpoint = readEndpoint(aws, `endpoints.${service}`);
    if (serviceEndpoint !== undefined) {
      endpoints[service] = serviceEndpoint;
    }
  }

  const accountId = aws?.getOptionalString('accountId');
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
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

  const requestTimeoutSeconds =
    aws?.getOptionalNumber('requestTimeoutSeconds') ??
    DEFAULT_REQUEST_TIMEOUT_SECONDS;
  if (
    !Number.isInteger(requestTimeoutSeconds) ||
    requestTimeoutSeconds < 1 ||
    requestTimeoutSeconds > 900
  ) {
    throw new Error(
      `paas.aws.requestTimeoutSeconds must be an integer from 1 to 900, got ${requestTimeoutSeconds}`,
    );
  }

  return {
    region,
    endpoint,
    endpoints,
    forcePathStyle: aws?.getOptionalBoolean('forcePathStyle') ?? false,
    accountId,
    ...readOrganizations(aws),
    ...readSharedBuckets(aws),
    maxAttempts,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    s3: {
      assumeOwnershipWhenTagsUnreadable:
        aws?.getOptionalBoolean('s3.assumeOwnershipWhenTagsUnreadable') ??
        false,
    },
    dynamodb: {
      backupBeforeDelete:
        aws?.getOptionalBoolean('dynamodb.backupBeforeDelete') ?? true,
    },
    lambda: readLambdaOptions(aws),
    rds: readRdsOptions(aws),
  };
}

function readEndpoint(
  aws: Config | undefined,
  key: string,
): string | undefined {
  const endpoint = aws?.getOptionalString(key);
  if (endpoint === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`paas.aws.${key} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`paas.aws.${key} must be an http or https URL`);
  }
  if (url.username || url.password) {
    // Credentials belong in the `aws` section, which keeps them out of logs.
    throw new Error(
      `paas.aws.${key} must not contain credentials; configure them in the aws section`,
    );
  }
  return endpoint;
}

function readOrganizations(
  aws: Config | undefined,
): Pick<
  AwsProviderOptions,
  'organizations' | 'teamRoles' | 'lambdaExecutionRoleArns'
> {
  // Read raw: Backstage config keys may not hold every DNS label (`team-1`).
  const raw = aws?.getOptional('organizations');
  if (raw === undefined) {
    return {};
  }
  if (!isObject(raw)) {
    throw new Error(
      `paas.aws.organizations must map organization names to their AWS account`,
    );
  }
  const organizations: Record<string, AwsOrganizationAccount> = {};
  const teamRoles: Record<string, Record<string, string>> = {};
  const lambdaExecutionRoleArns: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const key = `paas.aws.organizations.${name}`;
    if (!dnsLabelSchema.safeParse(name).success) {
      throw new Error(
        `${key}: '${name}' is not an organization name; use lower-case letters, digits and dashes, starting with a letter`,
      );
    }
    if (!isObject(value)) {
      throw new Error(`${key} must be an object with an accountId`);
    }
    const { accountId, region } = value;
    const roles = readTeamRoles(key, value.teamRoles);
    if (roles) {
      teamRoles[name] = roles;
    }
    const lambdaRole = value.lambdaExecutionRoleArn;
    if (lambdaRole !== undefined) {
      if (typeof lambdaRole !== 'string' || !ROLE_ARN.test(lambdaRole)) {
        throw new Error(
          `${key}.lambdaExecutionRoleArn must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/paasport-${name}-lambda`,
        );
      }
      lambdaExecutionRoleArns[name] = lambdaRole;
    }
    if (
      accountId === undefined &&
      (roles || lambdaRole !== undefined) &&
      region === undefined
    ) {
      // Roles alone: the organization stays in the shared account.
      continue;
    }
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
      throw new Error(`${key}.accountId must be a 12-digit AWS account id`);
    }
    if (
      region !== undefined &&
      (typeof region !== 'string' || !REGION.test(region))
    ) {
      throw new Error(
        `${key}.region must be an AWS region such as eu-west-1, got '${region}'`,
      );
    }
    organizations[name] =
      region === undefined ? { accountId } : { accountId, region };
  }
  return {
    ...(Object.keys(organizations).length > 0 ? { organizations } : {}),
    ...(Object.keys(teamRoles).length > 0 ? { teamRoles } : {}),
    ...(Object.keys(lambdaExecutionRoleArns).length > 0
      ? { lambdaExecutionRoleArns }
      : {}),
  };
}

function readTeamRoles(
  organizationKey: string,
  raw: unknown,
): Record<string, string> | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const key = `${organizationKey}.teamRoles`;
  if (!isObject(raw)) {
    throw new Error(`${key} must map team names to IAM role ARNs`);
  }
  const roles: Record<string, string> = {};
  for (const [team, arn] of Object.entries(raw)) {
    if (!dnsLabelSchema.safeParse(team).success) {
      throw new Error(
        `${key}.${team}: '${team}' is not a team name; use lower-case letters, digits and dashes, starting with a letter`,
      );
    }
    if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) {
      throw new Error(
        `${key}.${team} must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/checkout`,
      );
    }
    roles[team] = arn;
  }
  return Object.keys(roles).length > 0 ? roles : undefined;
}

function readSharedBuckets(
  aws: Config | undefined,
): Pick<AwsProviderOptions, 'sharedBuckets'> {
  const raw = aws?.getOptional('sharedBuckets');
  if (raw === undefined) {
    return {};
  }
  if (!Array.isArray(raw)) {
    throw new Error(
      `paas.aws.sharedBuckets must be a list of buckets, each { name, organizations? }`,
    );
  }
  const seen = new Set<string>();
  const sharedBuckets = raw.map((value, index): SharedBucket => {
    const key = `paas.aws.sharedBuckets[${index}]`;
    if (!isObject(value)) {
      throw new Error(`${key} must be an object with a name`);
    }
    const { name, organizations } = value;
    if (
      typeof name !== 'string' ||
      !s3PrefixSpecSchema.shape.bucket.safeParse(name).success
    ) {
      throw new Error(`${key}.name must be an S3 bucket name, got '${name}'`);
    }
    if (seen.has(name)) {
      throw new Error(`${key}.name: bucket ${name} is listed twice`);
    }
    seen.add(name);
    if (organizations === undefined) {
      return { name };
    }
    if (
      !Array.isArray(organizations) ||
      organizations.some(o => !dnsLabelSchema.safeParse(o).success)
    ) {
      throw new Error(
        `${key}.organizations must be a list of organization names`,
      );
    }
    return { name, organizations: organizations as string[] };
  });
  return sharedBuckets.length > 0 ? { sharedBuckets } : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readLambdaOptions(aws: Config | undefined): LambdaOptions {
  const executionRoleArn = aws?.getOptionalString('lambda.executionRoleArn');
  if (executionRoleArn !== undefined && !ROLE_ARN.test(executionRoleArn)) {
    throw new Error(
      `paas.aws.lambda.executionRoleArn must be the ARN of an IAM role, such as arn:aws:iam::123456789012:role/paasport-lambda`,
    );
  }
  const codeDelivery =
    aws?.getOptionalString('lambda.codeDelivery') ?? 's3-reference';
  if (!(LAMBDA_CODE_DELIVERIES as readonly string[]).includes(codeDelivery)) {
    throw new Error(
      `paas.aws.lambda.codeDelivery must be one of ${LAMBDA_CODE_DELIVERIES.join(
        ', ',
      )}, got '${codeDelivery}'`,
    );
  }
  const codeBuckets = aws?.getOptionalStringArray('lambda.codeBuckets');
  const badBucket = codeBuckets?.find(entry => !CODE_BUCKET_ENTRY.test(entry));
  if (badBucket !== undefined) {
    throw new Error(
      `paas.aws.lambda.codeBuckets must hold bucket names, or prefixes ending in *, got '${badBucket}'`,
    );
  }
  return {
    ...(executionRoleArn ? { executionRoleArn } : {}),
    codeDelivery: codeDelivery as LambdaCodeDelivery,
    allowSharedExecutionRole:
      aws?.getOptionalBoolean('lambda.allowSharedExecutionRole') ?? false,
    ...(codeBuckets ? { codeBuckets } : {}),
  };
}

function readRdsOptions(aws: Config | undefined): RdsOptions {
  const dbSubnetGroupName = aws?.getOptionalString('rds.dbSubnetGroupName');
  if (
    dbSubnetGroupName !== undefined &&
    !/^[a-zA-Z0-9 ._-]{1,255}$/.test(dbSubnetGroupName)
  ) {
    throw new Error(
      `paas.aws.rds.dbSubnetGroupName must be the name of a DB subnet group`,
    );
  }
  const vpcSecurityGroupIds = aws?.getOptionalStringArray(
    'rds.vpcSecurityGroupIds',
  );
  const badGroup = vpcSecurityGroupIds?.find(
    id => !/^sg-[0-9a-f]{8,17}$/.test(id),
  );
  if (badGroup !== undefined) {
    throw new Error(
      `paas.aws.rds.vpcSecurityGroupIds must hold security group ids such as sg-0123456789abcdef0, got '${badGroup}'`,
    );
  }
  return {
    deletionProtection:
      aws?.getOptionalBoolean('rds.deletionProtection') ?? true,
    ...(dbSubnetGroupName ? { dbSubnetGroupName } : {}),
    ...(vpcSecurityGroupIds?.length ? { vpcSecurityGroupIds } : {}),
  };
}

/** The endpoint of one service: its own when configured, else the shared one. */
export function endpointFor(
  options: AwsProviderOptions,
  service: AwsService,
): string | undefined {
  return options.endpoints?.[service] ?? options.endpoint;
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
 * How long a call may wait to connect. The SDK sets no limit by default (nor one for the
 * answer, see `requestTimeoutSeconds`), so an endpoint that accepts connections and never
 * answers would hold a call until the reconciler's own timeout; with limits, each attempt
 * fails and is retried.
 */
export const AWS_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * Options every AWS SDK client of these providers shares: region, endpoint, credentials,
 * time limits and bounded retries in `standard` mode (exponential back-off with jitter,
 * throttling errors retried from a token bucket).
 */
export function awsClientConfig(
  service: AwsService,
  options: AwsProviderOptions,
  credentials: AwsSdkCredentials,
) {
  const endpoint = endpointFor(options, service);
  return {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    credentials,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts,
    requestHandler: {
      connectionTimeout: AWS_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs,
      // Without it the handler only logs a warning when the time is up and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/** Options of the S3 client. */
export function s3ClientConfig(
  options: AwsProviderOptions,
  credentials: AwsSdkCredentials,
): S3ClientConfig {
  return {
    ...awsClientConfig('s3', options, credentials),
    forcePathStyle: options.forcePathStyle,
  };
}
