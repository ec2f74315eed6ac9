import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  paasApprovalDecidePermission,
  paasOrganizationReadPermission,
  paasQuotaManagePermission,
  paasQuotaUpdatePermission,
} from '@paasport/plugin-paas-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseApprovalStore } from '../database/ApprovalStore';
import { createFakeAccess, Grants } from '../__testUtils__/fakeAccess';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseOrganizationStore } from '../database/OrganizationStore';
import { DatabaseQuotaStore } from '../database/QuotaStore';
import { createApprovalService } from '../service/ApprovalService';
import { createApprovalsRouter } from './approvals';

jest.setTimeout(30_000);

const ORG = 'acme-payments';
const OTHER_ORG = 'globex';
const PLATFORM = 'user:default/platform';
const ADMIN = 'user:default/alice';
const VIEWER = 'user:default/victor';
const OUTSIDER = 'user:default/mallory';
/** On the platform team and an admin of ORG: may ask for quota and decide such requests. */
const PLATFORM_ADMIN = 'user:default/priya';
const NOW = new Date('2026-11-22T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

const granted: Grants = {
  [PLATFORM]: {
    '*': [paasOrganizationReadPermission.name, paasQuotaManagePermission.name],
  },
  [ADMIN]: {
    [ORG]: [
      paasOrganizationReadPermission.name,
      paasQuotaUpdatePermission.name,
      paasApprovalDecidePermission.name,
    ],
  },
  [VIEWER]: { [ORG]: [paasOrganizationReadPermission.name] },
  [OUTSIDER]: {},
  [PLATFORM_ADMIN]: {
    '*': [paasOrganizationReadPermission.name, paasQuotaManagePermission.name],
    [ORG]: [paasQuotaUpdatePermission.name, paasApprovalDecidePermission.name],
  },
};

/** Decides as a policy would, without the permission framework. */
const fakeAccess = createFakeAccess(granted, [ORG, OTHER_ORG]);

const as = (userRef: string) => mockCredentials.user.header(userRef);

describe('createApprovalsRouter', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let app: express.Express;
  let now: Date;
  let send: jest.Mock;
  let approvalStore: DatabaseApprovalStore;
  let auditEvents: Array<{ eventId: string; outcome: string }>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const organizations = new DatabaseOrganizationStore(db);
    for (const name of [ORG, OTHER_ORG]) {
      await organizations.create({ name, title: name, createdBy: PLATFORM });
    }
    // The organizations where the fake lets ADMIN and PLATFORM_ADMIN decide, as members.
    await knex('memberships').insert(
      [ADMIN, PLATFORM_ADMIN].map(userRef => ({
        organization: ORG,
        user_ref: userRef,
        role: 'admin',
        created_by: PLATFORM,
      })),
    );
    const quotaStore = new DatabaseQuotaStore(db);
    await quotaStore.setOrganizationLimit(
      ORG,
      'cpu-millicores',
      64000,
      PLATFORM,
      'Onboarding',
    );

    auditEvents = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId }) => ({
        success: async () =>
          void auditEvents.push({ eventId, outcome: 'success' }),
        fail: async () =>
          void auditEvents.push({ eventId, outcome: 'failure' }),
      }),
    });
    now = NOW;
    send = jest.fn().mockResolvedValue(undefined);
    approvalStore = new DatabaseApprovalStore(db);
    const approvals = createApprovalService({
      store: approvalStore,
      quotas: quotaStore,
      access: fakeAccess,
      auditor,
      notifications: { send },
      logger: mockServices.logger.mock(),
      clock: () => now,
    });

    app = express();
    app.use(express.json());
    app.use(
      createApprovalsRouter({ httpAuth: mockServices.httpAuth(), approvals }),
    );
    app.use(mockErrorHandler());
  });

  async function askForMore(limit = 96000) {
    const res = await request(app)
      .post(`/organizations/${ORG}/quota-requests`)
      .set('Authorization', as(ADMIN))
      .send({ dimension: 'cpu-millicores', limit, reason: 'Black Friday' });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  async function cpuLimit() {
    return knex('quotas')
      .where({ organization: ORG, team: '', dimension: 'cpu-millicores' })
      .first()
      .then(row => row.limit_amount);
  }

  describe('POST /organizations/:org/quota-requests', () => {
    it('answers 201 with a pending approval for the platform team, and audits it', async () => {
      const res = await request(app)
        .post(`/organizations/${ORG}/quota-requests`)
        .set('Authorization', as(ADMIN))
        .send({ dimension: 'cpu-millicores', limit: 96000, reason: ' Peak ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        organization: ORG,
        subjectType: 'quota-increase',
        subject: { dimension: 'cpu-millicores', limit: 96000 },
        requestedBy: ADMIN,
        reason: 'Peak',
        requiredApprover: 'platform',
        state: 'pending',
        expiresAt: new Date(NOW.getTime() + 14 * DAY).toISOString(),
        createdAt: NOW.toISOString(),
      });
      expect(auditEvents).toEqual([
        { eventId: 'approval-request', outcome: 'success' },
      ]);
    });

    it.each([
      [{ dimension: 'cpu', limit: 1, reason: 'x' }, /dimension/],
      [{ dimension: 'cpu-millicores', limit: -1, reason: 'x' }, /limit/],
      [{ dimension: 'cpu-millicores', limit: 1 }, /reason/],
      [
        { dimension: 'cpu-millicores', limit: 1, reason: 'x', extra: 1 },
        /extra/,
      ],
    ])('answers 400 naming the bad field of %j', async (body, field) => {
      const res = await request(app)
        .post(`/organizations/${ORG}/quota-requests`)
        .set('Authorization', as(ADMIN))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(field);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), ORG, 401],
      ['a viewer', as(VIEWER), ORG, 403],
      ['a caller who may not see the organization', as(OUTSIDER), ORG, 404],
      ['an unknown organization', as(ADMIN), 'ghost', 404],
    ])('refuses %s', async (_what, header, org, status) => {
      const res = await request(app)
        .post(`/organizations/${org}/quota-requests`)
        .set('Authorization', header)
        .send({ dimension: 'cpu-millicores', limit: 1, reason: 'x' });
      expect(res.status).toBe(status);
      expect(await knex('approvals')).toEqual([]);
    });
  });

  describe('GET lists', () => {
    it('shows the organization its approvals, filtered by state', async () => {
      const { id } = await askForMore();
      const pending = await request(app)
        .get(`/organizations/${ORG}/approvals?state=pending`)
        .set('Authorization', as(VIEWER));
      expect(pending.status).toBe(200);
      expect(pending.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
      const denied = await request(app)
        .get(`/organizations/${ORG}/approvals?state=denied`)
        .set('Authorization', as(VIEWER));
      expect(denied.body.items).toEqual([]);
    });

    it('answers 400 to an unknown state and 404 to outsiders', async () => {
      const bad = await request(app)
        .get(`/organizations/${ORG}/approvals?state=maybe`)
        .set('Authorization', as(VIEWER));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/state/);
      const hidden = await request(app)
        .get(`/organizations/${ORG}/approvals`)
        .set('Authorization', as(OUTSIDER));
      expect(hidden.status).toBe(404);
    });

    it('puts platform approvals in the platform inbox and admin ones in the admins', async () => {
      const { id } = await askForMore();
      const adminApproval = await approvalStore.create({
        id: 'admin-1',
        organization: ORG,
        subjectType: 'membership',
        subject: {},
        requestedBy: VIEWER,
        reason: 'Let me in',
        requiredApprover: 'admin',
        expiresAt: new Date(NOW.getTime() + DAY),
        now: new Date(NOW.getTime() - 1000),
      });
      await approvalStore.create({
        ...adminApproval,
        id: 'admin-other',
        organization: OTHER_ORG,
        subject: {},
        expiresAt: new Date(NOW.getTime() + DAY),
        now: NOW,
      });
      const inbox = async (user: string) =>
        (
          await request(app)
            .get('/approvals?state=pending')
            .set('Authorization', as(user))
            .expect(200)
        ).body.items.map((a: { id: string }) => a.id);
      expect(await inbox(PLATFORM)).toEqual([id]);
      expect(await inbox(ADMIN)).toEqual(['admin-1']);
      expect(await inbox(VIEWER)).toEqual([]);
    });
  });

  describe('paging', () => {
    async function openAdminApprovals(count: number) {
      for (let i = 0; i < count; i++) {
        await approvalStore.create({
          id: `admin-${i}`,
          organization: i % 2 ? OTHER_ORG : ORG,
          subjectType: 'membership',
          subject: {},
          requestedBy: VIEWER,
          reason: 'Let me in',
          requiredApprover: 'admin',
          expiresAt: new Date(NOW.getTime() + DAY),
          now: new Date(NOW.getTime() - i * 1000),
        });
      }
    }

    async function pages(path: string, user: string, limit: number) {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const res = await request(app)
          .get(path)
          .query({ limit, ...(cursor ? { cursor } : {}) })
          .set('Authorization', as(user));
        expect(res.status).toBe(200);
        seen.push(res.body.items.map((a: { id: string }) => a.id));
        cursor = res.body.pageInfo.nextCursor;
      } while (cursor && seen.length < 10);
      return seen;
    }

    it('pages the inbox and the organization list newest first, with nextCursor on every page but the last', async () => {
      await openAdminApprovals(6);
      expect(await pages('/approvals', ADMIN, 2)).toEqual([
        ['admin-0', 'admin-2'],
        ['admin-4'],
      ]);
      expect(await pages('/approvals', VIEWER, 2)).toEqual([[]]);
      expect(
        await pages(`/organizations/${OTHER_ORG}/approvals`, PLATFORM, 2),
      ).toEqual([['admin-1', 'admin-3'], ['admin-5']]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
    ])('answers 400 to ?%s naming %s', async (query, field) => {
      await openAdminApprovals(2);
      const before = await knex('approvals').orderBy('id');
      for (const path of ['/approvals', `/organizations/${ORG}/approvals`]) {
        const res = await request(app)
          .get(`${path}?state=pending&${query}`)
          .set('Authorization', as(PLATFORM_ADMIN));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          new RegExp(`^Invalid query: ${field}: `),
        );
      }
      expect(await knex('approvals').orderBy('id')).toEqual(before);
    });
  });

  describe('POST /approvals/:id/decision', () => {
    it('applies an approved quota request and notifies the requester', async () => {
      const { id } = await askForMore();
      auditEvents = [];
      const res = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve', reason: 'Enjoy the peak' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        state: 'approved',
        decision: {
          by: PLATFORM,
          at: NOW.toISOString(),
          reason: 'Enjoy the peak',
        },
      });
      expect(await cpuLimit()).toBe(96000);
      expect(
        await knex('quota_changes').orderBy('id', 'desc').first(),
      ).toMatchObject({
        previous_limit: 64000,
        new_limit: 96000,
        changed_by: PLATFORM,
        reason: `Approval ${id}: Black Friday`,
      });
      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ADMIN },
        payload: expect.objectContaining({
          title:
            'Your request for 96000 cpu-millicores in acme-payments was approved',
          description: `${PLATFORM} approved it: Enjoy the peak`,
          link: `/paasport/organizations/${ORG}`,
        }),
      });
      // The new limit is applied in the decision's transaction and audited with it.
      expect(auditEvents).toEqual([
        { eventId: 'approval-decide', outcome: 'success' },
      ]);
    });

    it('denies without changing the limit, telling the requester why', async () => {
      const { id } = await askForMore();
      const res = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'deny', reason: 'Use the spare cluster' });
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('denied');
      expect(await cpuLimit()).toBe(64000);
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            description: `${PLATFORM} denied it: Use the spare cluster`,
          }),
        }),
      );
    });

    it('keeps the decision when the notification fails', async () => {
      const { id } = await askForMore();
      send.mockRejectedValue(new Error('notifications are down'));
      const res = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve' });
      expect(res.status).toBe(200);
      expect(await cpuLimit()).toBe(96000);
    });

    it('makes the approval pending again when the new limit cannot be applied', async () => {
      await knex('quotas')
        .where({ organization: ORG, team: '', dimension: 'cpu-millicores' })
        .update({ used: 50000 });
      const { id } = await askForMore(1000);
      const res = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve' });
      expect(res.status).toBe(409);
      expect(await knex('approvals').where({ id }).pluck('state')).toEqual([
        'pending',
      ]);
      expect(send).not.toHaveBeenCalled();
    });

    it('answers 409 to a second decision and to an expired approval', async () => {
      const { id } = await askForMore();
      await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'deny', reason: 'No' })
        .expect(200);
      const again = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already decided: denied/);

      const late = await askForMore();
      now = new Date(NOW.getTime() + 15 * DAY);
      const expired = await request(app)
        .post(`/approvals/${late.id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve' });
      expect(expired.status).toBe(409);
      expect(expired.body.error.message).toMatch(/expired at/);
      expect(await cpuLimit()).toBe(64000);
    });

    it('lets one of two parallel approvers win', async () => {
      const { id } = await askForMore();
      const statuses = await Promise.all(
        ['approve', 'deny'].map(decision =>
          request(app)
            .post(`/approvals/${id}/decision`)
            .set('Authorization', as(PLATFORM))
            .send({ decision, reason: 'Because' })
            .then(r => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([200, 409]);
    });

    it.each([
      ['an unauthenticated caller', mockCredentials.none.header(), 401],
      ['an organization admin', as(ADMIN), 403],
      ['a viewer', as(VIEWER), 403],
      ['a caller who may not see the organization', as(OUTSIDER), 404],
    ])('refuses %s and changes nothing', async (_what, header, status) => {
      const { id } = await askForMore();
      const res = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', header)
        .send({ decision: 'approve' });
      expect(res.status).toBe(status);
      expect(await cpuLimit()).toBe(64000);
      expect(await knex('approvals').where({ id }).pluck('state')).toEqual([
        'pending',
      ]);
    });

    it('answers 404 to an unknown id and 400 naming a bad field', async () => {
      const unknown = await request(app)
        .post('/approvals/ghost/decision')
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'approve' });
      expect(unknown.status).toBe(404);

      const { id } = await askForMore();
      const noReason = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'deny' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toMatch(
        /^Invalid request body: reason: /,
      );
      const badDecision = await request(app)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM))
        .send({ decision: 'maybe' });
      expect(badDecision.status).toBe(400);
      expect(badDecision.body.error.message).toMatch(/decision/);
    });
  });

  describe('self-approval', () => {
    const SELF_REFUSAL =
      'You requested this approval, so someone else must decide it (paas.policy.allowSelfApproval is off)';

    async function askAs(who: string) {
      const res = await request(app)
        .post(`/organizations/${ORG}/quota-requests`)
        .set('Authorization', as(who))
        .send({ dimension: 'cpu-millicores', limit: 96000, reason: 'Mine' });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    }

    async function ownAdminApproval() {
      return approvalStore.create({
        id: 'own-1',
        organization: ORG,
        subjectType: 'membership',
        subject: {},
        requestedBy: ADMIN,
        reason: 'Let my friend in',
        requiredApprover: 'admin',
        expiresAt: new Date(NOW.getTime() + DAY),
        now: NOW,
      });
    }

    it.each(['approve', 'deny'])(
      'refuses to let the requester %s their own quota request, and audits the refusal',
      async decision => {
        const { id } = await askAs(PLATFORM_ADMIN);
        auditEvents = [];
        const res = await request(app)
          .post(`/approvals/${id}/decision`)
          .set('Authorization', as(PLATFORM_ADMIN))
          .send({ decision, reason: 'Fine by me' });
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({
          name: 'NotAllowedError',
          message: SELF_REFUSAL,
        });
        expect(await cpuLimit()).toBe(64000);
        expect(await knex('approvals').where({ id }).pluck('state')).toEqual([
          'pending',
        ]);
        expect(auditEvents).toEqual([
          { eventId: 'approval-decide', outcome: 'failure' },
        ]);

        const other = await request(app)
          .post(`/approvals/${id}/decision`)
          .set('Authorization', as(PLATFORM))
          .send({ decision: 'approve' });
        expect(other.status).toBe(200);
        expect(await cpuLimit()).toBe(96000);
      },
    );

    it('refuses an admin their own approval that needs an admin', async () => {
      await ownAdminApproval();
      const res = await request(app)
        .post('/approvals/own-1/decision')
        .set('Authorization', as(ADMIN))
        .send({ decision: 'approve' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(SELF_REFUSAL);
      expect(
        await knex('approvals').where({ id: 'own-1' }).pluck('state'),
      ).toEqual(['pending']);
    });

    it("leaves the caller's own requests out of their inbox", async () => {
      const own = await askAs(PLATFORM_ADMIN);
      await ownAdminApproval();
      const inbox = async (user: string) =>
        (
          await request(app)
            .get('/approvals?state=pending')
            .set('Authorization', as(user))
            .expect(200)
        ).body.items.map((a: { id: string }) => a.id);
      expect(await inbox(PLATFORM)).toEqual([own.id]);
      expect(await inbox(PLATFORM_ADMIN)).toEqual(['own-1']);
      expect(await inbox(ADMIN)).toEqual([]);
    });

    it('lets requesters decide their own when paas.policy.allowSelfApproval is on', async () => {
      const lenient = express();
      lenient.use(express.json());
      lenient.use(
        createApprovalsRouter({
          httpAuth: mockServices.httpAuth(),
          approvals: createApprovalService({
            store: approvalStore,
            quotas: new DatabaseQuotaStore(knex),
            access: fakeAccess,
            auditor: mockServices.auditor.mock(),
            notifications: { send },
            logger: mockServices.logger.mock(),
            clock: () => now,
            allowSelfApproval: true,
          }),
        }),
      );
      lenient.use(mockErrorHandler());
      const { id } = await askAs(PLATFORM_ADMIN);
      const inbox = await request(lenient)
        .get('/approvals')
        .set('Authorization', as(PLATFORM_ADMIN));
      expect(inbox.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
      const res = await request(lenient)
        .post(`/approvals/${id}/decision`)
        .set('Authorization', as(PLATFORM_ADMIN))
        .send({ decision: 'approve' });
      expect(res.status).toBe(200);
      expect(await cpuLimit()).toBe(96000);
    });
  });
});
