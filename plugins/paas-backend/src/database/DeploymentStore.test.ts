import { schedulingInconsistencies } from '../__testUtils__/invariants';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { deploymentSubject } from './DeploymentStore';

jest.setTimeout(60_000);

const AT = new Date('2026-11-22T10:00:00.000Z');

describe('DatabaseDeploymentStore', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const fixture = await createSchedulingFixture(knex, { now: () => AT });
    await fixture.organization('acme', { cpu: 8000, memory: 16384 });
    await fixture.cluster('eu-1', { cpuMillicores: 4000, memoryMib: 8192 });
    return { knex, ...fixture };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates a queued deployment with its first event, and refuses a taken name', async () => {
      const { deployments, submit } = await setUp(databaseId);
      const id = await submit({
        organization: 'acme',
        name: 'api',
        replicas: 2,
      });

      expect(await deployments.get(id)).toMatchObject({
        organization: 'acme',
        team: 'web',
        name: 'api',
        replicas: 2,
        resources: { cpuMillicores: 1000, memoryMib: 1024, gpus: 0 },
        state: 'queued',
        preemptions: 0,
        createdAt: AT.toISOString(),
      });
      expect(await deployments.events(id)).toEqual([
        expect.objectContaining({
          type: 'submitted',
          createdAt: AT.toISOString(),
        }),
      ]);
      await expect(
        submit({ organization: 'acme', name: 'api' }),
      ).rejects.toThrow(
        "Team web of acme already has a deployment named 'api'",
      );
      expect(await deployments.list({ organization: 'acme' })).toHaveLength(1);
    });

    it('admits by reserving quota and capacity in one step, and stops by releasing both', async () => {
      const { knex, deployments, quotas, clusters, submit, stateOf } =
        await setUp(databaseId);
      const id = await submit({
        organization: 'acme',
        name: 'api',
        replicas: 2,
      });
      const [queued] = await deployments.listQueued(10);

      expect(await deployments.admit(queued, 'eu-1', AT)).toEqual({
        type: 'admitted',
      });
      expect(await stateOf(id)).toBe('admitted@eu-1');
      expect((await clusters.get('eu-1'))!.allocated).toEqual({
        cpuMillicores: 2000,
        memoryMib: 2048,
        gpus: 0,
      });
      expect((await quotas.get('acme')).lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ dimension: 'cpu-millicores', used: 2000 }),
        ]),
      );
      expect(
        await deployments.countAdmissions(new Date(AT.getTime() - 1)),
      ).toBe(1);
      expect(await schedulingInconsistencies(knex)).toEqual([]);

      await deployments.stop(id, { type: 'stopped', message: 'Stopped' }, AT);
      expect(await stateOf(id)).toBe('stopped');
      expect((await clusters.get('eu-1'))!.allocated.cpuMillicores).toBe(0);
      expect(
        await knex('quota_reservations').where({
          subject: deploymentSubject(id),
        }),
      ).toEqual([]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
      await expect(
        deployments.stop(id, { type: 'stopped', message: 'again' }, AT),
      ).rejects.toThrow('already stopped');

      await deployments.restart(
        id,
        { type: 'restarted', message: 'Queued again' },
        AT,
      );
      expect(await stateOf(id)).toBe('queued');
      expect((await deployments.events(id)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'stopped',
        'restarted',
      ]);
    });

    it('restarts into pending-approval with the approval opened in the same transaction, or not at all', async () => {
      const { knex, deployments, submit, stateOf } = await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      await deployments.stop(id, { type: 'stopped', message: 'Stop' }, AT);

      await expect(
        deployments.restart(
          id,
          { type: 'approval-requested', message: 'Ask' },
          AT,
          {
            approvalId: 'approval-1',
            open: async () => {
              throw new Error('approvals are down');
            },
          },
        ),
      ).rejects.toThrow('approvals are down');
      expect(await stateOf(id)).toBe('stopped');
      expect((await deployments.events(id)).map(e => e.type)).toEqual([
        'submitted',
        'stopped',
      ]);

      let openedIn: unknown;
      const restarted = await deployments.restart(
        id,
        { type: 'approval-requested', message: 'Ask' },
        AT,
        {
          approvalId: 'approval-2',
          open: async tx => {
            openedIn = await tx('deployments').where({ id }).first();
          },
        },
      );
      expect(restarted).toMatchObject({
        state: 'pending-approval',
        approvalId: 'approval-2',
      });
      // The approval is opened after the row changed, inside the same transaction.
      expect(openedIn).toMatchObject({
        state: 'pending-approval',
        approval_id: 'approval-2',
      });
      expect(await deployments.listQueued(10)).toEqual([]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('rolls the whole admission back when quota or capacity falls short', async () => {
      const { knex, deployments, clusters, submit, stateOf } = await setUp(
        databaseId,
      );
      const tooBigForQuota = await submit({
        organization: 'acme',
        name: 'quota-hog',
        cpu: 3000,
        replicas: 3,
      });
      const tooBigForCluster = await submit({
        organization: 'acme',
        name: 'cluster-hog',
        cpu: 5000,
      });
      const queued = await deployments.listQueued(10);
      const byId = new Map(queued.map(d => [d.id, d]));

      const noQuota = await deployments.admit(
        byId.get(tooBigForQuota)!,
        'eu-1',
        AT,
      );
      expect(noQuota).toEqual({
        type: 'no-quota',
        message: expect.stringContaining('Quota exceeded'),
      });
      const noRoom = await deployments.admit(
        byId.get(tooBigForCluster)!,
        'eu-1',
        AT,
      );
      expect(noRoom).toEqual({ type: 'no-capacity' });

      expect(await stateOf(tooBigForQuota)).toBe('queued');
      expect(await stateOf(tooBigForCluster)).toBe('queued');
      expect((await clusters.get('eu-1'))!.allocated.cpuMillicores).toBe(0);
      expect(await knex('quota_reservations')).toEqual([]);
      expect(await deployments.countAdmissions(new Date(0))).toBe(0);
    });

    it('places a deployment once when two callers admit it at the same time', async () => {
      const { knex, deployments, submit, stateOf } = await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      const [queued] = await deployments.listQueued(10);

      const results = await Promise.all(
        Array.from({ length: 8 }, () => deployments.admit(queued, 'eu-1', AT)),
      );

      expect(results.filter(r => r.type === 'admitted')).toHaveLength(1);
      expect(results.filter(r => r.type === 'gone')).toHaveLength(7);
      expect(await stateOf(id)).toBe('admitted@eu-1');
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('admits a batch all or nothing', async () => {
      const { knex, deployments, quotas, submit, stateOf } = await setUp(
        databaseId,
      );
      await quotas.setTeamLimit(
        'acme',
        'web',
        'cpu-millicores',
        2000,
        'user:default/admin',
      );
      const ids = [];
      for (const name of ['a', 'b', 'c']) {
        ids.push(await submit({ organization: 'acme', name, cpu: 1000 }));
      }
      const queued = await deployments.listQueued(10);

      // Three would need 3000 of the team's 2000: nothing is admitted.
      expect(
        await deployments.admitAll(
          queued.map(deployment => ({ deployment, cluster: 'eu-1' })),
          AT,
        ),
      ).toBe(false);
      expect(await Promise.all(ids.map(stateOf))).toEqual([
        'queued',
        'queued',
        'queued',
      ]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);

      expect(
        await deployments.admitAll(
          queued
            .slice(0, 2)
            .map(deployment => ({ deployment, cluster: 'eu-1' })),
          AT,
        ),
      ).toBe(true);
      expect((await Promise.all(ids.map(stateOf))).sort()).toEqual([
        'admitted@eu-1',
        'admitted@eu-1',
        'queued',
      ]);
      expect(await deployments.countAdmissions(new Date(0))).toBe(2);
      expect(await schedulingInconsistencies(knex)).toEqual([]);

      // A deployment admitted meanwhile makes the whole batch lose.
      expect(
        await deployments.admitAll(
          queued.map(deployment => ({ deployment, cluster: 'eu-1' })),
          AT,
        ),
      ).toBe(false);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('preempts by requeueing victims in their old place, all or nothing', async () => {
      const { knex, deployments, submit, stateOf } = await setUp(databaseId);
      const low = await submit({
        organization: 'acme',
        name: 'batch',
        cpu: 3000,
        priority: 50,
      });
      const [lowQueued] = await deployments.listQueued(10);
      await deployments.admit(lowQueued, 'eu-1', AT);
      const high = await submit({
        organization: 'acme',
        name: 'api',
        cpu: 2000,
        priority: 200,
      });
      const [victim] = await deployments.listPlaced('acme');
      const [highQueued] = await deployments.listQueued(10);

      expect(
        await deployments.preemptAndAdmit(highQueued, 'eu-1', [victim], AT),
      ).toEqual({ type: 'admitted' });
      expect(await stateOf(high)).toBe('admitted@eu-1');
      expect(await deployments.get(low)).toMatchObject({
        state: 'queued',
        preemptions: 1,
        reason: expect.stringContaining('Preempted by'),
      });
      expect((await deployments.listQueued(10))[0].queuedAt).toBe(AT.getTime());
      expect((await deployments.events(low)).map(e => e.type)).toEqual([
        'submitted',
        'admitted',
        'preempted',
      ]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);

      // A victim that is no longer where the plan saw it undoes the whole step.
      const other = await submit({
        organization: 'acme',
        name: 'web',
        cpu: 1000,
        priority: 300,
      });
      const otherQueued = (await deployments.listQueued(10)).find(
        d => d.id === other,
      )!;
      const stale = { ...victim, state: 'admitted' as const };
      expect(
        await deployments.preemptAndAdmit(otherQueued, 'eu-1', [stale], AT),
      ).toEqual({ type: 'gone' });
      expect(await stateOf(other)).toBe('queued');
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('removes a placed deployment with its history and gives back what it held', async () => {
      const { knex, deployments, clusters, submit, stateOf } = await setUp(
        databaseId,
      );
      const id = await submit({ organization: 'acme', name: 'api' });
      const [queued] = await deployments.listQueued(10);
      await deployments.admit(queued, 'eu-1', AT);

      await deployments.remove(id);

      expect(await stateOf(id)).toBe('deleted');
      expect(await deployments.events(id)).toEqual([]);
      expect((await clusters.get('eu-1'))!.allocated.cpuMillicores).toBe(0);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
      await expect(deployments.remove(id)).rejects.toThrow('No deployment');
    });

    it('lists only what permission criteria allow, in SQL, and describes deployments for rules', async () => {
      const { deployments, organization, submit, db } = await setUp(databaseId);
      await organization('beta', { cpu: 8000, memory: 16384 });
      await db('memberships').insert({
        organization: 'beta',
        user_ref: 'user:default/dana',
        role: 'viewer',
        created_by: 'user:default/admin',
      });
      const mine = await submit({
        organization: 'acme',
        name: 'mine',
        createdBy: 'user:default/dana',
      });
      await submit({ organization: 'acme', name: 'theirs' });
      await submit({ organization: 'beta', name: 'beta-api' });
      const names = async (
        criteria: Parameters<typeof deployments.list>[0]['criteria'],
      ) => (await deployments.list({ criteria })).map(d => d.name);

      expect(
        await names({ type: 'submitted-by', claims: ['user:default/dana'] }),
      ).toEqual(['mine']);
      expect(
        await names({
          type: 'in-organization-with-role',
          claims: ['user:default/dana'],
          roles: ['viewer'],
        }),
      ).toEqual(['beta-api']);
      expect(
        await names({
          anyOf: [
            { type: 'submitted-by', claims: ['user:default/dana'] },
            {
              type: 'in-organization-with-role',
              claims: ['user:default/dana'],
              roles: ['viewer'],
            },
          ],
        }),
      ).toEqual(['mine', 'beta-api']);
      expect(
        await names({
          not: { type: 'submitted-by', claims: ['user:default/dana'] },
        }),
      ).toEqual(['theirs', 'beta-api']);

      const [resource, unknown] = await deployments.getResources([
        mine,
        'nope',
      ]);
      expect(unknown).toBeUndefined();
      expect(resource).toEqual({
        id: mine,
        organization: 'acme',
        createdBy: 'user:default/dana',
        members: [{ userRef: 'user:default/admin', role: 'admin' }],
      });
    });

    it('pages deployments by organization, team and name within permission criteria, and events by id, each exactly once', async () => {
      const { deployments, organization, submit } = await setUp(databaseId);
      await organization('beta', { cpu: 8000, memory: 16384 }, ['a', 'b']);
      const dana = 'user:default/dana';
      const ids = new Map<string, string>();
      for (const [team, name, createdBy] of [
        ['b', 'z', dana],
        ['a', 'y', dana],
        ['b', 'y', 'user:default/ed'],
        ['b', 'x', dana],
        ['a', 'x', dana],
      ]) {
        ids.set(
          `${team}/${name}`,
          await submit({ organization: 'beta', team, name, createdBy }),
        );
      }
      await submit({ organization: 'acme', name: 'other', createdBy: dana });

      const listPages = async (
        filter: Parameters<typeof deployments.listPage>[0],
        limit: number,
      ) => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await deployments.listPage(filter, { limit, cursor });
          pages.push(page.items.map(d => `${d.team}/${d.name}`));
          cursor = page.nextCursor;
        } while (cursor && pages.length < 10);
        return pages;
      };
      expect(
        await listPages(
          {
            organization: 'beta',
            criteria: { type: 'submitted-by', claims: [dana] },
          },
          2,
        ),
      ).toEqual([
        ['a/x', 'a/y'],
        ['b/x', 'b/z'],
      ]);
      expect(await listPages({ organization: 'beta' }, 3)).toEqual([
        ['a/x', 'a/y', 'b/x'],
        ['b/y', 'b/z'],
      ]);

      const id = ids.get('a/x')!;
      for (let i = 0; i < 2; i++) {
        await deployments.stop(id, { type: 'stopped', message: `${i}` }, AT);
        await deployments.restart(
          id,
          { type: 'restarted', message: `${i}` },
          AT,
        );
      }
      const eventPages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await deployments.eventsPage(id, { limit: 2, cursor });
        eventPages.push(page.items.map(e => e.type));
        cursor = page.nextCursor;
      } while (cursor && eventPages.length < 10);
      expect(eventPages).toEqual([
        ['submitted', 'stopped'],
        ['restarted', 'stopped'],
        ['restarted'],
      ]);
      expect(
        (await deployments.eventsPage(ids.get('b/x')!, { limit: 2 })).items,
      ).toEqual([expect.objectContaining({ type: 'submitted' })]);
    });

    it('refuses rows whose cluster does not match their state', async () => {
      const { knex, submit } = await setUp(databaseId);
      const id = await submit({ organization: 'acme', name: 'api' });
      const failure = (statement: PromiseLike<unknown>) =>
        Promise.resolve(statement).then(
          () => 'succeeded',
          error => String(error),
        );

      expect(
        await failure(
          knex('deployments').where({ id }).update({ state: 'admitted' }),
        ),
      ).toMatch(/deployments_cluster_check|CHECK constraint failed/);
      expect(
        await failure(
          knex('deployments').where({ id }).update({ cluster: 'eu-1' }),
        ),
      ).toMatch(/deployments_cluster_check|CHECK constraint failed/);
      expect(
        await failure(
          knex('deployments').where({ id }).update({ state: 'sleeping' }),
        ),
      ).toMatch(/deployments_state_check|CHECK constraint failed/);
    });
  });
});
