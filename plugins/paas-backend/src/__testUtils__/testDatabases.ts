import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every store test runs on: PostgreSQL 15 and SQLite.
 *
 * TestDatabases silently leaves PostgreSQL out when it has no connection string and no Docker,
 * so this refuses to run without one unless the developer opted out by name.
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['POSTGRES_15', 'SQLITE_3'];
  if (process.env.PAASPORT_TEST_SQLITE_ONLY === '1') {
    return TestDatabases.create({ ids: ['SQLITE_3'] });
  }
  if (!process.env[POSTGRES_ENV]) {
    throw new Error(
      `${POSTGRES_ENV} is not set, so the PostgreSQL half of the database tests cannot run. ` +
        'Run the tests through `npm test`, set it to a PostgreSQL 15 server ' +
        '(e.g. postgresql://postgres@127.0.0.1:5432), or set PAASPORT_TEST_SQLITE_ONLY=1.',
    );
  }
  const databases = TestDatabases.create({ ids });
  if (!databases.supports('POSTGRES_15')) {
    throw new Error(
      'PostgreSQL 15 is configured but TestDatabases does not offer it',
    );
  }
  return databases;
}
