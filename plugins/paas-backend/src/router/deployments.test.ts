import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_CAPACITY_RATES,
  paasApprovalDecidePermission,
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { FIRST_PAGE } from '../database/keysetPagination';
import {
  createFakeAccess,
  createFakeDeploymentAccess,
  Grants,
} from '../__testUtils__/fakeAccess';
import { schedulingInconsistencies } from '../__testUtils__/invariants';
import { createSchedulingFixture } from '../__testUtils__/schedulingFixture';
import { DatabaseApprovalStore } from '../database/ApprovalStore';
import {
  ApprovalService,
  createApprovalService,
} from '../service/ApprovalService';
import { createDeploymentService } from '../service/DeploymentService';
import { createHealthService } from '../service/HealthService';
import { createDeploymentsRouter } from './deployments';
import { createRouter } from './index';

jest.setTimeout(30_000);

const ORG = 'acme';
const OTHER_ORG = 'globex';
const ADMIN = 'user:default/alice';
const DEVELOPER = 'user:default/dana';
const OTHER_DEVELOPER = 'user:default/dmitri';
const VIEWER = 'user:default/victor';
const OUTSIDER = 'user:default/mallory';
const NOW = new Date('2026-11-22T12:00:00.000Z');

const read = paasOrganizationReadPermission.name;
const deploy = paasDeploymentCreatePermission.name;
const grants: Grants = {
  [ADMIN]: {
    [ORG]: [
      read,
      deploy,
      paasDeploymentDeletePermission.name,
      paasApprovalDecidePermission.name,
    ],
  },
  [DEVELOPER]: { [ORG]: [read, deploy] },
  [OTHER_DEVELOPER]: { [ORG]: [read, deploy] },
  [VIEWER]: { [ORG]: [read] },
  [OUTSIDER]: { [OTHER_ORG]: [read, deploy] },
};

const as = (userRef: string) => mockCredentials.user.header(userRef);

const API = {
  team: 'web',
  name: 'api',
  image: 'registry.example.com/acme/api:1.4.2',
  replicas: 2,
  resources: { cpuMillicores: 500, memoryMib: 1024 },
  placement: { environment: 'dev' },
};

describe('createDeploymentsRouter', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let app: express.Express;
  let fixture: Awaited<ReturnType<typeof createSchedulingFixture>>;
  let approvals: ApprovalService;
  let auditEvents: Array<{ eventId: string; outcome: string; meta: unknown }>;
  let now: Date;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    now = NOW;
    fixture = await createSchedulingFixture(knex, { now: () => now });
    await fixture.organization(ORG, { cpu: 8000, memory: 16384 });
    await fixture.organization(OTHER_ORG, { cpu: 8000, memory: 16384 });
    await fixture.cluster(
      'eu-1',
      { cpuMillicores: 4000, memoryMib: 8192 },
      { labels: { environment: 'prod' } },
    );
    await fixture.cluster(
      'dev-1',
      { cpuMillicores: 4000, memoryMib: 8192 },
      { labels: { environment: 'dev' } },
    );

    auditEvents = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }) => ({
        success: async () =>
          void auditEvents.push({ eventId, meta, outcome: 'success' }),
        fail: async () =>
          void auditEvents.push({ eventId, meta, outcome: 'failure' }),
      }),
    });
    const access = createFakeAccess(grants, [ORG, OTHER_ORG]);
    approvals = createApprovalService({
      store: new DatabaseApprovalStore(fixture.db),
      quotas: fixture.quotas,
      access,
      auditor,
      notifications: { send: jest.fn().mockResolvedValue(undefined) },
      logger: mockServices.logger.mock(),
      clock: () => NOW,
    });
    const deployments = createDeploymentService({
      deployments: fixture.deployments,
      teams: fixture.teams,
      clusters: fixture.clusters,
      quotas: fixture.quotas,
      access,
      deploymentAccess: createFakeDeploymentAccess(grants),
      auditor,
      approvals,
      scheduler: fixture.scheduler,
      policy: fixture.policy,
      approvalRules: [
        {
          name: 'production deployments',
          action: 'deployment.create',
          approver: 'admin',
          placement: { environment: 'prod' },
        },
      ],
      rates: DEFAULT_CAPACITY_RATES,
      clock: () => now,
    });

    app = express();
    app.use(
      await createRouter({
        health: {
          check: async () => ({ status: 'ok' }),
        } as unknown as ReturnType<typeof createHealthService>,
        routers: [
          createDeploymentsRouter({
            httpAuth: mockServices.httpAuth(),
            deployments,
          }),
        ],
      }),
    );
    app.use(mockErrorHandler());
  });

  async function rows() {
    return knex('deployments').orderBy('name');
  }

  async function submit(body: object, who = DEVELOPER, organization = ORG) {
    return request(app)
      .post(`/organizations/${organization}/deployments`)
      .set('Authorization', as(who))
      .send(body);
  }

  describe('paging', () => {
    it('pages the deployments and their events, with nextCursor on every page but the last', async () => {
      for (const name of ['c', 'a', 'b']) {
        expect((await submit({ ...API, name })).status).toBe(201);
      }
      const list = async (query: Record<string, unknown>) =>
        request(app)
          .get(`/organizations/${ORG}/deployments`)
          .query(query)
          .set('Authorization', as(VIEWER));
      const first = await list({ limit: 2 });
      expect(first.status).toBe(200);
      expect(first.body.items.map((d: { name: string }) => d.name)).toEqual([
        'a',
        'b',
      ]);
      expect(first.body.pageInfo.nextCursor).toEqual(expect.any(String));
      const last = await list({
        limit: 2,
        cursor: first.body.pageInfo.nextCursor,
      });
      expect(last.body.items.map((d: { name: string }) => d.name)).toEqual([
        'c',
      ]);
      expect(last.body.pageInfo).toEqual({});

      const id = first.body.items[0].id;
      const events = await request(app)
        .get(`/deployments/${id}/events?limit=1`)
        .set('Authorization', as(VIEWER));
      expect(events.status).toBe(200);
      expect(events.body.items).toHaveLength(1);
      expect(events.body.pageInfo.nextCursor).toEqual(expect.any(String));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
    ])(
      'answers 400 to ?%s naming %s, and changes nothing',
      async (query, field) => {
        const { body } = await submit(API);
        const before = await rows();
        for (const path of [
          `/organizations/${ORG}/deployments?state=queued&${query}`,
          `/deployments/${body.id}/events?${query}`,
        ]) {
          const res = await request(app)
            .get(path)
            .set('Authorization', as(VIEWER));
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            new RegExp(`^Invalid query: ${field}: `),
          );
        }
        expect(await rows()).toEqual(before);
      },
    );
  });

  describe('POST /organizations/:org/deployments', () => {
    it('queues a deployment (201), audits it and the scheduler admits it', async () => {
      const res = await submit(API);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        organization: ORG,
        team: 'web',
        name: 'api',
        replicas: 2,
        resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
        priorityClass: 'normal',
        priority: 100,
        state: 'queued',
        createdBy: DEVELOPER,
      });
      expect(auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'deployment-submit',
          outcome: 'success',
        }),
      ]);

      await fixture.scheduler.trigger();
      const got = await request(app)
        .get(`/deployments/${res.body.id}`)
        .set('Authorization', as(VIEWER));
      expect(got.body).toMatchObject({ state: 'admitted', cluster: 'dev-1' });
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('keeps the opt-out of a read-only root filesystem that a request asks for', async () => {
      const plain = await submit(API);
      const writable = await submit({
        ...API,
        name: 'legacy',
        writableRootFilesystem: true,
      });

      expect(plain.status).toBe(201);
      expect(plain.body).not.toHaveProperty('writableRootFilesystem');
      expect(writable.status).toBe(201);
      expect(writable.body).toMatchObject({ writableRootFilesystem: true });
      expect(
        (await rows()).map(r => [r.name, Boolean(r.writable_root_filesystem)]),
      ).toEqual([
        ['api', false],
        ['legacy', true],
      ]);
    });

    it('shows queued deployments their position, estimated wait and what they wait for', async () => {
      await submit({ ...API, name: 'fills', replicas: 8 });
      await fixture.scheduler.trigger();
      const first = await submit({ ...API, name: 'first', replicas: 8 });
      now = new Date(NOW.getTime() + 1000);
      const second = await submit({ ...API, name: 'second', replicas: 8 });
      await fixture.scheduler.trigger();

      const res = await request(app)
        .get(`/organizations/${ORG}/deployments`)
        .query({ state: 'queued' })
        .set('Authorization', as(VIEWER));

      expect(res.status).toBe(200);
      const waitingFor =
        'Waiting for 4 cores and 8 GiB free on a cluster labelled environment=dev (largest free: 0 cores and 0 GiB)';
      // One admission in the last hour is too few to estimate a wait from.
      expect(res.body.items).toEqual([
        expect.objectContaining({
          id: first.body.id,
          queue: { position: 1, length: 2, waitingFor },
        }),
        expect.objectContaining({
          id: second.body.id,
          queue: { position: 2, length: 2, waitingFor },
        }),
      ]);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), ORG, 401],
      ['a viewer', as(VIEWER), ORG, 403],
      ['an outsider', as(OUTSIDER), ORG, 404],
      ['an unknown organization', as(DEVELOPER), 'initech', 404],
    ])(
      'refuses %s and changes nothing',
      async (_what, header, organization, status) => {
        const res = await request(app)
          .post(`/organizations/${organization}/deployments`)
          .set('Authorization', header)
          .send(API);
        expect(res.status).toBe(status);
        expect(await rows()).toEqual([]);
      },
    );

    it.each<[string, object, string]>([
      ['no replicas', { ...API, replicas: 0 }, 'replicas'],
      [
        'negative CPU',
        { ...API, resources: { cpuMillicores: -1, memoryMib: 1 } },
        'resources.cpuMillicores',
      ],
      [
        'huge memory',
        { ...API, resources: { cpuMillicores: 1, memoryMib: 1e12 } },
        'resources.memoryMib',
      ],
      [
        'totals past what a column holds',
        {
          ...API,
          replicas: 1000,
          resources: { cpuMillicores: 1, memoryMib: 4_000_000 },
        },
        'replicas',
      ],
      ['a string for a number', { ...API, replicas: '2' }, 'replicas'],
      ['an unknown field', { ...API, privileged: true }, 'privileged'],
      [
        'an injected name',
        { ...API, name: "api'; drop table deployments;--" },
        'name',
      ],
      ['an image with spaces', { ...API, image: 'nginx; rm -rf /' }, 'image'],
      ['a GPU type without GPUs', { ...API, gpuType: 'nvidia-l4' }, 'gpuType'],
      [
        'a placement label with a bad key',
        { ...API, placement: { 'Bad Key': 'x' } },
        'placement',
      ],
      ['a missing team', { ...API, team: undefined }, 'team'],
      ['an unknown team', { ...API, team: 'nope' }, 'team'],
      [
        'an unknown priority class',
        { ...API, priorityClass: 'urgent' },
        'priorityClass',
      ],
    ])(
      'answers 400 naming the field for %s, changing nothing',
      async (_what, body, field) => {
        const res = await submit(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        expect(await rows()).toEqual([]);
      },
    );

    it('answers 413 to an oversized body', async () => {
      const res = await submit({ ...API, reason: 'x'.repeat(70_000) });
      expect(res.status).toBe(413);
      expect(await rows()).toEqual([]);
    });

    it('answers 409 to a taken name and to what could never run', async () => {
      expect((await submit(API)).status).toBe(201);

      const taken = await submit(API);
      expect(taken.status).toBe(409);
      expect(taken.body.error.message).toBe(
        "Team web of acme already has a deployment named 'api'",
      );

      const nowhere = await submit({
        ...API,
        name: 'gpu',
        placement: { environment: 'staging' },
      });
      expect(nowhere.status).toBe(409);
      expect(nowhere.body.error.message).toContain(
        'No cluster could ever hold this deployment',
      );

      const overQuota = await submit({
        ...API,
        name: 'big',
        replicas: 3,
        resources: { cpuMillicores: 3000, memoryMib: 1024 },
      });
      expect(overQuota.status).toBe(409);
      expect(overQuota.body.error.message).toContain(
        'No cluster could ever hold',
      );

      await fixture.cluster(
        'huge',
        { cpuMillicores: 64_000, memoryMib: 65_536 },
        { labels: { environment: 'dev' } },
      );
      const overQuotaNow = await submit({
        ...API,
        name: 'big',
        replicas: 3,
        resources: { cpuMillicores: 3000, memoryMib: 1024 },
      });
      expect(overQuotaNow.status).toBe(409);
      expect(overQuotaNow.body.error.message).toBe(
        'The quota of team web in acme could never admit this deployment: cpu-millicores quota: 9000 needed, 8000 in total',
      );
      expect((await rows()).map(r => r.name)).toEqual(['api']);
    });
  });

  describe('placement', () => {
    it('refuses a deployment that leaves out its environment, and writes nothing', async () => {
      const { placement: _dev, ...anywhere } = API;
      const noEnvironment = await submit(anywhere);
      expect(noEnvironment.status).toBe(400);
      expect(noEnvironment.body.error.message).toBe(
        "Invalid deployment: placement.environment: required; a deployment runs in its team's namespace of one environment",
      );
      expect(await knex('deployments').count({ n: '*' })).toEqual([{ n: 0 }]);
    });
  });

  describe('GET /priority-classes', () => {
    it('lists the configured classes, highest first, to any signed-in caller', async () => {
      const res = await request(app)
        .get('/priority-classes')
        .set('Authorization', as(OUTSIDER));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        default: 'normal',
        items: [
          { name: 'high', priority: 200 },
          { name: 'normal', priority: 100 },
          { name: 'low', priority: 50 },
        ],
      });
      const anonymous = await request(app)
        .get('/priority-classes')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });
  });

  describe('approvals from policy', () => {
    it('holds a production deployment until an admin approves it, then schedules it', async () => {
      const res = await submit({
        ...API,
        placement: { environment: 'prod' },
        reason: 'Launch',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        state: 'pending-approval',
        approvalId: expect.any(String),
      });
      const [approval] = (
        await approvals.listForOrganization(
          ORG,
          {},
          {
            credentials: mockCredentials.user(ADMIN),
          },
          FIRST_PAGE,
        )
      ).items;
      expect(approval).toMatchObject({
        id: res.body.approvalId,
        subjectType: 'deployment',
        requiredApprover: 'admin',
        reason: expect.stringContaining(
          "Launch (Policy 'production deployments' asks an organization admin",
        ),
      });

      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('pending-approval');

      await approvals.decide(
        res.body.approvalId,
        { decision: 'approve' },
        {
          credentials: mockCredentials.user(ADMIN),
        },
      );
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('admitted@eu-1');
      const events = await request(app)
        .get(`/deployments/${res.body.id}/events`)
        .set('Authorization', as(VIEWER));
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
        'approval-requested',
        'approved',
        'admitted',
      ]);
    });

    it('fails a denied deployment with the reason, holding nothing', async () => {
      const res = await submit({ ...API, placement: { environment: 'prod' } });
      await approvals.decide(
        res.body.approvalId,
        { decision: 'deny', reason: 'Not before the freeze ends' },
        { credentials: mockCredentials.user(ADMIN) },
      );
      expect(await fixture.deployments.get(res.body.id)).toMatchObject({
        state: 'failed',
        reason: `Denied by ${ADMIN}: Not before the freeze ends`,
      });
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });
  });

  describe('starting again under approval rules', () => {
    async function typesOf(id: string) {
      const res = await request(app)
        .get(`/deployments/${id}/events`)
        .set('Authorization', as(VIEWER));
      return res.body.items.map((e: { type: string }) => e.type);
    }

    it('asks again when a denied production deployment is started, and never queues it unapproved', async () => {
      const res = await submit({ ...API, placement: { environment: 'prod' } });
      const first = res.body.approvalId as string;
      await approvals.decide(
        first,
        { decision: 'deny', reason: 'Not before the freeze ends' },
        { credentials: mockCredentials.user(ADMIN) },
      );

      const started = await request(app)
        .post(`/deployments/${res.body.id}/start`)
        .set('Authorization', as(DEVELOPER));
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({
        state: 'pending-approval',
        approvalId: expect.any(String),
      });
      expect(started.body.approvalId).not.toBe(first);
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('pending-approval');

      const pending = (
        await approvals.listForOrganization(
          ORG,
          { state: 'pending' },
          { credentials: mockCredentials.user(ADMIN) },
          FIRST_PAGE,
        )
      ).items;
      expect(pending).toEqual([
        expect.objectContaining({
          id: started.body.approvalId,
          subjectType: 'deployment',
          subject: expect.objectContaining({ deploymentId: res.body.id }),
          requestedBy: DEVELOPER,
          requiredApprover: 'admin',
        }),
      ]);
      expect(await typesOf(res.body.id)).toEqual([
        'approval-requested',
        'denied',
        'approval-requested',
      ]);

      await approvals.decide(
        started.body.approvalId,
        { decision: 'approve' },
        { credentials: mockCredentials.user(ADMIN) },
      );
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('admitted@eu-1');
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });

    it('asks again when a stopped production deployment is started', async () => {
      const res = await submit({ ...API, placement: { environment: 'prod' } });
      await approvals.decide(
        res.body.approvalId,
        { decision: 'approve' },
        { credentials: mockCredentials.user(ADMIN) },
      );
      await fixture.scheduler.trigger();
      await request(app)
        .post(`/deployments/${res.body.id}/stop`)
        .set('Authorization', as(DEVELOPER))
        .expect(200);

      const started = await request(app)
        .post(`/deployments/${res.body.id}/start`)
        .set('Authorization', as(DEVELOPER));
      expect(started.status).toBe(200);
      expect(started.body.state).toBe('pending-approval');
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('pending-approval');
      expect((await typesOf(res.body.id)).slice(-2)).toEqual([
        'stopped',
        'approval-requested',
      ]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
    });
  });

  describe('self-approval', () => {
    it('does not let an admin approve the production deployment they submitted', async () => {
      const res = await submit(
        { ...API, placement: { environment: 'prod' } },
        ADMIN,
      );
      expect(res.body.state).toBe('pending-approval');
      await expect(
        approvals.decide(
          res.body.approvalId,
          { decision: 'approve' },
          { credentials: mockCredentials.user(ADMIN) },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('someone else must decide it'),
      });
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(res.body.id)).toBe('pending-approval');
    });
  });

  describe('stop, start and delete', () => {
    async function admitted() {
      const res = await submit(API);
      await fixture.scheduler.trigger();
      return res.body.id as string;
    }

    it('stops (releasing capacity), starts again and deletes', async () => {
      const id = await admitted();

      const stopped = await request(app)
        .post(`/deployments/${id}/stop`)
        .set('Authorization', as(DEVELOPER));
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({ state: 'stopped' });
      expect(
        (await fixture.clusters.get('dev-1'))!.allocated.cpuMillicores,
      ).toBe(0);

      const again = await request(app)
        .post(`/deployments/${id}/stop`)
        .set('Authorization', as(DEVELOPER));
      expect(again.status).toBe(409);

      const started = await request(app)
        .post(`/deployments/${id}/start`)
        .set('Authorization', as(DEVELOPER));
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ state: 'queued' });
      await fixture.scheduler.trigger();
      expect(await fixture.stateOf(id)).toBe('admitted@dev-1');

      const deleted = await request(app)
        .delete(`/deployments/${id}`)
        .set('Authorization', as(DEVELOPER));
      expect(deleted.status).toBe(204);
      expect(await rows()).toEqual([]);
      expect(await schedulingInconsistencies(knex)).toEqual([]);
      expect(auditEvents.map(e => `${e.eventId}:${e.outcome}`)).toEqual([
        'deployment-submit:success',
        'deployment-stop:success',
        'deployment-stop:failure',
        'deployment-start:success',
        'deployment-delete:success',
      ]);
    });

    it("lets an admin change anyone's deployment, and a developer only their own", async () => {
      const id = await admitted();
      const other = await request(app)
        .post(`/deployments/${id}/stop`)
        .set('Authorization', as(OTHER_DEVELOPER));
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe(
        "Only admins of 'acme', and the developer who submitted it, may stop this deployment",
      );
      expect(await fixture.stateOf(id)).toBe('admitted@dev-1');
      const admin = await request(app)
        .post(`/deployments/${id}/stop`)
        .set('Authorization', as(ADMIN));
      expect(admin.status).toBe(200);
      expect(await fixture.stateOf(id)).toBe('stopped');
    });

    it.each([
      ['a viewer', VIEWER, 403],
      ['an outsider', OUTSIDER, 404],
    ])('refuses %s and changes nothing', async (_what, who, status) => {
      const id = await admitted();
      for (const [method, path] of [
        ['post', `/deployments/${id}/stop`],
        ['post', `/deployments/${id}/start`],
        ['delete', `/deployments/${id}`],
      ] as const) {
        const res = await request(app)
          [method](path)
          .set('Authorization', as(who));
        expect(res.status).toBe(status);
      }
      expect(await fixture.stateOf(id)).toBe('admitted@dev-1');
      const seen = await request(app)
        .get(`/deployments/${id}`)
        .set('Authorization', as(who));
      expect(seen.status).toBe(who === VIEWER ? 200 : 404);
    });

    it('answers 404 to an unknown id and 400 to one that is not a UUID', async () => {
      const unknown = await request(app)
        .post('/deployments/00000000-0000-4000-8000-000000000000/stop')
        .set('Authorization', as(DEVELOPER));
      expect(unknown.status).toBe(404);
      const bad = await request(app)
        .get('/deployments/not-a-uuid')
        .set('Authorization', as(DEVELOPER));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('deployment id');
    });
  });
});
