import { mockServices } from '@backstage/backend-test-utils';
import {
  DesiredWorkload,
  ObservedWorkload,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseWorkloadStore } from '../database/WorkloadStore';
import { WorkloadRollout, workloadNamespace } from './WorkloadRollout';

jest.setTimeout(60_000);

const AT = new Date('2026-11-23T10:00:00.000Z');

/** A runtime over an in-memory set of clusters: `cluster/namespace/name` → workload. */
class FakeRuntime implements PaasWorkloadRuntime {
  readonly id = 'fake';
  readonly running = new Map<string, DesiredWorkload>();
  failNext?: Error;

  async apply(workload: DesiredWorkload): Promise<ObservedWorkload> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    this.running.set(
      `${workload.cluster}/${workload.namespace}/${workload.name}`,
      workload,
    );
    return { state: 'running' };
  }

  async remove(workload: DesiredWorkload): Promise<void> {
    this.running.delete(
      `${workload.cluster}/${workload.namespace}/${workload.name}`,
    );
  }
}

describe('WorkloadRollout', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const fixture = await createSchedulingFixture(knex, { now: () => AT });
    await fixture.organization('acme', { cpu: 8000, memory: 16384 });
    await fixture.cluster('eu-1', { cpuMillicores: 4000, memoryMib: 8192 });
    const runtime = new FakeRuntime();
    const rollout = new WorkloadRollout({
      store: new DatabaseWorkloadStore(fixture.db),
      runtime,
      logger: mockServices.logger.mock(),
      clock: () => AT,
    });
    return { knex, ...fixture, runtime, rollout };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('applies an admitted deployment with its requests and labels, and marks it running', async () => {
      const { submit, scheduler, rollout, runtime, deployments, stateOf } =
        await setUp(databaseId);
      const id = await submit({
        organization: 'acme',
        name: 'api',
        replicas: 2,
        cpu: 500,
        memory: 512,
        placement: {},
      });
      await scheduler.runCycle();

      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 1 });

      expect(await stateOf(id)).toBe('running@eu-1');
      expect([...runtime.running.values()]).toEqual([
        {
          id,
          name: 'api',
          organization: 'acme',
          team: 'web',
          cluster: 'eu-1',
          namespace: 'acme-web-default',
          image: 'registry.example.com/app:1',
          replicas: 2,
          resources: { cpuMillicores: 500, memoryMiB: 512, gpus: 0 },
          labels: {
            'paasport.io/managed-by': 'paasport',
            'paasport.io/organization': 'acme',
            'paasport.io/team': 'web',
            'paasport.io/name': 'api',
          },
        },
      ]);
      expect((await deployments.events(id)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'running',
      ]);
      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 0 });
    });

    it('takes stopped and deleted deployments off their cluster', async () => {
      const { submit, scheduler, rollout, runtime, deployments } = await setUp(
        databaseId,
      );
      const stopped = await submit({ organization: 'acme', name: 'a' });
      const deleted = await submit({ organization: 'acme', name: 'b' });
      await scheduler.runCycle();
      await rollout.runOnce();
      expect(runtime.running.size).toBe(2);

      await deployments.stop(stopped, { type: 'stopped', message: 'stop' }, AT);
      await deployments.remove(deleted);
      expect(await rollout.runOnce()).toEqual({ removed: 2, applied: 0 });
      expect(runtime.running.size).toBe(0);
      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 0 });
    });

    it('removes a moved deployment from its old cluster before applying it on the new one', async () => {
      const { submit, scheduler, rollout, runtime, clusters, cluster } =
        await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      await scheduler.runCycle();
      await rollout.runOnce();
      await cluster('eu-2', { cpuMillicores: 4000, memoryMib: 8192 });
      await clusters.update('eu-1', { state: 'draining' });
      await scheduler.runCycle();

      await rollout.runOnce();
      expect([...runtime.running.keys()]).toEqual([
        'eu-2/acme-web-default/api',
      ]);
      expect(runtime.running.get('eu-2/acme-web-default/api')!.id).toBe(id);
    });

    it('keeps a deployment admitted, with the reason, when the runtime fails, and applies it on a later pass', async () => {
      const { submit, scheduler, rollout, runtime, deployments, stateOf } =
        await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      await scheduler.runCycle();
      runtime.failNext = new Error('connect ECONNREFUSED');

      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 0 });
      expect(await deployments.get(id)).toMatchObject({
        state: 'admitted',
        reason: 'Could not apply the workload to eu-1: connect ECONNREFUSED',
      });

      await rollout.runOnce();
      expect(await stateOf(id)).toBe('running@eu-1');
      expect((await deployments.events(id)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'apply-failed',
        'running',
      ]);
    });
  });

  it('runs a deployment in its environment’s namespace', () => {
    expect(
      workloadNamespace({
        organization: 'acme',
        team: 'web',
        placement: { environment: 'prod' },
      }),
    ).toBe('acme-web-prod');
  });
});
