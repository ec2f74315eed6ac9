import { InputError } from '@backstage/errors';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_RESOURCE_RATES,
  paasApprovalDecidePermission,
  paasOrganizationReadPermission,
  paasResourceCreatePermission,
  paasResourceDeletePermission,
} from '@paasport/plugin-paas-common';
import { ConflictError } from '@backstage/errors';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { FIRST_PAGE } from '../database/keysetPagination';
import {
  createFakeAccess,
  createFakeResourceAccess,
  Grants,
} from '../__testUtils__/fakeAccess';
import { quotaInconsistencies } from '../__testUtils__/invariants';
import {
  createResourceFixture,
  FakeCloudProvider,
} from '../__testUtils__/resourceFixture';
import { DatabaseApprovalStore } from '../database/ApprovalStore';
import { DEFAULT_RECONCILER_SETTINGS } from '../reconciler/config';
import { ResourceReconciler } from '../reconciler/ResourceReconciler';
import {
  ApprovalService,
  createApprovalService,
} from '../service/ApprovalService';
import { createHealthService } from '../service/HealthService';
import { ProviderRegistry } from '../service/ProviderRegistry';
import { createResourceService } from '../service/ResourceService';
import { createRouter } from './index';
import { createResourcesRouter } from './resources';

jest.setTimeout(30_000);

const ORG = 'acme';
const OTHER_ORG = 'globex';
const ADMIN = 'user:default/alice';
const DEVELOPER = 'user:default/dana';
const OTHER_DEVELOPER = 'user:default/dmitri';
const VIEWER = 'user:default/victor';
const OUTSIDER = 'user:default/mallory';
const NOW = new Date('2026-11-23T12:00:00.000Z');

const read = paasOrganizationReadPermission.name;
const create = paasResourceCreatePermission.name;
const grants: Grants = {
  [ADMIN]: {
    [ORG]: [
      read,
      create,
      paasResourceDeletePermission.name,
      paasApprovalDecidePermission.name,
    ],
  },
  [DEVELOPER]: { [ORG]: [read, create] },
  [OTHER_DEVELOPER]: { [ORG]: [read, create] },
  [VIEWER]: { [ORG]: [read] },
  [OUTSIDER]: { [OTHER_ORG]: [read, create] },
};

const as = (userRef: string) => mockCredentials.user.header(userRef);

const BUCKET = {
  team: 'web',
  name: 'assets',
  kind: 'aws:s3-bucket',
  spec: { versioning: true },
  component: 'component:default/payments-api',
};

describe('createResourcesRouter', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let app: express.Express;
  let fixture: Awaited<ReturnType<typeof createResourceFixture>>;
  let provider: FakeCloudProvider;
  let reconciler: ResourceReconciler;
  let approvals: ApprovalService;
  let auditEvents: Array<{ eventId: string; outcome: string; meta: any }>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    fixture = await createResourceFixture(knex);
    await fixture.organization(ORG, 2);
    await fixture.organization(OTHER_ORG, 2);
    await fixture.quotas.setOrganizationLimit(
      ORG,
      'count/aws:rds-instance',
      1,
      ADMIN,
    );
    await fixture.quotas.setOrganizationLimit(
      ORG,
      'budget-monthly',
      1000,
      ADMIN,
    );

    provider = new FakeCloudProvider([
      'aws:s3-bucket',
      'aws:rds-instance',
      'kubernetes:namespace',
    ]);
    await fixture.quotas.setOrganizationLimit(
      ORG,
      'count/kubernetes:namespace',
      2,
      ADMIN,
    );
    for (const [name, environment] of [
      ['prod-1', 'prod'],
      ['dev-2', 'dev'],
      ['dev-1', 'dev'],
    ]) {
      await fixture.clusters.register({
        name,
        title: name,
        capacity: { cpuMillicores: 1000, memoryMib: 1024, gpus: 0 },
        labels: { environment },
        state: 'ready',
        source: 'api',
        createdBy: ADMIN,
      });
    }
    const providers = new ProviderRegistry();
    providers.add(provider);
    reconciler = new ResourceReconciler({
      store: fixture.resources,
      providers,
      settings: DEFAULT_RECONCILER_SETTINGS,
      logger: mockServices.logger.mock(),
      clock: () => NOW,
    });

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
    const resources = createResourceService({
      resources: fixture.resources,
      teams: fixture.teams,
      quotas: fixture.quotas,
      clusters: fixture.clusters,
      access,
      resourceAccess: createFakeResourceAccess(grants),
      auditor,
      approvals,
      reconciler: { trigger: async () => {} },
      approvalRules: [
        {
          name: 'databases',
          action: 'resource.create',
          approver: 'admin',
          kinds: ['aws:rds-instance'],
        },
        {
          name: 'production',
          action: 'resource.create',
          approver: 'admin',
          placement: { environment: 'prod' },
        },
        {
          name: 'cardholder data',
          action: 'resource.create',
          approver: 'admin',
          placement: { compliance: 'pci' },
        },
      ],
      rates: DEFAULT_RESOURCE_RATES,
      providerKinds: () => providers.kinds(),
      validateWithProvider: resource =>
        providers.get(resource.kind).validate?.(resource),
      clock: () => NOW,
    });

    app = express();
    app.use(
      await createRouter({
        health: {
          check: async () => ({ status: 'ok' }),
        } as unknown as ReturnType<typeof createHealthService>,
        routers: [
          createResourcesRouter({
            httpAuth: mockServices.httpAuth(),
            resources,
          }),
        ],
      }),
    );
    app.use(mockErrorHandler());
  });

  const rows = () => knex('resources').orderBy('name');

  function post(body: object, who = DEVELOPER, key?: string) {
    const req = request(app)
      .post(`/organizations/${ORG}/resources`)
      .set('Authorization', as(who));
    if (key) {
      req.set('Idempotency-Key', key);
    }
    return req.send(body);
  }

  describe('POST /organizations/:org/resources', () => {
    it('accepts a bucket (201) with its quota and budget held, audits it, and the reconciler makes it ready', async () => {
      const res = await post(BUCKET);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        organization: ORG,
        team: 'web',
        kind: 'aws:s3-bucket',
        name: 'assets',
        externalName: 'acme-web-assets',
        owner: 'group:default/acme-web',
        component: 'component:default/payments-api',
        spec: {
          versioning: true,
          encryption: { type: 'SSE-S3' },
        },
        phase: 'provisioning',
        deletionPolicy: 'delete',
        monthlyCost: 5,
        requestedBy: DEVELOPER,
      });
      expect((await fixture.quotas.get(ORG)).lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            dimension: 'count/aws:s3-bucket',
            used: 1,
          }),
          expect.objectContaining({ dimension: 'budget-monthly', used: 5 }),
        ]),
      );
      expect(auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'resource-create',
          outcome: 'success',
          meta: expect.objectContaining({
            kind: 'aws:s3-bucket',
            externalName: 'acme-web-assets',
          }),
        }),
      ]);

      await reconciler.runOnce();
      const got = await request(app)
        .get(`/resources/${res.body.id}`)
        .set('Authorization', as(VIEWER));
      expect(got.body).toMatchObject({
        phase: 'ready',
        outputs: { name: 'acme-web-assets' },
      });
      expect(
        provider.objects.get('acme-web-assets')!.tags['paasport.io/component'],
      ).toBe('payments-api');
    });

    it('returns the first result (200) for the same Idempotency-Key, and 409 for a different request under it', async () => {
      const first = await post(BUCKET, DEVELOPER, 'task-1.step-bucket');
      const again = await post(BUCKET, DEVELOPER, 'task-1.step-bucket');
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);

      const other = await post(
        { ...BUCKET, spec: { versioning: false } },
        DEVELOPER,
        'task-1.step-bucket',
      );
      expect(other.status).toBe(409);
      expect(other.body.error.message).toBe(
        'The idempotency key was used for a different request (aws:s3-bucket web/assets in acme)',
      );
      expect(await rows()).toHaveLength(1);
    });

    it('refuses a taken name with 409', async () => {
      await post(BUCKET);
      const res = await post(BUCKET, OTHER_DEVELOPER);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        "Team web of acme already has a aws:s3-bucket named 'assets'",
      );
    });

    it('refuses what exceeds the team quota with 409 naming the quota and the shortfall, and writes nothing', async () => {
      await post({ ...BUCKET, name: 'one' });
      await post({ ...BUCKET, name: 'two' });
      const res = await post({ ...BUCKET, name: 'three' });

      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'The quota of team web in acme does not allow this aws:s3-bucket: Quota exceeded: acme has 0 of 2 count/aws:s3-bucket left in its shared pool; this needs 1 (1 short)',
      );
      expect((await rows()).map(r => r.name)).toEqual(['one', 'two']);
      expect(await quotaInconsistencies(knex)).toEqual([]);
    });

    it('holds a kind that policy sends to approval, reserving its quota only when approved', async () => {
      const res = await post({
        team: 'web',
        name: 'orders',
        kind: 'aws:rds-instance',
        spec: { engine: 'postgres', instanceClass: 'db.t4g.micro' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        phase: 'pending-approval',
        monthlyCost: 150,
      });
      expect(
        (await fixture.quotas.get(ORG)).lines.find(
          l => l.dimension === 'count/aws:rds-instance',
        ),
      ).toMatchObject({ used: 0 });

      const [approval] = (
        await approvals.listForOrganization(
          ORG,
          { state: 'pending' },
          { credentials: mockCredentials.user(ADMIN) },
          FIRST_PAGE,
        )
      ).items;
      await approvals.decide(
        approval.id,
        { decision: 'approve' },
        { credentials: mockCredentials.user(ADMIN) },
      );

      const got = await request(app)
        .get(`/resources/${res.body.id}`)
        .set('Authorization', as(DEVELOPER));
      expect(got.body.phase).toBe('provisioning');
      expect(
        (await fixture.quotas.get(ORG)).lines.find(
          l => l.dimension === 'count/aws:rds-instance',
        ),
      ).toMatchObject({ used: 1 });
      const events = await request(app)
        .get(`/resources/${res.body.id}/events`)
        .set('Authorization', as(DEVELOPER));
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
        'approval-requested',
        'approved',
      ]);
    });

    it('puts a namespace that names no cluster on a ready cluster of its environment, and refuses one with no such cluster', async () => {
      const namespace = {
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev' },
      };
      const dev = await post(namespace, DEVELOPER, 'task-1');
      expect(dev.status).toBe(201);
      expect(dev.body.spec).toEqual({
        team: 'web',
        environment: 'dev',
        cluster: 'dev-1',
      });
      const again = await post(namespace, DEVELOPER, 'task-1');
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(dev.body.id);

      const staging = await post({
        team: 'web',
        name: 'staging',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'staging' },
      });
      expect(staging.status).toBe(409);
      expect(staging.body.error.message).toBe(
        'No ready cluster is labelled environment=staging, so a namespace for staging has nowhere to go',
      );
      expect((await rows()).map(r => r.name)).toEqual(['dev']);
    });

    it('refuses a namespace whose environment disagrees with the cluster it names (400), and never places dev on a prod cluster', async () => {
      const res = await post({
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev', cluster: 'prod-1' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "Invalid resource: spec.environment: 'dev' disagrees with cluster 'prod-1', which is labelled environment=prod",
      );
      const unknown = await post({
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev', cluster: 'nowhere' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('spec.cluster:');
      expect(await rows()).toEqual([]);

      // With the dev clusters cordoned, dev goes nowhere rather than to prod-1.
      await fixture.clusters.update('dev-1', { state: 'cordoned' });
      await fixture.clusters.update('dev-2', { state: 'cordoned' });
      const cordoned = await post({
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev' },
      });
      expect(cordoned.status).toBe(409);
      expect(await rows()).toEqual([]);
    });

    it('matches approval rules on the cluster a namespace lands on, whichever way it was named', async () => {
      const named = await post({
        team: 'web',
        name: 'prod',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'prod', cluster: 'prod-1' },
      });
      expect(named.status).toBe(201);
      expect(named.body.phase).toBe('pending-approval');

      const chosen = await post({
        team: 'web',
        name: 'live',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'prod' },
      });
      expect(chosen.status).toBe(201);
      expect(chosen.body.spec.cluster).toBe('prod-1');
      expect(chosen.body.phase).toBe('pending-approval');

      // A rule on a label the request never states still sees the cluster it names.
      await fixture.clusters.update('dev-2', {
        labels: { environment: 'dev', compliance: 'pci' },
      });
      const pci = await post({
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev', cluster: 'dev-2' },
      });
      expect(pci.status).toBe(201);
      expect(pci.body.phase).toBe('pending-approval');
    });

    it("refuses what the kind's provider refuses with its 400, before anything is written", async () => {
      provider.validate = resource => {
        if ((resource.spec as { versioning?: boolean }).versioning) {
          throw new InputError(
            `Invalid spec of bucket ${resource.name}: versioning: not allowed here`,
          );
        }
      };
      const res = await post(BUCKET);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Invalid spec of bucket acme-web-assets: versioning: not allowed here',
      );
      expect(await rows()).toEqual([]);
      expect(
        (await fixture.quotas.get(ORG)).lines.find(
          l => l.dimension === 'count/aws:s3-bucket',
        ),
      ).toMatchObject({ used: 0 });

      expect((await post({ ...BUCKET, spec: {} })).status).toBe(201);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), 401],
      ['a viewer', as(VIEWER), 403],
      ['an outsider', as(OUTSIDER), 404],
    ])('refuses %s and changes nothing', async (_what, header, status) => {
      const res = await request(app)
        .post(`/organizations/${ORG}/resources`)
        .set('Authorization', header)
        .send(BUCKET);
      expect(res.status).toBe(status);
      expect(await rows()).toEqual([]);
    });

    it.each<[string, object, string]>([
      ['an unknown kind', { ...BUCKET, kind: 'aws:ec2-instance' }, 'kind'],
      ['a bad name', { ...BUCKET, name: 'Assets!' }, 'name'],
      ['an unknown team', { ...BUCKET, team: 'mobile' }, 'team'],
      [
        'a spec field the kind does not have',
        { ...BUCKET, spec: { publicRead: true } },
        'spec',
      ],
      [
        'a bad spec value',
        { ...BUCKET, spec: { expireNoncurrentAfterDays: 0 } },
        'spec.expireNoncurrentAfterDays',
      ],
      [
        'a bad component ref',
        { ...BUCKET, component: 'payments' },
        'component',
      ],
      ['an unknown field', { ...BUCKET, size: 'xl' }, 'resource'],
      [
        'a kind without a provider',
        {
          ...BUCKET,
          kind: 'aws:sqs-queue',
          spec: {},
        },
        'kind',
      ],
      [
        'a namespace for another team',
        {
          team: 'web',
          name: 'dev',
          kind: 'kubernetes:namespace',
          spec: { team: 'mobile', environment: 'dev' },
        },
        'spec.team',
      ],
    ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`${field}:`);
      expect(await rows()).toEqual([]);
    });
  });

  describe('reading', () => {
    it('lists the kinds that can be requested, with their monthly estimates', async () => {
      const res = await request(app)
        .get('/resource-kinds')
        .set('Authorization', as(VIEWER));
      expect(res.body.items).toEqual([
        { kind: 'aws:rds-instance', monthlyCost: 150 },
        { kind: 'aws:s3-bucket', monthlyCost: 5 },
        { kind: 'kubernetes:namespace', monthlyCost: 0 },
      ]);
      const anonymous = await request(app)
        .get('/resource-kinds')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });

    it('lists by team and kind for members, across organizations with GET /resources, and 404s for outsiders', async () => {
      await post(BUCKET);
      await post({ ...BUCKET, team: 'web', name: 'logs' });

      const list = await request(app)
        .get(`/organizations/${ORG}/resources`)
        .query({ team: 'web', kind: 'aws:s3-bucket' })
        .set('Authorization', as(VIEWER));
      expect(list.status).toBe(200);
      expect(list.body.items.map((r: { name: string }) => r.name)).toEqual([
        'assets',
        'logs',
      ]);
      const all = await request(app)
        .get('/resources')
        .query({ organization: ORG })
        .set('Authorization', as(VIEWER));
      expect(all.body.items).toHaveLength(2);

      const badKind = await request(app)
        .get('/resources')
        .query({ kind: 'aws:ec2' })
        .set('Authorization', as(VIEWER));
      expect(badKind.status).toBe(400);

      const outsider = await request(app)
        .get(`/organizations/${ORG}/resources`)
        .set('Authorization', as(OUTSIDER));
      expect(outsider.status).toBe(404);
      const one = await request(app)
        .get(`/resources/${list.body.items[0].id}`)
        .set('Authorization', as(OUTSIDER));
      expect(one.status).toBe(404);
      const badId = await request(app)
        .get('/resources/not-a-uuid')
        .set('Authorization', as(VIEWER));
      expect(badId.status).toBe(400);
    });
  });

  describe('paging', () => {
    it('pages the lists and the events, with nextCursor on every page but the last', async () => {
      for (const name of ['b', 'a']) {
        expect((await post({ ...BUCKET, name })).status).toBe(201);
      }
      for (const path of [`/organizations/${ORG}/resources`, '/resources']) {
        const first = await request(app)
          .get(path)
          .query({ limit: 1 })
          .set('Authorization', as(VIEWER));
        expect(first.status).toBe(200);
        expect(first.body.items.map((r: { name: string }) => r.name)).toEqual([
          'a',
        ]);
        expect(first.body.pageInfo.nextCursor).toEqual(expect.any(String));
        const last = await request(app)
          .get(path)
          .query({ limit: 1, cursor: first.body.pageInfo.nextCursor })
          .set('Authorization', as(VIEWER));
        expect(last.body.items.map((r: { name: string }) => r.name)).toEqual([
          'b',
        ]);
        expect(last.body.pageInfo).toEqual({});
      }
      const [{ id }] = await knex('resources').where({ name: 'a' });
      const events = await request(app)
        .get(`/resources/${id}/events`)
        .query({ limit: 1 })
        .set('Authorization', as(VIEWER));
      expect(events.status).toBe(200);
      expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
        'requested',
      ]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
    ])(
      'answers 400 to ?%s naming %s, and changes nothing',
      async (query, field) => {
        await post(BUCKET);
        const before = await knex('resources').orderBy('id');
        const [{ id }] = before;
        for (const path of [
          `/organizations/${ORG}/resources?team=web&${query}`,
          `/resources?${query}`,
          `/resources/${id}/events?${query}`,
        ]) {
          const res = await request(app)
            .get(path)
            .set('Authorization', as(VIEWER));
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            new RegExp(`^Invalid query: ${field}: `),
          );
        }
        expect(await knex('resources').orderBy('id')).toEqual(before);
      },
    );
  });

  describe('approvals', () => {
    const DATABASE = {
      team: 'web',
      name: 'orders',
      kind: 'aws:rds-instance',
      spec: { engine: 'postgres', instanceClass: 'db.t4g.micro' },
    };

    it('does not let an admin approve the database they requested', async () => {
      const res = await post(DATABASE, ADMIN);
      expect(res.body.phase).toBe('pending-approval');
      const [approval] = (
        await approvals.listForOrganization(
          ORG,
          { state: 'pending' },
          { credentials: mockCredentials.user(ADMIN) },
          FIRST_PAGE,
        )
      ).items;
      await expect(
        approvals.decide(
          approval.id,
          { decision: 'approve' },
          { credentials: mockCredentials.user(ADMIN) },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('someone else must decide it'),
      });
      expect((await fixture.resources.get(res.body.id))!.phase).toBe(
        'pending-approval',
      );
    });

    async function typesOf(id: string) {
      const res = await request(app)
        .get(`/resources/${id}/events`)
        .set('Authorization', as(DEVELOPER));
      return res.body.items.map((e: { type: string }) => e.type);
    }

    function retry(id: string) {
      return request(app)
        .post(`/resources/${id}/retry`)
        .set('Authorization', as(DEVELOPER));
    }

    it('refuses to retry a denied database with 409 naming the denial, and it stays denied', async () => {
      const res = await post(DATABASE);
      await approvals.decide(
        res.body.approvalId,
        { decision: 'deny', reason: 'Use the shared cluster' },
        { credentials: mockCredentials.user(ADMIN) },
      );

      const retried = await retry(res.body.id);
      expect(retried.status).toBe(409);
      expect(retried.body.error.message).toBe(
        `aws:rds-instance orders was denied by ${ADMIN}: Use the shared cluster; delete it and request it again to ask anew`,
      );
      expect(await fixture.resources.get(res.body.id)).toMatchObject({
        phase: 'failed',
        approvalId: res.body.approvalId,
      });
      await reconciler.runOnce();
      expect(provider.objects.size).toBe(0);
      expect(await typesOf(res.body.id)).toEqual([
        'approval-requested',
        'denied',
      ]);
    });

    it('sends a failed resource that a rule now matches back through approval, keeping its quota', async () => {
      provider.onApply = () => {
        throw new ConflictError('the cloud refused it');
      };
      const res = await post({
        team: 'web',
        name: 'dev',
        kind: 'kubernetes:namespace',
        spec: { team: 'web', environment: 'dev' },
      });
      expect(res.body.phase).toBe('provisioning');
      await reconciler.runOnce();
      expect((await fixture.resources.get(res.body.id))!.phase).toBe('failed');
      provider.onApply = undefined;
      await fixture.clusters.update('dev-1', {
        labels: { environment: 'dev', compliance: 'pci' },
      });

      const retried = await retry(res.body.id);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({
        phase: 'pending-approval',
        approvalId: expect.any(String),
      });
      const applies = provider.calls.length;
      await reconciler.runOnce();
      expect(provider.calls.length).toBe(applies);
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
          id: retried.body.approvalId,
          subject: expect.objectContaining({
            resourceId: res.body.id,
            rule: 'cardholder data',
          }),
          requestedBy: DEVELOPER,
        }),
      ]);

      await approvals.decide(
        retried.body.approvalId,
        { decision: 'approve' },
        { credentials: mockCredentials.user(ADMIN) },
      );
      expect((await fixture.resources.get(res.body.id))!.phase).toBe(
        'provisioning',
      );
      expect(
        (await fixture.quotas.get(ORG)).lines.find(
          l => l.dimension === 'count/kubernetes:namespace',
        ),
      ).toMatchObject({ used: 1 });
      expect(await quotaInconsistencies(knex)).toEqual([]);
      expect(await typesOf(res.body.id)).toEqual([
        'requested',
        'failed',
        'approval-requested',
        'approved',
      ]);
    });

    it('retries a failed database that was approved without asking again', async () => {
      const res = await post(DATABASE);
      await approvals.decide(
        res.body.approvalId,
        { decision: 'approve' },
        { credentials: mockCredentials.user(ADMIN) },
      );
      provider.onApply = () => {
        throw new ConflictError('the cloud refused it');
      };
      await reconciler.runOnce();
      expect((await fixture.resources.get(res.body.id))!.phase).toBe('failed');
      provider.onApply = undefined;

      const retried = await retry(res.body.id);
      expect(retried.status).toBe(200);
      expect(retried.body.phase).toBe('provisioning');
      await reconciler.runOnce();
      expect((await fixture.resources.get(res.body.id))!.phase).toBe('ready');
    });
  });

  describe('DELETE /resources/:id', () => {
    it('lets the requester and admins delete, not other developers, and the reconciler removes it', async () => {
      const { body } = await post(BUCKET);
      await reconciler.runOnce();

      const other = await request(app)
        .delete(`/resources/${body.id}`)
        .set('Authorization', as(OTHER_DEVELOPER));
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe(
        "Only admins of 'acme', and the developer who requested it, may delete this resource",
      );

      const res = await request(app)
        .delete(`/resources/${body.id}`)
        .set('Authorization', as(DEVELOPER));
      expect(res.status).toBe(202);
      expect(res.body.phase).toBe('deleting');

      await reconciler.runOnce();
      expect(provider.objects.size).toBe(0);
      expect((await fixture.resources.get(body.id))!.phase).toBe('deleted');
      expect(await fixture.bucketsUsed(ORG)).toBe(0);
      expect(auditEvents.map(e => `${e.eventId}:${e.outcome}`)).toEqual([
        'resource-create:success',
        'resource-delete:failure',
        'resource-delete:success',
      ]);
    });

    it('refuses to delete a protected resource with 409', async () => {
      const { body } = await post({ ...BUCKET, deletionPolicy: 'protect' });
      const res = await request(app)
        .delete(`/resources/${body.id}`)
        .set('Authorization', as(ADMIN));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        "aws:s3-bucket assets has the deletion policy 'protect'; change its policy before deleting it",
      );
      expect((await fixture.resources.get(body.id))!.phase).toBe(
        'provisioning',
      );
    });
  });
});
