import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@paasport/plugin-paas-backend',
  'migrations',
);

/** Brings the plugin's schema up to date, unless the app turned migrations off. */
export async function applyDatabaseMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** For migration tests: the same directory the plugin migrates from. */
export const MIGRATIONS_DIRECTORY = migrationsDir;
