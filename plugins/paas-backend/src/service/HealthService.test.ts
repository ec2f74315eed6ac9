import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createHealthService } from './HealthService';
import { LoopMonitor } from './LoopMonitor';

const START = new Date('2026-12-04T10:00:00.000Z').getTime();

describe('createHealthService', () => {
  function setUp() {
    let now = START;
    const loops = new LoopMonitor(() => new Date(now));
    const health = createHealthService({
      db: { raw: async () => [] } as unknown as Knex,
      providerKinds: () => ['aws:s3-bucket'],
      logger: mockServices.logger.mock(),
      loops,
    });
    return {
      loops,
      health,
      advance(ms: number) {
        now += ms;
      },
    };
  }

  it('is ok while every loop completes its passes', async () => {
    const { loops, health, advance } = setUp();
    const reconciler = loops.register('resource-reconciler', {
      intervalMs: 15_000,
      budgetMs: 10_000,
    });
    for (let i = 0; i < 10; i++) {
      reconciler.started();
      advance(15_000);
      reconciler.completed();
    }
    expect(await health.check()).toEqual({
      status: 'ok',
      database: 'ok',
      providers: ['aws:s3-bucket'],
    });
  });

  it('reports a loop that has not completed a pass in three intervals, until it completes one', async () => {
    const { loops, health, advance } = setUp();
    const scheduler = loops.register('deployment-scheduler', {
      intervalMs: 30_000,
      budgetMs: 60_000,
    });
    scheduler.started();
    advance(5_000);
    scheduler.completed();
    // The next pass never completes: each one is abandoned at its budget, the next starts.
    advance(25_000);
    scheduler.started();
    advance(60_000);
    scheduler.started();
    advance(30_000);
    expect((await health.check()).status).toBe('ok');
    advance(1);

    expect(await health.check()).toEqual({
      status: 'degraded',
      database: 'ok',
      providers: ['aws:s3-bucket'],
      stalledLoops: [
        {
          loop: 'deployment-scheduler',
          since: '2026-12-04T10:00:30.000Z',
          lastCompletedAt: '2026-12-04T10:00:05.000Z',
        },
      ],
    });

    scheduler.completed();
    expect((await health.check()).status).toBe('ok');
  });

  it('waits for the budget of a pass when it is longer than three intervals', async () => {
    const { loops, health, advance } = setUp();
    const reconciler = loops.register('resource-reconciler', {
      intervalMs: 15_000,
      budgetMs: 600_000,
    });
    reconciler.started();
    advance(600_000);
    expect((await health.check()).status).toBe('ok');
    advance(1);
    expect(await health.check()).toMatchObject({
      status: 'degraded',
      stalledLoops: [
        { loop: 'resource-reconciler', since: '2026-12-04T10:00:00.000Z' },
      ],
    });
  });

  it('does not count a loop that is idle, such as the scheduler of a replica the global task skips', async () => {
    const { loops, health, advance } = setUp();
    loops.register('deployment-scheduler', {
      intervalMs: 30_000,
      budgetMs: 60_000,
    });
    advance(3_600_000);
    expect((await health.check()).status).toBe('ok');
  });
});
