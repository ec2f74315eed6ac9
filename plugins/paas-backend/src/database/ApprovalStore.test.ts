import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseApprovalStore } from './ApprovalStore';
import { FIRST_PAGE } from './keysetPagination';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseOrganizationStore } from './OrganizationStore';

jest.setTimeout(60_000);

const ORG = 'acme-payments';
const ADMIN = 'user:default/alice';
const NOW = new Date('2026-11-22T12:00:00.000Z');
const LATER = new Date('2026-11-29T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;

/** The database's error message for a statement, or a note that it succeeded. */
async function failureOf(statement: PromiseLike<unknown>): Promise<string> {
  return Promise.resolve(statement).then(
    result => `succeeded with ${JSON.stringify(result)}`,
    error => String(error),
  );
}

describe('DatabaseApprovalStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: DatabaseApprovalStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      const db = await applyDatabaseMigrations(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      await new DatabaseOrganizationStore(db).create({
        name: ORG,
        title: 'Acme Payments',
        createdBy: ADMIN,
      });
      store = new DatabaseApprovalStore(db);
    });

    function request(
      id: string,
      overrides: { now?: Date; expiresAt?: Date } = {},
    ) {
      const now = overrides.now ?? NOW;
      return store.create({
        id,
        organization: ORG,
        subjectType: 'quota-increase',
        subject: { dimension: 'cpu-millicores', limit: 96000 },
        requestedBy: ADMIN,
        reason: 'Black Friday',
        requiredApprover: 'platform',
        expiresAt: overrides.expiresAt ?? LATER,
        now,
      });
    }

    it('creates a pending approval and reads it back', async () => {
      const created = await request('a1');
      expect(created).toEqual({
        id: 'a1',
        organization: ORG,
        subjectType: 'quota-increase',
        subject: { dimension: 'cpu-millicores', limit: 96000 },
        requestedBy: ADMIN,
        reason: 'Black Friday',
        requiredApprover: 'platform',
        state: 'pending',
        expiresAt: LATER.toISOString(),
        createdAt: NOW.toISOString(),
      });
      expect(await store.get('a1', NOW)).toEqual(created);
      expect(await store.get('ghost', NOW)).toBeUndefined();
    });

    it('lists by state, newest first, with lapsed ones as expired', async () => {
      await request('old', { expiresAt: new Date(NOW.getTime() + HOUR) });
      await request('new', { now: new Date(NOW.getTime() + 1000) });
      await request('done', { now: new Date(NOW.getTime() + 2000) });
      await store.decide({
        id: 'done',
        state: 'denied',
        by: 'user:default/platform',
        reason: 'Not now',
        now: NOW,
      });
      const inTwoHours = new Date(NOW.getTime() + 2 * HOUR);
      const ids = async (state?: 'pending' | 'expired' | 'denied') =>
        (
          await store.list({ organization: ORG, state }, inTwoHours, FIRST_PAGE)
        ).items.map(a => `${a.id}:${a.state}`);

      expect(await ids()).toEqual([
        'done:denied',
        'new:pending',
        'old:expired',
      ]);
      expect(await ids('pending')).toEqual(['new:pending']);
      expect(await ids('expired')).toEqual(['old:expired']);
      expect(await ids('denied')).toEqual(['done:denied']);
      expect(
        (
          await store.list(
            { requiredApprover: 'admin' },
            inTwoHours,
            FIRST_PAGE,
          )
        ).items,
      ).toEqual([]);
      expect(
        (await store.list({ organizations: [] }, inTwoHours, FIRST_PAGE)).items,
      ).toEqual([]);
    });

    it('pages an inbox newest first, each approval exactly once, within what the caller may decide', async () => {
      await new DatabaseOrganizationStore(knex).create({
        name: 'globex',
        title: 'Globex',
        createdBy: 'user:default/hank',
      });
      const open = (
        id: string,
        at: number,
        options: {
          organization?: string;
          requiredApprover?: 'admin' | 'platform';
          requestedBy?: string;
        } = {},
      ) =>
        store.create({
          id,
          organization: options.organization ?? ORG,
          subjectType: 'membership',
          subject: {},
          requestedBy: options.requestedBy ?? 'user:default/victor',
          reason: 'Let me in',
          requiredApprover: options.requiredApprover ?? 'admin',
          expiresAt: LATER,
          now: new Date(NOW.getTime() - at * 1000),
        });
      for (const id of ['a3', 'a1', 'a2']) {
        await open(id, 0);
      }
      await open('a4', 1);
      await open('a5', 2);
      await open('own', 0, { requestedBy: ADMIN });
      await open('globex-1', 0, { organization: 'globex' });
      await open('platform-1', 0, { requiredApprover: 'platform' });
      await open('platform-2', 3, { requiredApprover: 'platform' });

      const inbox = async (
        filter: Parameters<typeof store.list>[0],
        limit: number,
      ) => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list(filter, NOW, { limit, cursor });
          pages.push(page.items.map(a => a.id));
          cursor = page.nextCursor;
        } while (cursor && pages.length < 10);
        return pages;
      };
      const adminOfOrg = {
        type: 'has-role' as const,
        claims: [ADMIN],
        roles: ['admin' as const],
      };

      expect(
        await inbox(
          {
            state: 'pending',
            decidableBy: { platform: false, admin: adminOfOrg },
            notRequestedBy: ADMIN,
          },
          2,
        ),
      ).toEqual([['a1', 'a2'], ['a3', 'a4'], ['a5']]);
      expect(
        await inbox(
          {
            state: 'pending',
            decidableBy: { platform: true, admin: 'none' },
            notRequestedBy: 'user:default/platform',
          },
          1,
        ),
      ).toEqual([['platform-1'], ['platform-2']]);
      expect(
        (
          await inbox(
            {
              state: 'pending',
              decidableBy: { platform: true, admin: 'all' },
              notRequestedBy: ADMIN,
            },
            3,
          )
        ).flat(),
      ).toEqual([
        'a1',
        'a2',
        'a3',
        'globex-1',
        'platform-1',
        'a4',
        'a5',
        'platform-2',
      ]);
      expect(
        await inbox({ decidableBy: { platform: false, admin: 'none' } }, 2),
      ).toEqual([[]]);
    });

    it('decides once, and says so to a second decider', async () => {
      await request('a1');
      const decided = await store.decide({
        id: 'a1',
        state: 'approved',
        by: 'user:default/platform',
        reason: 'Go ahead',
        now: NOW,
      });
      expect(decided).toMatchObject({
        state: 'approved',
        decision: {
          by: 'user:default/platform',
          at: NOW.toISOString(),
          reason: 'Go ahead',
        },
      });
      await expect(
        store.decide({ id: 'a1', state: 'denied', by: 'x', now: NOW }),
      ).rejects.toThrow("Approval 'a1' is already decided: approved");
      await expect(
        store.decide({ id: 'ghost', state: 'denied', by: 'x', now: NOW }),
      ).rejects.toThrow("No approval 'ghost'");
    });

    it('lets exactly one of parallel deciders win', async () => {
      await request('a1');
      const results = await Promise.allSettled(
        ['approved', 'denied', 'approved', 'denied'].map((state, i) =>
          store.decide({
            id: 'a1',
            state: state as 'approved' | 'denied',
            by: `user:default/decider-${i}`,
            now: NOW,
          }),
        ),
      );
      const won = results.filter(r => r.status === 'fulfilled');
      const lost = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(3);
      for (const { reason } of lost) {
        expect(reason.name).toBe('ConflictError');
        expect(reason.message).toMatch(/is already decided/);
      }
      const winner = (won[0] as PromiseFulfilledResult<{ state: string }>)
        .value;
      expect((await store.get('a1', NOW))?.state).toBe(winner.state);
    });

    it('does not decide an expired approval', async () => {
      await request('a1', { expiresAt: new Date(NOW.getTime() + HOUR) });
      await expect(
        store.decide({
          id: 'a1',
          state: 'approved',
          by: 'user:default/platform',
          now: new Date(NOW.getTime() + HOUR),
        }),
      ).rejects.toThrow(
        `Approval 'a1' expired at ${new Date(
          NOW.getTime() + HOUR,
        ).toISOString()}`,
      );
      expect(
        await knex('approvals').where({ id: 'a1' }).pluck('state'),
      ).toEqual(['pending']);
    });

    it('rolls the decision back when applying it fails, and keeps it when applying succeeds', async () => {
      await request('a1');
      const decision = {
        id: 'a1',
        state: 'approved' as const,
        by: 'user:default/platform',
        now: NOW,
      };
      await expect(
        store.decideAndApply(decision, async (approval, tx) => {
          expect(approval.state).toBe('approved');
          await tx('organizations')
            .where({ name: ORG })
            .update({ title: 'Renamed' });
          throw new Error('the limit could not be applied');
        }),
      ).rejects.toThrow('the limit could not be applied');
      expect((await store.get('a1', NOW))?.state).toBe('pending');
      expect(
        await knex('organizations').where({ name: ORG }).pluck('title'),
      ).toEqual(['Acme Payments']);

      const approved = await store.decideAndApply(decision, async (_a, tx) => {
        await tx('organizations')
          .where({ name: ORG })
          .update({ title: 'Renamed' });
      });
      expect(approved.state).toBe('approved');
      expect(
        await knex('organizations').where({ name: ORG }).pluck('title'),
      ).toEqual(['Renamed']);
    });

    it('refuses states and approvers the schema does not know', async () => {
      await request('a1');
      expect(
        await failureOf(
          knex('approvals').where({ id: 'a1' }).update({ state: 'maybe' }),
        ),
      ).toMatch(/approvals_state_check/);
      expect(
        await failureOf(
          knex('approvals')
            .where({ id: 'a1' })
            .update({ required_approver: 'anyone' }),
        ),
      ).toMatch(/approvals_required_approver_check/);
      expect(
        await knex('approvals').select('state', 'required_approver'),
      ).toEqual([{ state: 'pending', required_approver: 'platform' }]);
    });
  });
});
