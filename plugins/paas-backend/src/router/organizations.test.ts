import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { paasOrganizationConditions } from '@paasport/plugin-paas-node';
import request from 'supertest';
import { paasPlugin } from '../plugin';

jest.setTimeout(60_000);

const platform = 'user:default/ada';
const admin = 'user:default/grace';
const developer = 'user:default/alan';
const stranger = 'user:default/eve';

const ROLES_FOR: Record<string, Array<'admin' | 'developer' | 'viewer'>> = {
  'paas.org.read': ['admin', 'developer', 'viewer'],
  'paas.org.update': ['admin'],
  'paas.member.manage': ['admin'],
};

/**
 * Permissions decided like the Paasport policy: the platform user may do anything, others by
 * their role in the organization, looked up in the plugin's own data through `roleOf`.
 */
function permissionsLikeThePolicy(
  roleOf: (org: string, user: string) => Promise<string | undefined>,
) {
  const userOf = (credentials: any) => credentials.principal.userEntityRef;
  return mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async (r: any) => {
          const user = userOf(credentials);
          if (user === platform) return { result: AuthorizeResult.ALLOW };
          if (!isResourcePermission(r.permission)) {
            return { result: AuthorizeResult.DENY };
          }
          const role = await roleOf(r.resourceRef, user);
          const allowed =
            role && ROLES_FOR[r.permission.name]?.includes(role as any);
          return {
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          };
        }),
      ),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map((r: any) => {
        const user = userOf(credentials);
        if (user === platform) return { result: AuthorizeResult.ALLOW };
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'paas',
          resourceType: 'paas-organization',
          conditions: paasOrganizationConditions.hasOrganizationRole({
            claims: [user],
            roles: ROLES_FOR[r.permission.name],
          }),
        } as any;
      }),
  });
}

describe('organization, team and member routes', () => {
  let server: any;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(user),
  });
  const encode = encodeURIComponent;

  beforeEach(async () => {
    backend = await startTestBackend({
      features: [
        paasPlugin,
        permissionsLikeThePolicy(async (org, user) => {
          // Ask the plugin itself who holds which role, as the real rule does.
          const res = await request(backend.server)
            .get(`/api/paas/organizations/${org}/members`)
            .set(as(platform));
          const member = res.body.items?.find((m: any) => m.userRef === user);
          return member?.role;
        }).factory,
      ],
    });
    server = backend.server;

    await request(server)
      .post('/api/paas/organizations')
      .set(as(platform))
      .send({ name: 'acme', title: 'Acme' })
      .expect(201);
    await request(server)
      .put(`/api/paas/organizations/acme/members/${encode(admin)}`)
      .set(as(platform))
      .send({ role: 'admin' })
      .expect(200);
    await request(server)
      .put(`/api/paas/organizations/acme/members/${encode(developer)}`)
      .set(as(platform))
      .send({ role: 'developer' })
      .expect(200);
  });

  afterEach(() => backend.stop());

  it('lists to each user only the organizations they belong to', async () => {
    await request(server)
      .post('/api/paas/organizations')
      .set(as(platform))
      .send({ name: 'globex' })
      .expect(201);

    const names = async (user: string) =>
      (
        await request(server).get('/api/paas/organizations').set(as(user))
      ).body.items.map((o: any) => o.name);
    expect(await names(platform)).toEqual(['acme', 'globex']);
    expect(await names(developer)).toEqual(['acme']);
    expect(await names(stranger)).toEqual([]);
  });

  it('pages organizations, teams and members with limit and cursor', async () => {
    for (const name of ['globex', 'initech']) {
      await request(server)
        .post('/api/paas/organizations')
        .set(as(platform))
        .send({ name })
        .expect(201);
    }
    for (const name of ['checkout', 'search', 'web']) {
      await request(server)
        .post('/api/paas/organizations/acme/teams')
        .set(as(platform))
        .send({ name })
        .expect(201);
    }
    const pages = async (path: string, user: string, limit: number) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const res = await request(server)
          .get(path)
          .query({ limit, ...(cursor ? { cursor } : {}) })
          .set(as(user))
          .expect(200);
        seen.push(res.body.items.map((i: any) => i.name ?? i.userRef));
        cursor = res.body.pageInfo.nextCursor;
      } while (cursor && seen.length < 10);
      return seen;
    };

    expect(await pages('/api/paas/organizations', platform, 2)).toEqual([
      ['acme', 'globex'],
      ['initech'],
    ]);
    expect(await pages('/api/paas/organizations', developer, 1)).toEqual([
      ['acme'],
    ]);
    expect(await pages('/api/paas/organizations/acme/teams', admin, 2)).toEqual(
      [['checkout', 'search'], ['web']],
    );
    expect(
      await pages('/api/paas/organizations/acme/members', developer, 1),
    ).toEqual([[platform], [developer], [admin]]);
  });

  it('refuses a bad limit or cursor with 400 naming it', async () => {
    const teamsPage = await request(server)
      .get('/api/paas/organizations/acme/members')
      .query({ limit: 1 })
      .set(as(platform))
      .expect(200);
    const membersCursor = teamsPage.body.pageInfo.nextCursor;
    expect(membersCursor).toEqual(expect.any(String));

    for (const path of [
      '/api/paas/organizations',
      '/api/paas/organizations/acme/teams',
      '/api/paas/organizations/acme/members',
    ]) {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1&limit=2', 'limit'],
        ['cursor=garbage', 'cursor'],
        [`cursor=${Buffer.from('[1]').toString('base64url')}`, 'cursor'],
      ]) {
        const res = await request(server)
          .get(`${path}?${query}`)
          .set(as(platform));
        expect({ path, query, status: res.status }).toEqual({
          path,
          query,
          status: 400,
        });
        expect(res.body.error.message).toMatch(
          new RegExp(`^Invalid query: ${field}: `),
        );
      }
    }
    const foreign = await request(server)
      .get('/api/paas/organizations')
      .query({ cursor: membersCursor })
      .set(as(platform));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/^Invalid query: cursor: /);
    const all = await request(server)
      .get('/api/paas/organizations')
      .set(as(platform))
      .expect(200);
    expect(all.body).toEqual({
      items: [expect.objectContaining({ name: 'acme' })],
      pageInfo: {},
    });
  });

  it('answers 404 to outsiders and 403 to members without the role', async () => {
    await request(server)
      .get('/api/paas/organizations/acme')
      .set(as(stranger))
      .expect(404);
    await request(server)
      .get('/api/paas/organizations/acme/members')
      .set(as(stranger))
      .expect(404);
    await request(server)
      .get('/api/paas/organizations/acme')
      .set(as(developer))
      .expect(200);

    const res = await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(developer))
      .send({ name: 'checkout' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "Only admins of 'acme' may create teams",
    );
    await request(server)
      .put(`/api/paas/organizations/acme/members/${encode(stranger)}`)
      .set(as(developer))
      .send({ role: 'viewer' })
      .expect(403);
  });

  it('refuses a team whose catalog group name would be too long, unless it adopts a group', async () => {
    const long = 't'.repeat(60);
    const res = await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: long });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `name: the team's catalog group would be named 'acme-${long}', 65 characters; ` +
        'the catalog allows 63, so choose a team name of at most 58 characters or adopt an existing group',
    );
    const teams = await request(server)
      .get('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .expect(200);
    expect(teams.body.items).toEqual([]);

    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: long, groupRef: 'group:default/payments' })
      .expect(201);
  });

  it("refuses a team whose catalog group name another organization's group already has, without naming that organization", async () => {
    const create = (org: string, body: object) =>
      request(server)
        .post(`/api/paas/organizations/${org}/teams`)
        .set(as(platform))
        .send(body);
    for (const organization of [
      { name: 'acme-web' },
      { name: 'acme-payments' },
      { name: 'globex', groupRef: 'group:default/Acme-Ops' },
    ]) {
      await request(server)
        .post('/api/paas/organizations')
        .set(as(platform))
        .send(organization)
        .expect(201);
    }
    await create('acme-web', { name: 'shop' }).expect(201);

    for (const [team, groupName] of [
      ['web-shop', 'acme-web-shop'], // team `shop` of `acme-web`
      ['payments', 'acme-payments'], // the organization `acme-payments`
      ['ops', 'acme-ops'], // the group `globex` adopts
    ]) {
      const res = await request(server)
        .post('/api/paas/organizations/acme/teams')
        .set(as(admin))
        .send({ name: team, groupRef: `group:default/elsewhere-${team}` });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        `name: the catalog group name '${groupName}' is already taken; choose another team name`,
      );
    }
    const teams = await request(server)
      .get('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .expect(200);
    expect(teams.body.items).toEqual([]);

    // The other way round: an organization named like a team's group is refused too.
    await create('acme', { name: 'checkout' }).expect(201);
    const org = await request(server)
      .post('/api/paas/organizations')
      .set(as(platform))
      .send({ name: 'acme-checkout' });
    expect(org.status).toBe(409);
    expect(org.body.error.message).toBe(
      "name: the catalog group name 'acme-checkout' is already taken; choose another organization name",
    );
  });

  it('refuses to adopt a group Paasport publishes for another organization or team', async () => {
    await request(server)
      .post('/api/paas/organizations')
      .set(as(platform))
      .send({ name: 'acme-web' })
      .expect(201);
    await request(server)
      .post('/api/paas/organizations/acme-web/teams')
      .set(as(platform))
      .send({ name: 'shop' })
      .expect(201);

    for (const groupRef of [
      'group:default/acme-web-shop',
      'group:default/ACME-WEB',
    ]) {
      const team = await request(server)
        .post('/api/paas/organizations/acme/teams')
        .set(as(admin))
        .send({ name: 'ops', groupRef });
      expect(team.status).toBe(409);
      expect(team.body.error.message).toBe(
        `groupRef: '${groupRef}' is a catalog group Paasport publishes for an organization or team; adopt only groups from outside Paasport`,
      );
    }
    const org = await request(server)
      .post('/api/paas/organizations')
      .set(as(platform))
      .send({ name: 'globex', groupRef: 'group:default/acme' });
    expect(org.status).toBe(409);
    expect(org.body.error.message).toBe(
      "groupRef: 'group:default/acme' is a catalog group Paasport publishes for an organization or team; adopt only groups from outside Paasport",
    );

    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: 'ops', groupRef: 'group:default/ops-from-ldap' })
      .expect(201);
  });

  it('lets an org admin build teams and manage members', async () => {
    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: 'checkout', title: 'Checkout' })
      .expect(201);
    await request(server)
      .put(
        `/api/paas/organizations/acme/teams/checkout/members/${encode(
          developer,
        )}`,
      )
      .set(as(admin))
      .expect(204);

    const members = await request(server)
      .get('/api/paas/organizations/acme/members')
      .set(as(developer))
      .expect(200);
    expect(
      members.body.items.map((m: any) => [m.userRef, m.role, m.teams]),
    ).toEqual([
      [platform, 'admin', []],
      [developer, 'developer', ['checkout']],
      [admin, 'admin', []],
    ]);

    const mine = await request(server)
      .get('/api/paas/me/memberships')
      .set(as(developer));
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        organization: 'acme',
        role: 'developer',
        teams: ['checkout'],
      }),
    ]);

    await request(server)
      .delete(`/api/paas/organizations/acme/members/${encode(developer)}`)
      .set(as(admin))
      .expect(204);
    await request(server)
      .delete(`/api/paas/organizations/acme/members/${encode(developer)}`)
      .set(as(admin))
      .expect(404);
  });

  it('answers 404 for unknown organizations, teams and members, 409 for conflicts', async () => {
    await request(server)
      .get('/api/paas/organizations/ghost/teams')
      .set(as(platform))
      .expect(404);
    await request(server)
      .put(
        `/api/paas/organizations/acme/teams/ghost/members/${encode(developer)}`,
      )
      .set(as(admin))
      .expect(404);
    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: 'ledger' })
      .expect(201);
    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set(as(admin))
      .send({ name: 'ledger' })
      .expect(409);
    // demoting the last two admins one after the other: the second is refused
    await request(server)
      .put(`/api/paas/organizations/acme/members/${encode(platform)}`)
      .set(as(admin))
      .send({ role: 'viewer' })
      .expect(200);
    const last = await request(server)
      .put(`/api/paas/organizations/acme/members/${encode(admin)}`)
      .set(as(platform))
      .send({ role: 'viewer' });
    expect(last.status).toBe(409);
    expect(last.body.error.message).toMatch(/at least one admin/);
  });

  it.each([
    [
      'post',
      '/api/paas/organizations/acme/teams',
      { name: 'Bad Team' },
      'name',
    ],
    [
      'post',
      '/api/paas/organizations/acme/teams',
      { name: 'ok', extra: 1 },
      'request body',
    ],
    [
      'put',
      `/api/paas/organizations/acme/members/${encodeURIComponent(developer)}`,
      { role: 'owner' },
      'role',
    ],
    [
      'put',
      `/api/paas/organizations/acme/members/${encodeURIComponent(developer)}`,
      {},
      'role',
    ],
    [
      'put',
      '/api/paas/organizations/acme/members/not-a-ref',
      { role: 'viewer' },
      'user reference',
    ],
  ])(
    'answers 400 to %s %s with %j, naming %s, and changes nothing',
    async (method, url, body, field) => {
      const before = await request(server)
        .get('/api/paas/organizations/acme/members')
        .set(as(platform));
      const res = await (request(server) as any)
        [method](url)
        .set(as(admin))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      const after = await request(server)
        .get('/api/paas/organizations/acme/members')
        .set(as(platform));
      expect(after.body).toEqual(before.body);
    },
  );

  it('answers 401 without credentials on every route', async () => {
    const none = { Authorization: mockCredentials.none.header() };
    for (const [method, url] of [
      ['get', '/api/paas/organizations'],
      ['get', '/api/paas/organizations/acme/teams'],
      ['post', '/api/paas/organizations/acme/teams'],
      ['get', '/api/paas/organizations/acme/members'],
      ['put', `/api/paas/organizations/acme/members/${encode(developer)}`],
      ['delete', `/api/paas/organizations/acme/members/${encode(developer)}`],
      ['get', '/api/paas/me/memberships'],
    ]) {
      const res = await (request(server) as any)
        [method](url)
        .set(none)
        .send({});
      expect([method, url, res.status]).toEqual([method, url, 401]);
    }
  });
});
