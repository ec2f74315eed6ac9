import knexFactory, { Knex } from 'knex';
import { schedulingInconsistencies } from '../__testUtils__/invariants';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

/** Reliability row 5: the scheduler survives its database connections being killed. */
describe('scheduler after lost database connections', () => {
  const databases = createTestDatabases();
  let admin: Knex | undefined;

  afterAll(async () => {
    await admin?.destroy();
  });

  it('keeps scheduling once PostgreSQL has terminated its connections', async () => {
    const knex = await databases.init('POSTGRES_15');
    const connection = knex.client.config
      .connection as Knex.StaticConnectionConfig;
    admin = knexFactory({ client: 'pg', connection, pool: { min: 0, max: 1 } });
    const fixture = await createSchedulingFixture(knex);
    await fixture.organization('acme', { cpu: 100_000, memory: 100_000 });
    await fixture.cluster('eu-1', { cpuMillicores: 16_000, memoryMib: 65_536 });
    const first = await fixture.submit({ organization: 'acme', name: 'first' });
    await fixture.scheduler.trigger();
    expect(await fixture.stateOf(first)).toBe('admitted@eu-1');

    const terminate = async () => {
      const { rows } = await admin!.raw(
        `select pg_terminate_backend(pid) as killed from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()`,
      );
      return rows.length as number;
    };
    expect(await terminate()).toBeGreaterThan(0);

    // Statements on connections killed before the pool noticed fail; the pool then
    // replaces them. Work submitted afterwards must still be scheduled.
    const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (error) {
          if (attempt === 5) {
            throw error;
          }
        }
      }
    };
    const second = await retrying(() =>
      fixture.submit({ organization: 'acme', name: 'second' }),
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      // A cycle that hits a dead connection is logged, not thrown; the next one runs.
      await fixture.scheduler.trigger();
      if ((await retrying(() => fixture.stateOf(second))) !== 'queued') {
        break;
      }
    }

    expect(await fixture.stateOf(second)).toBe('admitted@eu-1');
    expect(await schedulingInconsistencies(knex)).toEqual([]);
  });
});
