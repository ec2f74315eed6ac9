import { InputError, NotAllowedError } from '@backstage/errors';
import { ResourceSpec } from '@paasport/plugin-paas-common';

type LambdaFunctionSpec = ResourceSpec<'aws:lambda-function'>;

/** Which role a function runs as, and where its code may come from. */
export interface FunctionTenancyOptions {
  /** The shared role, `paas.aws.lambda.executionRoleArn`. */
  executionRoleArn?: string;
  /** Each organization's own role, `paas.aws.organizations.<org>.lambdaExecutionRoleArn`. */
  organizationExecutionRoleArns?: Record<string, string>;
  /** Whether organizations without a role of their own may use the shared one. */
  allowSharedExecutionRole?: boolean;
  /** Buckets code may come from: names, or prefixes ending in `*`. */
  codeBuckets?: readonly string[];
}

/** The role the organization's functions run as; undefined when it has none it may use. */
export function executionRoleFor(
  organization: string,
  options: FunctionTenancyOptions,
): string | undefined {
  const own = Object.hasOwn(
    options.organizationExecutionRoleArns ?? {},
    organization,
  )
    ? options.organizationExecutionRoleArns![organization]
    : undefined;
  return (
    own ??
    (options.allowSharedExecutionRole ? options.executionRoleArn : undefined)
  );
}

/** Like {@link executionRoleFor}, but a `NotAllowedError` naming the keys to set. */
export function requireExecutionRole(
  functionName: string,
  organization: string,
  options: FunctionTenancyOptions,
): string {
  const role = executionRoleFor(organization, options);
  if (role) {
    return role;
  }
  const shared = options.executionRoleArn
    ? ', or set paas.aws.lambda.allowSharedExecutionRole to let every organization without a role of its own share paas.aws.lambda.executionRoleArn'
    : '';
  throw new NotAllowedError(
    `Lambda function ${functionName} cannot be applied: organization ${organization} has no execution role; set paas.aws.organizations.${organization}.lambdaExecutionRoleArn to the ARN of the IAM role its functions run as${shared}`,
  );
}

/** Throws an `InputError` naming `codeS3Bucket` unless the bucket is a configured one. */
export function assertCodeBucketAllowed(
  functionName: string,
  spec: LambdaFunctionSpec,
  codeBuckets: readonly string[] | undefined,
): void {
  const bucket = spec.codeS3Bucket;
  const allowed = (codeBuckets ?? []).some(entry =>
    entry.endsWith('*')
      ? bucket.startsWith(entry.slice(0, -1))
      : bucket === entry,
  );
  if (!allowed) {
    throw new InputError(
      `Invalid spec of Lambda function ${functionName}: codeS3Bucket: ${bucket} is not a bucket functions may take code from (paas.aws.lambda.codeBuckets)`,
    );
  }
}
