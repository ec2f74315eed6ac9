import { mockServices } from '@backstage/backend-test-utils';
import {
  DesiredWorkload,
  ObservedWorkload,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseWorkloadStore } from '../database/WorkloadStore';
import { externalResourceName } from '@paasport/plugin-paas-common';
import { randomUUID } from 'node:crypto';
import { WorkloadRollout } from './WorkloadRollout';

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
    const dev = { labels: { environment: 'dev' } };
    await fixture.cluster(
      'eu-1',
      { cpuMillicores: 4000, memoryMib: 8192 },
      dev,
    );
    const runtime = new FakeRuntime();
    const rollout = new WorkloadRollout({
      store: new DatabaseWorkloadStore(fixture.db),
      runtime,
      logger: mockServices.logger.mock(),
      clock: () => AT,
    });
    /** The team's namespace, as the resource service records one. */
    const namespace = async (
      name: string,
      environment: string,
      cluster: string,
      phase = 'ready',
    ) => {
      const id = randomUUID();
      await knex('resources').insert({
        id,
        organization: 'acme',
        team: 'web',
        kind: 'kubernetes:namespace',
        name,
        external_name: externalResourceName(
          'kubernetes:namespace',
          'acme',
          'web',
          name,
        ),
        spec: JSON.stringify({ team: 'web', environment, cluster }),
        phase,
        requested_by: 'user:default/admin',
      });
      return id;
    };
    return {
      knex,
      ...fixture,
      submit: (d: Parameters<typeof fixture.submit>[0]) =>
        fixture.submit({ placement: { environment: 'dev' }, ...d }),
      cluster: (
        name: string,
        capacity: { cpuMillicores: number; memoryMib: number },
      ) => fixture.cluster(name, capacity, dev),
      namespace,
      runtime,
      rollout,
    };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('applies an admitted deployment with its requests and labels, and marks it running', async () => {
      const {
        submit,
        scheduler,
        rollout,
        runtime,
        deployments,
        stateOf,
        namespace,
      } = await setUp(databaseId);
      await namespace('dev', 'dev', 'eu-1');
      const id = await submit({
        organization: 'acme',
        name: 'api',
        replicas: 2,
        cpu: 500,
        memory: 512,
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
          namespace: 'acme-web-dev',
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

    it('keeps the root filesystem read-only unless the deployment opted out', async () => {
      const { submit, scheduler, rollout, runtime, deployments, namespace } =
        await setUp(databaseId);
      await namespace('dev', 'dev', 'eu-1');
      const readOnly = await submit({ organization: 'acme', name: 'a' });
      const writable = await submit({
        organization: 'acme',
        name: 'b',
        writableRootFilesystem: true,
      });
      await scheduler.runCycle();

      await rollout.runOnce();

      expect(await deployments.get(readOnly)).not.toHaveProperty(
        'writableRootFilesystem',
      );
      expect(await deployments.get(writable)).toMatchObject({
        writableRootFilesystem: true,
      });
      const applied = (name: string) =>
        runtime.running.get(`eu-1/acme-web-dev/${name}`);
      expect(applied('a')).not.toHaveProperty('writableRootFilesystem');
      expect(applied('b')).toMatchObject({ writableRootFilesystem: true });
    });

    it('takes stopped and deleted deployments off their cluster', async () => {
      const { submit, scheduler, rollout, runtime, deployments, namespace } =
        await setUp(databaseId);
      await namespace('dev', 'dev', 'eu-1');
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
      const {
        submit,
        scheduler,
        rollout,
        runtime,
        clusters,
        cluster,
        namespace,
        deployments,
        knex,
      } = await setUp(databaseId);
      const onEu1 = await namespace('dev', 'dev', 'eu-1');
      const id = await submit({ organization: 'acme', name: 'api' });
      await scheduler.runCycle();
      await rollout.runOnce();
      await cluster('eu-2', { cpuMillicores: 4000, memoryMib: 8192 });
      await clusters.update('eu-1', { state: 'draining' });
      await scheduler.runCycle();

      // The team's dev namespace is on eu-1: taken off there, it waits on eu-2.
      await rollout.runOnce();
      expect(runtime.running.size).toBe(0);
      expect(await deployments.get(id)).toMatchObject({
        state: 'admitted',
        cluster: 'eu-2',
        reason:
          'Waiting for a dev namespace of the team on eu-2; it has acme-web-dev on eu-1',
      });

      await knex('resources').where({ id: onEu1 }).update({ phase: 'deleted' });
      await namespace('dev', 'dev', 'eu-2');
      await rollout.runOnce();
      expect([...runtime.running.keys()]).toEqual(['eu-2/acme-web-dev/api']);
      expect(runtime.running.get('eu-2/acme-web-dev/api')!.id).toBe(id);
    });

    it('applies a deployment only in a ready namespace of its team and environment on its cluster, and says what it waits for', async () => {
      const {
        submit,
        scheduler,
        rollout,
        runtime,
        deployments,
        namespace,
        knex,
      } = await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      await scheduler.runCycle();

      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 0 });
      expect(runtime.running.size).toBe(0);
      expect((await deployments.get(id))!.reason).toBe(
        'Waiting for a dev namespace of the team on eu-1: request one with the Kubernetes namespace template',
      );

      await namespace('prod', 'prod', 'eu-1');
      const dev = await namespace('dev', 'dev', 'eu-1', 'provisioning');
      await rollout.runOnce();
      expect(runtime.running.size).toBe(0);
      expect((await deployments.get(id))!.reason).toBe(
        "Waiting for the team's dev namespace acme-web-dev on eu-1 to be ready (it is provisioning)",
      );

      await knex('resources').where({ id: dev }).update({ phase: 'ready' });
      expect(await rollout.runOnce()).toEqual({ removed: 0, applied: 1 });
      expect([...runtime.running.keys()]).toEqual(['eu-1/acme-web-dev/api']);
      expect((await deployments.events(id)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'waiting',
        'waiting',
        'running',
      ]);
    });

    it('never writes a deployment that states no environment', async () => {
      const { submit, scheduler, rollout, runtime, deployments, namespace } =
        await setUp(databaseId);
      await namespace('dev', 'dev', 'eu-1');
      const id = await submit({
        organization: 'acme',
        name: 'legacy',
        placement: {},
      });
      await scheduler.runCycle();
      await rollout.runOnce();
      expect(runtime.running.size).toBe(0);
      expect((await deployments.get(id))!.reason).toContain(
        'states no environment',
      );
    });

    it('keeps a deployment admitted, with the reason, when the runtime fails, and applies it on a later pass', async () => {
      const {
        submit,
        scheduler,
        rollout,
        runtime,
        deployments,
        stateOf,
        namespace,
      } = await setUp(databaseId);
      await namespace('dev', 'dev', 'eu-1');
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
});
