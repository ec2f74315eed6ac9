import { ForwardedError, isError } from '@backstage/errors';

/** Codes with which an endpoint says it does not support an operation at all. */
const NOT_IMPLEMENTED_CODES = new Set([
  'NotImplemented',
  'UnknownOperationException',
]);

/** The AWS error code of an SDK error, such as `NoSuchBucket`. */
export function awsErrorCode(error: unknown): string | undefined {
  if (!isError(error)) {
    return undefined;
  }
  const code = (error as { Code?: unknown }).Code;
  return typeof code === 'string' && code ? code : error.name;
}

/** The HTTP status of the response that carried an SDK error. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } })
    .$metadata;
  return typeof metadata?.httpStatusCode === 'number'
    ? metadata.httpStatusCode
    : undefined;
}

/**
 * True when the endpoint answered that it does not implement the operation. Real AWS never
 * does for the operations these providers use; emulators and S3-compatible stores do.
 */
export function isNotImplemented(error: unknown): boolean {
  const code = awsErrorCode(error);
  return (
    (code !== undefined && NOT_IMPLEMENTED_CODES.has(code)) ||
    awsHttpStatus(error) === 501
  );
}

/**
 * True when an SDK error is one of `names`. Matches the exception's name, which is what the
 * SDK classes carry, and the wire code, which query-protocol services (RDS) spell without
 * the `Fault` suffix.
 */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  if (!isError(error)) {
    return false;
  }
  const code = (error as { Code?: unknown }).Code;
  return (
    names.includes(error.name) ||
    (typeof code === 'string' && names.includes(code))
  );
}

/** How many times the SDK tried the call that ended in this error. */
export function awsAttempts(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata
    ?.attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

/**
 * Wraps the SDK error that ends a provider call. `failure` says what failed, such as
 * `Could not create DynamoDB table orders`; when the SDK retried, the number of attempts
 * is added, so a throttled call reads differently from one that failed at once.
 */
export function forwardAwsError(
  failure: string,
  error: unknown,
): ForwardedError {
  const attempts = awsAttempts(error) ?? 1;
  return new ForwardedError(
    attempts > 1 ? `${failure} after ${attempts} attempts` : failure,
    error,
  );
}

/** Runs one SDK call; a failure is rethrown as `Could not <what>`, the AWS error as its cause. */
export async function callAws<T>(
  what: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw forwardAwsError(`Could not ${what}`, error);
  }
}
