import { ConfigReader } from '@backstage/config';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  guardConnections,
  readDatabaseSafeguards,
} from './connectionSafeguards';

jest.setTimeout(60_000);

describe('guardConnections', () => {
  const databases = createTestDatabases();

  it('cancels a PostgreSQL statement that outlives the timeout, on connections old and new', async () => {
    const knex = await databases.init('POSTGRES_15');
    // A connection the pool made before the guard was installed.
    await knex.raw('select 1');

    guardConnections(knex, { statementTimeoutMs: 200 });

    await expect(knex.raw('select pg_sleep(2)')).rejects.toMatchObject({
      code: '57014',
    });
    await expect(
      knex.transaction(tx => tx.raw('select pg_sleep(2)')),
    ).rejects.toMatchObject({ code: '57014' });
    const [first, second] = await Promise.all([
      knex.raw('show statement_timeout'),
      knex.raw('show statement_timeout'),
    ]);
    expect(first.rows[0].statement_timeout).toBe('200ms');
    expect(second.rows[0].statement_timeout).toBe('200ms');
    expect((await knex.raw('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('leaves SQLite alone', async () => {
    const knex = await databases.init('SQLITE_3');
    guardConnections(knex, { statementTimeoutMs: 200 });
    expect(await knex.raw('select 1 as one')).toEqual([{ one: 1 }]);
  });
});

describe('readDatabaseSafeguards', () => {
  it('defaults to 30 s and reads paas.database.statementTimeout', () => {
    expect(readDatabaseSafeguards(new ConfigReader({}))).toEqual({
      statementTimeoutMs: 30_000,
    });
    expect(
      readDatabaseSafeguards(
        new ConfigReader({
          paas: { database: { statementTimeout: { minutes: 2 } } },
        }),
      ),
    ).toEqual({ statementTimeoutMs: 120_000 });
    expect(
      readDatabaseSafeguards(
        new ConfigReader({ paas: { database: { statementTimeout: '5s' } } }),
      ),
    ).toEqual({ statementTimeoutMs: 5_000 });
    expect(() =>
      readDatabaseSafeguards(
        new ConfigReader({
          paas: { database: { statementTimeout: { seconds: 0 } } },
        }),
      ),
    ).toThrow('paas.database.statementTimeout must be a duration above zero');
  });
});
