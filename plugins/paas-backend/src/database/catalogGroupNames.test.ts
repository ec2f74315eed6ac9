import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseOrganizationStore } from './OrganizationStore';
import { DatabaseTeamStore } from './TeamStore';

jest.setTimeout(60_000);

describe('catalog group names of organizations and teams', () => {
  const databases = createTestDatabases();

  async function createStores(
    databaseId: Parameters<typeof databases.init>[0],
  ) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const organizations = new DatabaseOrganizationStore(db);
    const teams = new DatabaseTeamStore(db);
    const createdBy = 'user:default/ada';
    for (const [name, groupRef] of [
      ['a', undefined],
      ['a-b', undefined],
      ['x', 'group:default/Shared-Ops'],
    ] as const) {
      await organizations.create({ name, title: name, groupRef, createdBy });
    }
    await teams.create({
      organization: 'a-b',
      name: 'c',
      title: 'c',
      createdBy,
    });
    await teams.create({
      organization: 'x',
      name: 'y',
      title: 'y',
      groupRef: 'group:default/LEGACY',
      createdBy,
    });
    return { organizations, teams };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it("finds a team's <organization>-<team> in other organizations' and teams' names and adopted groups", async () => {
      const { teams } = await createStores(databaseId);

      expect(await teams.isGroupNameTaken('a', 'b-c')).toBe(true); // team c of a-b
      expect(await teams.isGroupNameTaken('a', 'b')).toBe(true); // organization a-b
      expect(await teams.isGroupNameTaken('shared', 'ops')).toBe(true); // adopted by x
      expect(await teams.isGroupNameTaken('legacy', 'x')).toBe(false);
      expect(await teams.isGroupNameTaken('a', 'd')).toBe(false);
      // A team is not in its own way.
      expect(await teams.isGroupNameTaken('a-b', 'c')).toBe(false);
    });

    it("finds an organization's name in teams' group names and adopted groups, but not itself", async () => {
      const { organizations } = await createStores(databaseId);

      expect(await organizations.isGroupNameTaken('a-b-c')).toBe(true);
      expect(await organizations.isGroupNameTaken('legacy')).toBe(true);
      expect(await organizations.isGroupNameTaken('shared-ops')).toBe(true);
      expect(await organizations.isGroupNameTaken('a-b')).toBe(false);
      expect(await organizations.isGroupNameTaken('b-c')).toBe(false);
    });

    it("tells Paasport's own group names, in any case, from groups it only adopts", async () => {
      const { organizations, teams } = await createStores(databaseId);

      for (const store of [organizations, teams]) {
        expect(await store.isPaasportGroupName('a-b-c')).toBe(true);
        expect(await store.isPaasportGroupName('A-B')).toBe(true);
        expect(await store.isPaasportGroupName('x-y')).toBe(true);
        expect(await store.isPaasportGroupName('shared-ops')).toBe(false);
        expect(await store.isPaasportGroupName('legacy')).toBe(false);
        expect(await store.isPaasportGroupName('b-c')).toBe(false);
      }
    });
  });
});
