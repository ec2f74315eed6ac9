import { isError } from '@backstage/errors';

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
