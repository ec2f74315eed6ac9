import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { MemberScopedQuery } from '@paasport/plugin-paas-node';
import { createResourceFixture } from '../__testUtils__/resourceFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { quotaInconsistencies } from '../__testUtils__/invariants';
import { resourceSubject } from './ResourceStore';

jest.setTimeout(60_000);

const AT = new Date('2026-11-23T10:00:00.000Z');
const LEASE = 60_000;
const DANA = 'user:default/dana';

describe('DatabaseResourceStore', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const fixture = await createResourceFixture(knex);
    await fixture.organization('acme', 2);
    return { knex, ...fixture };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('accepts a resource with its event and quota, returns it again for the same key, and refuses a taken name', async () => {
      const { resources, request, bucketsUsed } = await setUp(databaseId);
      const first = await request({
        organization: 'acme',
        name: 'assets',
        idempotencyKey: 'task-1/step-1',
        at: AT,
      });

      expect(first.created).toBe(true);
      expect(first.resource).toMatchObject({
        organization: 'acme',
        team: 'web',
        kind: 'aws:s3-bucket',
        name: 'assets',
        externalName: 'acme-web-assets',
        owner: 'group:default/acme-web',
        phase: 'provisioning',
        generation: 1,
        observedGeneration: 0,
        createdAt: AT.toISOString(),
      });
      expect(await resources.events(first.resource.id)).toEqual([
        expect.objectContaining({ type: 'requested' }),
      ]);
      expect(await bucketsUsed('acme')).toBe(1);

      const again = await request({
        organization: 'acme',
        name: 'assets',
        idempotencyKey: 'task-1/step-1',
      });
      expect(again).toEqual({ resource: first.resource, created: false });

      await expect(
        request({ organization: 'acme', name: 'assets' }),
      ).rejects.toThrow(
        "Team web of acme already has a aws:s3-bucket named 'assets'",
      );
      expect(await resources.list({ organization: 'acme' })).toHaveLength(1);
      expect(await bucketsUsed('acme')).toBe(1);
    });

    it('writes nothing when the quota refuses, and names the shortfall', async () => {
      const { knex, resources, request, quotas } = await setUp(databaseId);
      await request({ organization: 'acme', name: 'one' });
      await request({ organization: 'acme', name: 'two' });

      await expect(
        request({ organization: 'acme', name: 'three' }),
      ).rejects.toThrow(
        'Quota exceeded: acme has 0 of 2 count/aws:s3-bucket left in its shared pool; this needs 1 (1 short)',
      );
      expect(
        (await resources.list({ organization: 'acme' })).map(r => r.name),
      ).toEqual(['one', 'two']);
      const [{ n }] = await knex('resource_events').count({ n: '*' });
      expect(Number(n)).toBe(2);
      expect(await quotaInconsistencies(knex)).toEqual([]);
      expect((await quotas.get('acme')).lines).toEqual([
        expect.objectContaining({ dimension: 'count/aws:s3-bucket', used: 2 }),
      ]);
    });

    it('leases a due resource to one replica at a time, and again once the lease expires', async () => {
      const { resources, request } = await setUp(databaseId);
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: AT,
      });

      const [a, b] = await Promise.all([
        resources.claimDue('replica-a', AT, LEASE, 10),
        resources.claimDue('replica-b', AT, LEASE, 10),
      ]);
      expect([...a, ...b].map(r => r.id)).toEqual([resource.id]);
      expect(await resources.claimDue('replica-c', AT, LEASE, 10)).toEqual([]);

      const afterExpiry = new Date(AT.getTime() + LEASE + 1);
      const [third] = await resources.claimDue(
        'replica-c',
        afterExpiry,
        LEASE,
        10,
      );
      expect(third.id).toBe(resource.id);

      // The first holder lost the lease: it cannot renew it, and what it found is not written.
      const [first] = [...a, ...b];
      expect(await resources.renewLease(first, afterExpiry, LEASE)).toBe(
        undefined,
      );
      expect(
        await resources.recordOutcome(
          first,
          { phase: 'ready', attempts: 0, observedGeneration: 1 },
          { type: 'ready', message: 'ready' },
          afterExpiry,
        ),
      ).toBe(false);
      expect((await resources.get(resource.id))!.phase).toBe('provisioning');

      expect(
        await resources.recordOutcome(
          third,
          {
            phase: 'ready',
            attempts: 0,
            observedGeneration: 1,
            outputs: { arn: 'arn:aws:s3:::acme-web-assets' },
            nextAttemptAt: new Date(afterExpiry.getTime() + 600_000),
          },
          { type: 'ready', message: 'ready' },
          afterExpiry,
        ),
      ).toBe(true);
      expect(await resources.get(resource.id)).toMatchObject({
        phase: 'ready',
        observedGeneration: 1,
        outputs: { arn: 'arn:aws:s3:::acme-web-assets' },
      });
      expect(
        await resources.claimDue('replica-a', afterExpiry, LEASE, 10),
      ).toEqual([]);
    });

    it('lets a deletion asked for during an attempt win over what the attempt found', async () => {
      const { knex, resources, request, bucketsUsed } = await setUp(databaseId);
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: AT,
      });
      const [claimed] = await resources.claimDue('replica-a', AT, LEASE, 10);

      const deleting = await resources.requestDeletion(
        resource.id,
        { type: 'deletion-requested', message: 'bye' },
        AT,
      );
      expect(deleting.phase).toBe('deleting');
      expect(
        await resources.recordOutcome(
          claimed,
          { phase: 'ready', attempts: 0 },
          undefined,
          AT,
        ),
      ).toBe(false);

      const [again] = await resources.claimDue('replica-b', AT, LEASE, 10);
      expect(again).toMatchObject({ id: resource.id, phase: 'deleting' });
      // The first claim's token no longer ends the deletion.
      expect(
        await resources.finishDeletion(
          claimed,
          { type: 'deleted', message: 'gone' },
          AT,
        ),
      ).toBe(false);
      expect(
        await resources.finishDeletion(
          again,
          { type: 'deleted', message: 'gone' },
          AT,
        ),
      ).toBe(true);
      expect((await resources.get(resource.id))!.phase).toBe('deleted');
      expect(await bucketsUsed('acme')).toBe(0);
      expect(
        await knex('quota_reservations').where({
          subject: resourceSubject(resource.id),
        }),
      ).toEqual([]);
      expect(await resources.list({ organization: 'acme' })).toEqual([]);
      expect(
        await resources.list({ organization: 'acme', includeDeleted: true }),
      ).toHaveLength(1);

      // A deleted resource's name is free again.
      const second = await request({ organization: 'acme', name: 'assets' });
      expect(second.created).toBe(true);
    });

    it('retries only a failed resource that holds its quota', async () => {
      const { resources, request } = await setUp(databaseId);
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: AT,
      });
      await expect(
        resources.retry(resource.id, { type: 'retry', message: 'again' }, AT),
      ).rejects.toThrow(
        'Only a failed resource that was accepted can be retried; assets is provisioning',
      );
      const [claimed] = await resources.claimDue('replica-a', AT, LEASE, 10);
      await resources.recordOutcome(
        claimed,
        { phase: 'failed', attempts: 8, message: 'AccessDenied' },
        { type: 'failed', message: 'gave up' },
        AT,
      );
      expect(await resources.claimDue('replica-a', AT, LEASE, 10)).toEqual([]);

      const retried = await resources.retry(
        resource.id,
        { type: 'retry', message: 'again' },
        AT,
      );
      expect(retried).toMatchObject({ phase: 'provisioning' });
      expect(
        (await resources.claimDue('replica-a', AT, LEASE, 10))[0],
      ).toMatchObject({ id: resource.id, attempts: 0 });
    });

    it('sends a failed resource back to approval on a retry with a hold, keeping its quota until it is deleted', async () => {
      const { knex, resources, request, bucketsUsed } = await setUp(databaseId);
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: AT,
      });
      await knex('resources')
        .where({ id: resource.id })
        .update({ phase: 'failed', next_attempt_at: null });

      await expect(
        resources.retry(resource.id, { type: 'ask', message: 'Ask' }, AT, {
          approvalId: 'approval-1',
          open: async () => {
            throw new Error('approvals are down');
          },
        }),
      ).rejects.toThrow('approvals are down');
      expect((await resources.get(resource.id))!.phase).toBe('failed');

      let openedIn: unknown;
      const held = await resources.retry(
        resource.id,
        { type: 'ask', message: 'Ask' },
        AT,
        {
          approvalId: 'approval-2',
          open: async tx => {
            openedIn = await tx('resources').where({ id: resource.id }).first();
          },
        },
      );
      expect(held).toMatchObject({
        phase: 'pending-approval',
        approvalId: 'approval-2',
      });
      expect(openedIn).toMatchObject({
        phase: 'pending-approval',
        approval_id: 'approval-2',
      });
      expect(await resources.claimDue('replica-a', AT, LEASE, 10)).toEqual([]);
      expect(await bucketsUsed('acme')).toBe(1);
      expect((await resources.events(resource.id)).map(e => e.type)).toEqual([
        'requested',
        'ask',
      ]);

      // It may have left something behind in the cloud, so the reconciler deletes it.
      const deleting = await resources.requestDeletion(
        resource.id,
        { type: 'deletion-requested', message: 'Delete' },
        AT,
      );
      expect(deleting.phase).toBe('deleting');
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('pages resources by owner, kind and name within permission criteria, deleted ones too, and events by id, each exactly once', async () => {
      const { knex, resources, organization, request } = await setUp(
        databaseId,
      );
      await organization('beta', 10, ['a', 'b']);
      for (const [team, name, requestedBy] of [
        ['b', 'z', DANA],
        ['a', 'y', DANA],
        ['b', 'y', 'user:default/ed'],
        ['b', 'x', DANA],
        ['a', 'x', DANA],
      ]) {
        await request({
          organization: 'beta',
          team,
          name,
          requestedBy,
          at: AT,
        });
      }
      await request({ organization: 'acme', name: 'other', requestedBy: DANA });
      // A deleted a/x and its live successor share organization, team, kind and name.
      await knex('resources')
        .where({ organization: 'beta', team: 'a', name: 'x' })
        .update({ phase: 'deleted' });
      const successor = await request({
        organization: 'beta',
        team: 'a',
        name: 'x',
        requestedBy: DANA,
        at: AT,
      });

      const listPages = async (
        filter: Parameters<typeof resources.listPage>[0],
        limit: number,
      ) => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await resources.listPage(filter, { limit, cursor });
          pages.push(
            page.items.map(r => `${r.team}/${r.name}:${r.phase.slice(0, 3)}`),
          );
          cursor = page.nextCursor;
        } while (cursor && pages.length < 10);
        return pages;
      };
      expect(
        await listPages(
          {
            organization: 'beta',
            criteria: { type: 'submitted-by', claims: [DANA] },
          },
          2,
        ),
      ).toEqual([
        ['a/x:pro', 'a/y:pro'],
        ['b/x:pro', 'b/z:pro'],
      ]);
      const withDeleted = (
        await listPages({ organization: 'beta', includeDeleted: true }, 1)
      ).flat();
      expect(withDeleted).toHaveLength(6);
      expect([...withDeleted].sort()).toEqual([
        'a/x:del',
        'a/x:pro',
        'a/y:pro',
        'b/x:pro',
        'b/y:pro',
        'b/z:pro',
      ]);
      expect(withDeleted.slice(2)).toEqual([
        'a/y:pro',
        'b/x:pro',
        'b/y:pro',
        'b/z:pro',
      ]);

      const id = successor.resource.id;
      await knex('resource_events').insert(
        ['observed', 'ready', 'observed'].map(type => ({
          resource_id: id,
          type,
          message: type,
          created_at: AT.getTime(),
        })),
      );
      const eventPages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await resources.eventsPage(id, { limit: 2, cursor });
        eventPages.push(page.items.map(e => e.type));
        cursor = page.nextCursor;
      } while (cursor && eventPages.length < 10);
      expect(eventPages).toEqual([
        ['requested', 'observed'],
        ['ready', 'observed'],
      ]);
    });

    it('lists what permission criteria allow, in SQL', async () => {
      const { resources, request, organizations, teams, quotas } = await setUp(
        databaseId,
      );
      await organizations.create({
        name: 'globex',
        title: 'Globex',
        createdBy: 'user:default/gina',
      });
      await teams.create({
        organization: 'globex',
        name: 'web',
        title: 'Web',
        createdBy: 'user:default/gina',
      });
      await quotas.setOrganizationLimit(
        'globex',
        'count/aws:s3-bucket',
        5,
        'user:default/gina',
      );
      await request({ organization: 'acme', name: 'mine', requestedBy: DANA });
      await request({ organization: 'acme', name: 'theirs' });
      await request({ organization: 'globex', name: 'other' });

      const names = async (criteria: PermissionCriteria<MemberScopedQuery>) =>
        (await resources.list({ criteria })).map(r => r.name);

      expect(await names({ type: 'submitted-by', claims: [DANA] })).toEqual([
        'mine',
      ]);
      expect(
        await names({
          type: 'in-organization-with-role',
          claims: ['user:default/gina'],
          roles: ['admin'],
        }),
      ).toEqual(['other']);
      expect(
        await names({
          not: { type: 'submitted-by', claims: [DANA] },
        }),
      ).toEqual(['theirs', 'other']);
    });
  });
});
