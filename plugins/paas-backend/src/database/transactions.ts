import { Knex } from 'knex';

/** PostgreSQL's codes for a transaction it aborted to break a deadlock or a serialization conflict. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Runs `fn` in a transaction, again from the start when PostgreSQL aborted it to break a
 * deadlock: the transaction changed nothing, so running it again is safe. Other errors,
 * and a third abort, are thrown.
 */
export async function inRetriedTransaction<T>(
  db: Knex,
  fn: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (
        attempt >= ATTEMPTS ||
        typeof code !== 'string' ||
        !RETRYABLE.has(code)
      ) {
        throw error;
      }
    }
  }
}
