import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import { PaasPermissionPolicy } from '@paasport/plugin-permission-backend-module-paas-policy';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { paasPlugin } from './plugin';
import { routesOf } from './__testUtils__/routesOf';

jest.setTimeout(120_000);

const PRINCIPALS = [
  'anonymous',
  'service',
  'outsider',
  'viewer',
  'developer',
  'admin',
  'otherAdmin',
  'platform',
] as const;
type Principal = (typeof PRINCIPALS)[number];

const USERS: Record<Exclude<Principal, 'anonymous' | 'service'>, string> = {
  outsider: 'user:default/olive',
  viewer: 'user:default/victor',
  developer: 'user:default/dana',
  admin: 'user:default/ada',
  otherAdmin: 'user:default/oscar',
  platform: 'user:default/pat',
};
const LEAVER = 'user:default/lee';

/** Who each user is in the directory: what `userInfo` answers, as the catalog would. */
const OWNERSHIP: Record<string, string[]> = {
  [USERS.platform]: [USERS.platform, 'group:default/platform-team'],
};

/**
 * The permission backend's part, done as it does it: the real Paasport policy decides each
 * request, and a conditional decision on one resource is settled by the plugin's own
 * apply-conditions endpoint. Backstage's permissions service in front of it is the real one.
 */
const permissionBackendWithPaasPolicy = createBackendPlugin({
  pluginId: 'permission',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ config, httpRouter, httpAuth, auth, discovery }) {
        const policy = PaasPermissionPolicy.fromConfig(config, {
          userInfo: {
            async getUserInfo(credentials) {
              const { userEntityRef } = (
                credentials as BackstageCredentials<BackstageUserPrincipal>
              ).principal;
              return {
                userEntityRef,
                ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [
                  userEntityRef,
                ],
              };
            },
          },
        });
        const router = Router();
        router.use(express.json());
        router.post('/authorize', async (req, res) => {
          const credentials = await httpAuth.credentials(req);
          const user = auth.isPrincipal(credentials, 'user')
            ? {
                credentials,
                info: {
                  userEntityRef: credentials.principal.userEntityRef,
                  ownershipEntityRefs: [],
                },
              }
            : undefined;
          const items = await Promise.all(
            req.body.items.map(
              async (item: {
                id: string;
                permission: any;
                resourceRef?: string;
              }) => {
                const decision = await policy.handle(
                  { permission: item.permission },
                  user,
                );
                if (
                  decision.result !== AuthorizeResult.CONDITIONAL ||
                  item.resourceRef === undefined
                ) {
                  return { id: item.id, ...decision };
                }
                const { token } = await auth.getPluginRequestToken({
                  onBehalfOf: await auth.getOwnServiceCredentials(),
                  targetPluginId: decision.pluginId,
                });
                const applied = await fetch(
                  `${await discovery.getBaseUrl(
                    decision.pluginId,
                  )}/.well-known/backstage/permissions/apply-conditions`,
                  {
                    method: 'POST',
                    headers: {
                      'Content-Type': 'application/json',
                      Authorization: `Bearer ${token}`,
                    },
                    body: JSON.stringify({
                      items: [
                        {
                          id: item.id,
                          resourceRef: item.resourceRef,
                          resourceType: decision.resourceType,
                          conditions: decision.conditions,
                        },
                      ],
                    }),
                  },
                );
                const { items: results } = await applied.json();
                return { id: item.id, result: results[0].result };
              },
            ),
          );
          res.json({ items });
        });
        httpRouter.use(router);
      },
    });
  },
});

/** A provider of S3 buckets that answers at once, so resources exist to be authorized. */
const instantBuckets = createBackendModule({
  pluginId: 'paas',
  moduleId: 'instant-buckets',
  register(env) {
    env.registerInit({
      deps: { providers: paasProvidersExtensionPoint },
      async init({ providers }) {
        providers.addProvider({
          id: 'instant',
          kinds: ['aws:s3-bucket'],
          async observe() {
            return undefined;
          },
          async apply() {
            return { state: 'ready' };
          },
          async delete() {},
        });
      },
    });
  },
});

/** What a route is called with: its path's values and body, from what the setup made. */
interface Fixture {
  deploymentId: string;
  resourceId: string;
  doomedResourceId: string;
  approvalId: string;
  inviteId: string;
  inviteCode: string;
}

interface RouteCase {
  path: (f: Fixture) => string;
  body?: (f: Fixture) => object;
  /** Expected statuses, in the order of PRINCIPALS. */
  expect: string;
}

const B = 'registry.example.com/acme/api:1';
const deployment = (name: string, environment = 'dev') => ({
  team: 'payments',
  name,
  image: B,
  resources: { cpuMillicores: 100, memoryMib: 128 },
  placement: { environment },
});

/**
 * Every route of the plugin, with the status each kind of caller gets:
 * anonymous, service, outsider, viewer, developer, admin, admin of another organization,
 * platform team. Routes run in this order, each caller on a backend of its own, so a change
 * one makes is seen by the routes after it and by nobody else.
 */
const MATRIX: Record<string, RouteCase | 'framework'> = {
  // The permission framework's endpoints, which Backstage's permissions registry serves.
  'GET /.well-known/backstage/permissions/metadata': 'framework',
  'POST /.well-known/backstage/permissions/apply-conditions': 'framework',

  'GET /health': {
    path: () => '/health',
    expect: '401 200 200 200 200 200 200 200',
  },
  'GET /organizations': {
    path: () => '/organizations',
    expect: '401 200 200 200 200 200 200 200',
  },
  'GET /organizations/:org': {
    path: () => '/organizations/acme',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /organizations/:org/teams': {
    path: () => '/organizations/acme/teams',
    expect: '401 200 404 200 200 200 404 200',
  },
  'GET /organizations/:org/members': {
    path: () => '/organizations/acme/members',
    expect: '401 200 404 200 200 200 404 200',
  },
  'GET /me/memberships': {
    path: () => '/me/memberships',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /organizations/:org/invites': {
    path: () => '/organizations/acme/invites',
    expect: '401 403 404 403 403 200 404 200',
  },
  'GET /organizations/:org/quotas': {
    path: () => '/organizations/acme/quotas',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /organizations/:org/quota-changes': {
    path: () => '/organizations/acme/quota-changes',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /organizations/:org/approvals': {
    path: () => '/organizations/acme/approvals',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /approvals': {
    path: () => '/approvals',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /clusters': {
    path: () => '/clusters',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /clusters/:name': {
    path: () => '/clusters/dev-1',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /priority-classes': {
    path: () => '/priority-classes',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /resource-kinds': {
    path: () => '/resource-kinds',
    expect: '401 403 200 200 200 200 200 200',
  },
  'GET /organizations/:organization/deployments': {
    path: () => '/organizations/acme/deployments',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /deployments/:id': {
    path: f => `/deployments/${f.deploymentId}`,
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /deployments/:id/events': {
    path: f => `/deployments/${f.deploymentId}/events`,
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /organizations/:organization/resources': {
    path: () => '/organizations/acme/resources',
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /resources': {
    path: () => '/resources',
    expect: '401 200 200 200 200 200 200 200',
  },
  'GET /resources/:id': {
    path: f => `/resources/${f.resourceId}`,
    expect: '401 403 404 200 200 200 404 200',
  },
  'GET /resources/:id/events': {
    path: f => `/resources/${f.resourceId}/events`,
    expect: '401 403 404 200 200 200 404 200',
  },

  'POST /organizations': {
    path: () => '/organizations',
    body: () => ({ name: 'newco' }),
    expect: '401 403 403 403 403 403 403 201',
  },
  'POST /organizations/:org/teams': {
    path: () => '/organizations/acme/teams',
    body: () => ({ name: 'ledger' }),
    expect: '401 403 404 403 403 201 404 201',
  },
  'PUT /organizations/:org/teams/:team/members/:userRef': {
    path: () =>
      `/organizations/acme/teams/payments/members/${encodeURIComponent(
        USERS.viewer,
      )}`,
    expect: '401 403 404 403 403 204 404 204',
  },
  'DELETE /organizations/:org/teams/:team/members/:userRef': {
    path: () =>
      `/organizations/acme/teams/payments/members/${encodeURIComponent(
        USERS.viewer,
      )}`,
    expect: '401 403 404 403 403 204 404 204',
  },
  'PUT /organizations/:org/members/:userRef': {
    path: () => `/organizations/acme/members/${encodeURIComponent(LEAVER)}`,
    body: () => ({ role: 'viewer' }),
    expect: '401 403 404 403 403 200 404 200',
  },
  'DELETE /organizations/:org/members/:userRef': {
    path: () => `/organizations/acme/members/${encodeURIComponent(LEAVER)}`,
    expect: '401 403 404 403 403 204 404 204',
  },
  'POST /organizations/:org/invites': {
    path: () => '/organizations/acme/invites',
    body: () => ({ role: 'viewer' }),
    expect: '401 403 404 403 403 201 404 201',
  },
  'DELETE /organizations/:org/invites/:id': {
    path: f => `/organizations/acme/invites/${f.inviteId}`,
    expect: '401 403 404 403 403 204 404 204',
  },
  // Organization limits are the platform team's alone: refused before the organization is
  // looked up, so the answer says nothing about whether it exists.
  'PUT /organizations/:org/quotas/:dimension': {
    path: () => '/organizations/acme/quotas/cpu-millicores',
    body: () => ({ limit: 70_000 }),
    expect: '401 403 403 403 403 403 403 200',
  },
  'PUT /organizations/:org/teams/:team/quotas/:dimension': {
    path: () => '/organizations/acme/teams/payments/quotas/cpu-millicores',
    body: () => ({ limit: 8_000 }),
    expect: '401 403 404 403 403 200 404 200',
  },
  'DELETE /organizations/:org/teams/:team/quotas/:dimension': {
    path: () => '/organizations/acme/teams/payments/quotas/cpu-millicores',
    expect: '401 403 404 403 403 204 404 204',
  },
  'POST /organizations/:org/quota-requests': {
    path: () => '/organizations/acme/quota-requests',
    body: () => ({ dimension: 'gpus', limit: 8, reason: 'training' }),
    expect: '401 403 404 403 403 201 404 201',
  },
  // Asked for by the developer, so the developer may not decide it either.
  'POST /approvals/:id/decision': {
    path: f => `/approvals/${f.approvalId}/decision`,
    body: () => ({ decision: 'approve' }),
    expect: '401 403 404 403 403 200 404 200',
  },
  'POST /clusters': {
    path: () => '/clusters',
    body: () => ({
      name: 'eu-2',
      capacity: { cpuMillicores: 1000, memoryMib: 1024 },
    }),
    expect: '401 403 403 403 403 403 403 201',
  },
  'PATCH /clusters/:name': {
    path: () => '/clusters/spare',
    body: () => ({ title: 'Spare' }),
    expect: '401 403 403 403 403 403 403 200',
  },
  'DELETE /clusters/:name': {
    path: () => '/clusters/spare',
    expect: '401 403 403 403 403 403 403 204',
  },
  'POST /organizations/:organization/deployments': {
    path: () => '/organizations/acme/deployments',
    body: () => deployment('web'),
    expect: '401 403 404 403 201 201 404 201',
  },
  // The developer submitted it: the developer, admins and the platform team may change it.
  'POST /deployments/:id/stop': {
    path: f => `/deployments/${f.deploymentId}/stop`,
    expect: '401 403 404 403 200 200 404 200',
  },
  'POST /deployments/:id/start': {
    path: f => `/deployments/${f.deploymentId}/start`,
    expect: '401 403 404 403 200 200 404 200',
  },
  'DELETE /deployments/:id': {
    path: f => `/deployments/${f.deploymentId}`,
    expect: '401 403 404 403 204 204 404 204',
  },
  'POST /organizations/:organization/resources': {
    path: () => '/organizations/acme/resources',
    body: () => ({ team: 'payments', name: 'logs', kind: 'aws:s3-bucket' }),
    expect: '401 403 404 403 201 201 404 201',
  },
  // Ready, so nothing to retry: 409 once the caller may retry at all.
  'POST /resources/:id/retry': {
    path: f => `/resources/${f.resourceId}/retry`,
    expect: '401 403 404 403 409 409 404 409',
  },
  'DELETE /resources/:id': {
    path: f => `/resources/${f.doomedResourceId}`,
    expect: '401 403 404 403 202 202 404 202',
  },
  // Anyone signed in may redeem a code; the outsider, the other organization's admin and the
  // platform user (a member of nothing here) join. Last, so they are outsiders for every route before it.
  'POST /invites/redeem': {
    path: () => '/invites/redeem',
    body: f => ({ code: f.inviteCode }),
    expect: '401 403 200 409 409 409 200 200',
  },
};

const CONFIG = {
  permission: { enabled: true },
  paas: {
    policy: {
      platformAdmins: ['group:default/platform-team'],
      approvals: [
        {
          name: 'production',
          action: 'deployment.create',
          approver: 'admin',
          placement: { environment: 'prod' },
        },
      ],
    },
  },
};

async function startPortal() {
  const { server } = await startTestBackend({
    features: [
      paasPlugin,
      instantBuckets,
      permissionBackendWithPaasPolicy,
      mockServices.rootConfig.factory({ data: CONFIG }),
      mockServices.permissions.factory(),
    ],
  });
  const as = (user: string) => mockCredentials.user.header(user);
  const call = async (
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    user: string,
    body?: object,
  ) => {
    const res = await request(server)
      [method](`/api/paas${path}`)
      .set('Authorization', as(user))
      .send(body);
    if (res.status >= 300) {
      throw new Error(
        `setup: ${method.toUpperCase()} ${path} answered ${
          res.status
        }: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  };

  const { platform, admin, developer, viewer, otherAdmin } = USERS;
  await call('post', '/organizations', platform, { name: 'acme' });
  await call('post', '/organizations', platform, { name: 'globex' });
  await call('post', '/organizations/acme/teams', platform, {
    name: 'payments',
  });
  for (const [user, role] of [
    [admin, 'admin'],
    [developer, 'developer'],
    [viewer, 'viewer'],
    [LEAVER, 'developer'],
  ]) {
    await call(
      'put',
      `/organizations/acme/members/${encodeURIComponent(user)}`,
      platform,
      { role },
    );
  }
  await call(
    'put',
    `/organizations/globex/members/${encodeURIComponent(otherAdmin)}`,
    platform,
    { role: 'admin' },
  );
  await call(
    'delete',
    `/organizations/acme/members/${encodeURIComponent(platform)}`,
    platform,
  );
  await call(
    'delete',
    `/organizations/globex/members/${encodeURIComponent(platform)}`,
    platform,
  );
  for (const [dimension, limit] of [
    ['cpu-millicores', 64_000],
    ['memory-mib', 262_144],
    ['count/aws:s3-bucket', 10],
  ] as const) {
    await call(
      'put',
      `/organizations/acme/quotas/${encodeURIComponent(dimension)}`,
      platform,
      { limit },
    );
  }
  for (const [name, environment] of [
    ['dev-1', 'dev'],
    ['prod-1', 'prod'],
    ['spare', 'staging'],
  ]) {
    await call('post', '/clusters', platform, {
      name,
      capacity: { cpuMillicores: 16_000, memoryMib: 65_536 },
      labels: { environment },
    });
  }
  const { id: deploymentId } = await call(
    'post',
    '/organizations/acme/deployments',
    developer,
    deployment('api'),
  );
  const held = await call(
    'post',
    '/organizations/acme/deployments',
    developer,
    deployment('api-prod', 'prod'),
  );
  const bucket = (name: string) => ({
    team: 'payments',
    name,
    kind: 'aws:s3-bucket',
  });
  const { id: resourceId } = await call(
    'post',
    '/organizations/acme/resources',
    developer,
    bucket('assets'),
  );
  const { id: doomedResourceId } = await call(
    'post',
    '/organizations/acme/resources',
    developer,
    bucket('scratch'),
  );
  const invite = await call('post', '/organizations/acme/invites', admin, {
    role: 'viewer',
    maxUses: 100,
  });
  const doomedInvite = await call(
    'post',
    '/organizations/acme/invites',
    admin,
    { role: 'viewer' },
  );
  for (const id of [resourceId, doomedResourceId]) {
    for (let i = 0; i < 100; i++) {
      const { phase } = await call('get', `/resources/${id}`, platform);
      if (phase === 'ready') break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
  const fixture: Fixture = {
    deploymentId,
    resourceId,
    doomedResourceId,
    approvalId: held.approvalId,
    inviteId: doomedInvite.id,
    inviteCode: invite.code,
  };
  return { server, fixture };
}

function headerOf(principal: Principal): string {
  switch (principal) {
    case 'anonymous':
      return mockCredentials.none.header();
    case 'service':
      return mockCredentials.service.header();
    default:
      return mockCredentials.user.header(USERS[principal]);
  }
}

describe('authorization matrix, with the real Paasport policy', () => {
  it('has an entry for every route the plugin serves', async () => {
    expect((await routesOf(paasPlugin)).sort()).toEqual(
      Object.keys(MATRIX).sort(),
    );
  });

  it('shows each caller only what the policy lets it see of approvals and cluster allocations', async () => {
    const { server, fixture } = await startPortal();
    const get = (principal: Principal, path: string) =>
      request(server)
        .get(`/api/paas${path}`)
        .set('Authorization', headerOf(principal));
    for (let i = 0; i < 100; i++) {
      const { body } = await get(
        'platform',
        `/deployments/${fixture.deploymentId}`,
      );
      if (body.cluster) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }

    const users = PRINCIPALS.filter(p => p !== 'anonymous' && p !== 'service');
    const seen: Record<string, { decides: boolean; allocations: string[] }> =
      {};
    for (const principal of users) {
      const inbox = await get(principal, '/approvals');
      const cluster = await get(principal, '/clusters/dev-1');
      seen[principal] = {
        decides: inbox.body.items.some(
          (a: { id: string }) => a.id === fixture.approvalId,
        ),
        allocations: (cluster.body.allocations ?? []).map(
          (a: { organization: string }) => a.organization,
        ),
      };
    }
    expect(seen).toEqual({
      outsider: { decides: false, allocations: [] },
      viewer: { decides: false, allocations: ['acme'] },
      // The developer asked for it, and is no admin.
      developer: { decides: false, allocations: ['acme'] },
      admin: { decides: true, allocations: ['acme'] },
      otherAdmin: { decides: false, allocations: [] },
      platform: { decides: true, allocations: ['acme'] },
    });
  });

  it.each(PRINCIPALS.map((principal, column) => [principal, column] as const))(
    'gives %s the expected status on every route',
    async (principal, column) => {
      const { server, fixture } = await startPortal();
      const got: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const [route, entry] of Object.entries(MATRIX)) {
        if (entry === 'framework') continue;
        const [method] = route.split(' ');
        const req = request(server)[
          method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
        ](`/api/paas${entry.path(fixture)}`);
        const res = await req
          .set('Authorization', headerOf(principal))
          .send(entry.body?.(fixture));
        got[route] = res.status;
        expected[route] = Number(entry.expect.split(' ')[column]);
      }
      expect(got).toEqual(expected);
    },
  );
});
