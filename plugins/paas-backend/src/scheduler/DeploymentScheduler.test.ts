import { schedulingInconsistencies } from '../__testUtils__/invariants';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { SchedulerPolicy } from './config';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-22T12:00:00.000Z');
const minutesAgo = (minutes: number) =>
  new Date(NOW.getTime() - minutes * 60_000);

describe('DeploymentScheduler', () => {
  const databases = createTestDatabases();

  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    policy: Partial<SchedulerPolicy> = {},
  ) {
    const knex = await databases.init(databaseId);
    const fixture = await createSchedulingFixture(knex, {
      policy,
      now: () => NOW,
    });
    return { knex, ...fixture };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('admits higher priority first and tells the rest why they wait', async () => {
      const {
        knex,
        organization,
        cluster,
        submit,
        scheduler,
        stateOf,
        deployments,
      } = await setUp(databaseId);
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 3000, memoryMib: 8192 });
      const low = await submit({
        organization: 'acme',
        name: 'low',
        cpu: 3000,
        priority: 50,
        at: minutesAgo(0),
      });
      const high = await submit({
        organization: 'acme',
        name: 'high',
        cpu: 3000,
        priority: 200,
      });

      expect(await scheduler.runCycle()).toMatchObject({
        considered: 2,
        admitted: 1,
      });

      expect(await stateOf(high)).toBe('admitted@eu-1');
      expect(await stateOf(low)).toBe('queued');
      expect((await deployments.get(low))!.reason).toBe(
        'Waiting for 3 cores free on a cluster (largest free: 0 cores)',
      );
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('lets smaller deployments past one that does not fit (best-effort FIFO)', async () => {
      const { organization, cluster, submit, scheduler, stateOf } = await setUp(
        databaseId,
      );
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 4000, memoryMib: 8192 });
      const running = await submit({
        organization: 'acme',
        name: 'running',
        cpu: 2000,
        at: minutesAgo(3),
      });
      await scheduler.runCycle();
      const big = await submit({
        organization: 'acme',
        name: 'big',
        cpu: 3000,
        at: minutesAgo(2),
      });
      const small = await submit({
        organization: 'acme',
        name: 'small',
        cpu: 1000,
        at: minutesAgo(1),
      });

      await scheduler.runCycle();

      expect(await stateOf(running)).toBe('admitted@eu-1');
      expect(await stateOf(big)).toBe('queued');
      expect(await stateOf(small)).toBe('admitted@eu-1');
    });

    it('ages waiting deployments so a low priority does not wait forever', async () => {
      const { organization, cluster, submit, scheduler, stateOf } = await setUp(
        databaseId,
        {
          aging: { intervalMs: 60_000, step: 5, max: 100 },
        },
      );
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 1000, memoryMib: 8192 });
      // 50 + 5 per minute for 30 minutes, capped at +100 = 150, above the newcomer's 100.
      const old = await submit({
        organization: 'acme',
        name: 'old',
        priority: 50,
        at: minutesAgo(30),
      });
      const fresh = await submit({
        organization: 'acme',
        name: 'fresh',
        priority: 100,
      });

      await scheduler.runCycle();

      expect(await stateOf(old)).toBe('admitted@eu-1');
      expect(await stateOf(fresh)).toBe('queued');
    });

    it('holds clusters for a starving deployment against lower priorities only', async () => {
      const { organization, cluster, submit, scheduler, stateOf, deployments } =
        await setUp(databaseId, {
          aging: { intervalMs: 60_000, step: 0, max: 0 },
          starvationAfterMs: 15 * 60_000,
        });
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 4000, memoryMib: 8192 });
      const occupant = await submit({
        organization: 'acme',
        name: 'occupant',
        cpu: 2000,
        at: minutesAgo(60),
      });
      await scheduler.runCycle();
      const starving = await submit({
        organization: 'acme',
        name: 'starving',
        cpu: 3000,
        priority: 100,
        at: minutesAgo(20),
      });
      const lower = await submit({
        organization: 'acme',
        name: 'lower',
        cpu: 1000,
        priority: 50,
        at: minutesAgo(1),
      });
      const higher = await submit({
        organization: 'acme',
        name: 'higher',
        cpu: 1000,
        priority: 150,
        at: minutesAgo(1),
      });

      await scheduler.runCycle();

      expect(await stateOf(starving)).toBe('queued');
      expect(await stateOf(higher)).toBe('admitted@eu-1');
      expect(await stateOf(lower)).toBe('queued');

      // Once the occupant stops, the starving deployment gets the room it waited for.
      await deployments.stop(
        occupant,
        { type: 'stopped', message: 'Stopped' },
        NOW,
      );
      await scheduler.runCycle();
      expect(await stateOf(starving)).toBe('admitted@eu-1');
      expect(await stateOf(lower)).toBe('queued');
    });

    it('preempts lower priorities of the same organization only, and requeues them', async () => {
      const {
        knex,
        organization,
        cluster,
        submit,
        scheduler,
        stateOf,
        deployments,
      } = await setUp(databaseId, { preemption: 'lower-priority' });
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await organization('beta', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 4000, memoryMib: 8192 });
      const betaLow = await submit({
        organization: 'beta',
        name: 'beta-low',
        cpu: 2000,
        priority: 10,
        at: minutesAgo(5),
      });
      const acmeLow = await submit({
        organization: 'acme',
        name: 'acme-low',
        cpu: 2000,
        priority: 50,
        at: minutesAgo(5),
      });
      await scheduler.runCycle();
      const acmeHigh = await submit({
        organization: 'acme',
        name: 'acme-high',
        cpu: 2000,
        priority: 200,
      });

      const report = await scheduler.runCycle();

      expect(report).toMatchObject({ admitted: 1, preempted: 1 });
      expect(await stateOf(acmeHigh)).toBe('admitted@eu-1');
      expect(await stateOf(betaLow)).toBe('admitted@eu-1');
      expect(await deployments.get(acmeLow)).toMatchObject({
        state: 'queued',
        preemptions: 1,
      });
      expect((await deployments.events(acmeLow)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'preempted',
      ]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);

      // The victim cannot preempt back: its base priority is lower.
      expect(await scheduler.runCycle()).toMatchObject({
        admitted: 0,
        preempted: 0,
      });
    });

    it('reclaims capacity another organization borrowed, down to fair shares and no further', async () => {
      const { knex, organization, cluster, submit, scheduler, deployments } =
        await setUp(databaseId, { preemption: 'reclaim-borrowed' });
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await organization('beta', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 4000, memoryMib: 1_000_000 });
      // acme took the whole cluster while beta had nothing queued.
      for (let i = 0; i < 4; i++) {
        await submit({
          organization: 'acme',
          name: `a${i}`,
          at: minutesAgo(10 - i),
        });
      }
      await scheduler.runCycle();
      const beta = [];
      for (let i = 0; i < 3; i++) {
        beta.push(
          await submit({
            organization: 'beta',
            name: `b${i}`,
            at: minutesAgo(3 - i),
          }),
        );
      }

      let preempted = 0;
      for (let cycle = 0; cycle < 4; cycle++) {
        preempted += (await scheduler.runCycle()).preempted;
      }

      const placed = await deployments.placedTotalsByOrganization();
      expect(placed.get('acme')!.cpuMillicores).toBe(2000);
      expect(placed.get('beta')!.cpuMillicores).toBe(2000);
      expect(preempted).toBe(2);
      const victims = (
        await deployments.list({ organization: 'acme', state: 'queued' })
      ).map(d => d.name);
      // The newest of acme's go first.
      expect(victims.sort()).toEqual(['a2', 'a3']);
      const [event] = (
        await deployments.events(
          (
            await deployments.list({ organization: 'acme', state: 'queued' })
          )[0].id,
        )
      ).filter(e => e.type === 'preempted');
      expect(event.message).toContain(
        'reclaiming capacity borrowed beyond its fair share',
      );
      expect(await schedulingInconsistencies(knex)).toEqual([]);
      // At fair shares nobody preempts anybody: another cycle changes nothing.
      expect(await scheduler.runCycle()).toMatchObject({
        admitted: 0,
        preempted: 0,
      });
    });

    it('moves deployments off a draining cluster onto others, keeping their place', async () => {
      const {
        knex,
        organization,
        cluster,
        submit,
        scheduler,
        stateOf,
        deployments,
        clusters,
      } = await setUp(databaseId);
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('old', { cpuMillicores: 16_000, memoryMib: 65_536 });
      const moved = await submit({
        organization: 'acme',
        name: 'moved',
        cpu: 2000,
        at: minutesAgo(9),
      });
      const stuck = await submit({
        organization: 'acme',
        name: 'stuck',
        cpu: 8000,
        at: minutesAgo(8),
      });
      await scheduler.runCycle();
      await cluster('new', { cpuMillicores: 4000, memoryMib: 65_536 });
      await clusters.update('old', { state: 'draining' });

      expect(await scheduler.runCycle()).toMatchObject({
        drained: 2,
        admitted: 1,
      });

      expect(await stateOf(moved)).toBe('admitted@new');
      expect(await stateOf(stuck)).toBe('queued');
      expect((await clusters.get('old'))!.allocated).toEqual({
        cpuMillicores: 0,
        memoryMib: 0,
        gpus: 0,
      });
      expect((await deployments.events(moved)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'drained',
        'admitted',
      ]);
      expect((await deployments.listQueued(10))[0].queuedAt).toBe(
        minutesAgo(8).getTime(),
      );
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('never preempts under the default policy', async () => {
      const { organization, cluster, submit, scheduler, stateOf } = await setUp(
        databaseId,
      );
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 2000, memoryMib: 8192 });
      const low = await submit({
        organization: 'acme',
        name: 'low',
        cpu: 2000,
        priority: 50,
      });
      await scheduler.runCycle();
      const high = await submit({
        organization: 'acme',
        name: 'high',
        cpu: 2000,
        priority: 200,
      });

      await scheduler.runCycle();

      expect(await stateOf(low)).toBe('admitted@eu-1');
      expect(await stateOf(high)).toBe('queued');
    });

    it('shares saturated clusters between organizations by weight', async () => {
      const { organization, cluster, submit, scheduler, deployments } =
        await setUp(databaseId, {
          fairShareWeights: { acme: 2 },
        });
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await organization('beta', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 12_000, memoryMib: 1_000_000 });
      // beta queued everything first; FIFO alone would give beta the whole cluster.
      for (let i = 0; i < 12; i++) {
        await submit({
          organization: 'beta',
          name: `b${i}`,
          at: minutesAgo(10),
        });
      }
      for (let i = 0; i < 12; i++) {
        await submit({
          organization: 'acme',
          name: `a${i}`,
          at: minutesAgo(5),
        });
      }

      await scheduler.runCycle();

      const placed = await deployments.placedTotalsByOrganization();
      expect(placed.get('acme')!.cpuMillicores).toBe(8000);
      expect(placed.get('beta')!.cpuMillicores).toBe(4000);
    });

    it('keeps deployments without GPUs off GPU clusters while others have room', async () => {
      const { organization, cluster, submit, scheduler, stateOf } = await setUp(
        databaseId,
      );
      await organization('acme', { cpu: 100_000, memory: 100_000, gpus: 8 });
      await cluster('cpu-1', { cpuMillicores: 16_000, memoryMib: 65_536 });
      await cluster(
        'gpu-1',
        { cpuMillicores: 8000, memoryMib: 65_536, gpus: 4 },
        { gpuType: 'nvidia-l4' },
      );
      const web = await submit({
        organization: 'acme',
        name: 'web',
        cpu: 1000,
      });
      const train = await submit({
        organization: 'acme',
        name: 'train',
        cpu: 1000,
        gpus: 2,
        gpuType: 'nvidia-l4',
      });
      const wrongType = await submit({
        organization: 'acme',
        name: 'a100',
        cpu: 1000,
        gpus: 1,
        gpuType: 'nvidia-a100',
      });

      await scheduler.runCycle();

      expect(await stateOf(web)).toBe('admitted@cpu-1');
      expect(await stateOf(train)).toBe('admitted@gpu-1');
      expect(await stateOf(wrongType)).toBe('queued');
    });

    it('honours placement labels and the packing strategy', async () => {
      const packed = await setUp(databaseId);
      const spread = await setUp(databaseId, { strategy: 'spread' });
      for (const f of [packed, spread]) {
        await f.organization('acme', { cpu: 100_000, memory: 100_000 });
        await f.cluster(
          'a',
          { cpuMillicores: 8000, memoryMib: 8192 },
          { labels: { environment: 'prod' } },
        );
        await f.cluster(
          'b',
          { cpuMillicores: 8000, memoryMib: 8192 },
          { labels: { environment: 'prod' } },
        );
        await f.cluster(
          'dev',
          { cpuMillicores: 8000, memoryMib: 8192 },
          { labels: { environment: 'dev' } },
        );
      }
      const place = async (f: typeof packed) => {
        const ids = [
          await f.submit({
            organization: 'acme',
            name: 'one',
            placement: { environment: 'prod' },
            at: minutesAgo(2),
          }),
          await f.submit({
            organization: 'acme',
            name: 'two',
            placement: { environment: 'prod' },
            at: minutesAgo(1),
          }),
        ];
        await f.scheduler.runCycle();
        return Promise.all(ids.map(id => f.stateOf(id)));
      };

      expect(await place(packed)).toEqual(['admitted@a', 'admitted@a']);
      expect(await place(spread)).toEqual(['admitted@a', 'admitted@b']);
    });

    it('says which constraint binds: labels, cordons, GPU type, size, quota, then free capacity', async () => {
      const f = await setUp(databaseId);
      await f.organization('acme', { cpu: 100_000, memory: 100_000, gpus: 8 });
      await f.organization('tiny', { cpu: 500, memory: 100_000 });
      for (const name of ['prod-1', 'prod-2']) {
        await f.cluster(
          name,
          { cpuMillicores: 64_000, memoryMib: 262_144 },
          { labels: { environment: 'prod' } },
        );
      }
      await f.cluster(
        'gpu-1',
        { cpuMillicores: 8000, memoryMib: 65_536, gpus: 4 },
        { labels: { environment: 'prod' }, gpuType: 'nvidia-t4' },
      );
      const reasonOf = async (id: string) =>
        (await f.deployments.get(id))!.reason;

      const dev = await f.submit({
        organization: 'acme',
        name: 'dev',
        cpu: 1500,
        placement: { environment: 'dev' },
      });
      const a100 = await f.submit({
        organization: 'acme',
        name: 'train',
        gpus: 1,
        gpuType: 'nvidia-a100',
        placement: { environment: 'prod' },
      });
      const huge = await f.submit({
        organization: 'acme',
        name: 'huge',
        cpu: 96_000,
        placement: { environment: 'prod' },
      });
      const overQuota = await f.submit({
        organization: 'tiny',
        name: 'web',
        cpu: 1000,
        placement: { environment: 'prod' },
      });
      await f.scheduler.runCycle();
      expect(await f.stateOf(dev)).toBe('queued');
      expect(await reasonOf(dev)).toBe(
        'No cluster is labelled environment=dev',
      );
      expect(await reasonOf(a100)).toBe(
        'No cluster labelled environment=prod has nvidia-a100 GPUs',
      );
      expect(await reasonOf(huge)).toBe(
        'No cluster labelled environment=prod is big enough: it needs 96 cores (largest: 64 cores)',
      );
      expect(await reasonOf(overQuota)).toBe(
        'Waiting for quota: cpu-millicores quota: 1000 needed, 500 left',
      );

      await f.cluster(
        'dev-1',
        { cpuMillicores: 2000, memoryMib: 8192 },
        { labels: { environment: 'dev' } },
      );
      await f.clusters.update('dev-1', { state: 'cordoned' });
      await f.scheduler.runCycle();
      expect(await reasonOf(dev)).toBe(
        'Clusters labelled environment=dev are cordoned',
      );

      await f.clusters.update('dev-1', { state: 'ready' });
      const first = await f.submit({
        organization: 'acme',
        name: 'first',
        cpu: 1500,
        placement: { environment: 'dev' },
        at: minutesAgo(5),
      });
      await f.scheduler.runCycle();
      expect(await f.stateOf(first)).toBe('admitted@dev-1');
      expect(await f.stateOf(dev)).toBe('queued');
      expect(await reasonOf(dev)).toBe(
        'Waiting for 1.5 cores free on a cluster labelled environment=dev (largest free: 0.5 cores)',
      );
    });

    it('waits for quota, charging team carve-outs and the shared pool as the store does', async () => {
      const {
        organization,
        cluster,
        submit,
        scheduler,
        stateOf,
        deployments,
        quotas,
      } = await setUp(databaseId);
      await organization('acme', { cpu: 3000, memory: 100_000 }, [
        'web',
        'data',
      ]);
      await quotas.setTeamLimit(
        'acme',
        'data',
        'cpu-millicores',
        1000,
        'user:default/admin',
      );
      await cluster('eu-1', { cpuMillicores: 16_000, memoryMib: 65_536 });
      const data1 = await submit({
        organization: 'acme',
        team: 'data',
        name: 'd1',
        cpu: 1000,
        at: minutesAgo(3),
      });
      const data2 = await submit({
        organization: 'acme',
        team: 'data',
        name: 'd2',
        cpu: 1000,
        at: minutesAgo(2),
      });
      const web1 = await submit({
        organization: 'acme',
        team: 'web',
        name: 'w1',
        cpu: 2000,
        at: minutesAgo(1),
      });

      await scheduler.runCycle();

      expect(await stateOf(data1)).toBe('admitted@eu-1');
      expect(await stateOf(web1)).toBe('admitted@eu-1');
      expect(await stateOf(data2)).toBe('queued');
      expect((await deployments.get(data2))!.reason).toBe(
        'Waiting for quota: cpu-millicores quota: 1000 needed, 0 left',
      );
    });

    it('coalesces triggers into cycles until nothing is left to do', async () => {
      const { organization, cluster, submit, scheduler, stateOf } = await setUp(
        databaseId,
      );
      await organization('acme', { cpu: 100_000, memory: 100_000 });
      await cluster('eu-1', { cpuMillicores: 16_000, memoryMib: 65_536 });
      const ids = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await submit({ organization: 'acme', name: `d${i}` }));
      }
      const runCycle = jest.spyOn(scheduler, 'runCycle');

      await Promise.all(Array.from({ length: 10 }, () => scheduler.trigger()));

      expect(runCycle.mock.calls.length).toBeLessThanOrEqual(2);
      expect(await Promise.all(ids.map(stateOf))).toEqual(
        ids.map(() => 'admitted@eu-1'),
      );
    });
  });
});
