import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
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

/** What a team-scoped request is about, for the messages of {@link explainFailure}. */
export interface TeamRequest {
  organization: string;
  team: string;
  /** Such as `the S3 bucket 'assets' of team 'checkout' in ...`. */
  description: string;
  /** What the user tried, to follow "not allowed to": `deploy`, `request resources`. */
  verb: string;
  /** Past participle for a conflict: `submitted`, `requested`. */
  done: string;
}

/** Turns the backend's refusals of a team-scoped request into errors a template user can act on. */
export function explainFailure(error: unknown, request: TeamRequest): unknown {
  const { status, reason } = failureOf(error);
  switch (status) {
    case 400:
      return new InputError(
        `Paasport refused the ${request.description}: ${reason}`,
      );
    case 403:
      return new NotAllowedError(
        `You are not allowed to ${request.verb} for the team '${request.team}' in the ` +
          `Paasport organization '${request.organization}': ${reason}`,
      );
    case 404:
      return new NotFoundError(
        `There is no Paasport organization '${request.organization}' that you are a ` +
          `member of: ${reason}`,
      );
    case 409:
      return new ConflictError(
        `The ${request.description} could not be ${request.done}: ${reason}`,
      );
    default:
      return error;
  }
}
