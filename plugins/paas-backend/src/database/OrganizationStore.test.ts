import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { FIRST_PAGE } from './keysetPagination';
import { applyDatabaseMigrations } from './migrations';
import { DatabaseOrganizationStore } from './OrganizationStore';

jest.setTimeout(60_000);

describe('DatabaseOrganizationStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    return { knex, store: new DatabaseOrganizationStore(db) };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates, lists and reads organizations', async () => {
      const { store } = await createStore(databaseId);
      const created = await store.create({
        name: 'acme-payments',
        title: 'Acme Payments',
        groupRef: 'group:default/payments',
        createdBy: 'user:default/alice',
      });
      expect(created).toEqual({
        name: 'acme-payments',
        title: 'Acme Payments',
        groupRef: 'group:default/payments',
        createdBy: 'user:default/alice',
        createdAt: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
        ),
      });
      expect(Math.abs(Date.parse(created.createdAt) - Date.now())).toBeLessThan(
        60_000,
      );

      await store.create({
        name: 'analytics',
        title: 'Analytics',
        createdBy: 'user:default/bob',
      });
      expect(
        (await store.list(undefined, FIRST_PAGE)).items.map(o => o.name),
      ).toEqual(['acme-payments', 'analytics']);
      expect(await store.get('analytics')).toMatchObject({
        title: 'Analytics',
      });
      expect(await store.get('nope')).toBeUndefined();
    });

    it('refuses a taken name or an adopted group with a conflict and writes nothing', async () => {
      const { store, knex } = await createStore(databaseId);
      await store.create({
        name: 'acme',
        title: 'Acme',
        groupRef: 'group:default/payments',
        createdBy: 'user:default/alice',
      });

      await expect(
        store.create({
          name: 'acme',
          title: 'Other',
          createdBy: 'user:default/bob',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: "Organization 'acme' already exists",
      });
      await expect(
        store.create({
          name: 'acme-two',
          title: 'Acme 2',
          groupRef: 'group:default/payments',
          createdBy: 'user:default/bob',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Group 'group:default/payments' is already adopted by organization 'acme'",
      });

      const rows = await knex('organizations').select('name', 'title');
      expect(rows).toEqual([{ name: 'acme', title: 'Acme' }]);
    });

    it('lets exactly one of many concurrent creates of one name win', async () => {
      const { store } = await createStore(databaseId);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.create({
            name: 'race',
            title: `Racer ${i}`,
            createdBy: 'user:default/x',
          }),
        ),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter(
          r => r.status === 'rejected' && r.reason.name === 'ConflictError',
        ),
      ).toHaveLength(19);
    });
  });
});
