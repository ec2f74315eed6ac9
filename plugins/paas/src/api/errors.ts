import { ResponseError } from '@backstage/errors';

/**
 * The message to show a person for a failed call: the backend's own message when it sent one
 * (e.g. "organization acme already exists"), else the error's message.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.cause?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status the backend answered a failed call with, if it was an HTTP failure. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}

/** Whether a call failed because the backend answered 404. */
export function isNotFoundError(error: unknown): boolean {
  return errorStatus(error) === 404;
}

/**
 * Seconds to wait before retrying a call the backend refused with 429, from its `Retry-After`
 * header (seconds or an HTTP date). Undefined when the header is absent or unreadable, which is
 * also the case when a cross-origin backend does not expose the header through CORS.
 */
export function retryAfterSeconds(
  error: unknown,
  now: number = Date.now(),
): number | undefined {
  if (!(error instanceof ResponseError)) {
    return undefined;
  }
  const header = error.response.headers.get('Retry-After')?.trim();
  if (!header) {
    return undefined;
  }
  if (/^\d+$/.test(header)) {
    return Number(header);
  }
  const date = Date.parse(header);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, Math.ceil((date - now) / 1000));
}
