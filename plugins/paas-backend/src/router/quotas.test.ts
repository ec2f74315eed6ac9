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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MAX_QUOTA_AMOUNT,
  paasOrganizationReadPermission,
  paasQuotaManagePermission,
  paasQuotaUpdatePermission,
} from '@paasport/plugin-paas-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseOrganizationStore } from '../database/OrganizationStore';
import { DatabaseQuotaStore } from '../database/QuotaStore';
import { DatabaseTeamStore } from '../database/TeamStore';
import { createOrganizationAccess } from '../service/OrganizationAccess';
import { createQuotaService } from '../service/QuotaService';
import { createQuotasRouter } from './quotas';

jest.setTimeout(30_000);

const ORG = 'acme-payments';
const PLATFORM = 'user:default/platform';
const ADMIN = 'user:default/alice';
const VIEWER = 'user:default/victor';
const OUTSIDER = 'user:default/mallory';

/** What each caller may do, as a policy would decide it. */
const granted: Record<string, string[]> = {
  [PLATFORM]: [
    paasOrganizationReadPermission.name,
    paasQuotaManagePermission.name,
    paasQuotaUpdatePermission.name,
  ],
  [ADMIN]: [
    paasOrganizationReadPermission.name,
    paasQuotaUpdatePermission.name,
  ],
  [VIEWER]: [paasOrganizationReadPermission.name],
  [OUTSIDER]: [],
};

const as = (userRef: string) => mockCredentials.user.header(userRef);

describe('createQuotasRouter', () => {
  // The router does not care which database is behind it; the store tests run on both.
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let app: express.Express;
  let auditEvents: Array<{
    eventId: string;
    meta: unknown;
    outcome: string;
  }>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const organizations = new DatabaseOrganizationStore(db);
    const teams = new DatabaseTeamStore(db);
    await organizations.create({
      name: ORG,
      title: 'Acme Payments',
      createdBy: ADMIN,
    });
    for (const name of ['checkout', 'ledger']) {
      await teams.create({
        organization: ORG,
        name,
        title: name,
        createdBy: ADMIN,
      });
    }

    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        const principal = (
          options.credentials as BackstageCredentials<BackstageUserPrincipal>
        ).principal;
        const mine = granted[principal.userEntityRef] ?? [];
        return requests.map(r => ({
          result: mine.includes(r.permission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      },
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
    const quotas = createQuotaService({
      quotas: new DatabaseQuotaStore(db),
      organizations,
      teams,
      access: createOrganizationAccess({ permissions, store: organizations }),
      auditor,
    });

    app = express();
    app.use(express.json());
    app.use(createQuotasRouter({ httpAuth: mockServices.httpAuth(), quotas }));
    app.use(mockErrorHandler());

    await request(app)
      .put(`/organizations/${ORG}/quotas/cpu-millicores`)
      .set('Authorization', as(PLATFORM))
      .send({ limit: 64000, reason: 'Onboarding' })
      .expect(200);
    auditEvents = [];
  });

  async function state() {
    return {
      quotas: await knex('quotas').orderBy(['team', 'dimension']),
      changes: await knex('quota_changes').orderBy('id'),
    };
  }

  describe('GET /organizations/:org/quotas', () => {
    it('answers 200 with the lines of the organization and its teams', async () => {
      const res = await request(app)
        .get(`/organizations/${ORG}/quotas`)
        .set('Authorization', as(VIEWER));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        organization: ORG,
        lines: [
          {
            dimension: 'cpu-millicores',
            limit: 64000,
            used: 0,
            allocated: 0,
          },
        ],
        teams: {},
      });
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), ORG, 401],
      ['a caller who may not see the organization', as(OUTSIDER), ORG, 404],
      ['an unknown organization', as(PLATFORM), 'ghost', 404],
    ])('refuses %s', async (_what, header, org, status) => {
      const res = await request(app)
        .get(`/organizations/${org}/quotas`)
        .set('Authorization', header);
      expect(res.status).toBe(status);
    });
  });

  describe('PUT /organizations/:org/quotas/:dimension', () => {
    it('lets the platform team set a limit, and audits it', async () => {
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/cpu-millicores`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 80000, reason: '  Black Friday  ' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dimension: 'cpu-millicores',
        limit: 80000,
        used: 0,
        allocated: 0,
      });
      expect(auditEvents).toEqual([
        {
          eventId: 'quota-set',
          outcome: 'success',
          meta: {
            organization: ORG,
            team: null,
            dimension: 'cpu-millicores',
            previousLimit: 64000,
            newLimit: 80000,
            reason: 'Black Friday',
          },
        },
      ]);
      const changes = await request(app)
        .get(`/organizations/${ORG}/quota-changes`)
        .set('Authorization', as(VIEWER));
      expect(changes.body.items[0]).toMatchObject({
        dimension: 'cpu-millicores',
        previousLimit: 64000,
        newLimit: 80000,
        changedBy: PLATFORM,
        reason: 'Black Friday',
      });
    });

    it.each([
      ['gpus%2Fnvidia-a100', 'gpus/nvidia-a100'],
      ['gpus%2fnvidia-a100', 'gpus/nvidia-a100'],
      ['count%2Faws%3As3-bucket', 'count/aws:s3-bucket'],
      ['count%2Faws:dynamodb-table', 'count/aws:dynamodb-table'],
    ])('decodes the dimension %s', async (encoded, dimension) => {
      await request(app)
        .put(`/organizations/${ORG}/quotas/gpus`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 4 })
        .expect(200);
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/${encoded}`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 2 });
      expect(res.status).toBe(200);
      expect(res.body.dimension).toBe(dimension);
      expect(
        await knex('quotas').where({ dimension }).pluck('limit_amount'),
      ).toEqual([2]);
    });

    it('tells what a dimension must look like', async () => {
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/gpu`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 2 });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid dimension: /);
      for (const hint of ['cpu-millicores', 'gpus/<type>', 'count/<kind>']) {
        expect(res.body.error.message).toContain(hint);
      }
    });

    it('does not take a dimension with an unencoded slash', async () => {
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/gpus/nvidia-a100`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 2 });
      expect(res.status).toBe(404);
      expect(
        await knex('quotas').where({ dimension: 'gpus/nvidia-a100' }),
      ).toEqual([]);
    });

    it('answers 400 to a dimension that is not valid URL encoding', async () => {
      const before = await state();
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/gpus%E0%A4%A`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 2 });
      expect(res.status).toBe(400);
      expect(await state()).toEqual(before);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), ORG, 401],
      ['an organization admin', as(ADMIN), ORG, 403],
      ['a caller who may not see the organization', as(OUTSIDER), ORG, 403],
      ['an unknown organization', as(PLATFORM), 'ghost', 404],
    ])('refuses %s and changes nothing', async (_what, header, org, status) => {
      const before = await state();
      const res = await request(app)
        .put(`/organizations/${org}/quotas/memory-mib`)
        .set('Authorization', header)
        .send({ limit: 1024 });
      expect(res.status).toBe(status);
      expect(await state()).toEqual(before);
    });

    it('answers 409 to a limit below what is carved out', async () => {
      await request(app)
        .put(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 16000 })
        .expect(200);
      const res = await request(app)
        .put(`/organizations/${ORG}/quotas/cpu-millicores`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 1000 });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'Cannot lower the cpu-millicores limit of acme-payments to 1000: 16000 is carved out for teams and 0 is used from the shared pool (16000 in all)',
      );
      expect(auditEvents.map(e => e.outcome)).toEqual(['success', 'failure']);
    });
  });

  describe('PUT /organizations/:org/teams/:team/quotas/:dimension', () => {
    it('lets an organization admin carve out a team quota, and audits it', async () => {
      const res = await request(app)
        .put(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 16000, reason: 'Checkout launch' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dimension: 'cpu-millicores',
        limit: 16000,
        used: 0,
        allocated: 0,
      });
      expect(auditEvents).toEqual([
        {
          eventId: 'quota-set',
          outcome: 'success',
          meta: {
            organization: ORG,
            team: 'checkout',
            dimension: 'cpu-millicores',
            previousLimit: null,
            newLimit: 16000,
            reason: 'Checkout launch',
          },
        },
      ]);
      const quotas = await request(app)
        .get(`/organizations/${ORG}/quotas`)
        .set('Authorization', as(VIEWER));
      expect(quotas.body.lines[0].allocated).toBe(16000);
      expect(quotas.body.teams.checkout).toHaveLength(1);
    });

    it.each([
      [
        'an unauthenticated caller',
        mockCredentials.none.header(),
        ORG,
        'checkout',
        401,
        undefined,
      ],
      ['a viewer', as(VIEWER), ORG, 'checkout', 403, undefined],
      [
        'a caller who may not see the organization',
        as(OUTSIDER),
        ORG,
        'checkout',
        404,
        "No organization named 'acme-payments'",
      ],
      [
        'an unknown organization',
        as(PLATFORM),
        'ghost',
        'checkout',
        404,
        undefined,
      ],
      [
        'an unknown team',
        as(ADMIN),
        ORG,
        'ghost',
        404,
        "No team 'ghost' in 'acme-payments'",
      ],
    ])(
      'refuses %s and changes nothing',
      async (_what, header, org, team, status, message) => {
        const before = await state();
        const res = await request(app)
          .put(`/organizations/${org}/teams/${team}/quotas/cpu-millicores`)
          .set('Authorization', header)
          .send({ limit: 1000 });
        expect(res.status).toBe(status);
        expect(message && res.body.error.message).toBe(message);
        expect(await state()).toEqual(before);
      },
    );

    it('answers 409 naming what is left to carve out', async () => {
      await request(app)
        .put(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 16000 })
        .expect(200);
      const before = await state();
      const res = await request(app)
        .put(`/organizations/${ORG}/teams/ledger/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 60000 });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'acme-payments has 48000 cpu-millicores left to carve out (64000 limit, 16000 carved out); ledger asked for 60000',
      );
      expect(await state()).toEqual(before);
    });

    it('answers 409 when the organization has no quota in that dimension', async () => {
      const res = await request(app)
        .put(`/organizations/${ORG}/teams/checkout/quotas/gpus%2Fnvidia-a100`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 1 });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        "Set the organization's gpus/nvidia-a100 quota first",
      );
    });
  });

  describe('DELETE /organizations/:org/teams/:team/quotas/:dimension', () => {
    it('gives a carve-out back (204), records why, and answers 404 when there is none', async () => {
      await request(app)
        .put(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ limit: 16000 })
        .expect(200);
      const res = await request(app)
        .delete(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN))
        .send({ reason: 'Team wound down' });
      expect(res.status).toBe(204);
      const changes = await request(app)
        .get(`/organizations/${ORG}/quota-changes?limit=1`)
        .set('Authorization', as(VIEWER));
      expect(changes.body.items).toEqual([
        expect.objectContaining({
          team: 'checkout',
          previousLimit: 16000,
          reason: 'Team wound down',
        }),
      ]);
      expect(changes.body.items[0]).not.toHaveProperty('newLimit');

      const again = await request(app)
        .delete(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(ADMIN));
      expect(again.status).toBe(404);
      const viewer = await request(app)
        .delete(`/organizations/${ORG}/teams/checkout/quotas/cpu-millicores`)
        .set('Authorization', as(VIEWER));
      expect(viewer.status).toBe(403);
      expect(auditEvents.map(e => [e.eventId, e.outcome])).toEqual([
        ['quota-set', 'success'],
        ['quota-remove', 'success'],
        ['quota-remove', 'failure'],
        ['quota-remove', 'failure'],
      ]);
    });
  });

  describe('GET /organizations/:org/quota-changes', () => {
    it('lists changes newest first, as many as asked for', async () => {
      await request(app)
        .put(`/organizations/${ORG}/quotas/memory-mib`)
        .set('Authorization', as(PLATFORM))
        .send({ limit: 1024 })
        .expect(200);
      const res = await request(app)
        .get(`/organizations/${ORG}/quota-changes`)
        .set('Authorization', as(VIEWER));
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((c: { dimension: string }) => c.dimension),
      ).toEqual(['memory-mib', 'cpu-millicores']);
      expect(res.body.items[1]).toEqual({
        id: expect.any(Number),
        organization: ORG,
        dimension: 'cpu-millicores',
        newLimit: 64000,
        changedBy: PLATFORM,
        reason: 'Onboarding',
        createdAt: expect.any(String),
      });
      const one = await request(app)
        .get(`/organizations/${ORG}/quota-changes?limit=1`)
        .set('Authorization', as(VIEWER));
      expect(one.body.items).toHaveLength(1);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), '', 401],
      ['a caller who may not see the organization', as(OUTSIDER), '', 404],
      ['a limit of 0', as(VIEWER), '?limit=0', 400],
      ['a limit that is not a number', as(VIEWER), '?limit=ten', 400],
      ['a limit too large', as(VIEWER), '?limit=5000', 400],
      ['two limits', as(VIEWER), '?limit=1&limit=2', 400],
      ['an unknown parameter', as(VIEWER), '?since=yesterday', 400],
    ])('refuses %s', async (_what, header, query, status) => {
      const res = await request(app)
        .get(`/organizations/${ORG}/quota-changes${query}`)
        .set('Authorization', header);
      expect(res.status).toBe(status);
    });
  });

  describe.each([
    [
      'organization',
      (dimension: string) => `/organizations/${ORG}/quotas/${dimension}`,
      PLATFORM,
    ],
    [
      'team',
      (dimension: string) =>
        `/organizations/${ORG}/teams/checkout/quotas/${dimension}`,
      ADMIN,
    ],
  ])('bad input to the %s quota', (_which, path, caller) => {
    it.each([
      ['a negative limit', 'cpu-millicores', { limit: -1 }, 'limit'],
      [
        'a limit above the maximum',
        'cpu-millicores',
        { limit: MAX_QUOTA_AMOUNT + 1 },
        'limit',
      ],
      ['a huge limit', 'cpu-millicores', { limit: 1e300 }, 'limit'],
      ['a fractional limit', 'cpu-millicores', { limit: 1.5 }, 'limit'],
      ['a limit as a string', 'cpu-millicores', { limit: '1000' }, 'limit'],
      ['a null limit', 'cpu-millicores', { limit: null }, 'limit'],
      ['no limit', 'cpu-millicores', {}, 'limit'],
      [
        'an injection string as the limit',
        'cpu-millicores',
        { limit: '1; drop table quotas; --' },
        'limit',
      ],
      ['an unknown field', 'cpu-millicores', { limit: 1000, used: 0 }, 'used'],
      [
        'a prototype key',
        'cpu-millicores',
        '{"limit":1000,"__proto__":{"admin":true}}',
        '__proto__',
      ],
      ['an array body', 'cpu-millicores', [1000], 'request body'],
      [
        'an oversized reason',
        'cpu-millicores',
        { limit: 1000, reason: 'x'.repeat(1001) },
        'reason',
      ],
      [
        'a reason that is not text',
        'cpu-millicores',
        { limit: 1000, reason: 7 },
        'reason',
      ],
      ['an unknown dimension', 'cpu', { limit: 1000 }, 'dimension'],
      [
        'an upper-case GPU type',
        'gpus%2FNVIDIA-A100',
        { limit: 1 },
        'dimension',
      ],
      ['a GPU type with a path', 'gpus%2F..%2Fcpu', { limit: 1 }, 'dimension'],
      [
        'an unknown resource kind',
        'count%2Faws%3Aec2-instance',
        { limit: 1 },
        'dimension',
      ],
      [
        'an injection string as the dimension',
        encodeURIComponent("cpu-millicores'; drop table quotas; --"),
        { limit: 1000 },
        'dimension',
      ],
    ])(
      'answers 400 to %s, naming the field, and changes nothing',
      async (_what, dimension, body, field) => {
        const before = await state();
        const req = request(app)
          .put(path(dimension))
          .set('Authorization', as(caller))
          .set('Content-Type', 'application/json');
        const res = await req.send(
          typeof body === 'string' ? body : JSON.stringify(body),
        );
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
        expect(await state()).toEqual(before);
        expect(auditEvents).toEqual([]);
      },
    );
  });
});
