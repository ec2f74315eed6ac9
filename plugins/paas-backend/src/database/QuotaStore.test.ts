import { mockServices } from '@backstage/backend-test-utils';
import { quotaInconsistencies } from '../__testUtils__/invariants';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseOrganizationStore } from './OrganizationStore';
import { DatabaseQuotaStore } from './QuotaStore';
import { DatabaseTeamStore } from './TeamStore';

/** The database's error message for a statement, or a note that it succeeded. */
async function failureOf(statement: PromiseLike<unknown>): Promise<string> {
  return Promise.resolve(statement).then(
    result => `succeeded with ${JSON.stringify(result)}`,
    error => String(error),
  );
}

jest.setTimeout(60_000);

const ORG = 'acme-payments';
const PLATFORM = 'user:default/platform';
const ADMIN = 'user:default/alice';

describe('DatabaseQuotaStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    await new DatabaseOrganizationStore(db).create({
      name: ORG,
      title: 'Acme Payments',
      createdBy: ADMIN,
    });
    const teams = new DatabaseTeamStore(db);
    for (const name of ['checkout', 'ledger', 'search', 'risk', 'fraud']) {
      await teams.create({
        organization: ORG,
        name,
        title: name,
        createdBy: ADMIN,
      });
    }
    return { knex, store: new DatabaseQuotaStore(db) };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('sets organization limits, carves teams out of them and records who did what and why', async () => {
      const { knex, store } = await createStore(databaseId);
      const limits: Array<[string, number]> = [
        ['cpu-millicores', 64000],
        ['memory-mib', 262144],
        ['gpus', 4],
        ['count/aws:s3-bucket', 20],
        ['count/aws:dynamodb-table', 10],
        ['budget-monthly', 5000],
      ];
      for (const [dimension, limit] of limits) {
        const change = await store.setOrganizationLimit(
          ORG,
          dimension,
          limit,
          PLATFORM,
          'Onboarding',
        );
        expect(change).toEqual({
          line: { dimension, limit, used: 0, allocated: 0 },
        });
      }
      for (const [dimension, limit] of [
        ['cpu-millicores', 16000],
        ['memory-mib', 65536],
        ['gpus', 0],
      ] as const) {
        await store.setTeamLimit(
          ORG,
          'checkout',
          dimension,
          limit,
          ADMIN,
          'Checkout needs no GPUs',
        );
      }

      await expect(
        store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 60000, ADMIN),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'acme-payments has 48000 cpu-millicores left to carve out (64000 limit, 16000 carved out); ledger asked for 60000',
      });

      expect(await store.get(ORG)).toEqual({
        organization: ORG,
        lines: [
          { dimension: 'budget-monthly', limit: 5000, used: 0, allocated: 0 },
          {
            dimension: 'count/aws:dynamodb-table',
            limit: 10,
            used: 0,
            allocated: 0,
          },
          {
            dimension: 'count/aws:s3-bucket',
            limit: 20,
            used: 0,
            allocated: 0,
          },
          {
            dimension: 'cpu-millicores',
            limit: 64000,
            used: 0,
            allocated: 16000,
          },
          { dimension: 'gpus', limit: 4, used: 0, allocated: 0 },
          {
            dimension: 'memory-mib',
            limit: 262144,
            used: 0,
            allocated: 65536,
          },
        ],
        teams: {
          checkout: [
            {
              dimension: 'cpu-millicores',
              limit: 16000,
              used: 0,
              allocated: 0,
            },
            { dimension: 'gpus', limit: 0, used: 0, allocated: 0 },
            { dimension: 'memory-mib', limit: 65536, used: 0, allocated: 0 },
          ],
        },
      });

      const history = await store.history(ORG);
      expect(history).toHaveLength(9);
      expect(history[0]).toEqual({
        id: expect.any(Number),
        organization: ORG,
        team: 'checkout',
        dimension: 'gpus',
        newLimit: 0,
        changedBy: ADMIN,
        reason: 'Checkout needs no GPUs',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(history[8]).toEqual({
        id: expect.any(Number),
        organization: ORG,
        dimension: 'cpu-millicores',
        newLimit: 64000,
        changedBy: PLATFORM,
        reason: 'Onboarding',
        createdAt: expect.any(String),
      });
      expect(history.map(h => [h.team, h.dimension])).toEqual([
        ['checkout', 'gpus'],
        ['checkout', 'memory-mib'],
        ['checkout', 'cpu-millicores'],
        [undefined, 'budget-monthly'],
        [undefined, 'count/aws:dynamodb-table'],
        [undefined, 'count/aws:s3-bucket'],
        [undefined, 'gpus'],
        [undefined, 'memory-mib'],
        [undefined, 'cpu-millicores'],
      ]);
      expect(await store.history(ORG, { limit: 2 })).toEqual(
        history.slice(0, 2),
      );

      await store.setOrganizationLimit(
        ORG,
        'cpu-millicores',
        80000,
        PLATFORM,
        'Black Friday',
      );
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 20000, ADMIN);
      const [teamChange, orgChange] = await store.history(ORG, { limit: 2 });
      expect(teamChange).toMatchObject({
        team: 'checkout',
        previousLimit: 16000,
        newLimit: 20000,
      });
      expect(teamChange.reason).toBeUndefined();
      expect(orgChange).toMatchObject({
        previousLimit: 64000,
        newLimit: 80000,
        reason: 'Black Friday',
      });
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('names what an existing carve-out can still grow by', async () => {
      const { store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 16000, ADMIN);
      await store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 10000, ADMIN);
      await store.reserve(undefined, {
        organization: ORG,
        team: 'search',
        subject: 'resource:search-index',
        amounts: { 'cpu-millicores': 2000 },
      });
      await expect(
        store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 60000, ADMIN),
      ).rejects.toThrow(
        'acme-payments has 36000 cpu-millicores left to carve out (64000 limit, 26000 carved out, 2000 used by teams without their own quota); ledger asked for 50000 more (10000 to 60000)',
      );
      await store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 46000, ADMIN);
      expect((await store.get(ORG)).lines).toEqual([
        {
          dimension: 'cpu-millicores',
          limit: 64000,
          used: 2000,
          allocated: 62000,
        },
      ]);
    });

    it('charges a team with a carve-out to it and a team without to the shared pool', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      await store.setOrganizationLimit(ORG, 'memory-mib', 8192, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 16000, ADMIN);

      await store.reserve(undefined, {
        organization: ORG,
        team: 'checkout',
        subject: 'deployment:checkout-api',
        amounts: { 'cpu-millicores': 14000, 'memory-mib': 4096 },
      });
      await store.reserve(undefined, {
        organization: ORG,
        team: 'ledger',
        subject: 'deployment:ledger-api',
        amounts: { 'cpu-millicores': 40000 },
      });

      const quotas = await store.get(ORG);
      expect(quotas.lines).toEqual([
        {
          dimension: 'cpu-millicores',
          limit: 64000,
          used: 54000,
          allocated: 16000,
        },
        { dimension: 'memory-mib', limit: 8192, used: 4096, allocated: 0 },
      ]);
      expect(quotas.teams.checkout).toEqual([
        {
          dimension: 'cpu-millicores',
          limit: 16000,
          used: 14000,
          allocated: 0,
        },
      ]);

      await expect(
        store.reserve(undefined, {
          organization: ORG,
          team: 'checkout',
          subject: 'deployment:checkout-worker',
          amounts: { 'cpu-millicores': 3000 },
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Quota exceeded: checkout has 2000 of 16000 cpu-millicores left; this needs 3000 (1000 short)',
      });
      // Both shortfalls are named, and neither dimension is charged.
      await expect(
        store.reserve(undefined, {
          organization: ORG,
          team: 'ledger',
          subject: 'deployment:ledger-worker',
          amounts: { 'cpu-millicores': 10000, 'memory-mib': 5000 },
        }),
      ).rejects.toThrow(
        'Quota exceeded: acme-payments has 8000 of 48000 cpu-millicores left in its shared pool; this needs 10000 (2000 short); ' +
          'Quota exceeded: acme-payments has 4096 of 8192 memory-mib left in its shared pool; this needs 5000 (904 short)',
      );
      await expect(
        store.reserve(undefined, {
          organization: ORG,
          team: 'ledger',
          subject: 'resource:ledger-bucket',
          amounts: { 'cpu-millicores': 1000, 'count/aws:s3-bucket': 1 },
        }),
      ).rejects.toThrow(
        'No count/aws:s3-bucket quota is set for acme-payments',
      );
      expect(await store.get(ORG)).toEqual(quotas);
      expect(
        await knex('quota_reservations').orderBy('subject').pluck('subject'),
      ).toEqual([
        'deployment:checkout-api',
        'deployment:checkout-api',
        'deployment:ledger-api',
      ]);

      await store.release(undefined, 'deployment:checkout-api');
      await store.release(undefined, 'deployment:checkout-api');
      await store.release(undefined, 'never-reserved');
      const released = await store.get(ORG);
      expect(released.lines.map(l => l.used)).toEqual([40000, 0]);
      expect(released.teams.checkout[0].used).toBe(0);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('reserves a subject once however often it is asked, and refuses a different amount', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 10000, PLATFORM);
      const request = {
        organization: ORG,
        team: 'ledger',
        subject: 'deployment:ledger-api',
        amounts: { 'cpu-millicores': 3000 },
      };
      await store.reserve(undefined, request);
      await store.reserve(undefined, request);
      await Promise.all([
        store.reserve(undefined, request),
        store.reserve(undefined, request),
      ]);
      expect((await store.get(ORG)).lines[0].used).toBe(3000);

      await expect(
        store.reserve(undefined, {
          ...request,
          amounts: { 'cpu-millicores': 4000 },
        }),
      ).rejects.toThrow(
        'deployment:ledger-api already holds 3000 cpu-millicores of ledger; release it before reserving 4000',
      );
      await expect(
        store.reserve(undefined, { ...request, team: 'checkout' }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await store.get(ORG)).lines[0].used).toBe(3000);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('refuses malformed reservations before touching the database', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 10000, PLATFORM);
      const base = { organization: ORG, team: 'ledger', subject: 'x' };
      const malformed: Array<Record<string, number>> = [
        { 'cpu-millicores': -1 },
        { 'cpu-millicores': 1.5 },
        { 'cpu-millicores': Number.NaN },
        { 'cpu-millicores': 2_000_000_001 },
        { cpu: 1 },
        { 'gpus/nvidia-a100': 1_500_000_000, gpus: 1_500_000_000 },
      ];
      for (const amounts of malformed) {
        await expect(
          store.reserve(undefined, { ...base, amounts }),
        ).rejects.toMatchObject({ name: 'InputError' });
      }
      await expect(
        store.reserve(undefined, { ...base, subject: '', amounts: {} }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await store.reserve(undefined, {
        ...base,
        amounts: { 'cpu-millicores': 0 },
      });
      expect(await knex('quota_reservations')).toEqual([]);
    });

    it('moves what a team used from the shared pool onto its carve-out and back', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 16000, ADMIN);
      for (const [team, subject, amount] of [
        ['ledger', 'deployment:ledger-api', 5000],
        ['ledger', 'deployment:ledger-worker', 3000],
        ['search', 'deployment:search', 4000],
      ] as const) {
        await store.reserve(undefined, {
          organization: ORG,
          team,
          subject,
          amounts: { 'cpu-millicores': amount },
        });
      }

      await expect(
        store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 7000, ADMIN),
      ).rejects.toThrow(
        'ledger already uses 8000 cpu-millicores from the shared pool of acme-payments; its quota cannot be less than that (asked for 7000)',
      );
      // 64000 - 16000 carved - 4000 used by search = 44000, ledger's own 8000 moves with it.
      await expect(
        store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 44001, ADMIN),
      ).rejects.toThrow(
        'acme-payments has 44000 cpu-millicores left to carve out (64000 limit, 16000 carved out, 4000 used by teams without their own quota); ledger asked for 44001',
      );
      expect(
        await store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 10000, ADMIN),
      ).toEqual({
        line: {
          dimension: 'cpu-millicores',
          limit: 10000,
          used: 8000,
          allocated: 0,
        },
      });
      let quotas = await store.get(ORG);
      expect(quotas.lines[0]).toEqual({
        dimension: 'cpu-millicores',
        limit: 64000,
        used: 12000,
        allocated: 26000,
      });
      expect(quotas.teams.ledger[0].used).toBe(8000);
      expect(await quotaInconsistencies(knex)).toEqual([]);

      await expect(
        store.setTeamLimit(ORG, 'ledger', 'cpu-millicores', 7999, ADMIN),
      ).rejects.toThrow(
        'ledger uses 8000 cpu-millicores; its quota cannot be less than that (asked for 7999)',
      );
      await store.release(undefined, 'deployment:ledger-worker');
      expect((await store.get(ORG)).teams.ledger[0].used).toBe(5000);

      expect(
        await store.removeTeamLimit(
          ORG,
          'ledger',
          'cpu-millicores',
          ADMIN,
          'Back to the pool',
        ),
      ).toEqual({ previousLimit: 10000 });
      quotas = await store.get(ORG);
      expect(quotas.lines[0]).toEqual({
        dimension: 'cpu-millicores',
        limit: 64000,
        used: 9000,
        allocated: 16000,
      });
      expect(quotas.teams.ledger).toBeUndefined();
      expect((await store.history(ORG, { limit: 1 }))[0]).toMatchObject({
        team: 'ledger',
        previousLimit: 10000,
        reason: 'Back to the pool',
      });
      expect((await store.history(ORG, { limit: 1 }))[0].newLimit).toBe(
        undefined,
      );
      await expect(
        store.removeTeamLimit(ORG, 'ledger', 'cpu-millicores', ADMIN),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      await store.release(undefined, 'deployment:ledger-api');
      expect((await store.get(ORG)).lines[0].used).toBe(4000);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('refuses a team quota before the organization has one', async () => {
      const { knex, store } = await createStore(databaseId);
      await expect(
        store.setTeamLimit(ORG, 'checkout', 'gpus', 1, ADMIN),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: "Set the organization's gpus quota first",
      });
      expect(await knex('quotas')).toEqual([]);
      expect(await knex('quota_changes')).toEqual([]);
    });

    it('refuses to lower an organization limit below what is carved out and used', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 16000, ADMIN);
      await store.reserve(undefined, {
        organization: ORG,
        team: 'ledger',
        subject: 'deployment:ledger-api',
        amounts: { 'cpu-millicores': 2000 },
      });
      await expect(
        store.setOrganizationLimit(ORG, 'cpu-millicores', 17999, PLATFORM),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Cannot lower the cpu-millicores limit of acme-payments to 17999: 16000 is carved out for teams and 2000 is used from the shared pool (18000 in all)',
      });
      const lowered = await store.setOrganizationLimit(
        ORG,
        'cpu-millicores',
        18000,
        PLATFORM,
        'Shrink',
      );
      expect(lowered).toEqual({
        line: {
          dimension: 'cpu-millicores',
          limit: 18000,
          used: 2000,
          allocated: 16000,
        },
        previousLimit: 64000,
      });
      // Setting the same limit again is not a change.
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 18000, PLATFORM);
      expect(await knex('quota_changes').count({ n: '*' })).toEqual([
        { n: databaseId === 'POSTGRES_15' ? '3' : 3 },
      ]);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('lets the database itself reject a write that breaks the limits', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 1000, PLATFORM);
      expect(
        await failureOf(
          knex('quotas').where({ organization: ORG }).update({ used: 1001 }),
        ),
      ).toMatch(/quotas_within_limit_check/);
      expect(
        await failureOf(
          knex('quotas').where({ organization: ORG }).update({ used: -1 }),
        ),
      ).toMatch(/quotas_within_limit_check/);
      expect(
        await failureOf(
          knex('quota_reservations').insert({
            organization: ORG,
            team: '',
            dimension: 'cpu-millicores',
            amount: 0,
            subject: 'x',
          }),
        ),
      ).toMatch(/quota_reservations_amount_check/);
      expect((await store.get(ORG)).lines[0].used).toBe(0);
    });

    it('has an invariant check that notices counters that disagree with the reservations', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 1000, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 400, ADMIN);
      expect(await quotaInconsistencies(knex)).toEqual([]);
      await knex('quotas')
        .where({ organization: ORG, team: '' })
        .update({ used: 100, allocated: 300 });
      await knex('quota_reservations').insert({
        organization: ORG,
        team: 'ledger',
        dimension: 'memory-mib',
        amount: 1,
        subject: 'stray',
      });
      expect(await quotaInconsistencies(knex)).toEqual([
        'acme-payments/(org)/cpu-millicores: used 100 but reservations 0',
        'acme-payments/(org)/cpu-millicores: allocated 300 but carved 400',
        'stray holds memory-mib without quota',
      ]);
    });

    it('counts typed GPUs against all GPUs and against a per-type quota once there is one', async () => {
      const { knex, store } = await createStore(databaseId);
      await expect(
        store.setOrganizationLimit(ORG, 'gpus/nvidia-a100', 2, PLATFORM),
      ).rejects.toThrow("Set the organization's gpus quota first");
      await store.setOrganizationLimit(ORG, 'gpus', 4, PLATFORM);
      await store.reserve(undefined, {
        organization: ORG,
        team: 'search',
        subject: 'deployment:embedder',
        amounts: { 'gpus/nvidia-a100': 2 },
      });
      await store.reserve(undefined, {
        organization: ORG,
        team: 'risk',
        subject: 'deployment:scorer',
        amounts: { gpus: 1 },
      });
      expect((await store.get(ORG)).lines).toEqual([
        { dimension: 'gpus', limit: 4, used: 3, allocated: 0 },
      ]);
      await expect(
        store.reserve(undefined, {
          organization: ORG,
          team: 'search',
          subject: 'deployment:trainer',
          amounts: { 'gpus/nvidia-a100': 1, 'gpus/nvidia-l4': 1 },
        }),
      ).rejects.toThrow(
        'Quota exceeded: acme-payments has 1 of 4 gpus left in its shared pool; this needs 2 (1 short)',
      );

      // A per-type quota counts the typed GPUs already in use.
      await expect(
        store.setOrganizationLimit(ORG, 'gpus/nvidia-a100', 1, PLATFORM),
      ).rejects.toThrow(
        'acme-payments already uses 2 gpus/nvidia-a100; its quota cannot be less than that (asked for 1)',
      );
      await store.setOrganizationLimit(ORG, 'gpus/nvidia-a100', 2, PLATFORM);
      expect((await store.get(ORG)).lines).toEqual([
        { dimension: 'gpus', limit: 4, used: 3, allocated: 0 },
        { dimension: 'gpus/nvidia-a100', limit: 2, used: 2, allocated: 0 },
      ]);
      await expect(
        store.reserve(undefined, {
          organization: ORG,
          team: 'search',
          subject: 'deployment:trainer',
          amounts: { 'gpus/nvidia-a100': 1 },
        }),
      ).rejects.toThrow(
        'Quota exceeded: acme-payments has 0 of 2 gpus/nvidia-a100 left in its shared pool; this needs 1 (1 short)',
      );
      await store.release(undefined, 'deployment:embedder');
      expect((await store.get(ORG)).lines.map(l => l.used)).toEqual([1, 0]);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('reserves inside the caller’s transaction and leaves it usable after a refusal', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 1000, PLATFORM);
      await knex.transaction(async tx => {
        await store.reserve(tx, {
          organization: ORG,
          subject: 'resource:a',
          amounts: { 'cpu-millicores': 600 },
        });
        await expect(
          store.reserve(tx, {
            organization: ORG,
            subject: 'resource:b',
            amounts: { 'cpu-millicores': 600 },
          }),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await store.reserve(tx, {
          organization: ORG,
          subject: 'resource:c',
          amounts: { 'cpu-millicores': 400 },
        });
      });
      expect(
        await knex('quota_reservations').orderBy('subject').pluck('subject'),
      ).toEqual(['resource:a', 'resource:c']);

      // A caller that rolls back takes the reservation and its charge with it.
      await knex
        .transaction(async tx => {
          await store.release(tx, 'resource:a');
          throw new Error('provisioning failed');
        })
        .catch(() => {});
      expect((await store.get(ORG)).lines[0].used).toBe(1000);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('lets exactly as many concurrent reservations through as fit', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      await store.setOrganizationLimit(ORG, 'memory-mib', 100000, PLATFORM);
      await store.setTeamLimit(ORG, 'checkout', 'cpu-millicores', 16000, ADMIN);

      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          store.reserve(undefined, {
            organization: ORG,
            team: 'checkout',
            subject: `deployment:checkout-${i}`,
            amounts: { 'cpu-millicores': 1000, 'memory-mib': 100 },
          }),
        ),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(16);
      expect(
        results.flatMap(r =>
          r.status === 'rejected'
            ? [{ name: r.reason.name, message: r.reason.message }]
            : [],
        ),
      ).toEqual(
        Array(24).fill({
          name: 'ConflictError',
          message:
            'Quota exceeded: checkout has 0 of 16000 cpu-millicores left; this needs 1000 (1000 short)',
        }),
      );
      const quotas = await store.get(ORG);
      expect(quotas.teams.checkout[0]).toMatchObject({
        limit: 16000,
        used: 16000,
      });
      expect(quotas.lines[1]).toMatchObject({ used: 1600 });
      expect(await quotaInconsistencies(knex)).toEqual([]);

      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.release(undefined, `deployment:checkout-${i % 20}`),
        ),
      );
      expect((await store.get(ORG)).teams.checkout[0].used).toBe(0);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('never carves out more than the organization has, however many ask at once', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 64000, PLATFORM);
      const teams = ['checkout', 'ledger', 'search', 'risk', 'fraud'];
      const results = await Promise.allSettled(
        teams.flatMap(team =>
          [15000, 20000].map(limit =>
            store.setTeamLimit(ORG, team, 'cpu-millicores', limit, ADMIN),
          ),
        ),
      );
      expect(
        results.filter(r => r.status === 'fulfilled').length,
      ).toBeGreaterThan(0);
      const quotas = await store.get(ORG);
      const carved = Object.values(quotas.teams).reduce(
        (sum, lines) => sum + lines[0].limit,
        0,
      );
      expect(carved).toBe(quotas.lines[0].allocated);
      expect(carved).toBeLessThanOrEqual(64000);
      expect(
        results.filter(
          r => r.status === 'rejected' && r.reason.name !== 'ConflictError',
        ),
      ).toEqual([]);
      expect(await knex('quota_changes').count({ n: '*' })).toEqual([
        {
          n:
            databaseId === 'POSTGRES_15'
              ? String(1 + results.filter(r => r.status === 'fulfilled').length)
              : 1 + results.filter(r => r.status === 'fulfilled').length,
        },
      ]);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('keeps usage where it belongs while carve-outs come and go under load', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.setOrganizationLimit(ORG, 'cpu-millicores', 30000, PLATFORM);
      await store.setOrganizationLimit(ORG, 'memory-mib', 30000, PLATFORM);
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        const team = i % 2 ? 'ledger' : 'search';
        work.push(
          store.reserve(undefined, {
            organization: ORG,
            team,
            subject: `deployment:${i}`,
            amounts: { 'cpu-millicores': 1000, 'memory-mib': 500 },
          }),
        );
        if (i % 5 === 0) {
          work.push(
            store.setTeamLimit(ORG, team, 'cpu-millicores', 12000 + i, ADMIN),
          );
        }
        if (i % 7 === 0) {
          work.push(
            store.removeTeamLimit(ORG, 'ledger', 'cpu-millicores', ADMIN),
          );
          work.push(store.release(undefined, `deployment:${i - 1}`));
        }
      }
      const results = await Promise.allSettled(work);
      expect(
        results.filter(
          r =>
            r.status === 'rejected' &&
            !['ConflictError', 'NotFoundError'].includes(r.reason.name),
        ),
      ).toEqual([]);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });
  });
});
