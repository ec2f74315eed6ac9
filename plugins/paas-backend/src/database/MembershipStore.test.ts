import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
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
      expect(await memberships.listMembers('acme')).toEqual([
        expect.objectContaining({
          organization: 'acme',
          userRef: 'user:default/ada',
          role: 'admin',
          teams: [],
        }),
      ]);
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
        (await memberships.listMembers('acme')).map(m => m.userRef),
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
        const admins = (await memberships.listMembers('acme')).filter(
          m => m.role === 'admin',
        );
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
      expect(await teams.list('acme')).toHaveLength(1);
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
        (await organizations.list(criteria)).map(o => o.name);
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
