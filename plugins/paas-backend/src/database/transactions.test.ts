import { createTestDatabases } from '../__testUtils__/testDatabases';
import { inRetriedTransaction } from './transactions';

jest.setTimeout(60_000);

describe('inRetriedTransaction', () => {
  const databases = createTestDatabases();

  it('runs a transaction PostgreSQL aborted for a deadlock again, so both sides finish', async () => {
    const knex = await databases.init('POSTGRES_15');
    await knex.schema.createTable('counters', table => {
      table.string('name').primary();
      table.integer('value').notNullable();
    });
    await knex('counters').insert([
      { name: 'a', value: 0 },
      { name: 'b', value: 0 },
    ]);
    let attempts = 0;
    let bothLocked!: () => void;
    const firstLocks = new Promise<void>(resolve => {
      bothLocked = resolve;
    });
    let lockedOne = 0;
    const increment = (first: string, second: string) =>
      inRetriedTransaction(knex, async tx => {
        attempts += 1;
        await tx('counters').where({ name: first }).increment('value', 1);
        lockedOne += 1;
        if (lockedOne === 2) {
          bothLocked();
        }
        // Each side holds one row and then asks for the other's: a deadlock.
        await firstLocks;
        await tx('counters').where({ name: second }).increment('value', 1);
      });

    await Promise.all([increment('a', 'b'), increment('b', 'a')]);

    expect(attempts).toBe(3);
    expect(await knex('counters').orderBy('name')).toEqual([
      { name: 'a', value: 2 },
      { name: 'b', value: 2 },
    ]);
  });

  it('throws other errors at once', async () => {
    const knex = await databases.init('SQLITE_3');
    let attempts = 0;
    await expect(
      inRetriedTransaction(knex, async () => {
        attempts += 1;
        throw new Error('not a deadlock');
      }),
    ).rejects.toThrow('not a deadlock');
    expect(attempts).toBe(1);
  });
});
