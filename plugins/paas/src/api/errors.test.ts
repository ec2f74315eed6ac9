import { ResponseError } from '@backstage/errors';
import {
  errorMessage,
  errorStatus,
  isNotFoundError,
  retryAfterSeconds,
} from './errors';

async function responseError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json', ...headers } },
    ),
  );
}

describe('errors', () => {
  it('prefers the backend message over the generic one', async () => {
    const error = await responseError(409, 'Only 48 cores left to carve out');
    expect(errorMessage(error)).toBe('Only 48 cores left to carve out');
    expect(errorStatus(error)).toBe(409);
    expect(isNotFoundError(error)).toBe(false);
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorStatus(new Error('plain'))).toBeUndefined();
  });

  it('reads Retry-After as seconds', async () => {
    const error = await responseError(429, 'slow down', {
      'Retry-After': '17',
    });
    expect(retryAfterSeconds(error)).toBe(17);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const error = await responseError(429, 'slow down', {
      'Retry-After': 'Wed, 01 Jan 2025 00:00:30 GMT',
    });
    expect(retryAfterSeconds(error, now)).toBe(30);
  });

  it('has no retry delay without a readable header', async () => {
    expect(retryAfterSeconds(await responseError(429, 'x'))).toBeUndefined();
    expect(
      retryAfterSeconds(
        await responseError(429, 'x', { 'Retry-After': 'soon' }),
      ),
    ).toBeUndefined();
    expect(retryAfterSeconds(new Error('x'))).toBeUndefined();
  });
});
