import { mockServices } from '@backstage/backend-test-utils';
import {
  createResourceFixture,
  FakeCloudProvider,
} from '../__testUtils__/resourceFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { quotaInconsistencies } from '../__testUtils__/invariants';
import { ResourceStore } from '../database/ResourceStore';
import { LoopMonitor } from '../service/LoopMonitor';
import { ProviderRegistry } from '../service/ProviderRegistry';
import { DEFAULT_RECONCILER_SETTINGS, ReconcilerSettings } from './config';
import { ResourceReconciler } from './ResourceReconciler';
import { settlesWithin } from '../__testUtils__/settlesWithin';

jest.setTimeout(60_000);

const START = new Date('2026-11-23T10:00:00.000Z').getTime();

describe('ResourceReconciler', () => {
  const databases = createTestDatabases();

  async function setUp(
    databaseId: Parameters<typeof databases.init>[0],
    settings: Partial<ReconcilerSettings> = {},
  ) {
    const knex = await databases.init(databaseId);
    const fixture = await createResourceFixture(knex);
    await fixture.organization('acme', 50);
    const provider = new FakeCloudProvider();
    const registry = new ProviderRegistry();
    registry.add(provider);
    let now = START;
    const reconciler = (owner: string) =>
      new ResourceReconciler({
        store: fixture.resources,
        providers: registry,
        settings: { ...DEFAULT_RECONCILER_SETTINGS, ...settings },
        logger: mockServices.logger.mock(),
        clock: () => new Date(now),
        owner,
      });
    return {
      knex,
      ...fixture,
      provider,
      reconciler,
      advance(ms: number) {
        now += ms;
      },
      at: () => new Date(now),
    };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('provisions a resource to ready with the provider’s outputs, tags and conditions', async () => {
      const { resources, request, provider, reconciler, at } = await setUp(
        databaseId,
      );
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });

      expect(await reconciler('a').runOnce()).toBe(1);

      expect(await resources.get(resource.id)).toMatchObject({
        phase: 'ready',
        observedGeneration: 1,
        externalId: 'fake:acme-web-assets',
        outputs: { name: 'acme-web-assets' },
        conditions: [
          { type: 'Encrypted', status: 'True', reason: 'Applied' },
          { type: 'Ready', status: 'True', reason: 'Provisioned' },
        ],
      });
      expect(provider.objects.get('acme-web-assets')!.tags).toEqual({
        'paasport.io/resource-id': resource.id,
        'paasport.io/managed-by': 'paasport',
        'paasport.io/organization': 'acme',
        'paasport.io/team': 'web',
        'paasport.io/name': 'assets',
        'paasport.io/cost-center': 'acme-web',
      });
      expect((await resources.events(resource.id)).map(e => e.type)).toEqual([
        'requested',
        'ready',
      ]);
      // Ready resources wait for their resync; nothing more is due now.
      expect(await reconciler('a').runOnce()).toBe(0);
    });

    it('polls a resource the provider is still creating until it is ready', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId);
      provider.pendingApplies = 2;
      const { resource } = await request({
        organization: 'acme',
        name: 'db',
        at: at(),
      });

      await reconciler('a').runOnce();
      expect(await resources.get(resource.id)).toMatchObject({
        phase: 'provisioning',
        message: 'Waiting for the provider to finish',
      });
      expect(await reconciler('a').runOnce()).toBe(0);
      advance(5_000);
      await reconciler('a').runOnce();
      advance(5_000);
      await reconciler('a').runOnce();
      expect((await resources.get(resource.id))!.phase).toBe('ready');
      expect(provider.objects.size).toBe(1);
    });

    it('backs off after errors, gives up after maxAttempts, and starts over on retry', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { maxAttempts: 3 });
      let failures = 3;
      provider.onApply = () => {
        if (failures-- > 0) {
          throw new Error('ThrottlingException: Rate exceeded');
        }
      };
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });

      await reconciler('a').runOnce();
      expect(await resources.get(resource.id)).toMatchObject({
        phase: 'provisioning',
        message: 'ThrottlingException: Rate exceeded',
      });
      advance(1_999);
      expect(await reconciler('a').runOnce()).toBe(0);
      advance(1);
      expect(await reconciler('a').runOnce()).toBe(1);
      advance(4_000);
      await reconciler('a').runOnce();

      const failed = (await resources.get(resource.id))!;
      expect(failed).toMatchObject({ phase: 'failed' });
      expect(failed.conditions).toContainEqual({
        type: 'Ready',
        status: 'False',
        reason: 'AttemptFailed',
        message: 'ThrottlingException: Rate exceeded',
      });
      expect((await resources.events(resource.id)).map(e => e.type)).toEqual([
        'requested',
        'retrying',
        'retrying',
        'failed',
      ]);
      advance(600_000);
      expect(await reconciler('a').runOnce()).toBe(0);

      await resources.retry(
        resource.id,
        { type: 'retry', message: 'again' },
        at(),
      );
      await reconciler('a').runOnce();
      expect((await resources.get(resource.id))!.phase).toBe('ready');
      expect(provider.objects.size).toBe(1);
    });

    it('fails at once, creating nothing, when the name belongs to someone else', async () => {
      const { resources, request, provider, reconciler, at } = await setUp(
        databaseId,
      );
      provider.objects.set('acme-web-assets', {
        name: 'acme-web-assets',
        tags: { team: 'someone-else' },
        spec: {},
      });
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });

      await reconciler('a').runOnce();
      const failed = (await resources.get(resource.id))!;
      expect(failed.phase).toBe('failed');
      expect(failed.message).toBe(
        `acme-web-assets exists and is not Paasport's resource ${resource.id}`,
      );
      expect(provider.objects.get('acme-web-assets')!.tags).toEqual({
        team: 'someone-else',
      });
    });

    it('after a replica dies between create and checkpoint, another adopts what it made: one object (reliability row 1)', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { leaseMs: 60_000, callTimeoutMs: 30_000 });
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });
      // The first replica's call creates the bucket and then never returns: the process died.
      provider.onApply = () => new Promise<void>(() => {});
      // Its call times out long after this test, when the database is gone.
      reconciler('doomed')
        .runOnce()
        .catch(() => {});
      await waitFor(() => provider.objects.size === 1);
      provider.onApply = undefined;

      expect(await reconciler('survivor').runOnce()).toBe(0);
      advance(60_001);
      expect(await reconciler('survivor').runOnce()).toBe(1);

      expect((await resources.get(resource.id))!.phase).toBe('ready');
      expect([...provider.objects.keys()]).toEqual(['acme-web-assets']);
      expect(provider.calls.filter(c => c.method === 'apply')).toHaveLength(2);
    });

    it('counts a call that times out after creating as failed, and the retry adopts (reliability row 3)', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { callTimeoutMs: 50 });
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });
      provider.onApply = () => new Promise<void>(() => {});
      await reconciler('a').runOnce();
      expect(await resources.get(resource.id)).toMatchObject({
        phase: 'provisioning',
        message: expect.stringContaining(
          'Timed out after 50 ms applying acme-web-assets',
        ),
      });

      provider.onApply = undefined;
      // The call never settles, so it holds the lease for one more lease period.
      advance(DEFAULT_RECONCILER_SETTINGS.leaseMs + 1);
      await reconciler('a').runOnce();
      expect((await resources.get(resource.id))!.phase).toBe('ready');
      expect(provider.objects.size).toBe(1);
    });

    it('does not apply a resource of its batch that another replica deleted after its lease expired', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { leaseMs: 60_000, callTimeoutMs: 50_000 });
      await request({ organization: 'acme', name: 'slow-1', at: at() });
      advance(1);
      await request({ organization: 'acme', name: 'slow-2', at: at() });
      advance(1);
      const { resource: doomed } = await request({
        organization: 'acme',
        name: 'doomed',
        at: at(),
      });
      // Replica a claims all three; each slow call takes 40 s (within its time limit), so the
      // lease of the last one runs out while a is still busy with the second.
      let otherReplica: Promise<number> | undefined;
      provider.onApply = async r => {
        if (r.name === 'acme-web-slow-1') {
          advance(40_000);
        } else if (r.name === 'acme-web-slow-2' && !otherReplica) {
          advance(40_000);
          await resources.requestDeletion(
            doomed.id,
            { type: 'deletion-requested', message: 'bye' },
            at(),
          );
          otherReplica = reconciler('b').runOnce();
          await otherReplica;
        }
      };

      await reconciler('a').runOnce();

      expect((await resources.get(doomed.id))!.phase).toBe('deleted');
      const deletedAt = provider.calls.findIndex(
        c => c.method === 'delete' && c.name === 'acme-web-doomed',
      );
      expect(deletedAt).toBeGreaterThanOrEqual(0);
      expect(
        provider.calls
          .slice(deletedAt + 1)
          .filter(c => c.name === 'acme-web-doomed'),
      ).toEqual([]);
      expect([...provider.objects.keys()].sort()).toEqual([
        'acme-web-slow-1',
        'acme-web-slow-2',
      ]);
      // Replica b took only the resource whose lease had run out.
      expect(await otherReplica).toBe(1);
    });

    it('deletes, without applying first, a resource of its batch whose deletion was asked for while it held the lease', async () => {
      const { resources, request, provider, reconciler, at, bucketsUsed } =
        await setUp(databaseId);
      await request({ organization: 'acme', name: 'first', at: at() });
      const { resource: second } = await request({
        organization: 'acme',
        name: 'second',
        at: at(),
      });
      provider.onApply = async r => {
        if (r.name === 'acme-web-first') {
          await resources.requestDeletion(
            second.id,
            { type: 'deletion-requested', message: 'bye' },
            at(),
          );
        }
      };

      expect(await reconciler('a').runOnce()).toBe(2);

      expect((await resources.get(second.id))!.phase).toBe('deleted');
      expect(provider.calls).toEqual([
        { method: 'apply', name: 'acme-web-first' },
        { method: 'delete', name: 'acme-web-second' },
      ]);
      expect(await bucketsUsed('acme')).toBe(1);
    });

    it('keeps the lease of a timed-out call until it settles, and never writes its late answer', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { callTimeoutMs: 50, leaseMs: 60_000 });
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });
      let settle!: () => void;
      provider.onApply = () =>
        new Promise<void>(resolve => {
          settle = resolve;
        });
      expect(await reconciler('a').runOnce()).toBe(1);
      provider.onApply = undefined;
      const timedOut = await resources.get(resource.id);
      expect(timedOut).toMatchObject({
        phase: 'provisioning',
        message: expect.stringContaining('Timed out after 50 ms'),
      });

      // The retry is due, but the abandoned call may still change the bucket.
      advance(2_000);
      expect(await reconciler('b').runOnce()).toBe(0);

      // It answers `ready` late: that is not written, and the resource is free again.
      settle();
      await waitForAsync(async () => (await reconciler('b').runOnce()) === 1);
      expect(provider.calls.filter(c => c.method === 'apply')).toHaveLength(2);
      expect((await resources.events(resource.id)).map(e => e.type)).toEqual([
        'requested',
        'retrying',
        'ready',
      ]);
      expect((await resources.get(resource.id))!.phase).toBe('ready');
    });

    it('gives the lease of a call that never settles to another replica one lease period after its timeout', async () => {
      const { resources, request, provider, reconciler, advance, at } =
        await setUp(databaseId, { callTimeoutMs: 50, leaseMs: 60_000 });
      const { resource } = await request({
        organization: 'acme',
        name: 'assets',
        at: at(),
      });
      provider.onApply = () => new Promise<void>(() => {});
      await reconciler('a').runOnce();
      provider.onApply = undefined;

      advance(60_000);
      expect(await reconciler('b').runOnce()).toBe(0);
      advance(1);
      expect(await reconciler('b').runOnce()).toBe(1);
      expect((await resources.get(resource.id))!.phase).toBe('ready');
    });

    it('stops a pass that ran past its budget before its next resource, and gives that lease back', async () => {
      const { resources, request, provider, reconciler, knex, at } =
        await setUp(databaseId, { passBudgetMs: 100 });
      const { resource: first } = await request({
        organization: 'acme',
        name: 'first',
        at: at(),
      });
      const { resource: second } = await request({
        organization: 'acme',
        name: 'second',
        at: at(),
      });
      await knex('resources')
        .where({ id: first.id })
        .update({ next_attempt_at: START - 1 });
      let finish!: () => void;
      provider.onApply = () =>
        new Promise<void>(resolve => {
          finish = resolve;
        });
      const a = reconciler('a');
      await a.trigger();
      provider.onApply = undefined;

      // The abandoned pass finishes the call it was in, then stops.
      finish();
      await waitForAsync(
        async () => (await resources.get(first.id))!.phase === 'ready',
      );
      await waitForAsync(async () => (await reconciler('b').runOnce()) === 1);
      expect((await resources.get(second.id))!.phase).toBe('ready');
      expect(provider.calls).toEqual([
        { method: 'apply', name: 'acme-web-first' },
        { method: 'apply', name: 'acme-web-second' },
      ]);
    });

    it('two replicas in one pass apply each resource once', async () => {
      const { knex, request, provider, reconciler, at } = await setUp(
        databaseId,
      );
      // More than one claim batch, so that the replicas split batches between them.
      for (let i = 0; i < 45; i++) {
        await request({ organization: 'acme', name: `b${i}`, at: at() });
      }

      const [a, b] = await Promise.all([
        reconciler('a').runOnce(),
        reconciler('b').runOnce(),
      ]);

      expect(a + b).toBe(45);
      expect(provider.calls.filter(c => c.method === 'apply')).toHaveLength(45);
      expect(provider.objects.size).toBe(45);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('deletes through the provider, or leaves the object for orphan, and releases the quota', async () => {
      const { resources, request, provider, reconciler, at, bucketsUsed } =
        await setUp(databaseId);
      const doomed = await request({
        organization: 'acme',
        name: 'doomed',
        at: at(),
      });
      const kept = await request({
        organization: 'acme',
        name: 'kept',
        deletionPolicy: 'orphan',
        at: at(),
      });
      await reconciler('a').runOnce();
      expect(await bucketsUsed('acme')).toBe(2);

      for (const { resource } of [doomed, kept]) {
        await resources.requestDeletion(
          resource.id,
          { type: 'deletion-requested', message: 'bye' },
          at(),
        );
      }
      await reconciler('a').runOnce();

      expect((await resources.get(doomed.resource.id))!.phase).toBe('deleted');
      expect((await resources.get(kept.resource.id))!.phase).toBe('deleted');
      expect([...provider.objects.keys()]).toEqual(['acme-web-kept']);
      expect(provider.calls.filter(c => c.method === 'delete')).toEqual([
        { method: 'delete', name: 'acme-web-doomed' },
      ]);
      expect(await bucketsUsed('acme')).toBe(0);
    });
  });
});

describe('ResourceReconciler pass budget', () => {
  it('abandons a pass stuck on a hung database call, lets the next start, and health reports the stall', async () => {
    let now = START;
    let claims = 0;
    const store = {
      claimDue: () => {
        claims += 1;
        return new Promise(() => {});
      },
    } as unknown as ResourceStore;
    const logger = mockServices.logger.mock();
    const loops = new LoopMonitor(() => new Date(now));
    const reconciler = new ResourceReconciler({
      store,
      providers: new ProviderRegistry(),
      settings: { ...DEFAULT_RECONCILER_SETTINGS, passBudgetMs: 50 },
      logger,
      clock: () => new Date(now),
      liveness: loops.register('resource-reconciler', {
        intervalMs: 15_000,
        budgetMs: 50,
      }),
    });

    expect(await settlesWithin(reconciler.trigger(), 2_000)).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      'Resource reconciliation pass failed',
      {
        error:
          'Resource reconciliation pass ran past its budget of 50 ms and was abandoned',
      },
    );
    expect(await settlesWithin(reconciler.trigger(), 2_000)).toBe(true);
    expect(claims).toBe(2);

    expect(loops.stalled()).toEqual([]);
    now += 45_001;
    expect(loops.stalled()).toEqual([
      { loop: 'resource-reconciler', since: new Date(START).toISOString() },
    ]);
  });
});

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  if (!condition()) {
    throw new Error('condition not reached');
  }
}

async function waitForAsync(condition: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await condition()) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
