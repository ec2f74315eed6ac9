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

/** Whether a call failed because the backend answered 404. */
export function isNotFoundError(error: unknown): boolean {
  return error instanceof ResponseError && error.statusCode === 404;
}
