import { isError, ResponseError } from '@backstage/errors';
import { z } from 'zod';

/** Template forms hand over blank strings for optional fields the user left empty. */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** One line per bad field, such as `name: must be lower-case letters`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ');
}

/** Status and message of a failed call to the Paasport backend, when it answered. */
export function failureOf(error: unknown): { status?: number; reason: string } {
  if (isError(error) && error.name === 'ResponseError') {
    const { statusCode, cause } = error as unknown as ResponseError;
    // The backend's own message, which names the conflicting thing or the bad field.
    return { status: statusCode, reason: cause?.message ?? error.message };
  }
  return { reason: isError(error) ? error.message : String(error) };
}

/** The Paasport page in the Backstage app, relative when the app's base URL is unknown. */
export function paasportUrl(appBaseUrl: string | undefined, path = ''): string {
  return `${(appBaseUrl ?? '').replace(/\/+$/, '')}/paasport${path}`;
}
