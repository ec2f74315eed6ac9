import {
  BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  LifecycleRule,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  Tag,
} from '@aws-sdk/client-s3';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, ForwardedError, InputError } from '@backstage/errors';
import {
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
  s3BucketSpecSchema,
} from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import {
  AwsAccountClient,
  AwsClientFor,
  AccountScopedProvider,
} from '../accountClients';
import {
  awsAttempts,
  awsErrorCode,
  awsHttpStatus,
  isNotImplemented,
} from '../awsErrors';
import { applySetting, SettingStep } from '../conditions';
import {
  bucketArn,
  bucketConsoleUrl,
  bucketTagSet,
  encryptionConfiguration,
  NONCURRENT_EXPIRY_RULE_ID,
  noncurrentExpiryRule,
  PAASPORT_RESOURCE_ID_TAG,
  publicAccessBlock,
  tlsOnlyPolicy,
} from './bucketSettings';

/** Options of {@link S3BucketProvider}. @public */
export interface S3BucketProviderOptions {
  /**
   * The client, region and account of a resource's organization; clients are built with
   * bounded `standard` retries, see the package README.
   */
  clientFor: AwsClientFor<S3Client>;
  /**
   * Treat an existing bucket whose tags the endpoint cannot read (an emulator without bucket
   * tagging) as the resource's. Never on an account or store that others share.
   */
  assumeOwnershipWhenTagsUnreadable?: boolean;
  logger?: LoggerService;
}

/**
 * The buckets this provider created, by account and name, with the resource each was made
 * for: proof of ownership for as long as the process lives, where the tag is not (yet) on
 * or cannot be read.
 */
type CreatedBuckets = Map<string, string>;

/** Options of the provider in one account: the organization's client, region and id. */
type InAccountOptions = Omit<S3BucketProviderOptions, 'clientFor'> &
  AwsAccountClient<S3Client> & { created: CreatedBuckets };

type S3BucketSpec = ResourceSpec<'aws:s3-bucket'>;

/** Why an existing bucket is this resource's. */
type Ownership =
  | { state: 'tagged' }
  | { state: 'created'; tagMissing: boolean }
  | { state: 'assumed'; message: string };

type HeadResult =
  | { state: 'present'; region: string }
  | { state: 'missing' }
  | { state: 'forbidden' };

const KIND: ResourceKind = 'aws:s3-bucket';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The provider's calls in one account, with that account's client, region and id. */
class S3BucketProviderInAccount implements PaasResourceProvider {
  readonly id = 'aws-s3';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const bucket = this.bucketName(resource);
    const head = await this.head(bucket);
    if (head.state === 'missing') {
      return undefined;
    }
    if (head.state === 'forbidden') {
      throw this.foreignBucketError(bucket);
    }
    const ownership = await this.readOwnership(bucket, resource.id);
    return {
      // An untagged bucket still needs an apply to carry the ownership tag.
      state:
        ownership.state === 'created' && ownership.tagMissing
          ? 'pending'
          : 'ready',
      ...this.describe(bucket, head.region),
      conditions: [ownershipCondition(ownership)],
    };
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const bucket = this.bucketName(resource);
    const spec = parseSpec(resource);
    const { logger } = this.options;

    const head = await this.head(bucket);
    let region = this.options.region;
    if (head.state === 'present') {
      region = head.region;
    } else {
      // A forbidden HeadBucket may be another account's bucket or missing permissions:
      // CreateBucket tells the two apart (BucketAlreadyExists or a real access error).
      const created = await this.create(bucket, resource);
      if (created && head.state === 'missing') {
        this.options.created.set(this.createdKey(bucket), resource.id);
      }
    }

    // Checked after every create too: us-east-1 answers 200 to CreateBucket on a bucket
    // the account already owns, so success alone does not prove the bucket is new.
    const ownership = await this.readOwnership(bucket, resource.id);
    const arn = bucketArn(bucket, region);
    const target = `S3 bucket ${bucket}`;

    const conditions: ResourceCondition[] = [ownershipCondition(ownership)];
    for (const step of this.settingSteps(bucket, arn, resource, spec)) {
      conditions.push(await applySetting(step, target, logger));
    }
    if (!spec.versioning) {
      const suspended = await this.suspendVersioningIfEnabled(bucket, target);
      if (suspended) {
        conditions.push(suspended);
      }
    }
    if (spec.expireNoncurrentAfterDays === undefined) {
      await this.removeNoncurrentExpiryRule(bucket, target);
    }

    logger?.info(`Applied S3 bucket ${bucket}`, {
      bucket,
      resourceId: resource.id,
      unknownConditions: conditions
        .filter(c => c.status === 'Unknown')
        .map(c => c.type)
        .join(','),
    });
    return {
      state: 'ready',
      ...this.describe(bucket, region),
      conditions,
    };
  }

  async delete(resource: DesiredResource): Promise<void> {
    const bucket = this.bucketName(resource);
    const head = await this.head(bucket);
    if (head.state === 'missing') {
      return;
    }
    if (head.state === 'forbidden') {
      throw this.foreignBucketError(bucket);
    }
    await this.readOwnership(bucket, resource.id);
    try {
      await this.options.client.send(
        new DeleteBucketCommand({ Bucket: bucket, ...this.expectedOwner() }),
      );
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'NoSuchBucket') {
        this.options.created.delete(this.createdKey(bucket));
        return;
      }
      if (code === 'BucketNotEmpty') {
        throw new ConflictError(
          `S3 bucket ${bucket} still holds objects or object versions; Paasport does not delete data. Empty the bucket, then delete the resource again`,
        );
      }
      throw new ForwardedError(`Could not delete S3 bucket ${bucket}`, error);
    }
    this.options.created.delete(this.createdKey(bucket));
    this.options.logger?.info(`Deleted S3 bucket ${bucket}`, {
      bucket,
      resourceId: resource.id,
    });
  }

  private settingSteps(
    bucket: string,
    arn: string,
    resource: DesiredResource,
    spec: S3BucketSpec,
  ): SettingStep[] {
    const { client } = this.options;
    const owner = this.expectedOwner();
    const steps: SettingStep[] = [
      // Tags first: the sooner the ownership tag is on, the shorter the window in which a
      // crash leaves an untagged bucket behind.
      {
        type: 'Tagged',
        action: 'tag the bucket',
        appliedMessage: `Tagged with the resource's tags and ${PAASPORT_RESOURCE_ID_TAG}`,
        run: () =>
          client.send(
            new PutBucketTaggingCommand({
              Bucket: bucket,
              Tagging: { TagSet: bucketTagSet(resource.id, resource.tags) },
              ...owner,
            }),
          ),
      },
      {
        // CreateBucket sets it on new buckets; this covers adopted and changed ones.
        type: 'ObjectOwnershipEnforced',
        action: 'enforce bucket owner object ownership (ACLs off)',
        appliedMessage:
          'Object ownership is BucketOwnerEnforced: ACLs are off and the bucket owner owns every object',
        run: () =>
          client.send(
            new PutBucketOwnershipControlsCommand({
              Bucket: bucket,
              OwnershipControls: {
                Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
              },
              ...owner,
            }),
          ),
        // An endpoint without ownership controls (s3rver) routes the call as CreateBucket.
        isUnsupported: isCreateConflict,
      },
      {
        type: 'PublicAccessBlocked',
        action: 'block public access',
        appliedMessage: 'All four Block Public Access settings are on',
        run: () =>
          client.send(
            new PutPublicAccessBlockCommand({
              Bucket: bucket,
              PublicAccessBlockConfiguration: publicAccessBlock(),
              ...owner,
            }),
          ),
      },
      {
        type: 'Encrypted',
        action: 'set default encryption',
        appliedMessage:
          spec.encryption.type === 'SSE-KMS'
            ? 'New objects are encrypted with SSE-KMS'
            : 'New objects are encrypted with SSE-S3 (AES256)',
        run: () =>
          client.send(
            new PutBucketEncryptionCommand({
              Bucket: bucket,
              ServerSideEncryptionConfiguration: encryptionConfiguration(
                spec.encryption,
              ),
              ...owner,
            }),
          ),
      },
      {
        type: 'SecureTransportOnly',
        action: 'put the TLS-only bucket policy',
        appliedMessage: 'The bucket policy denies requests without TLS',
        run: () =>
          client.send(
            new PutBucketPolicyCommand({
              Bucket: bucket,
              Policy: tlsOnlyPolicy(arn),
              ...owner,
            }),
          ),
      },
    ];
    if (spec.versioning) {
      steps.push({
        type: 'Versioned',
        action: 'enable versioning',
        appliedMessage: 'Versioning is enabled',
        run: () =>
          client.send(
            new PutBucketVersioningCommand({
              Bucket: bucket,
              VersioningConfiguration: { Status: 'Enabled' },
              ...owner,
            }),
          ),
        // S3 answers PutBucketVersioning with success or an access error, never a create
        // conflict; an endpoint without versioning (s3rver) routes it as CreateBucket.
        isUnsupported: isCreateConflict,
      });
    }
    const days = spec.expireNoncurrentAfterDays;
    if (days !== undefined) {
      steps.push({
        type: 'NoncurrentVersionsExpire',
        action: 'put the lifecycle rule that expires noncurrent versions',
        appliedMessage: `Noncurrent versions expire after ${days} days`,
        run: async () => {
          const others = ((await this.readLifecycleRules(bucket)) ?? []).filter(
            rule => rule.ID !== NONCURRENT_EXPIRY_RULE_ID,
          );
          await client.send(
            new PutBucketLifecycleConfigurationCommand({
              Bucket: bucket,
              LifecycleConfiguration: {
                Rules: [...others, noncurrentExpiryRule(days)],
              },
              ...owner,
            }),
          );
        },
      });
    }
    return steps;
  }

  private async head(bucket: string): Promise<HeadResult> {
    try {
      const output = await this.options.client.send(
        new HeadBucketCommand({ Bucket: bucket, ...this.expectedOwner() }),
      );
      return {
        state: 'present',
        region: output.BucketRegion ?? this.options.region,
      };
    } catch (error) {
      const status = awsHttpStatus(error);
      if (status === 404 || awsErrorCode(error) === 'NotFound') {
        return { state: 'missing' };
      }
      if (status === 403) {
        return { state: 'forbidden' };
      }
      if (status === 301) {
        throw new ConflictError(
          `S3 bucket ${bucket} exists in another region than ${this.options.region}; Paasport will not use it`,
        );
      }
      throw new ForwardedError(`Could not look up S3 bucket ${bucket}`, error);
    }
  }

  /**
   * True when this call made the bucket: CreateBucket succeeded, or answered
   * BucketAlreadyOwnedByYou to an SDK retry after a try that may have made it.
   */
  private async create(
    bucket: string,
    resource: DesiredResource,
  ): Promise<boolean> {
    const { client, region, logger } = this.options;
    try {
      await client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ObjectOwnership: 'BucketOwnerEnforced',
          CreateBucketConfiguration: {
            // us-east-1 is the default location and refuses an explicit constraint.
            ...(region === 'us-east-1'
              ? {}
              : { LocationConstraint: region as BucketLocationConstraint }),
            // With the tag on from the start, a retry after an attempt that died right
            // after CreateBucket can prove the bucket is this resource's.
            Tags: bucketTagSet(resource.id, resource.tags),
          },
        }),
      );
      logger?.info(`Created S3 bucket ${bucket}`, { bucket, region });
      return true;
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'BucketAlreadyOwnedByYou') {
        // Ours by account; whether it is this resource's is decided by its tags next.
        return (awsAttempts(error) ?? 1) > 1;
      }
      if (code === 'BucketAlreadyExists') {
        throw new ConflictError(
          `S3 bucket name ${bucket} is taken by another AWS account; Paasport will not use it`,
        );
      }
      throw new ForwardedError(`Could not create S3 bucket ${bucket}`, error);
    }
  }

  /** Throws a `ConflictError` unless the bucket is shown to be this resource's. */
  private async readOwnership(
    bucket: string,
    resourceId: string,
  ): Promise<Ownership> {
    const createdHere =
      this.options.created.get(this.createdKey(bucket)) === resourceId;
    let tags: Tag[];
    try {
      const output = await this.options.client.send(
        new GetBucketTaggingCommand({
          Bucket: bucket,
          ...this.expectedOwner(),
        }),
      );
      tags = output.TagSet ?? [];
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchTagSet') {
        tags = [];
      } else if (isNotImplemented(error)) {
        return this.ownershipWithoutTags(bucket, resourceId, createdHere);
      } else {
        throw new ForwardedError(
          `Could not read the tags of S3 bucket ${bucket}`,
          error,
        );
      }
    }

    const owner = tags.find(tag => tag.Key === PAASPORT_RESOURCE_ID_TAG)?.Value;
    if (owner === resourceId) {
      return { state: 'tagged' };
    }
    if (owner !== undefined) {
      // The other id goes to the operator's log only, not to the caller.
      this.options.logger?.warn(
        `S3 bucket ${bucket} belongs to another Paasport resource`,
        { bucket, resourceId, ownerResourceId: owner },
      );
      throw new ConflictError(
        `S3 bucket ${bucket} belongs to another Paasport resource; Paasport will not modify it`,
      );
    }
    if (createdHere) {
      return { state: 'created', tagMissing: true };
    }
    if (tags.length > 0) {
      throw new ConflictError(
        `S3 bucket ${bucket} already exists with tags but without the ${PAASPORT_RESOURCE_ID_TAG} tag: it was not created by Paasport, which will not adopt it`,
      );
    }
    throw new ConflictError(
      `S3 bucket ${bucket} already exists without the ${PAASPORT_RESOURCE_ID_TAG} tag; tag it ${PAASPORT_RESOURCE_ID_TAG}=${resourceId} to let Paasport adopt it, or delete it to let Paasport create it`,
    );
  }

  /** Ownership on an endpoint that cannot read bucket tags. */
  private ownershipWithoutTags(
    bucket: string,
    resourceId: string,
    createdHere: boolean,
  ): Ownership {
    if (createdHere) {
      return { state: 'created', tagMissing: false };
    }
    if (this.options.assumeOwnershipWhenTagsUnreadable) {
      const message = `The endpoint does not implement GetBucketTagging, so the ${PAASPORT_RESOURCE_ID_TAG} tag of S3 bucket ${bucket} cannot be checked; it is taken as this resource's because paas.aws.s3.assumeOwnershipWhenTagsUnreadable is set`;
      this.options.logger?.warn(message, { bucket, resourceId });
      return { state: 'assumed', message };
    }
    throw new ConflictError(
      `S3 bucket ${bucket} already exists and its ${PAASPORT_RESOURCE_ID_TAG} tag cannot be read on this endpoint; tag it ${PAASPORT_RESOURCE_ID_TAG}=${resourceId} or delete it to let Paasport create it (on an endpoint without bucket tagging, such as an emulator, the operator may set paas.aws.s3.assumeOwnershipWhenTagsUnreadable)`,
    );
  }

  private createdKey(bucket: string): string {
    return `${this.options.accountId ?? ''}/${bucket}`;
  }

  private async suspendVersioningIfEnabled(
    bucket: string,
    target: string,
  ): Promise<ResourceCondition | undefined> {
    const { client } = this.options;
    let status: string | undefined;
    try {
      const output = await client.send(
        new GetBucketVersioningCommand({
          Bucket: bucket,
          ...this.expectedOwner(),
        }),
      );
      status = output.Status;
    } catch (error) {
      if (isNotImplemented(error)) {
        // An endpoint without versioning holds no versions to suspend.
        return undefined;
      }
      throw new ForwardedError(
        `Could not read the versioning state of ${target}`,
        error,
      );
    }
    if (status !== 'Enabled') {
      return undefined;
    }
    try {
      await client.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Suspended' },
          ...this.expectedOwner(),
        }),
      );
    } catch (error) {
      throw new ForwardedError(
        `Could not suspend versioning on ${target}`,
        error,
      );
    }
    return {
      type: 'Versioned',
      status: 'False',
      reason: 'Suspended',
      message:
        'The spec turns versioning off, so it is suspended; S3 keeps the versions that already exist',
    };
  }

  private async removeNoncurrentExpiryRule(
    bucket: string,
    target: string,
  ): Promise<void> {
    const rules = await this.readLifecycleRules(bucket);
    if (!rules?.some(rule => rule.ID === NONCURRENT_EXPIRY_RULE_ID)) {
      return;
    }
    const others = rules.filter(rule => rule.ID !== NONCURRENT_EXPIRY_RULE_ID);
    const { client } = this.options;
    try {
      await client.send(
        others.length > 0
          ? new PutBucketLifecycleConfigurationCommand({
              Bucket: bucket,
              LifecycleConfiguration: { Rules: others },
              ...this.expectedOwner(),
            })
          : new DeleteBucketLifecycleCommand({
              Bucket: bucket,
              ...this.expectedOwner(),
            }),
      );
    } catch (error) {
      throw new ForwardedError(
        `Could not remove the noncurrent-version expiry rule from ${target}`,
        error,
      );
    }
  }

  /** The bucket's lifecycle rules; undefined when the endpoint has no lifecycle support. */
  private async readLifecycleRules(
    bucket: string,
  ): Promise<LifecycleRule[] | undefined> {
    try {
      const output = await this.options.client.send(
        new GetBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          ...this.expectedOwner(),
        }),
      );
      return output.Rules ?? [];
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchLifecycleConfiguration') {
        return [];
      }
      if (isNotImplemented(error)) {
        return undefined;
      }
      throw new ForwardedError(
        `Could not read the lifecycle rules of S3 bucket ${bucket}`,
        error,
      );
    }
  }

  private bucketName(resource: DesiredResource): string {
    if (resource.kind !== KIND) {
      throw new InputError(
        `Provider ${this.id} handles ${KIND}, not ${resource.kind}`,
      );
    }
    const bucket = resource.name;
    if (
      !BUCKET_NAME.test(bucket) ||
      bucket.includes('..') ||
      /^\d+\.\d+\.\d+\.\d+$/.test(bucket)
    ) {
      throw new InputError(
        `'${bucket}' is not a valid S3 bucket name: use 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit`,
      );
    }
    return bucket;
  }

  private expectedOwner(): { ExpectedBucketOwner?: string } {
    return this.options.accountId
      ? { ExpectedBucketOwner: this.options.accountId }
      : {};
  }

  private foreignBucketError(bucket: string): ConflictError {
    return new ConflictError(
      `S3 bucket ${bucket} exists but these credentials may not use it: it belongs to another AWS account${
        this.options.accountId ? ` than ${this.options.accountId}` : ''
      }, or they lack s3:ListBucket on it. Paasport will not modify it`,
    );
  }

  private describe(
    bucket: string,
    region: string,
  ): Pick<ObservedResource, 'externalId' | 'outputs'> {
    const arn = bucketArn(bucket, region);
    return {
      externalId: arn,
      outputs: {
        bucketName: bucket,
        arn,
        region,
        consoleUrl: bucketConsoleUrl(bucket, region),
      },
    };
  }
}

/**
 * Provides `aws:s3-bucket` resources: private, encrypted, TLS-only buckets tagged with the
 * Paasport resource id that owns them.
 *
 * Ownership rule: an existing bucket is Paasport's to manage, or delete, only when its
 * `paasport.io/resource-id` tag is this resource's id, or when this provider created it
 * for this resource in this process (CreateBucket carries the tag, so on AWS a retry after
 * an interrupted create finds it tagged). Where the endpoint cannot read bucket tags, any
 * other existing bucket is refused unless `assumeOwnershipWhenTagsUnreadable` is set.
 * Anything else is a `ConflictError` and is never modified.
 *
 * @public
 */
export class S3BucketProvider extends AccountScopedProvider<
  S3Client,
  S3BucketProviderOptions
> {
  readonly id = 'aws-s3';
  readonly kinds: readonly ResourceKind[] = [KIND];
  private readonly created: CreatedBuckets = new Map();

  protected inAccount(
    options: Omit<S3BucketProviderOptions, 'clientFor'> &
      AwsAccountClient<S3Client>,
  ) {
    return new S3BucketProviderInAccount({ ...options, created: this.created });
  }
}

function parseSpec(resource: DesiredResource): S3BucketSpec {
  const parsed = s3BucketSpecSchema.safeParse(resource.spec);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(issue => `${issue.path.join('.') || 'spec'}: ${issue.message}`)
      .join('; ');
    throw new InputError(
      `Invalid spec of S3 bucket ${resource.name}: ${issues}`,
    );
  }
  return parsed.data;
}

function ownershipCondition(ownership: Ownership): ResourceCondition {
  switch (ownership.state) {
    case 'tagged':
      return {
        type: 'Owned',
        status: 'True',
        reason: 'OwnershipTagMatches',
        message: `The ${PAASPORT_RESOURCE_ID_TAG} tag names this resource`,
      };
    case 'created':
      return {
        type: 'Owned',
        status: 'True',
        reason: 'CreatedByPaasport',
        message: ownership.tagMissing
          ? `Paasport created the bucket for this resource; apply puts the ${PAASPORT_RESOURCE_ID_TAG} tag on`
          : `Paasport created the bucket for this resource; the endpoint cannot show the ${PAASPORT_RESOURCE_ID_TAG} tag`,
      };
    default:
      return {
        type: 'Owned',
        status: 'Unknown',
        reason: 'AssumedByConfiguration',
        message: ownership.message,
      };
  }
}

/** A create conflict, with which s3rver answers bucket calls it routes as CreateBucket. */
function isCreateConflict(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'BucketAlreadyExists' || code === 'BucketAlreadyOwnedByYou';
}
