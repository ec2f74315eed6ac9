import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  MAX_CLUSTER_CAPACITY,
  paasClusterManagePermission,
  paasClusterReadPermission,
} from '@paasport/plugin-paas-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseClusterAllocationStore } from '../database/ClusterAllocationStore';
import { DatabaseClusterStore } from '../database/ClusterStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { createClusterService } from '../service/ClusterService';
import { OrganizationAccess } from '../service/OrganizationAccess';
import { createClustersRouter } from './clusters';

jest.setTimeout(30_000);

const PLATFORM = 'user:default/platform';
const DEVELOPER = 'user:default/dana';
/** Signed in, but under a policy that does not let them see clusters. */
const OUTSIDER = 'user:default/mallory';

/** What each caller may do, as a policy would decide it. */
const granted: Record<string, string[]> = {
  [PLATFORM]: [
    paasClusterReadPermission.name,
    paasClusterManagePermission.name,
  ],
  [DEVELOPER]: [paasClusterReadPermission.name],
  [OUTSIDER]: [],
};
const userOf = (ctx: { credentials: BackstageCredentials }) =>
  (ctx.credentials as BackstageCredentials<BackstageUserPrincipal>).principal
    .userEntityRef;

const as = (userRef: string) => mockCredentials.user.header(userRef);

/**
 * Basic permissions decide clusters; organization visibility decides whose allocations show:
 * the platform team sees every organization, others those they hold a role in.
 */
const access: OrganizationAccess = {
  async visibility(ctx) {
    const user = userOf(ctx);
    return user === PLATFORM
      ? { type: 'all' }
      : {
          type: 'filter',
          criteria: {
            type: 'has-role',
            claims: [user],
            roles: ['admin', 'developer', 'viewer'],
          },
        };
  },
  async require() {
    throw new Error('clusters are not per organization');
  },
  async requireBasic(permission, ctx, refusal) {
    if (!(granted[userOf(ctx)] ?? []).includes(permission.name)) {
      throw new NotAllowedError(refusal);
    }
  },
};

const EU_WEST_GPU = {
  name: 'eu-west-gpu',
  title: 'EU West GPU',
  capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
  gpuType: 'nvidia-a100',
  labels: { region: 'eu-west-1', environment: 'production' },
};

describe('createClustersRouter', () => {
  // The router does not care which database is behind it; the store tests run on both.
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let store: DatabaseClusterStore;
  let app: express.Express;
  let auditEvents: Array<{ eventId: string; meta: unknown; outcome: string }>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    store = new DatabaseClusterStore(db);
    auditEvents = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }) => ({
        success: async () =>
          void auditEvents.push({ eventId, meta, outcome: 'success' }),
        fail: async () =>
          void auditEvents.push({ eventId, meta, outcome: 'failure' }),
      }),
    });
    const clusters = createClusterService({
      clusters: store,
      allocations: new DatabaseClusterAllocationStore(db),
      access,
      auditor,
    });

    app = express();
    app.use(express.json());
    app.use(
      createClustersRouter({ httpAuth: mockServices.httpAuth(), clusters }),
    );
    app.use(mockErrorHandler());

    await store.register({
      name: 'us-east-old',
      title: 'US East (old)',
      capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 0 },
      labels: { region: 'us-east-1' },
      state: 'ready',
      source: 'catalog',
      createdBy: PLATFORM,
    });
  });

  async function state() {
    return knex('clusters').orderBy('name');
  }

  describe('POST /clusters', () => {
    it('registers a cluster (201) and audits it', async () => {
      const res = await request(app)
        .post('/clusters')
        .set('Authorization', as(PLATFORM))
        .send(EU_WEST_GPU);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        name: 'eu-west-gpu',
        title: 'EU West GPU',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        allocated: { cpuMillicores: 0, memoryMib: 0, gpus: 0 },
        free: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        utilization: { cpuMillicores: 0, memoryMib: 0, gpus: 0 },
        gpuType: 'nvidia-a100',
        labels: { region: 'eu-west-1', environment: 'production' },
        state: 'ready',
        source: 'api',
        createdBy: PLATFORM,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(auditEvents).toEqual([
        {
          eventId: 'cluster-register',
          outcome: 'success',
          meta: {
            cluster: 'eu-west-gpu',
            capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
            gpuType: 'nvidia-a100',
            labels: { region: 'eu-west-1', environment: 'production' },
            state: 'ready',
          },
        },
      ]);
    });

    it('titles a cluster by its name and counts no GPUs unless told', async () => {
      const res = await request(app)
        .post('/clusters')
        .set('Authorization', as(PLATFORM))
        .send({
          name: 'eu-central',
          capacity: { cpuMillicores: 1000, memoryMib: 1024 },
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        title: 'eu-central',
        capacity: { gpus: 0 },
        utilization: { gpus: null },
        labels: {},
      });
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), 401],
      ['a caller outside the platform team', as(DEVELOPER), 403],
    ])('refuses %s and changes nothing', async (_what, header, status) => {
      const before = await state();
      const res = await request(app)
        .post('/clusters')
        .set('Authorization', header)
        .send(EU_WEST_GPU);
      expect(res.status).toBe(status);
      expect(await state()).toEqual(before);
    });

    it('answers 409 to a taken name', async () => {
      const res = await request(app)
        .post('/clusters')
        .set('Authorization', as(PLATFORM))
        .send({ ...EU_WEST_GPU, name: 'us-east-old' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        "A cluster named 'us-east-old' already exists",
      );
      expect(auditEvents.map(e => e.outcome)).toEqual(['failure']);
    });
  });

  describe('GET /clusters', () => {
    it('lists clusters with capacity, allocation, free and utilization', async () => {
      await store.allocate(undefined, 'us-east-old', {
        cpuMillicores: 8000,
        memoryMib: 65536,
        gpus: 0,
      });
      const res = await request(app)
        .get('/clusters')
        .set('Authorization', as(DEVELOPER));
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          name: 'us-east-old',
          capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 0 },
          allocated: { cpuMillicores: 8000, memoryMib: 65536, gpus: 0 },
          free: { cpuMillicores: 24000, memoryMib: 65536, gpus: 0 },
          utilization: { cpuMillicores: 0.25, memoryMib: 0.5, gpus: null },
          source: 'catalog',
        }),
      ]);
    });

    it('answers 401 to an unauthenticated caller', async () => {
      const res = await request(app)
        .get('/clusters')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  });

  describe('GET /clusters/:name', () => {
    it('answers 200 with the cluster', async () => {
      const res = await request(app)
        .get('/clusters/us-east-old')
        .set('Authorization', as(DEVELOPER));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'us-east-old', state: 'ready' });
    });

    it.each([
      ['an unknown cluster', as(DEVELOPER), 'ghost', 404],
      ['a name that is no DNS label', as(DEVELOPER), 'US_EAST', 400],
      [
        'an unauthenticated caller',
        mockCredentials.none.header(),
        'us-east-old',
        401,
      ],
    ])('refuses %s', async (_what, header, name, status) => {
      const res = await request(app)
        .get(`/clusters/${name}`)
        .set('Authorization', header);
      expect(res.status).toBe(status);
    });
  });

  describe('who sees what is allocated', () => {
    beforeEach(async () => {
      for (const name of ['acme', 'globex']) {
        await knex('organizations').insert({
          name,
          title: name,
          created_by: PLATFORM,
        });
      }
      await knex('memberships').insert({
        organization: 'acme',
        user_ref: DEVELOPER,
        role: 'developer',
        created_by: PLATFORM,
      });
      let n = 0;
      for (const [organization, replicas] of [
        ['acme', 2],
        ['globex', 6],
      ] as const) {
        n++;
        await knex('deployments').insert({
          id: `00000000-0000-4000-8000-00000000000${n}`,
          organization,
          team: 'web',
          name: 'api',
          image: 'registry.example.com/api:1',
          replicas,
          cpu_millicores: 1000,
          memory_mib: 1024,
          gpus: 0,
          priority_class: 'standard',
          priority: 100,
          state: 'running',
          cluster: 'us-east-old',
          queued_at: n,
          created_by: PLATFORM,
        });
        await store.allocate(undefined, 'us-east-old', {
          cpuMillicores: replicas * 1000,
          memoryMib: replicas * 1024,
          gpus: 0,
        });
      }
    });

    const acme = {
      organization: 'acme',
      cpuMillicores: 2000,
      memoryMib: 2048,
      gpus: 0,
    };
    const globex = {
      organization: 'globex',
      cpuMillicores: 6000,
      memoryMib: 6144,
      gpus: 0,
    };

    it("shows a member the totals and only their own organizations' allocations", async () => {
      const list = await request(app)
        .get('/clusters')
        .set('Authorization', as(DEVELOPER));
      const one = await request(app)
        .get('/clusters/us-east-old')
        .set('Authorization', as(DEVELOPER));

      for (const cluster of [list.body.items[0], one.body]) {
        expect(cluster).toMatchObject({
          name: 'us-east-old',
          allocated: { cpuMillicores: 8000, memoryMib: 8192, gpus: 0 },
          allocations: [acme],
        });
      }
      expect(JSON.stringify([list.body, one.body])).not.toContain('globex');
    });

    it('shows the platform team every organization', async () => {
      const res = await request(app)
        .get('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM));
      expect(res.body.allocations).toEqual([acme, globex]);
    });

    it('refuses a caller without paas.cluster.read (403)', async () => {
      for (const path of ['/clusters', '/clusters/us-east-old']) {
        const res = await request(app)
          .get(path)
          .set('Authorization', as(OUTSIDER));
        expect(res.status).toBe(403);
      }
    });
  });

  describe('PATCH /clusters/:name', () => {
    it('cordons a cluster and audits it', async () => {
      const res = await request(app)
        .patch('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM))
        .send({ state: 'cordoned' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'us-east-old',
        state: 'cordoned',
      });
      expect(auditEvents).toEqual([
        {
          eventId: 'cluster-update',
          outcome: 'success',
          meta: { cluster: 'us-east-old', state: 'cordoned' },
        },
      ]);
    });

    it('changes capacity, labels and GPU type', async () => {
      const res = await request(app)
        .patch('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM))
        .send({
          capacity: { gpus: 4 },
          gpuType: 'nvidia-l4',
          labels: { region: 'us-east-2', environment: 'staging' },
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 4 },
        gpuType: 'nvidia-l4',
        labels: { region: 'us-east-2', environment: 'staging' },
      });
    });

    it('answers 409 naming the dimension when capacity would drop below what is allocated', async () => {
      await store.allocate(undefined, 'us-east-old', {
        cpuMillicores: 8000,
        memoryMib: 1024,
        gpus: 0,
      });
      const before = await state();
      const res = await request(app)
        .patch('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM))
        .send({ capacity: { cpuMillicores: 4000 } });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        "Cannot lower the capacity of 'us-east-old' below what is allocated: cpuMillicores to 4000: 8000 is allocated",
      );
      expect(await state()).toEqual(before);
      expect(auditEvents.map(e => [e.eventId, e.outcome])).toEqual([
        ['cluster-update', 'failure'],
      ]);
    });

    it.each([
      [
        'an unauthenticated caller',
        mockCredentials.none.header(),
        'us-east-old',
        401,
      ],
      ['a caller outside the platform team', as(DEVELOPER), 'us-east-old', 403],
      ['an unknown cluster', as(PLATFORM), 'ghost', 404],
    ])('refuses %s', async (_what, header, name, status) => {
      const before = await state();
      const res = await request(app)
        .patch(`/clusters/${name}`)
        .set('Authorization', header)
        .send({ state: 'draining' });
      expect(res.status).toBe(status);
      expect(await state()).toEqual(before);
    });
  });

  describe('DELETE /clusters/:name', () => {
    it('removes an empty cluster (204) and audits it', async () => {
      const res = await request(app)
        .delete('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM));
      expect(res.status).toBe(204);
      expect(await state()).toEqual([]);
      expect(auditEvents).toEqual([
        {
          eventId: 'cluster-remove',
          outcome: 'success',
          meta: { cluster: 'us-east-old' },
        },
      ]);
    });

    it('answers 409 while anything is allocated', async () => {
      await store.allocate(undefined, 'us-east-old', {
        cpuMillicores: 500,
        memoryMib: 0,
        gpus: 0,
      });
      const res = await request(app)
        .delete('/clusters/us-east-old')
        .set('Authorization', as(PLATFORM));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('500 CPU millicores');
      expect(await state()).toHaveLength(1);
    });

    it.each([
      [
        'an unauthenticated caller',
        mockCredentials.none.header(),
        'us-east-old',
        401,
      ],
      ['a caller outside the platform team', as(DEVELOPER), 'us-east-old', 403],
      ['an unknown cluster', as(PLATFORM), 'ghost', 404],
      ['a name that is no DNS label', as(PLATFORM), 'x%27%3B%20drop', 400],
    ])('refuses %s', async (_what, header, name, status) => {
      const res = await request(app)
        .delete(`/clusters/${name}`)
        .set('Authorization', header);
      expect(res.status).toBe(status);
      expect(await state()).toHaveLength(1);
    });
  });

  describe('bad input', () => {
    const register = (change: Record<string, unknown>) => ({
      ...EU_WEST_GPU,
      ...change,
    });
    const capacity = (change: Record<string, unknown>) => ({
      capacity: { ...EU_WEST_GPU.capacity, ...change },
    });

    it.each([
      [
        'a negative CPU',
        register(capacity({ cpuMillicores: -1 })),
        'cpuMillicores',
      ],
      [
        'a capacity above the maximum',
        register(capacity({ memoryMib: MAX_CLUSTER_CAPACITY + 1 })),
        'memoryMib',
      ],
      ['a huge GPU count', register(capacity({ gpus: 1e300 })), 'gpus'],
      ['a fractional GPU count', register(capacity({ gpus: 0.5 })), 'gpus'],
      [
        'CPU as a string',
        register(capacity({ cpuMillicores: '96000' })),
        'cpuMillicores',
      ],
      ['a missing capacity', { name: 'eu-west-gpu' }, 'capacity'],
      ['an unknown capacity field', register(capacity({ tpus: 4 })), 'tpus'],
      ['an unknown field', register({ owner: 'me' }), 'owner'],
      [
        'an allocated amount',
        register({ allocated: { gpus: 0 } }),
        'allocated',
      ],
      ['a name that is no DNS label', register({ name: 'EU_West' }), 'name'],
      [
        'an injection string as the name',
        register({ name: "x'; drop table clusters; --" }),
        'name',
      ],
      [
        'an upper-case GPU type',
        register({ gpuType: 'NVIDIA-A100' }),
        'gpuType',
      ],
      ['a bad state', register({ state: 'offline' }), 'state'],
      ['labels that are not an object', register({ labels: ['eu'] }), 'labels'],
      [
        'a label value that is not text',
        register({ labels: { region: 1 } }),
        'labels',
      ],
      [
        'an injection string as a label',
        register({ labels: { region: "'; drop table clusters; --" } }),
        'labels',
      ],
      ['an oversized title', register({ title: 'x'.repeat(256) }), 'title'],
      ['an array body', [EU_WEST_GPU], 'request body'],
      [
        'a prototype key',
        `{"name":"eu-west-gpu","capacity":{"cpuMillicores":1,"memoryMib":1},"__proto__":{"admin":true}}`,
        '__proto__',
      ],
    ])(
      'POST answers 400 to %s, naming the field, and changes nothing',
      async (_what, body, field) => {
        const before = await state();
        const res = await request(app)
          .post('/clusters')
          .set('Authorization', as(PLATFORM))
          .set('Content-Type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await state()).toEqual(before);
        expect(auditEvents).toEqual([]);
      },
    );

    it.each([
      ['a bad state', { state: 'offline' }, 'state'],
      ['a state that is not text', { state: 1 }, 'state'],
      ['a negative capacity', { capacity: { gpus: -1 } }, 'gpus'],
      [
        'a huge capacity',
        { capacity: { cpuMillicores: 1e300 } },
        'cpuMillicores',
      ],
      ['a capacity as a string', { capacity: { memoryMib: '1' } }, 'memoryMib'],
      ['an unknown capacity field', { capacity: { tpus: 1 } }, 'tpus'],
      ['an allocated amount', { allocated: { gpus: 0 } }, 'allocated'],
      ['a changed name', { name: 'other' }, 'name'],
      ['a changed source', { source: 'api' }, 'source'],
      ['an empty change', {}, 'at least one field'],
      [
        'an injection string as the state',
        { state: "ready'; drop table clusters; --" },
        'state',
      ],
    ])(
      'PATCH answers 400 to %s, naming the field, and changes nothing',
      async (_what, body, field) => {
        const before = await state();
        const res = await request(app)
          .patch('/clusters/us-east-old')
          .set('Authorization', as(PLATFORM))
          .send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await state()).toEqual(before);
        expect(auditEvents).toEqual([]);
      },
    );
  });
});
