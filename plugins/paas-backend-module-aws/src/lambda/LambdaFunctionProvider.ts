import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  FunctionCode,
  FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionResponse,
  LambdaClient,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
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
  awsHttpStatus,
  callAws,
  forwardAwsError,
  isAwsError,
} from '../awsErrors';
import { LambdaCodeDelivery } from '../clients';
import { WAITING_REASON } from '../conditions';
import {
  assertOwnedBy,
  desiredTags,
  OWNED_BY_CREATION,
  OWNED_BY_TAG,
  tagsToAdd,
} from '../ownership';
import { assertKind, parseSpecOf } from '../resourceInput';
import {
  assertCodeBucketAllowed,
  executionRoleFor,
  FunctionTenancyOptions,
  requireExecutionRole,
} from './functionTenancy';
import {
  CODE_SOURCE_TAG,
  codeSourceDigest,
  configurationChanges,
  createFunctionInput,
  functionConsoleUrl,
} from './functionSettings';

/** Options of {@link LambdaFunctionProvider}. @public */
export interface LambdaFunctionProviderOptions {
  /**
   * The client, region and account of a resource's organization; clients are built with
   * bounded `standard` retries, see the package README.
   */
  clientFor: AwsClientFor<LambdaClient>;
  /**
   * The shared IAM role (`paas.aws.lambda.executionRoleArn`): functions of an organization
   * without a role of its own run as it only when `allowSharedExecutionRole` is true.
   */
  executionRoleArn?: string;
  /**
   * The role each organization's functions run as, by organization
   * (`paas.aws.organizations.<org>.lambdaExecutionRoleArn`).
   */
  organizationExecutionRoleArns?: Record<string, string>;
  /** Let organizations without a role of their own use `executionRoleArn`. */
  allowSharedExecutionRole?: boolean;
  /**
   * The buckets function code may come from (`paas.aws.lambda.codeBuckets`): names, or
   * prefixes ending in `*`. A spec naming any other bucket is an `InputError`; none is
   * allowed when unset.
   */
  codeBuckets?: readonly string[];
  /**
   * How code reaches Lambda (`paas.aws.lambda.codeDelivery`): `s3-reference` (the default)
   * names the S3 object in the Lambda call; `upload` reads it with `s3ClientFor` and sends
   * its bytes, at most {@link LAMBDA_MAX_UPLOAD_BYTES}.
   */
  codeDelivery?: LambdaCodeDelivery;
  /**
   * The S3 client of an organization's account, which reads the code in `upload` mode:
   * the same clients as the S3 providers'. Required with `codeDelivery: 'upload'`.
   */
  s3ClientFor?: AwsClientFor<S3Client>;
  logger?: LoggerService;
}

/**
 * The largest code zip Lambda accepts in the request itself (`ZipFile`): 50 MB. Larger code
 * must be deployed from S3 (`codeDelivery: 's3-reference'`).
 * @public
 */
export const LAMBDA_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Options of the provider in one account: the organization's client, region and id. */
type InAccountOptions = Omit<LambdaFunctionProviderOptions, 'clientFor'> &
  AwsAccountClient<LambdaClient>;

/** The code of a CreateFunction or UpdateFunctionCode call: an S3 object, or its bytes. */
type CodeInput = Pick<FunctionCode, 'S3Bucket' | 'S3Key' | 'ZipFile'>;

type LambdaFunctionSpec = ResourceSpec<'aws:lambda-function'>;

const KIND = 'aws:lambda-function' as const;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The provider's calls in one account, with that account's client, region and id. */
class LambdaFunctionProviderInAccount implements PaasResourceProvider {
  readonly id = 'aws-lambda';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const name = this.functionName(resource);
    const spec = parseSpecOf(KIND, resource, target(name));
    const found = await this.getFunction(name);
    if (!found) {
      return undefined;
    }
    const { configuration, tags } = this.ownedFunction(found, name, resource);
    const changes = Object.keys(
      configurationChanges(
        configuration,
        spec,
        executionRoleFor(resource.organization, this.options),
      ),
    );
    const conditions: ResourceCondition[] = [
      OWNED_BY_TAG,
      changes.length > 0
        ? differsCondition(
            'Configured',
            `${changes.join(', ')} differ from the spec`,
          )
        : matchesCondition('Configured', 'The configuration matches the spec'),
      tags[CODE_SOURCE_TAG] === codeSourceDigest(spec)
        ? matchesCondition('CodeDeployed', codeMessage(spec))
        : differsCondition(
            'CodeDeployed',
            `The code does not come from s3://${spec.codeS3Bucket}/${spec.codeS3Key}`,
          ),
      stateCondition(configuration),
    ];
    return this.result(name, configuration, conditions);
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const { name, spec, role } = checkFunction(resource, this.options);
    const tags = desiredTags(resource.id, resource.tags);

    let found = await this.getFunction(name);
    if (!found) {
      const created = await this.create(
        name,
        resource.organization,
        spec,
        role,
        tags,
      );
      if (created) {
        return this.result(name, created, [
          OWNED_BY_CREATION,
          {
            type: 'Configured',
            status: 'True',
            reason: 'Applied',
            message: `Created with ${spec.runtime}, ${spec.memoryMiB} MiB and a ${spec.timeoutSeconds} s timeout`,
          },
          {
            type: 'CodeDeployed',
            status: 'True',
            reason: 'Applied',
            message: codeMessage(spec),
          },
          stateCondition(created),
        ]);
      }
      // ResourceConflictException: created meanwhile; ours only if tagged so.
      found = await this.getFunction(name);
      if (!found) {
        throw new ConflictError(
          `Lambda function ${name} is in conflict but cannot be found; apply again`,
        );
      }
    }

    const { configuration, tags: current } = this.ownedFunction(
      found,
      name,
      resource,
    );
    const conditions: ResourceCondition[] = [OWNED_BY_TAG];
    if (isBusy(configuration)) {
      // Lambda refuses changes while it creates or updates the function.
      conditions.push(stateCondition(configuration));
      return this.result(name, configuration, conditions);
    }

    const arn = configuration.FunctionArn;
    const missingTags = tagsToAdd(tags, current);
    if (Object.keys(missingTags).length > 0) {
      await this.call('tag', name, () =>
        this.options.client.send(
          new TagResourceCommand({ Resource: arn, Tags: missingTags }),
        ),
      );
    }

    let latest = configuration;
    const changes = configurationChanges(configuration, spec, role);
    const codeChanged = current[CODE_SOURCE_TAG] !== codeSourceDigest(spec);
    if (Object.keys(changes).length > 0) {
      latest = await this.call('update the configuration of', name, () =>
        this.options.client.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: name,
            ...changes,
          }),
        ),
      );
      conditions.push({
        type: 'Configured',
        status: 'True',
        reason: 'Applied',
        message: `Updated ${Object.keys(changes).join(', ')}`,
      });
      if (codeChanged) {
        conditions.push({
          type: 'CodeDeployed',
          status: 'False',
          reason: WAITING_REASON,
          message:
            'Lambda takes one update at a time; the next apply deploys the new code once the configuration update is done',
        });
      }
    } else {
      conditions.push(
        matchesCondition('Configured', 'The configuration matches the spec'),
      );
      if (codeChanged) {
        const code = await this.codeInput(name, resource.organization, spec);
        latest = await this.call('update the code of', name, () =>
          this.options.client.send(
            new UpdateFunctionCodeCommand({ FunctionName: name, ...code }),
          ),
        );
        // Recorded after the update: a crash in between only repeats the update.
        await this.call('record the code source of', name, () =>
          this.options.client.send(
            new TagResourceCommand({
              Resource: arn,
              Tags: { [CODE_SOURCE_TAG]: codeSourceDigest(spec) },
            }),
          ),
        );
      }
      conditions.push(
        codeChanged
          ? {
              type: 'CodeDeployed',
              status: 'True',
              reason: 'Applied',
              message: codeMessage(spec),
            }
          : matchesCondition('CodeDeployed', codeMessage(spec)),
      );
    }
    conditions.push(stateCondition(latest));
    this.options.logger?.info(`Applied Lambda function ${name}`, {
      function: name,
      resourceId: resource.id,
    });
    return this.result(name, latest, conditions);
  }

  async delete(resource: DesiredResource): Promise<void> {
    const name = this.functionName(resource);
    const found = await this.getFunction(name);
    if (!found) {
      return;
    }
    this.ownedFunction(found, name, resource);
    try {
      await this.options.client.send(
        new DeleteFunctionCommand({ FunctionName: name }),
      );
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        return;
      }
      if (isAwsError(error, 'ResourceConflictException')) {
        throw new ConflictError(
          `Lambda function ${name} is being created or updated; delete it again in a moment`,
        );
      }
      throw forwardAwsError(`Could not delete Lambda function ${name}`, error);
    }
    this.options.logger?.info(`Deleted Lambda function ${name}`, {
      function: name,
      resourceId: resource.id,
    });
  }

  private async getFunction(
    name: string,
  ): Promise<GetFunctionResponse | undefined> {
    try {
      return await this.options.client.send(
        new GetFunctionCommand({ FunctionName: name }),
      );
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        return undefined;
      }
      throw forwardAwsError(`Could not look up Lambda function ${name}`, error);
    }
  }

  /** The new function's configuration; undefined when one of the name already exists. */
  private async create(
    name: string,
    organization: string,
    spec: LambdaFunctionSpec,
    executionRoleArn: string,
    tags: Record<string, string>,
  ): Promise<FunctionConfiguration | undefined> {
    const { client, logger, region } = this.options;
    const code = await this.codeInput(name, organization, spec);
    try {
      const created = await client.send(
        new CreateFunctionCommand(
          createFunctionInput(name, spec, executionRoleArn, tags, code),
        ),
      );
      logger?.info(`Created Lambda function ${name}`, {
        function: name,
        region,
      });
      return created;
    } catch (error) {
      if (isAwsError(error, 'ResourceConflictException')) {
        return undefined;
      }
      throw forwardAwsError(`Could not create Lambda function ${name}`, error);
    }
  }

  /**
   * The code to send: the spec's S3 object by reference, or in `upload` mode its bytes,
   * read through the organization's S3 client after HeadObject shows it within Lambda's
   * upload limit.
   */
  private async codeInput(
    name: string,
    organization: string,
    spec: LambdaFunctionSpec,
  ): Promise<CodeInput> {
    const { codeDelivery = 's3-reference', s3ClientFor } = this.options;
    if (codeDelivery === 's3-reference') {
      return { S3Bucket: spec.codeS3Bucket, S3Key: spec.codeS3Key };
    }
    if (!s3ClientFor) {
      throw new Error(
        `The code of Lambda function ${name} cannot be uploaded: codeDelivery 'upload' needs s3ClientFor`,
      );
    }
    const { client: s3 } = s3ClientFor(organization);
    const object = { Bucket: spec.codeS3Bucket, Key: spec.codeS3Key };
    const where = `s3://${spec.codeS3Bucket}/${spec.codeS3Key}`;
    const limit = `Lambda's limit of ${LAMBDA_MAX_UPLOAD_BYTES} bytes (50 MB) for code uploaded directly; deploy it with paas.aws.lambda.codeDelivery: s3-reference, from a bucket Lambda can read`;

    let size: number | undefined;
    try {
      size = (await s3.send(new HeadObjectCommand(object))).ContentLength;
    } catch (error) {
      if (
        isAwsError(error, 'NotFound', 'NoSuchKey', 'NoSuchBucket') ||
        awsHttpStatus(error) === 404
      ) {
        throw new NotFoundError(
          `The code of Lambda function ${name} cannot be uploaded: ${where} does not exist`,
        );
      }
      throw forwardAwsError(
        `Could not look up the code of Lambda function ${name} at ${where}`,
        error,
      );
    }
    if (size !== undefined && size > LAMBDA_MAX_UPLOAD_BYTES) {
      throw new InputError(
        `The code of Lambda function ${name} cannot be uploaded: ${where} is ${size} bytes, more than ${limit}`,
      );
    }

    const bytes = await callAws(
      `read the code of Lambda function ${name} from ${where}`,
      async () => {
        const { Body } = await s3.send(new GetObjectCommand(object));
        if (!Body) {
          throw new Error(`S3 returned no content for ${where}`);
        }
        return Body.transformToByteArray();
      },
    );
    // The object may have been replaced since HeadObject.
    if (bytes.byteLength > LAMBDA_MAX_UPLOAD_BYTES) {
      throw new InputError(
        `The code of Lambda function ${name} cannot be uploaded: ${where} is ${bytes.byteLength} bytes, more than ${limit}`,
      );
    }
    return { ZipFile: bytes };
  }

  /** The function's configuration and tags; a `ConflictError` unless it is this resource's. */
  private ownedFunction(
    found: GetFunctionResponse,
    name: string,
    resource: DesiredResource,
  ): { configuration: FunctionConfiguration; tags: Record<string, string> } {
    if (found.TagsError) {
      throw new Error(
        `Could not read the tags of Lambda function ${name}, so its ownership cannot be checked: ${found.TagsError.ErrorCode} ${found.TagsError.Message}`,
      );
    }
    const tags = found.Tags ?? {};
    assertOwnedBy(tags, resource.id, target(name), this.options.logger);
    return { configuration: found.Configuration ?? {}, tags };
  }

  private call<T>(
    action: string,
    name: string,
    run: () => Promise<T>,
  ): Promise<T> {
    return callAws(`${action} Lambda function ${name}`, run);
  }

  private functionName(resource: DesiredResource): string {
    return functionNameOf(resource);
  }

  private result(
    name: string,
    configuration: FunctionConfiguration,
    conditions: ResourceCondition[],
  ): ObservedResource {
    const { region } = this.options;
    const arn = configuration.FunctionArn;
    const unmet = conditions.filter(c => c.status === 'False');
    let state: ObservedResource['state'] =
      unmet.length > 0 ? 'pending' : 'ready';
    if (unmet.some(c => c.reason === 'Failed')) {
      state = 'failed';
    }
    return {
      state,
      ...(arn ? { externalId: arn } : {}),
      outputs: {
        functionName: name,
        ...(arn ? { arn } : {}),
        region,
        consoleUrl: functionConsoleUrl(name, region),
      },
      conditions,
    };
  }
}

/**
 * Provides `aws:lambda-function` resources: functions whose code is an object in one of the
 * configured code buckets, running as their organization's execution role (the shared one
 * only where allowed), tagged with the Paasport resource id. The code
 * goes to Lambda as a reference to the object, or (`codeDelivery: 'upload'`) as its bytes.
 *
 * Ownership rule: an existing function is managed only when its `paasport.io/resource-id`
 * tag is this resource's id; tags go with CreateFunction, so any other function of the
 * name is a `ConflictError`. Lambda accepts one update at a time, so an apply that changes
 * the configuration leaves a code change to the next apply, and reports `pending`.
 *
 * @public
 */
export class LambdaFunctionProvider extends AccountScopedProvider<
  LambdaClient,
  LambdaFunctionProviderOptions
> {
  readonly id = 'aws-lambda';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(options: LambdaFunctionProviderOptions) {
    if (options.codeDelivery === 'upload' && !options.s3ClientFor) {
      throw new Error(
        `LambdaFunctionProvider: codeDelivery 'upload' needs s3ClientFor, the S3 client that reads the code`,
      );
    }
    super(options);
  }

  /**
   * Checks what `apply` checks before any AWS call: the spec, the code bucket and the
   * organization's execution role. `InputError` or `NotAllowedError` when refused.
   */
  validate(resource: DesiredResource): void {
    checkFunction(resource, this.options);
  }

  protected inAccount(options: InAccountOptions) {
    return new LambdaFunctionProviderInAccount(options);
  }
}

function functionNameOf(resource: DesiredResource): string {
  assertKind('aws-lambda', KIND, resource);
  if (!FUNCTION_NAME.test(resource.name)) {
    throw new InputError(
      `'${resource.name}' is not a valid Lambda function name: use 1 to 64 letters, digits, dashes and underscores`,
    );
  }
  return resource.name;
}

/** The function's name, spec and role, or the error that refuses it before any AWS call. */
function checkFunction(
  resource: DesiredResource,
  options: FunctionTenancyOptions,
): { name: string; spec: LambdaFunctionSpec; role: string } {
  const name = functionNameOf(resource);
  const spec = parseSpecOf(KIND, resource, target(name));
  assertCodeBucketAllowed(name, spec, options.codeBuckets);
  const role = requireExecutionRole(name, resource.organization, options);
  return { name, spec, role };
}

function target(name: string): string {
  return `Lambda function ${name}`;
}

/** True while Lambda creates or updates the function and refuses other changes. */
function isBusy(configuration: FunctionConfiguration): boolean {
  return (
    configuration.State === 'Pending' ||
    configuration.LastUpdateStatus === 'InProgress'
  );
}

function stateCondition(
  configuration: FunctionConfiguration,
): ResourceCondition {
  if (configuration.State === 'Failed') {
    return {
      type: 'Active',
      status: 'False',
      reason: 'Failed',
      message: `Lambda could not create the function: ${
        configuration.StateReason ??
        configuration.StateReasonCode ??
        'no reason given'
      }`,
    };
  }
  if (configuration.LastUpdateStatus === 'Failed') {
    return {
      type: 'Active',
      status: 'False',
      reason: 'Failed',
      message: `The last update failed: ${
        configuration.LastUpdateStatusReason ??
        configuration.LastUpdateStatusReasonCode ??
        'no reason given'
      }`,
    };
  }
  if (isBusy(configuration)) {
    return {
      type: 'Active',
      status: 'False',
      reason: WAITING_REASON,
      message:
        configuration.State === 'Pending'
          ? 'Lambda is creating the function'
          : 'Lambda is applying an update to the function',
    };
  }
  return {
    type: 'Active',
    status: 'True',
    reason: configuration.State ?? 'Active',
    message: 'The function can be invoked',
  };
}

function codeMessage(spec: LambdaFunctionSpec): string {
  return `The code comes from s3://${spec.codeS3Bucket}/${spec.codeS3Key}`;
}

function matchesCondition(type: string, message: string): ResourceCondition {
  return { type, status: 'True', reason: 'MatchesSpec', message };
}

function differsCondition(type: string, message: string): ResourceCondition {
  return {
    type,
    status: 'False',
    reason: 'DiffersFromSpec',
    message: `${message}; the next apply updates it`,
  };
}
