import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseClusterAllocationStore } from './ClusterAllocationStore';
import { applyDatabaseMigrations } from './migrations';
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const ADMIN = 'user:default/alice';

/** Organizations, one cluster pair, and deployments in every state on them. */
async function seed(knex: Knex) {
  for (const name of ['acme', 'globex', 'initech']) {
    await knex('organizations').insert({
      name,
      title: name,
      created_by: ADMIN,
    });
  }
  await knex('memberships').insert([
    {
      organization: 'acme',
      user_ref: 'user:default/dana',
      role: 'viewer',
      created_by: ADMIN,
    },
    {
      organization: 'globex',
      user_ref: 'user:default/gil',
      role: 'admin',
      created_by: ADMIN,
    },
  ]);
  for (const name of ['eu-1', 'us-1']) {
    await knex('clusters').insert({
      name,
      title: name,
      cpu_millicores: 64000,
      memory_mib: 262144,
      gpus: 8,
      cpu_allocated: 0,
      memory_allocated: 0,
      gpus_allocated: 0,
      labels: '{}',
      state: 'ready',
      source: 'api',
      created_by: ADMIN,
    });
  }
  let n = 0;
  const deployment = async (
    organization: string,
    state: string,
    cluster: string | null,
    replicas: number,
    gpus = 0,
  ) =>
    knex('deployments').insert({
      id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      organization,
      team: 'web',
      name: `d${n}`,
      image: 'registry.example.com/app:1',
      replicas,
      cpu_millicores: 500,
      memory_mib: 256,
      gpus,
      priority_class: 'standard',
      priority: 100,
      state,
      cluster,
      queued_at: n,
      created_by: ADMIN,
    });
  await deployment('acme', 'running', 'eu-1', 2);
  await deployment('acme', 'admitted', 'eu-1', 1, 1);
  await deployment('acme', 'running', 'us-1', 1);
  await deployment('acme', 'queued', null, 5);
  await deployment('globex', 'running', 'eu-1', 4);
  await deployment('initech', 'stopped', null, 3);
}

describe('DatabaseClusterAllocationStore', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const db = await applyDatabaseMigrations(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      await seed(knex);
      return new DatabaseClusterAllocationStore(db);
    }

    it("sums each organization's admitted and running deployments per cluster", async () => {
      const store = await setUp();

      expect(await store.list({})).toEqual([
        {
          cluster: 'eu-1',
          organization: 'acme',
          cpuMillicores: 1500,
          memoryMib: 768,
          gpus: 1,
        },
        {
          cluster: 'eu-1',
          organization: 'globex',
          cpuMillicores: 2000,
          memoryMib: 1024,
          gpus: 0,
        },
        {
          cluster: 'us-1',
          organization: 'acme',
          cpuMillicores: 500,
          memoryMib: 256,
          gpus: 0,
        },
      ]);
      expect(await store.list({ clusters: ['us-1'] })).toEqual([
        expect.objectContaining({ cluster: 'us-1', organization: 'acme' }),
      ]);
      expect(await store.list({ clusters: [] })).toEqual([]);
    });

    it('keeps to the organizations permission criteria allow, in SQL', async () => {
      const store = await setUp();
      const criteria = {
        type: 'has-role' as const,
        claims: ['user:default/dana'],
        roles: ['admin' as const, 'developer' as const, 'viewer' as const],
      };

      expect(
        (await store.list({ criteria })).map(a => [a.cluster, a.organization]),
      ).toEqual([
        ['eu-1', 'acme'],
        ['us-1', 'acme'],
      ]);
      expect(
        await store.list({
          criteria: { ...criteria, claims: ['user:default/nobody'] },
        }),
      ).toEqual([]);
      expect(
        (
          await store.list({
            criteria: {
              anyOf: [criteria, { ...criteria, claims: ['user:default/gil'] }],
            },
          })
        ).map(a => a.organization),
      ).toEqual(['acme', 'globex', 'acme']);
    });
  });
});
