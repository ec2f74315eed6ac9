import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { FIRST_PAGE } from './keysetPagination';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseMembershipStore } from './MembershipStore';
import { DatabaseOrganizationStore } from './OrganizationStore';
import { DatabaseTeamStore } from './TeamStore';

jest.setTimeout(60_000);

describe('DatabaseMembershipStore and DatabaseTeamStore', () => {
  const databases = createTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const organizations = new DatabaseOrganizationStore(db);
    await organizations.create({
      name: 'acme',
      title: 'Acme',
      createdBy: 'user:default/Ada',
    });
    return {
      knex,
      organizations,
      memberships: new DatabaseMembershipStore(db),
      teams: new DatabaseTeamStore(db),
    };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('makes the creator the first admin, with a lower-cased ref', async () => {
      const { memberships } = await setup(databaseId);
      expect((await memberships.listMembers('acme', FIRST_PAGE)).items).toEqual(
        [
          expect.objectContaining({
            organization: 'acme',
            userRef: 'user:default/ada',
            role: 'admin',
            teams: [],
          }),
        ],
      );
    });

    it('adds members, changes roles and lists them with their teams', async () => {
      const { memberships, teams } = await setup(databaseId);
      await memberships.setRole({
        organization: 'acme',
        userRef: 'user:default/alan',
        role: 'developer',
        by: 'user:default/ada',
      });
      const changed = await memberships.setRole({
        organization: 'acme',
        userRef: 'user:default/Alan',
        role: 'viewer',
        by: 'user:default/ada',
      });
      expect(changed.previousRole).toBe('developer');
      expect(changed.membership.role).toBe('viewer');

      await teams.create({
        organization: 'acme',
        name: 'checkout',
        title: 'Checkout',
        createdBy: 'user:default/ada',
      });
      await memberships.addToTeam('acme', 'checkout', 'user:default/alan');
      await memberships.addToTeam('acme', 'checkout', 'user:default/alan');
      expect(await memberships.get('acme', 'user:default/alan')).toMatchObject({
        role: 'viewer',
        teams: ['checkout'],
      });
      expect(await memberships.listForUser(['USER:default/alan'])).toEqual([
        expect.objectContaining({ organization: 'acme', teams: ['checkout'] }),
      ]);
      await expect(
        memberships.addToTeam('acme', 'checkout', 'user:default/stranger'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('never leaves an organization without an admin', async () => {
      const { memberships } = await setup(databaseId);
      await expect(
        memberships.setRole({
          organization: 'acme',
          userRef: 'user:default/ada',
          role: 'developer',
          by: 'user:default/ada',
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(
        memberships.remove('acme', 'user:default/ada'),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await memberships.get('acme', 'user:default/ada')).toMatchObject({
        role: 'admin',
      });

      await memberships.setRole({
        organization: 'acme',
        userRef: 'user:default/grace',
        role: 'admin',
        by: 'user:default/ada',
      });
      await memberships.remove('acme', 'user:default/ada');
      expect(
        (await memberships.listMembers('acme', FIRST_PAGE)).items.map(
          m => m.userRef,
        ),
      ).toEqual(['user:default/grace']);
      await expect(
        memberships.remove('acme', 'user:default/ada'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('keeps one admin when the last two are demoted at the same time', async () => {
      const { memberships } = await setup(databaseId);
      const pair = ['user:default/ada', 'user:default/grace'];
      for (let round = 0; round < 20; round++) {
        for (const userRef of pair) {
          await memberships.setRole({
            organization: 'acme',
            userRef,
            role: 'admin',
            by: 'user:default/ada',
          });
        }
        const results = await Promise.allSettled(
          pair.map(userRef =>
            memberships.setRole({
              organization: 'acme',
              userRef,
              role: 'viewer',
              by: userRef,
            }),
          ),
        );
        expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
        const admins = (
          await memberships.listMembers('acme', FIRST_PAGE)
        ).items.filter(m => m.role === 'admin');
        expect(admins).toHaveLength(1);
      }
    });

    it('refuses a duplicate member or team with a conflict', async () => {
      const { memberships, teams } = await setup(databaseId);
      await expect(
        memberships.add({
          organization: 'acme',
          userRef: 'user:default/ADA',
          role: 'viewer',
          by: 'x',
        }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const team = {
        organization: 'acme',
        name: 'ledger',
        title: 'Ledger',
        createdBy: 'user:default/ada',
      };
      await teams.create(team);
      await expect(teams.create(team)).rejects.toMatchObject({
        name: 'ConflictError',
        message: "Team 'ledger' already exists in 'acme'",
      });
      expect((await teams.list('acme', FIRST_PAGE)).items).toHaveLength(1);
    });

    it('lists only the organizations whose membership matches permission criteria', async () => {
      const { organizations, memberships } = await setup(databaseId);
      await organizations.create({
        name: 'globex',
        title: 'Globex',
        createdBy: 'user:default/hank',
      });
      await memberships.setRole({
        organization: 'globex',
        userRef: 'user:default/alan',
        role: 'viewer',
        by: 'user:default/hank',
      });
      const hasRole = (claims: string[], roles: any[]) => ({
        type: 'has-role' as const,
        claims,
        roles,
      });

      const names = async (criteria: any) =>
        (await organizations.list(criteria, FIRST_PAGE)).items.map(o => o.name);
      expect(
        await names(
          hasRole(['user:default/alan'], ['admin', 'developer', 'viewer']),
        ),
      ).toEqual(['globex']);
      expect(await names(hasRole(['user:default/alan'], ['admin']))).toEqual(
        [],
      );
      expect(
        await names({
          anyOf: [
            hasRole(['user:default/ada'], ['admin']),
            hasRole(['user:default/alan'], ['viewer']),
          ],
        }),
      ).toEqual(['acme', 'globex']);
      expect(
        await names({ not: hasRole(['user:default/ada'], ['admin']) }),
      ).toEqual(['globex']);
      expect(
        await names({
          allOf: [
            hasRole(['user:default/hank'], ['admin']),
            hasRole(['user:default/alan'], ['viewer']),
          ],
        }),
      ).toEqual(['globex']);
      expect(
        await names(
          hasRole(["x' or '1'='1"], ['admin', 'developer', 'viewer']),
        ),
      ).toEqual([]);
    });

    it('pages organizations, teams and members in order, each exactly once, within permission criteria', async () => {
      const { organizations, memberships, teams } = await setup(databaseId);
      const visible = ['acme'];
      for (const name of ['b-corp', 'c-corp', 'd-corp', 'e-hidden']) {
        await organizations.create({
          name,
          title: name,
          createdBy: 'user:default/hank',
        });
        if (name !== 'e-hidden') {
          visible.push(name);
          await memberships.setRole({
            organization: name,
            userRef: 'user:default/ada',
            role: 'viewer',
            by: 'user:default/hank',
          });
        }
      }
      for (const name of ['t1', 't2', 't3']) {
        await teams.create({
          organization: 'acme',
          name,
          title: name,
          createdBy: 'user:default/ada',
        });
      }
      for (const user of ['bob', 'carl', 'dora']) {
        await memberships.setRole({
          organization: 'acme',
          userRef: `user:default/${user}`,
          role: 'viewer',
          by: 'user:default/ada',
        });
      }
      const hasRole = {
        type: 'has-role' as const,
        claims: ['user:default/ada'],
        roles: ['admin', 'viewer'],
      };

      async function everyPage<T>(
        list: (page: { limit: number; cursor?: string }) => Promise<{
          items: T[];
          nextCursor?: string;
        }>,
        limit: number,
      ): Promise<T[][]> {
        const pages: T[][] = [];
        let cursor: string | undefined;
        do {
          const page = await list({ limit, cursor });
          pages.push(page.items);
          cursor = page.nextCursor;
        } while (cursor && pages.length < 10);
        return pages;
      }

      const orgPages = await everyPage(
        page => organizations.list(hasRole as any, page),
        4,
      );
      expect(orgPages.map(p => p.map(o => o.name))).toEqual([
        ['acme', 'b-corp', 'c-corp', 'd-corp'],
      ]);
      expect(
        (await everyPage(page => organizations.list(hasRole as any, page), 2))
          .flat()
          .map(o => o.name),
      ).toEqual(visible);
      expect(
        (await everyPage(page => organizations.list(undefined, page), 2)).map(
          p => p.map(o => o.name),
        ),
      ).toEqual([['acme', 'b-corp'], ['c-corp', 'd-corp'], ['e-hidden']]);
      expect(
        (await everyPage(page => teams.list('acme', page), 2)).map(p =>
          p.map(t => t.name),
        ),
      ).toEqual([['t1', 't2'], ['t3']]);
      expect(
        (await everyPage(page => memberships.listMembers('acme', page), 3)).map(
          p => p.map(m => m.userRef),
        ),
      ).toEqual([
        ['user:default/ada', 'user:default/bob', 'user:default/carl'],
        ['user:default/dora'],
      ]);
    });

    it('refuses a cursor of another list or a tampered one with an InputError naming cursor', async () => {
      const { organizations, teams } = await setup(databaseId);
      for (const name of ['t1', 't2']) {
        await teams.create({
          organization: 'acme',
          name,
          title: name,
          createdBy: 'user:default/ada',
        });
      }
      const { nextCursor } = await teams.list('acme', { limit: 1 });
      expect(nextCursor).toEqual(expect.any(String));
      const encode = (value: unknown) =>
        Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of [
        nextCursor,
        'garbage',
        encode({ l: 'organizations', k: [1] }),
        encode({ l: 'organizations', k: ['a', 'b'] }),
        encode({ l: 'organizations', k: ['a\u0000'] }),
      ]) {
        await expect(
          organizations.list(undefined, { limit: 10, cursor }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^Invalid query: cursor: /),
        });
      }
    });

    it('loads organizations with their members for permission rules', async () => {
      const { organizations } = await setup(databaseId);
      const [acme, missing] = await organizations.getResources([
        'acme',
        'nope',
      ]);
      expect(missing).toBeUndefined();
      expect(acme).toMatchObject({
        name: 'acme',
        members: [{ userRef: 'user:default/ada', role: 'admin' }],
      });
    });
  });
});
