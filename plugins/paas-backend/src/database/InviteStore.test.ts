import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { generateInviteCode, hashInviteCode } from '../service/inviteCodes';
import { DatabaseInviteStore } from './InviteStore';
import { FIRST_PAGE } from './keysetPagination';
import { DatabaseMembershipStore } from './MembershipStore';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseOrganizationStore } from './OrganizationStore';

jest.setTimeout(60_000);

const ADMIN = 'user:default/alice';
const HOUR = 60 * 60 * 1000;

describe('DatabaseInviteStore', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    await new DatabaseOrganizationStore(db).create({
      name: 'acme',
      title: 'Acme',
      createdBy: ADMIN,
    });
    const memberships = new DatabaseMembershipStore(db);
    const store = new DatabaseInviteStore(db, memberships);
    const now = new Date();
    let next = 0;

    async function createInvite(
      overrides: Partial<Parameters<typeof store.create>[0]> = {},
    ) {
      const code = generateInviteCode();
      const invite = await store.create({
        id: `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
        organization: 'acme',
        role: 'developer',
        codeHash: hashInviteCode(code),
        maxUses: 1,
        expiresAt: new Date(now.getTime() + 24 * HOUR),
        createdBy: ADMIN,
        ...overrides,
      });
      return { code, codeHash: hashInviteCode(code), invite };
    }

    async function uses(id: string): Promise<number> {
      const row = await knex('invite_codes').where({ id }).first('uses');
      return Number(row.uses);
    }

    async function members(): Promise<string[]> {
      const rows = await knex('memberships')
        .where({ organization: 'acme' })
        .orderBy('user_ref')
        .select('user_ref');
      return rows.map(r => r.user_ref);
    }

    return { knex, store, memberships, now, createInvite, uses, members };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates and lists codes without their hashes, and stores only the hash', async () => {
      const { knex, store, now, createInvite } = await setUp(databaseId);
      const expiresAt = new Date(now.getTime() + 48 * HOUR);
      const { code, invite } = await createInvite({
        role: 'viewer',
        maxUses: 3,
        expiresAt,
      });

      expect(invite).toEqual({
        id: '00000000-0000-4000-8000-000000000001',
        organization: 'acme',
        role: 'viewer',
        maxUses: 3,
        uses: 0,
        expiresAt: expiresAt.toISOString(),
        createdBy: ADMIN,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
      expect((await store.list('acme', FIRST_PAGE)).items).toEqual([invite]);
      expect((await store.list('other', FIRST_PAGE)).items).toEqual([]);

      const [row] = await knex('invite_codes').select('code_hash');
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).toBe(hashInviteCode(code));
      expect(row.code_hash).not.toContain(code);
      expect(JSON.stringify(await knex('invite_codes'))).not.toContain(code);
    });

    it('pages codes newest first, each exactly once, also among codes created at the same time', async () => {
      const { knex, store, createInvite } = await setUp(databaseId);
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        ids.push((await createInvite()).invite.id);
      }
      // Four share a creation time, the next is a microsecond older where the database keeps
      // microseconds, the rest are an hour apart.
      const postgres = databaseId === 'POSTGRES_15';
      const createdAt = (i: number) => {
        if (i < 4)
          return postgres
            ? '2026-11-22T12:00:00.123456Z'
            : '2026-11-22T12:00:00.123Z';
        if (i === 4)
          return postgres
            ? '2026-11-22T12:00:00.123455Z'
            : '2026-11-22T12:00:00.122Z';
        return new Date(
          Date.parse('2026-11-22T12:00:00Z') - i * HOUR,
        ).toISOString();
      };
      for (const [i, id] of ids.entries()) {
        await knex('invite_codes')
          .where({ id })
          .update({ created_at: createdAt(i) });
      }

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list('acme', { limit: 3, cursor });
        pages.push(page.items.map(i => i.id));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 10);

      expect(pages.map(p => p.length)).toEqual([3, 3, 3]);
      expect(pages.flat()).toEqual(ids);
    });

    it('revokes a code, keeps the first revocation time, and refuses unknown ids', async () => {
      const { store, now, createInvite } = await setUp(databaseId);
      const { invite } = await createInvite();

      await store.revoke('acme', invite.id, now);
      await store.revoke('acme', invite.id, new Date(now.getTime() + HOUR));
      const [listed] = (await store.list('acme', FIRST_PAGE)).items;
      expect(listed.revokedAt).toBe(now.toISOString());

      await expect(
        store.revoke('acme', 'no-such-id', now),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "No invite code 'no-such-id' in 'acme'",
      });
      await expect(store.revoke('other', invite.id, now)).rejects.toMatchObject(
        { name: 'NotFoundError' },
      );
    });

    it('redeems a code into a membership with its role and counts the use', async () => {
      const { store, memberships, now, createInvite, uses } = await setUp(
        databaseId,
      );
      const { codeHash, invite } = await createInvite({ maxUses: 2 });

      await expect(
        store.redeem({ codeHash, userRef: 'user:default/Bob', now }),
      ).resolves.toEqual({
        status: 'redeemed',
        inviteId: invite.id,
        organization: 'acme',
        role: 'developer',
      });
      expect(await uses(invite.id)).toBe(1);
      expect(await memberships.get('acme', 'user:default/bob')).toMatchObject({
        role: 'developer',
        createdBy: 'user:default/Bob',
      });
    });

    type Spoiler = {
      expiresInMs?: number;
      usedUp?: boolean;
      revoked?: boolean;
      unknown?: boolean;
    };
    it.each<[string, Spoiler]>([
      ['expired', { expiresInMs: -HOUR }],
      ['exactly at its expiry', { expiresInMs: 0 }],
      ['used up', { usedUp: true }],
      ['revoked', { revoked: true }],
      ['unknown', { unknown: true }],
    ])(
      'treats a code that is %s as invalid and changes nothing',
      async (_what, spoiler) => {
        const { knex, store, now, createInvite, uses, members } = await setUp(
          databaseId,
        );
        const { codeHash, invite } = await createInvite({
          maxUses: 2,
          expiresAt: new Date(now.getTime() + (spoiler.expiresInMs ?? HOUR)),
        });
        if (spoiler.usedUp) {
          await knex('invite_codes')
            .where({ id: invite.id })
            .update({ uses: 2 });
        }
        if (spoiler.revoked) {
          await store.revoke('acme', invite.id, now);
        }
        const usesBefore = await uses(invite.id);
        const membersBefore = await members();

        const result = await store.redeem({
          codeHash: spoiler.unknown
            ? hashInviteCode(generateInviteCode())
            : codeHash,
          userRef: 'user:default/mallory',
          now,
        });

        expect(result).toEqual({ status: 'invalid' });
        expect(await uses(invite.id)).toBe(usesBefore);
        expect(await members()).toEqual(membersBefore);
      },
    );

    it('rolls back the use when the user already is a member', async () => {
      const { store, memberships, now, createInvite, uses, members } =
        await setUp(databaseId);
      const { codeHash, invite } = await createInvite({
        role: 'admin',
        maxUses: 3,
      });
      await memberships.add({
        organization: 'acme',
        userRef: 'user:default/bob',
        role: 'viewer',
        by: ADMIN,
      });

      await expect(
        store.redeem({ codeHash, userRef: 'user:default/BOB', now }),
      ).resolves.toEqual({
        status: 'already-member',
        inviteId: invite.id,
        organization: 'acme',
      });
      expect(await uses(invite.id)).toBe(0);
      expect(await members()).toEqual([ADMIN, 'user:default/bob']);
      expect(await memberships.get('acme', 'user:default/bob')).toMatchObject({
        role: 'viewer',
      });
    });

    it('lets exactly max_uses of 50 concurrent redeemers in', async () => {
      const { store, now, createInvite, uses, members } = await setUp(
        databaseId,
      );
      const { codeHash, invite } = await createInvite({ maxUses: 5 });

      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.redeem({ codeHash, userRef: `user:default/racer-${i}`, now }),
        ),
      );

      expect(results.filter(r => r.status === 'redeemed')).toHaveLength(5);
      expect(results.filter(r => r.status === 'invalid')).toHaveLength(45);
      expect(await uses(invite.id)).toBe(5);
      const joined = (await members()).filter(m => m.includes('racer-'));
      expect(joined).toHaveLength(5);
    });
  });
});
