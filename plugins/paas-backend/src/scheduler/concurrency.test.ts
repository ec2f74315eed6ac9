import { ConflictError, NotFoundError } from '@backstage/errors';
import { schedulingInconsistencies } from '../__testUtils__/invariants';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DeploymentScheduler } from './DeploymentScheduler';

jest.setTimeout(180_000);

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLIENTS = 8;
const OPERATIONS_PER_CLIENT = 40;
const ORGANIZATIONS = ['acme', 'beta', 'gamma'];
const CLUSTERS = ['eu-1', 'eu-2', 'us-1'];

describe('scheduling under concurrency', () => {
  const databases = createTestDatabases();
  const seed = Number(process.env.PAASPORT_TEST_SEED ?? Date.now() % 1_000_000);

  it.each(databases.eachSupportedId())(
    'never over-allocates or places twice with interleaved submits, stops, deletes, restarts, resizes, cordons and drains on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const fixture = await createSchedulingFixture(knex, {
        policy: { preemption: 'reclaim-borrowed' },
      });
      // A second scheduler on the same stores runs cycles at the same time as the first.
      const schedulers = [
        fixture.scheduler,
        new DeploymentScheduler({
          deployments: fixture.deployments,
          clusters: fixture.clusters,
          quotas: fixture.quotas,
          policy: fixture.policy,
          logger: fixture.logger,
        }),
      ];
      for (const organization of ORGANIZATIONS) {
        await fixture.organization(
          organization,
          { cpu: 24_000, memory: 48_000 },
          ['web', 'data'],
        );
        await fixture.quotas.setTeamLimit(
          organization,
          'data',
          'cpu-millicores',
          6000,
          'user:default/admin',
        );
      }
      for (const name of CLUSTERS) {
        await fixture.cluster(name, {
          cpuMillicores: 16_000,
          memoryMib: 32_000,
        });
      }

      const ids: string[] = [];
      const unexpected: string[] = [];
      const next = random(seed);
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
      const tolerate = (error: unknown) => {
        // Losing a race is an expected answer; anything else is a defect.
        if (
          !(error instanceof ConflictError || error instanceof NotFoundError)
        ) {
          unexpected.push(String(error));
        }
      };

      async function client(index: number) {
        for (let op = 0; op < OPERATIONS_PER_CLIENT; op++) {
          const roll = next();
          try {
            if (roll < 0.4 || ids.length === 0) {
              ids.push(
                await fixture.submit({
                  organization: pick(ORGANIZATIONS),
                  team: pick(['web', 'data']),
                  name: `c${index}-op${op}`,
                  replicas: 1 + Math.floor(next() * 3),
                  cpu: pick([500, 1000, 2000, 4000]),
                  memory: pick([512, 1024, 4096]),
                  priority: pick([50, 100, 200]),
                }),
              );
            } else if (roll < 0.55) {
              await fixture.deployments.stop(
                pick(ids),
                { type: 'stopped', message: 'Stopped by the test' },
                new Date(),
              );
            } else if (roll < 0.65) {
              await fixture.deployments.remove(pick(ids));
            } else if (roll < 0.72) {
              await fixture.deployments.restart(
                pick(ids),
                { type: 'restarted', message: 'Restarted by the test' },
                new Date(),
              );
            } else if (roll < 0.76) {
              await fixture.clusters.update(pick(CLUSTERS), {
                capacity: { cpuMillicores: pick([8000, 16_000, 24_000]) },
              });
            } else if (roll < 0.8) {
              await fixture.clusters.update(pick(CLUSTERS), {
                state: pick([
                  'ready',
                  'ready',
                  'cordoned',
                  'draining',
                ] as const),
              });
            } else {
              await pick(schedulers).runCycle();
            }
          } catch (error) {
            tolerate(error);
          }
        }
      }

      await Promise.all([
        ...Array.from({ length: CLIENTS }, (_, i) => client(i)),
        ...schedulers.map(s => s.trigger()),
      ]);
      // Clusters the clients left cordoned or draining take work again, so something runs.
      for (const name of CLUSTERS) {
        await fixture.clusters.update(name, { state: 'ready' });
      }
      await Promise.all(schedulers.map(s => s.runCycle()));

      expect({ seed, unexpected }).toEqual({ seed, unexpected: [] });
      expect({ seed, problems: await schedulingInconsistencies(knex) }).toEqual(
        {
          seed,
          problems: [],
        },
      );
      const placed = await knex('deployments').whereIn('state', [
        'admitted',
        'running',
      ]);
      expect(placed.length).toBeGreaterThan(0);
      // Replaying each history: no admission while already placed, and placed ones end placed.
      const events = await knex('deployment_events').orderBy('id');
      const histories = new Map<string, string[]>();
      for (const e of events) {
        histories.set(e.deployment_id, [
          ...(histories.get(e.deployment_id) ?? []),
          e.type,
        ]);
      }
      const placedIds = new Set(placed.map(d => d.id));
      const wrong: string[] = [];
      for (const [id, history] of histories) {
        let isPlaced = false;
        for (const type of history) {
          if (type === 'admitted') {
            if (isPlaced) {
              wrong.push(`${id} admitted while placed: ${history.join(', ')}`);
            }
            isPlaced = true;
          } else if (['stopped', 'preempted', 'drained'].includes(type)) {
            isPlaced = false;
          }
        }
        if (isPlaced !== placedIds.has(id)) {
          wrong.push(
            `${id} history ends ${
              isPlaced ? 'placed' : 'not placed'
            }: ${history.join(', ')}`,
          );
        }
      }
      expect({ seed, wrong }).toEqual({ seed, wrong: [] });
    },
  );
});
