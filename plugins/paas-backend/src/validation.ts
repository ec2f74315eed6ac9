import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses a request part with a zod schema, or throws an InputError naming each bad field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  /** Path of `value` within the request, such as `spec`, prefixed to the fields named. */
  at?: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const path = [...(at ? [at] : []), ...issue.path.map(String)];
      const field = path.length ? path.join('.') : what;
      // zod reports a bad record key only as "Invalid key in record"; the reason is nested.
      const nested =
        'issues' in issue && Array.isArray(issue.issues) ? issue.issues : [];
      const message = nested.length
        ? nested.map((n: { message: string }) => n.message).join(', ')
        : issue.message;
      return `${field}: ${message}`;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}
