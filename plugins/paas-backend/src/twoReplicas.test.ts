import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { schedulingInconsistencies } from './__testUtils__/invariants';
import { createTestDatabases } from './__testUtils__/testDatabases';
import { paasPlugin } from './plugin';

jest.setTimeout(180_000);

const PLATFORM = 'user:default/platform';
const as = mockCredentials.user.header(PLATFORM);
const SUBMITS_PER_REPLICA = 60;

/** Two Paasport backends, each with its own connection pool, on one PostgreSQL database. */
describe('two backend replicas on one database', () => {
  const databases = createTestDatabases();
  const pools: Knex[] = [];

  afterAll(async () => {
    await Promise.all(pools.map(pool => pool.destroy()));
  });

  async function replica(connection: Knex.StaticConnectionConfig) {
    const knex = knexFactory({
      client: 'pg',
      connection,
      pool: { min: 0, max: 5 },
    });
    pools.push(knex);
    const { server } = await startTestBackend({
      features: [
        paasPlugin,
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        mockServices.rootConfig.factory({
          data: { paas: { scheduler: { frequency: { hours: 1 } } } },
        }),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
      ],
    });
    return server;
  }

  it('places every deployment once and never over-allocates under concurrent submits and deletes', async () => {
    const knex = await databases.init('POSTGRES_15');
    const connection = knex.client.config
      .connection as Knex.StaticConnectionConfig;
    const [a, b] = [await replica(connection), await replica(connection)];

    const setUp = async (
      method: 'post' | 'put',
      path: string,
      body: object,
    ) => {
      const res = await request(a)
        [method](`/api/paas${path}`)
        .set('Authorization', as)
        .send(body);
      expect([200, 201]).toContain(res.status);
    };
    await setUp('post', '/organizations', { name: 'acme', title: 'Acme' });
    await setUp('post', '/organizations/acme/teams', {
      name: 'web',
      title: 'Web',
    });
    await setUp('put', '/organizations/acme/quotas/cpu-millicores', {
      limit: 40_000,
    });
    await setUp('put', '/organizations/acme/quotas/memory-mib', {
      limit: 80_000,
    });
    for (const name of ['eu-1', 'eu-2']) {
      await setUp('post', '/clusters', {
        name,
        capacity: { cpuMillicores: 16_000, memoryMib: 32_000 },
        labels: { environment: 'dev' },
      });
    }

    const submit = (server: typeof a, name: string) =>
      request(server)
        .post('/api/paas/organizations/acme/deployments')
        .set('Authorization', as)
        .send({
          team: 'web',
          name,
          image: 'registry.example.com/acme/app:1',
          resources: { cpuMillicores: 1000, memoryMib: 1024 },
          placement: { environment: 'dev' },
        });
    // Both replicas take submits at once; each submit wakes that replica's scheduler.
    const submitted = await Promise.all(
      Array.from({ length: SUBMITS_PER_REPLICA }, (_, i) => [
        submit(a, `a-${i}`),
        submit(b, `b-${i}`),
      ]).flat(),
    );
    expect(submitted.map(res => res.status)).toEqual(submitted.map(() => 201));

    // Then every third is deleted through the other replica while both keep scheduling.
    const deleted = await Promise.all(
      submitted
        .filter((_, i) => i % 3 === 0)
        .map((res, i) =>
          request(i % 2 ? a : b)
            .delete(`/api/paas/deployments/${res.body.id}`)
            .set('Authorization', as),
        ),
    );
    expect(deleted.map(res => res.status)).toEqual(deleted.map(() => 204));

    // Settle: wait until neither replica changes anything for a while.
    let last = -1;
    for (let quiet = 0; quiet < 3; ) {
      await new Promise(resolve => setTimeout(resolve, 300));
      const [{ n }] = await knex('deployment_events').max({ n: 'id' });
      quiet = Number(n) === last ? quiet + 1 : 0;
      last = Number(n);
    }

    expect(await schedulingInconsistencies(knex)).toEqual([]);
    const rows = await knex('deployments').select('state');
    const placed = rows.filter(r => r.state === 'admitted').length;
    // 80 remain, each asking 1000m: the 32 cores of the two clusters hold 32; the rest queue.
    expect(rows).toHaveLength(80);
    expect(placed).toBe(32);
    const admissions = await knex('deployment_events')
      .where({ type: 'admitted' })
      .groupBy('deployment_id')
      .select('deployment_id')
      .count({ n: '*' });
    expect(admissions.filter(r => Number(r.n) > 1)).toEqual([]);
  });
});
