import { createTestDatabases } from '../__testUtils__/testDatabases';
import { MIGRATIONS_DIRECTORY } from './migrations';

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'run up and down cleanly on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const config = { directory: MIGRATIONS_DIRECTORY };

      await knex.migrate.latest(config);
      await knex('organizations').insert({
        name: 'acme',
        title: 'Acme',
        created_by: 'user:default/alice',
      });
      expect(await knex('organizations').select('name')).toEqual([
        { name: 'acme' },
      ]);

      await knex.migrate.rollback(config, true);
      expect(await knex.schema.hasTable('organizations')).toBe(false);

      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('organizations')).toBe(true);
      await knex.destroy();
    },
  );
});
