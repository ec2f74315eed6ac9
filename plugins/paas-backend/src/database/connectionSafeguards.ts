import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { Knex } from 'knex';

/** Limits on the plugin's database connections. */
export interface DatabaseSafeguards {
  /** PostgreSQL cancels any statement that runs longer (SQLSTATE 57014). */
  statementTimeoutMs: number;
}

const STATEMENT_TIMEOUT_KEY = 'paas.database.statementTimeout';
/** Idle time after which the kernel probes a connection, so a dead peer is noticed. */
const KEEP_ALIVE_DELAY_MS = 30_000;

/** Reads `paas.database`, failing at startup with the key that is wrong. */
export function readDatabaseSafeguards(config: Config): DatabaseSafeguards {
  if (!config.has(STATEMENT_TIMEOUT_KEY)) {
    return { statementTimeoutMs: 30_000 };
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: STATEMENT_TIMEOUT_KEY }),
  );
  if (!(ms > 0)) {
    throw new Error(`${STATEMENT_TIMEOUT_KEY} must be a duration above zero`);
  }
  return { statementTimeoutMs: ms };
}

type PgConnection = {
  query(sql: string): Promise<unknown>;
  connection?: { stream?: { setKeepAlive?(on: boolean, ms: number): void } };
};

/**
 * Gives every PostgreSQL connection of the plugin's pool a statement timeout and TCP
 * keepalive, so a hung query or a silently dropped connection fails instead of stalling the
 * scheduler and the reconciler. Backstage builds the pool before the plugin gets it, so the
 * settings are applied when a connection is first handed out: that covers connections made
 * before this ran, and the SET is queued on the connection ahead of the caller's first query.
 * SQLite has neither, and is left alone.
 */
export function guardConnections(knex: Knex, safeguards: DatabaseSafeguards) {
  const client = knex.client.config.client;
  if (client !== 'pg' && client !== 'postgres' && client !== 'postgresql') {
    return;
  }
  const guarded = new WeakSet<object>();
  const timeout = Math.round(safeguards.statementTimeoutMs);
  knex.client.pool.on('acquireSuccess', (_id: number, conn: PgConnection) => {
    if (guarded.has(conn)) {
      return;
    }
    guarded.add(conn);
    conn.connection?.stream?.setKeepAlive?.(true, KEEP_ALIVE_DELAY_MS);
    // A failure here leaves the connection broken, and the caller's own query reports it.
    conn.query(`SET statement_timeout = ${timeout}`).catch(() => {});
  });
}
