import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuditorServiceEvent } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { createClient } from '@redis/client';
import express from 'express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseInviteStore } from '../database/InviteStore';
import { DatabaseMembershipStore } from '../database/MembershipStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseOrganizationStore } from '../database/OrganizationStore';
import { generateInviteCode, hashInviteCode } from '../service/inviteCodes';
import {
  createInviteService,
  INVALID_INVITE_CODE_MESSAGE,
} from '../service/InviteService';
import { createOrganizationAccess } from '../service/OrganizationAccess';
import { createInvitesRouter } from './invites';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const BOB = 'user:default/bob';
const as = (userRef: string) => mockCredentials.user.header(userRef);

describe('createInvitesRouter', () => {
  const databases = createTestDatabases();

  const INVITES_CONFIG: JsonObject = {
    defaultExpiry: { days: 2 },
    redeemRateLimit: { max: 5, window: { minutes: 1 } },
  };

  const shutdownHooks: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const hook of shutdownHooks.splice(0)) {
      await hook();
    }
  });

  async function setUp(
    invitesConfig: JsonObject = INVITES_CONFIG,
    backendConfig: JsonObject = {},
  ) {
    const knex = await databases.init('SQLITE_3');
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const organizations = new DatabaseOrganizationStore(db);
    await organizations.create({
      name: 'acme',
      title: 'Acme',
      createdBy: ADMIN,
    });
    const memberships = new DatabaseMembershipStore(db);
    const store = new DatabaseInviteStore(db, memberships);

    // The admin may do anything; everyone else may only see organizations.
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) =>
        requests.map(r => ({
          result:
            (credentials.principal as { userEntityRef?: string })
              .userEntityRef === ADMIN || r.permission.name === 'paas.org.read'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    });

    const audit: unknown[] = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }) => {
        audit.push({ eventId, meta });
        const event: AuditorServiceEvent = {
          success: async options => void audit.push({ eventId, ...options }),
          fail: async ({ error, meta: failMeta }) =>
            void audit.push({
              eventId,
              failed: error.message,
              meta: failMeta,
            }),
        };
        return event;
      },
    });
    const logger = mockServices.logger.mock();
    const config = mockServices.rootConfig({
      data: { backend: backendConfig, paas: { invites: invitesConfig } },
    });
    const lifecycle = mockServices.lifecycle.mock({
      addShutdownHook: hook => void shutdownHooks.push(hook),
    });

    const invites = createInviteService({
      store,
      access: createOrganizationAccess({ permissions, store: organizations }),
      auditor,
      logger,
      config,
    });
    // Each replica has its own router and limiter, as each backend process would.
    const createReplica = () =>
      express()
        .use(express.json())
        .use(
          createInvitesRouter({
            httpAuth: mockServices.httpAuth(),
            invites,
            config,
            logger,
            lifecycle,
          }),
        )
        .use(mockErrorHandler());
    const app = createReplica();

    const createCode = async (body: object = { role: 'developer' }) => {
      const res = await request(app)
        .post('/organizations/acme/invites')
        .set('Authorization', as(ADMIN))
        .send(body);
      expect(res.status).toBe(201);
      return res.body;
    };
    const redeem = (code: string, userRef = BOB, replica = app) =>
      request(replica)
        .post('/invites/redeem')
        .set('Authorization', as(userRef))
        .send({ code });

    return {
      app,
      createReplica,
      knex,
      store,
      memberships,
      audit,
      logger,
      createCode,
      redeem,
    };
  }

  it('creates a code that is shown once, lists it without the code, and redeems it', async () => {
    const { app, memberships, createCode, redeem } = await setUp();
    const before = Date.now();

    const created = await createCode({ role: 'developer', maxUses: 3 });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      code: expect.stringMatching(/^pp_[A-Za-z0-9_-]{32}$/),
      organization: 'acme',
      role: 'developer',
      maxUses: 3,
      uses: 0,
      expiresAt: expect.any(String),
      createdBy: ADMIN,
      createdAt: expect.any(String),
    });
    const lifetime = Date.parse(created.expiresAt) - before;
    expect(Math.abs(lifetime - 2 * 24 * 3600_000)).toBeLessThan(60_000);

    const list = await request(app)
      .get('/organizations/acme/invites')
      .set('Authorization', as(ADMIN));
    expect(list.status).toBe(200);
    const { code, ...listed } = created;
    expect(list.body).toEqual({ items: [listed], pageInfo: {} });
    expect(JSON.stringify(list.body)).not.toContain(code);
    expect(JSON.stringify(list.body)).not.toContain(hashInviteCode(code));

    const redeemed = await redeem(`  ${code}\n`);
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toEqual({ organization: 'acme', role: 'developer' });
    expect(await memberships.get('acme', BOB)).toMatchObject({
      role: 'developer',
    });
  });

  it('pages the codes newest first, with nextCursor on every page but the last', async () => {
    const { app, knex, createCode } = await setUp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createCode()).id);
    }
    // One creation time for all: the order among them is their ids'.
    await knex('invite_codes').update({ created_at: '2026-11-22T12:00:00Z' });
    ids.sort();

    const first = await request(app)
      .get('/organizations/acme/invites?limit=2')
      .set('Authorization', as(ADMIN));
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(
      ids.slice(0, 2),
    );
    expect(first.body.pageInfo.nextCursor).toEqual(expect.any(String));
    const last = await request(app)
      .get('/organizations/acme/invites')
      .query({ limit: 2, cursor: first.body.pageInfo.nextCursor })
      .set('Authorization', as(ADMIN));
    expect(last.status).toBe(200);
    expect(last.body.items.map((i: { id: string }) => i.id)).toEqual(
      ids.slice(2),
    );
    expect(last.body.pageInfo).toEqual({});
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=garbage', 'cursor'],
  ])('answers 400 to ?%s naming %s', async (query, field) => {
    const { app, createCode } = await setUp();
    await createCode();
    const res = await request(app)
      .get(`/organizations/acme/invites?${query}`)
      .set('Authorization', as(ADMIN));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      new RegExp(`^Invalid query: ${field}: `),
    );
  });

  it('takes the expiry from expiresIn, capped at 90 days', async () => {
    const { createCode } = await setUp();
    const created = await createCode({ role: 'viewer', expiresIn: 'PT12H' });
    const lifetime = Date.parse(created.expiresAt) - Date.now();
    expect(Math.abs(lifetime - 12 * 3600_000)).toBeLessThan(60_000);
    await createCode({ role: 'viewer', expiresIn: 'P90D' });
  });

  it.each([
    [{ role: 'developer', maxUses: -1 }, 'maxUses'],
    [{ role: 'developer', maxUses: 0 }, 'maxUses'],
    [{ role: 'developer', maxUses: 1e9 }, 'maxUses'],
    [{ role: 'developer', maxUses: 1.5 }, 'maxUses'],
    [{ role: 'developer', expiresIn: '3 days' }, 'expiresIn'],
    [{ role: 'developer', expiresIn: 'P91D' }, 'expiresIn'],
    [{ role: 'developer', expiresIn: 'P1Y' }, 'expiresIn'],
    [{ role: 'developer', expiresIn: 'PT0S' }, 'expiresIn'],
    [{ role: 'owner' }, 'role'],
    [{}, 'role'],
    [{ role: 'developer', code: 'pp_mine' }, 'request body'],
  ])(
    'answers 400 naming the field for %j and writes nothing',
    async (body, field) => {
      const { app, knex } = await setUp();
      const res = await request(app)
        .post('/organizations/acme/invites')
        .set('Authorization', as(ADMIN))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
      expect(await knex('invite_codes')).toEqual([]);
    },
  );

  it('answers 401 to unauthenticated callers', async () => {
    const { app } = await setUp();
    const none = mockCredentials.none.header();
    const responses = await Promise.all([
      request(app)
        .post('/organizations/acme/invites')
        .set('Authorization', none)
        .send({ role: 'viewer' }),
      request(app)
        .get('/organizations/acme/invites')
        .set('Authorization', none),
      request(app)
        .delete('/organizations/acme/invites/x')
        .set('Authorization', none),
      request(app)
        .post('/invites/redeem')
        .set('Authorization', none)
        .send({ code: 'pp_x' }),
    ]);
    expect(responses.map(r => r.status)).toEqual([401, 401, 401, 401]);
  });

  it('answers 403 to members who are not admins, for create, list and revoke', async () => {
    const { app, createCode } = await setUp();
    const { id } = await createCode();
    const responses = await Promise.all([
      request(app)
        .post('/organizations/acme/invites')
        .set('Authorization', as(BOB))
        .send({ role: 'admin' }),
      request(app)
        .get('/organizations/acme/invites')
        .set('Authorization', as(BOB)),
      request(app)
        .delete(`/organizations/acme/invites/${id}`)
        .set('Authorization', as(BOB)),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "Only admins of 'acme' may manage its invite codes",
      );
    }
  });

  it('lets only users redeem, not services', async () => {
    const { app, createCode } = await setUp();
    const { code } = await createCode();
    const res = await request(app)
      .post('/invites/redeem')
      .set('Authorization', mockCredentials.service.header())
      .send({ code });
    expect(res.status).toBe(403);
  });

  it('answers 404 for an unknown organization or invite id', async () => {
    const { app } = await setUp();
    const ghost = await request(app)
      .get('/organizations/ghost/invites')
      .set('Authorization', as(ADMIN));
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toBe("No organization named 'ghost'");

    const unknown = await request(app)
      .delete('/organizations/acme/invites/nope')
      .set('Authorization', as(ADMIN));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("No invite code 'nope' in 'acme'");
  });

  it('revokes with 204, twice if asked', async () => {
    const { app, createCode, redeem } = await setUp();
    const { id, code } = await createCode();
    for (let i = 0; i < 2; i++) {
      const res = await request(app)
        .delete(`/organizations/acme/invites/${id}`)
        .set('Authorization', as(ADMIN));
      expect(res.status).toBe(204);
    }
    expect((await redeem(code)).status).toBe(400);
  });

  it('answers 409 to a member and leaves the code unused', async () => {
    const { app, createCode, redeem } = await setUp();
    const { code } = await createCode({ role: 'viewer' });
    const res = await redeem(code, ADMIN);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("You are already a member of 'acme'");
    const list = await request(app)
      .get('/organizations/acme/invites')
      .set('Authorization', as(ADMIN));
    expect(list.body.items[0].uses).toBe(0);
  });

  it('gives expired, used up, revoked and unknown codes the same 400 answer', async () => {
    const { app, store, createCode, redeem } = await setUp();
    const expired = generateInviteCode();
    await store.create({
      id: 'expired',
      organization: 'acme',
      role: 'admin',
      codeHash: hashInviteCode(expired),
      maxUses: 5,
      expiresAt: new Date(Date.now() - 1000),
      createdBy: ADMIN,
    });
    const usedUp = (await createCode({ role: 'viewer', maxUses: 1 })).code;
    expect((await redeem(usedUp, 'user:default/carol')).status).toBe(200);
    const revoked = await createCode();
    await request(app)
      .delete(`/organizations/acme/invites/${revoked.id}`)
      .set('Authorization', as(ADMIN))
      .expect(204);

    const answers: Array<{ status: number; body: unknown }> = [];
    for (const code of [
      expired,
      usedUp,
      revoked.code,
      generateInviteCode(),
      'x',
    ]) {
      const res = await request(app)
        .post('/invites/redeem')
        .set('Authorization', as(`user:default/dave-${answers.length}`))
        .send({ code });
      answers.push({ status: res.status, body: res.body });
    }
    expect(new Set(answers.map(a => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({
      status: 400,
      body: {
        error: { name: 'InputError', message: INVALID_INVITE_CODE_MESSAGE },
        request: { method: 'POST', url: '/invites/redeem' },
        response: { statusCode: 400 },
      },
    });
  });

  it('answers 400 naming the field for a malformed redeem body', async () => {
    const { redeem, app } = await setUp();
    expect((await redeem('')).body.error.message).toContain('code');
    const extra = await request(app)
      .post('/invites/redeem')
      .set('Authorization', as(BOB))
      .send({ code: 'pp_x', organization: 'acme' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('organization');
  });

  it('limits each user to 5 attempts a minute with 429 and Retry-After', async () => {
    const { createCode, redeem, memberships, logger } = await setUp();
    const { code } = await createCode({ role: 'viewer', maxUses: 5 });
    for (let i = 0; i < 5; i++) {
      expect((await redeem(`pp_guess${i}`)).status).toBe(400);
    }

    const limited = await redeem(code);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      error: {
        name: 'TooManyRequestsError',
        message: `Too many attempts; retry in ${retryAfter} s`,
      },
      response: { statusCode: 429 },
    });
    expect(await memberships.get('acme', BOB)).toBeUndefined();

    // Counted per user, case-insensitively.
    expect((await redeem('pp_guess', 'user:default/BOB')).status).toBe(429);
    expect((await redeem(code, 'user:default/carol')).status).toBe(200);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('counts attempts across replicas that share the Redis rate limit store', async () => {
    const redisUrl =
      process.env.PAASPORT_TEST_REDIS_CONNECTION_STRING ??
      'redis://127.0.0.1:6379';
    const { createReplica, redeem, logger } = await setUp(INVITES_CONFIG, {
      rateLimit: {
        global: false,
        store: { type: 'redis', connection: redisUrl },
      },
    });
    const replicas = [createReplica(), createReplica()];
    // A user of this run alone, so counts left in Redis by other runs do not interfere.
    const user = `user:default/replica-test-${randomUUID()}`;
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          (await redeem(`pp_guess${i}`, user, replicas[i % 2])).status,
        );
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
      // A replica started after the attempts, as after a restart, counts them too.
      const limited = await redeem('pp_guess', user, createReplica());
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toMatch(
        /^Too many attempts; retry in \d+ s$/,
      );
      expect(await redis.keys(`*${user}`)).toHaveLength(1);
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.error).not.toHaveBeenCalled();
    } finally {
      const keys = await redis.keys(`*${user}`);
      if (keys.length) {
        await redis.del(keys);
      }
      await redis.quit();
    }
  });

  it('refuses redemptions at once while the Redis rate limit store is unreachable', async () => {
    const { redeem, logger } = await setUp(INVITES_CONFIG, {
      rateLimit: {
        global: false,
        // Nothing listens on port 1.
        store: { type: 'redis', connection: 'redis://127.0.0.1:1' },
      },
    });
    const started = Date.now();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await redeem(`pp_guess${i}`)).status);
    }
    expect(statuses).toEqual([500, 500, 500]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Redis'));
  });

  it('keeps the code and its hash out of audit events and logs', async () => {
    const { app, audit, logger, createCode, redeem } = await setUp();
    const { code, id } = await createCode({ role: 'developer', maxUses: 2 });
    await redeem(code);
    await redeem(code, ADMIN);
    await redeem(`${code}x`, 'user:default/carol');
    await request(app)
      .delete(`/organizations/acme/invites/${id}`)
      .set('Authorization', as(ADMIN));

    expect(audit).toEqual([
      {
        eventId: 'invite-create',
        meta: {
          organization: 'acme',
          inviteId: id,
          role: 'developer',
          maxUses: 2,
          expiresAt: expect.any(String),
        },
      },
      { eventId: 'invite-create' },
      { eventId: 'invite-redeem', meta: undefined },
      {
        eventId: 'invite-redeem',
        meta: { organization: 'acme', role: 'developer', inviteId: id },
      },
      { eventId: 'invite-redeem', meta: undefined },
      {
        eventId: 'invite-redeem',
        failed: "You are already a member of 'acme'",
        meta: { organization: 'acme' },
      },
      { eventId: 'invite-redeem', meta: undefined },
      {
        eventId: 'invite-redeem',
        failed: INVALID_INVITE_CODE_MESSAGE,
        meta: undefined,
      },
      {
        eventId: 'invite-revoke',
        meta: { organization: 'acme', inviteId: id },
      },
      { eventId: 'invite-revoke' },
    ]);

    const logged = JSON.stringify([
      audit,
      ...Object.values(logger).map(fn => (fn as jest.Mock).mock?.calls),
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(id),
      expect.objectContaining({ inviteId: id }),
    );
    expect(logged).toContain(id);
    expect(logged).not.toContain(code);
    expect(logged).not.toContain(code.slice(3));
    expect(logged).not.toContain(hashInviteCode(code));
  });

  it('reads the default expiry as a string too, and without config uses 7 days and 5 attempts', async () => {
    const fromString = await setUp({ defaultExpiry: '3d' });
    const created = await fromString.createCode();
    const lifetime = Date.parse(created.expiresAt) - Date.now();
    expect(Math.abs(lifetime - 3 * 24 * 3600_000)).toBeLessThan(60_000);

    const defaults = await setUp({});
    const { code } = await defaults.createCode();
    const weekly = await defaults.createCode();
    expect(
      Math.abs(Date.parse(weekly.expiresAt) - Date.now() - 7 * 24 * 3600_000),
    ).toBeLessThan(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await defaults.redeem(`${code}${i}`)).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it.each<[string, JsonObject, RegExp]>([
    [
      'a default expiry over 90 days',
      { defaultExpiry: { days: 91 } },
      /defaultExpiry/,
    ],
    ['a zero default expiry', { defaultExpiry: 'PT0S' }, /defaultExpiry/],
    ['no attempts', { redeemRateLimit: { max: 0 } }, /redeemRateLimit\.max/],
    [
      'a window too long',
      { redeemRateLimit: { window: { days: 30 } } },
      /redeemRateLimit\.window/,
    ],
  ])('refuses to start with %s', async (_what, invitesConfig, message) => {
    await expect(setUp(invitesConfig)).rejects.toThrow(message);
  });
});
