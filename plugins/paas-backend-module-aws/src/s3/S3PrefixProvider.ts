import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { ResourceCondition, ResourceKind } from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import {
  AccountScopedProvider,
  AwsAccountClient,
  AwsClientFor,
} from '../accountClients';
import {
  awsErrorCode,
  awsHttpStatus,
  callAws,
  forwardAwsError,
  isNotImplemented,
} from '../awsErrors';
import { SharedBucket } from '../clients';
import { applySetting } from '../conditions';
import { OWNED_BY_CREATION, OWNED_BY_TAG } from '../ownership';
import { assertKind, parseSpecOf } from '../resourceInput';
import { bucketConsoleUrl } from './bucketSettings';
import {
  BucketPolicy,
  hasAnyStatementOf,
  hasStatements,
  parsePolicy,
  prefixStatements,
  withPrefixStatements,
} from './prefixPolicy';

/** Options of {@link S3PrefixProvider}. @public */
export interface S3PrefixProviderOptions {
  /**
   * The client, region and account that reach the shared buckets. The module gives every
   * organization the platform's own account (`paas.aws.accountId`, or the main account).
   */
  clientFor: AwsClientFor<S3Client>;
  /** The buckets prefixes may be put in (`paas.aws.sharedBuckets`). */
  sharedBuckets: readonly SharedBucket[];
  /** The IAM role of each team, by organization then team. */
  teamRoles: Readonly<Record<string, Readonly<Record<string, string>>>>;
  logger?: LoggerService;
}

type InAccountOptions = Omit<S3PrefixProviderOptions, 'clientFor'> &
  AwsAccountClient<S3Client>;

const KIND: ResourceKind = 'aws:s3-prefix';
const PROVIDER_ID = 'aws-s3-prefix';
/** Metadata key of the marker object; S3 sends it as `x-amz-meta-paasport-resource-id`. */
const MARKER_OWNER_METADATA = 'paasport-resource-id';
const MARKER_SUFFIX = '.paasport';
/** What the reconciler's names look like; never `*` or `?`, which widen a policy. */
const PREFIX_NAME = /^[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?$/;
const TEAM_TAG = 'paasport.io/team';
const ACCESS_CONDITION = 'TeamAccessGranted';

/**
 * True when the endpoint has no bucket policies. s3rver answers `MethodNotAllowed` to
 * GetBucketPolicy; S3 itself does so only to a caller outside the bucket owner's account,
 * and Paasport calls with the credentials of the account that holds the shared buckets.
 */
function isPolicyUnsupported(error: unknown): boolean {
  return isNotImplemented(error) || awsErrorCode(error) === 'MethodNotAllowed';
}

/** The statements were written but a concurrent write of the policy replaced them. */
class StatementsLostError extends Error {
  name = 'StatementsLostError';
}

type MarkerState = 'ours' | 'missing';

/** The provider's calls with the client of the account that holds the shared buckets. */
class S3PrefixProviderInAccount implements PaasResourceProvider {
  readonly id = PROVIDER_ID;
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const target = this.target(resource);
    const region = await this.headBucket(target.bucket, 'observe');
    if (region === undefined) {
      return undefined;
    }
    if ((await this.readMarker(target, resource.id)) === 'missing') {
      return undefined;
    }
    const ours = this.statements(resource.id, target, region);
    let access: ResourceCondition;
    try {
      const policy = await this.readPolicy(target.bucket);
      access = hasStatements(policy, ours)
        ? this.accessGranted(target)
        : {
            type: ACCESS_CONDITION,
            status: 'False',
            reason: 'StatementMissing',
            message: `The policy of S3 bucket ${target.bucket} lacks the statements of prefix ${target.prefix}; the next apply adds them`,
          };
    } catch (error) {
      if (!isPolicyUnsupported(error)) {
        throw forwardAwsError(
          `Could not read the policy of S3 bucket ${target.bucket}`,
          error,
        );
      }
      access = this.accessUnknown(target);
    }
    return {
      state: access.status === 'False' ? 'pending' : 'ready',
      ...this.describe(target, region),
      conditions: [OWNED_BY_TAG, access],
    };
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const target = this.target(resource);
    const { logger } = this.options;
    const region = await this.headBucket(target.bucket, 'apply');
    if (region === undefined) {
      throw new ConflictError(
        `Shared S3 bucket ${target.bucket} does not exist; the platform team must create it before prefixes can be put in it`,
      );
    }

    let owned: ResourceCondition = OWNED_BY_TAG;
    if ((await this.readMarker(target, resource.id)) === 'missing') {
      await this.createMarker(target, resource);
      owned = OWNED_BY_CREATION;
    }

    const ours = this.statements(resource.id, target, region);
    const access = await applySetting(
      {
        type: ACCESS_CONDITION,
        action: `grant ${target.roleArn} the prefix ${target.prefix} in the bucket policy`,
        appliedMessage: `The bucket policy gives ${target.roleArn} read, write and list access to ${target.prefix} only`,
        run: () => this.putStatements(target, resource.id, ours),
        isNotYet: error => error instanceof StatementsLostError,
        isUnsupported: isPolicyUnsupported,
      },
      `S3 bucket ${target.bucket}`,
      logger,
    );

    logger?.info(`Applied S3 prefix ${target.prefix} in ${target.bucket}`, {
      bucket: target.bucket,
      prefix: target.prefix,
      resourceId: resource.id,
      access: access.status,
    });
    return {
      state: access.status === 'False' ? 'pending' : 'ready',
      ...this.describe(target, region),
      conditions: [owned, access],
    };
  }

  async delete(resource: DesiredResource): Promise<void> {
    const target = this.target(resource, { needsRole: false });
    const region = await this.headBucket(target.bucket, 'delete');
    if (region === undefined) {
      return;
    }
    const marker = await this.readMarker(target, resource.id);
    await this.removeStatements(target, resource.id);
    if (marker === 'ours') {
      await callAws(`delete the marker of S3 prefix ${target.prefix}`, () =>
        this.options.client.send(
          new DeleteObjectCommand({
            Bucket: target.bucket,
            Key: target.marker,
            ...this.expectedOwner(),
          }),
        ),
      );
    }
    // Objects under the prefix stay: Paasport never deletes data.
    this.options.logger?.info(
      `Deleted S3 prefix ${target.prefix} in ${target.bucket}`,
      { bucket: target.bucket, prefix: target.prefix, resourceId: resource.id },
    );
  }

  /**
   * Writes our statements when they are missing or differ, then reads the policy back.
   * PutBucketPolicy replaces the whole policy and has no conditional write, so two prefixes
   * of one bucket applied at the same moment can each write a policy without the other's
   * statements. The read-back catches the loser: it reports `pending` (through
   * {@link StatementsLostError}), and the reconciler's next apply adds the statements again.
   */
  private async putStatements(
    target: PrefixTarget,
    resourceId: string,
    ours: ReturnType<typeof prefixStatements>,
  ): Promise<void> {
    const policy = await this.readPolicy(target.bucket);
    if (hasStatements(policy, ours)) {
      return;
    }
    await this.options.client.send(
      new PutBucketPolicyCommand({
        Bucket: target.bucket,
        Policy: JSON.stringify(withPrefixStatements(policy, resourceId, ours)),
        ...this.expectedOwner(),
      }),
    );
    if (!hasStatements(await this.readPolicy(target.bucket), ours)) {
      throw new StatementsLostError(
        `The statements of prefix ${target.prefix} were replaced by a concurrent write of the policy of S3 bucket ${target.bucket}`,
      );
    }
  }

  private async removeStatements(
    target: PrefixTarget,
    resourceId: string,
  ): Promise<void> {
    let policy: BucketPolicy;
    try {
      policy = await this.readPolicy(target.bucket);
    } catch (error) {
      if (isPolicyUnsupported(error)) {
        this.options.logger?.warn(
          `The endpoint does not implement bucket policies; no statement of prefix ${target.prefix} to remove from S3 bucket ${target.bucket}`,
          { bucket: target.bucket, resourceId },
        );
        return;
      }
      throw forwardAwsError(
        `Could not read the policy of S3 bucket ${target.bucket}`,
        error,
      );
    }
    if (!hasAnyStatementOf(policy, resourceId)) {
      return;
    }
    const rest = withPrefixStatements(policy, resourceId, []);
    await callAws(
      `remove the statements of prefix ${target.prefix} from the policy of S3 bucket ${target.bucket}`,
      async () => {
        const { client } = this.options;
        if (rest.Statement.length > 0) {
          await client.send(
            new PutBucketPolicyCommand({
              Bucket: target.bucket,
              Policy: JSON.stringify(rest),
              ...this.expectedOwner(),
            }),
          );
        } else {
          await client.send(
            new DeleteBucketPolicyCommand({
              Bucket: target.bucket,
              ...this.expectedOwner(),
            }),
          );
        }
      },
    );
  }

  /** The bucket's policy; one without statements when it has none. */
  private async readPolicy(bucket: string): Promise<BucketPolicy> {
    try {
      const output = await this.options.client.send(
        new GetBucketPolicyCommand({ Bucket: bucket, ...this.expectedOwner() }),
      );
      return parsePolicy(output.Policy);
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchBucketPolicy') {
        return parsePolicy(undefined);
      }
      throw error;
    }
  }

  /** The bucket's region; undefined when the bucket does not exist. */
  private async headBucket(
    bucket: string,
    during: string,
  ): Promise<string | undefined> {
    try {
      const output = await this.options.client.send(
        new HeadBucketCommand({ Bucket: bucket, ...this.expectedOwner() }),
      );
      return output.BucketRegion ?? this.options.region;
    } catch (error) {
      const status = awsHttpStatus(error);
      if (status === 404 || awsErrorCode(error) === 'NotFound') {
        return undefined;
      }
      if (status === 403) {
        throw new ConflictError(
          `Shared S3 bucket ${bucket} exists but Paasport may not use it: it belongs to another AWS account${
            this.options.accountId ? ` than ${this.options.accountId}` : ''
          }, or these credentials lack s3:ListBucket on it`,
        );
      }
      throw forwardAwsError(
        `Could not look up shared S3 bucket ${bucket} to ${during} a prefix`,
        error,
      );
    }
  }

  /** `ours` or `missing`; a marker of another resource, or of none, is a `ConflictError`. */
  private async readMarker(
    target: PrefixTarget,
    resourceId: string,
  ): Promise<MarkerState> {
    let owner: string | undefined;
    try {
      const output = await this.options.client.send(
        new HeadObjectCommand({
          Bucket: target.bucket,
          Key: target.marker,
          ...this.expectedOwner(),
        }),
      );
      owner = output.Metadata?.[MARKER_OWNER_METADATA];
    } catch (error) {
      if (
        awsHttpStatus(error) === 404 ||
        awsErrorCode(error) === 'NotFound' ||
        awsErrorCode(error) === 'NoSuchKey'
      ) {
        return 'missing';
      }
      throw forwardAwsError(
        `Could not read the marker of S3 prefix ${target.prefix} in ${target.bucket}`,
        error,
      );
    }
    if (owner === resourceId) {
      return 'ours';
    }
    const what = `S3 prefix ${target.prefix} in bucket ${target.bucket}`;
    if (owner !== undefined) {
      // The other id goes to the operator's log only, not to the caller.
      this.options.logger?.warn(
        `${what} belongs to another Paasport resource`,
        {
          bucket: target.bucket,
          prefix: target.prefix,
          resourceId,
          ownerResourceId: owner,
        },
      );
      throw new ConflictError(
        `${what} belongs to another Paasport resource; Paasport will not modify it`,
      );
    }
    throw new ConflictError(
      `${what} has a marker ${target.marker} without Paasport's resource id: it was not created by Paasport, which will not adopt it`,
    );
  }

  private async createMarker(
    target: PrefixTarget,
    resource: DesiredResource,
  ): Promise<void> {
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: target.marker,
          Body: '',
          ContentType: 'text/plain',
          Metadata: { [MARKER_OWNER_METADATA]: resource.id },
          // A conditional create: of two resources claiming one prefix, only one wins.
          IfNoneMatch: '*',
          ...this.expectedOwner(),
        }),
      );
    } catch (error) {
      if (awsHttpStatus(error) === 412 || awsHttpStatus(error) === 409) {
        // Someone created the marker since we looked: ours after a retry, or a conflict.
        if ((await this.readMarker(target, resource.id)) === 'ours') {
          return;
        }
      }
      throw forwardAwsError(
        `Could not create the marker of S3 prefix ${target.prefix} in ${target.bucket}`,
        error,
      );
    }
    this.options.logger?.info(
      `Created the marker of S3 prefix ${target.prefix} in ${target.bucket}`,
      { bucket: target.bucket, prefix: target.prefix, resourceId: resource.id },
    );
  }

  /** Checks the resource against the configuration before any call to AWS. */
  private target(
    resource: DesiredResource,
    { needsRole = true }: { needsRole?: boolean } = {},
  ): PrefixTarget {
    assertKind(PROVIDER_ID, KIND, resource);
    const { bucket } = parseSpecOf(
      'aws:s3-prefix',
      resource,
      `S3 prefix ${resource.name}`,
    );
    if (!PREFIX_NAME.test(resource.name)) {
      throw new InputError(
        `'${resource.name}' is not a valid S3 prefix name: use up to 200 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
      );
    }
    const { organization } = resource;
    const shared = this.options.sharedBuckets.find(b => b.name === bucket);
    if (!shared) {
      throw new InputError(
        `S3 bucket ${bucket} is not a shared bucket; prefixes may only be put in the buckets the platform team lists in paas.aws.sharedBuckets`,
      );
    }
    if (shared.organizations && !shared.organizations.includes(organization)) {
      throw new InputError(
        `Shared S3 bucket ${bucket} is not open to organization ${organization}; paas.aws.sharedBuckets lists the organizations that may use it`,
      );
    }
    const team = resource.tags[TEAM_TAG];
    const roleArn = team
      ? this.options.teamRoles[organization]?.[team]
      : undefined;
    if (needsRole && !roleArn) {
      throw new InputError(
        `Team ${
          team ?? '(unknown)'
        } of organization ${organization} has no IAM role for S3 prefixes; the platform team sets it in paas.aws.organizations.${organization}.teamRoles.${
          team ?? '<team>'
        }`,
      );
    }
    const prefix = `${resource.name}/`;
    return {
      bucket,
      prefix,
      marker: `${prefix}${MARKER_SUFFIX}`,
      roleArn: roleArn ?? '',
    };
  }

  private statements(resourceId: string, target: PrefixTarget, region: string) {
    return prefixStatements(
      resourceId,
      target.bucket,
      target.prefix,
      target.roleArn,
      region,
    );
  }

  private accessGranted(target: PrefixTarget): ResourceCondition {
    return {
      type: ACCESS_CONDITION,
      status: 'True',
      reason: 'Applied',
      message: `The bucket policy gives ${target.roleArn} read, write and list access to ${target.prefix} only`,
    };
  }

  private accessUnknown(target: PrefixTarget): ResourceCondition {
    return {
      type: ACCESS_CONDITION,
      status: 'Unknown',
      reason: 'NotImplementedByEndpoint',
      message: `The endpoint does not implement bucket policies; S3 bucket ${target.bucket} may not grant ${target.prefix} to the team's role`,
    };
  }

  private expectedOwner(): { ExpectedBucketOwner?: string } {
    return this.options.accountId
      ? { ExpectedBucketOwner: this.options.accountId }
      : {};
  }

  private describe(
    target: PrefixTarget,
    region: string,
  ): Pick<ObservedResource, 'externalId' | 'outputs'> {
    return {
      externalId: `s3://${target.bucket}/${target.prefix}`,
      outputs: {
        bucket: target.bucket,
        prefix: target.prefix,
        s3Uri: `s3://${target.bucket}/${target.prefix}`,
        region,
        roleArn: target.roleArn,
        consoleUrl: `${bucketConsoleUrl(
          target.bucket,
          region,
        )}&prefix=${encodeURIComponent(target.prefix)}`,
      },
    };
  }
}

interface PrefixTarget {
  bucket: string;
  /** `<name>/`, the resource's external name and a slash. */
  prefix: string;
  /** Key of the object that records which resource owns the prefix. */
  marker: string;
  /** The team's role; empty only on delete, which needs none. */
  roleArn: string;
}

/**
 * Provides `aws:s3-prefix` resources: a team's prefix `<org>-<team>-<name>/` in a bucket the
 * platform team shares, with a bucket policy that gives the team's IAM role access to that
 * prefix only. A marker object `<prefix>.paasport`, whose `paasport-resource-id` metadata
 * names the resource, records who owns the prefix: a prefix whose marker names another
 * resource, or none, is a `ConflictError` and is never modified.
 *
 * @public
 */
export class S3PrefixProvider extends AccountScopedProvider<
  S3Client,
  S3PrefixProviderOptions
> {
  readonly id = PROVIDER_ID;
  readonly kinds: readonly ResourceKind[] = [KIND];

  protected inAccount(options: InAccountOptions) {
    return new S3PrefixProviderInAccount(options);
  }
}
