import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { QueueView } from './QueueView';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-22T12:00:00.000Z');
const minutesAgo = (minutes: number) =>
  new Date(NOW.getTime() - minutes * 60_000);

describe('QueueView', () => {
  const databases = createTestDatabases();

  /** `admitted` deployments admitted half an hour ago fill the cluster; two more queue. */
  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    admitted: number,
  ) {
    const f = await createSchedulingFixture(await databases.init(databaseId), {
      now: () => minutesAgo(30),
    });
    await f.organization('acme', { cpu: 100_000, memory: 100_000 });
    await f.cluster('eu-1', {
      cpuMillicores: admitted * 1000,
      memoryMib: 100_000,
    });
    for (let i = 0; i < admitted; i++) {
      await f.submit({
        organization: 'acme',
        name: `d${i}`,
        at: minutesAgo(40),
      });
    }
    expect(await f.scheduler.runCycle()).toMatchObject({ admitted });

    f.setClock(() => NOW);
    const first = await f.submit({ organization: 'acme', name: 'first' });
    const second = await f.submit({
      organization: 'acme',
      name: 'second',
      at: new Date(NOW.getTime() + 1000),
    });
    await f.scheduler.runCycle();
    const view = new QueueView(f.deployments, f.policy, () => NOW);
    return view.annotateAll([
      (await f.deployments.get(first))!,
      (await f.deployments.get(second))!,
    ]);
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('estimates no wait from fewer than 5 admissions in the last hour', async () => {
      const [first, second] = await setUp(databaseId, 4);
      expect(first.queue).toEqual({
        position: 1,
        length: 2,
        waitingFor:
          'Waiting for 1 core free on a cluster (largest free: 0 cores)',
      });
      expect(second.queue).toMatchObject({ position: 2 });
      expect(second.queue).not.toHaveProperty('estimatedWait');
      expect(second.queue).not.toHaveProperty('estimatedWaitSeconds');
    });

    it('estimates a range from the admission rate, widest when history is short', async () => {
      // 9 admissions an hour, give or take √9 = 3: the next one in 3600/12 to 3600/6 s.
      const [first, second] = await setUp(databaseId, 9);
      expect(first.queue).toMatchObject({
        position: 1,
        estimatedWait: { minSeconds: 300, maxSeconds: 600 },
      });
      expect(second.queue).toMatchObject({
        position: 2,
        estimatedWait: { minSeconds: 600, maxSeconds: 1200 },
      });
      expect(first.queue).not.toHaveProperty('estimatedWaitSeconds');
    });
  });
});
