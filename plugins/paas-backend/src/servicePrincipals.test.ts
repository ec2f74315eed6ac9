import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { paasPlugin } from './plugin';
import { routesOf } from './__testUtils__/routesOf';

jest.setTimeout(60_000);

const PLATFORM = 'user:default/platform';

/**
 * A permission backend whose policy allows the platform user everything and denies everyone
 * else. Backstage's real permissions service sits in front of it, so whether service
 * principals reach this policy at all is the real framework's behaviour.
 */
const platformOnlyPermissionBackend = createBackendPlugin({
  pluginId: 'permission',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.use(express.json());
        router.post('/authorize', async (req, res) => {
          const { principal } = await httpAuth.credentials(req);
          const allowed =
            (principal as { userEntityRef?: string }).userEntityRef ===
            PLATFORM;
          res.json({
            items: req.body.items.map((item: { id: string }) => ({
              id: item.id,
              result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            })),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

const ID = '00000000-0000-4000-8000-000000000001';

/**
 * Every route and whether a plain service call (no user behind it) may reach it: only the
 * reads the catalog module makes with its own credentials, and /health.
 */
const serviceAccess: Record<string, 'reaches' | 'refused' | 'framework'> = {
  // The permission backend's calls, served by Backstage's permissions registry.
  'GET /.well-known/backstage/permissions/metadata': 'framework',
  'POST /.well-known/backstage/permissions/apply-conditions': 'framework',
  'GET /health': 'reaches',
  'GET /organizations': 'reaches',
  'GET /organizations/:org/teams': 'reaches',
  'GET /organizations/:org/members': 'reaches',
  'GET /resources': 'reaches',
  'POST /organizations': 'refused',
  'GET /organizations/:org': 'refused',
  'POST /organizations/:org/teams': 'refused',
  'PUT /organizations/:org/teams/:team/members/:userRef': 'refused',
  'DELETE /organizations/:org/teams/:team/members/:userRef': 'refused',
  'PUT /organizations/:org/members/:userRef': 'refused',
  'DELETE /organizations/:org/members/:userRef': 'refused',
  'GET /me/memberships': 'refused',
  'POST /organizations/:org/invites': 'refused',
  'GET /organizations/:org/invites': 'refused',
  'DELETE /organizations/:org/invites/:id': 'refused',
  'POST /invites/redeem': 'refused',
  'GET /organizations/:org/quotas': 'refused',
  'PUT /organizations/:org/quotas/:dimension': 'refused',
  'PUT /organizations/:org/teams/:team/quotas/:dimension': 'refused',
  'DELETE /organizations/:org/teams/:team/quotas/:dimension': 'refused',
  'GET /organizations/:org/quota-changes': 'refused',
  'POST /organizations/:org/quota-requests': 'refused',
  'GET /organizations/:org/approvals': 'refused',
  'GET /approvals': 'refused',
  'POST /approvals/:id/decision': 'refused',
  'GET /clusters': 'refused',
  'GET /clusters/:name': 'refused',
  'POST /clusters': 'refused',
  'PATCH /clusters/:name': 'refused',
  'DELETE /clusters/:name': 'refused',
  'GET /priority-classes': 'refused',
  'POST /organizations/:organization/deployments': 'refused',
  'GET /organizations/:organization/deployments': 'refused',
  'GET /deployments/:id': 'refused',
  'GET /deployments/:id/events': 'refused',
  'POST /deployments/:id/stop': 'refused',
  'POST /deployments/:id/start': 'refused',
  'DELETE /deployments/:id': 'refused',
  'GET /resource-kinds': 'refused',
  'POST /organizations/:organization/resources': 'refused',
  'GET /organizations/:organization/resources': 'refused',
  'GET /resources/:id': 'refused',
  'GET /resources/:id/events': 'refused',
  'POST /resources/:id/retry': 'refused',
  'DELETE /resources/:id': 'refused',
};

/** A concrete path for a route pattern, naming things that exist where that matters. */
function pathOf(pattern: string): string {
  return pattern
    .replace(':organization', 'acme')
    .replace(':org', 'acme')
    .replace(':team', 'payments')
    .replace(':userRef', encodeURIComponent('user:default/dana'))
    .replace(':dimension', 'cpu')
    .replace(':name', 'eu-west')
    .replace(':id', ID);
}

describe('service principals', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        paasPlugin,
        platformOnlyPermissionBackend,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
        mockServices.permissions.factory(),
      ],
    }));
    const asPlatform = mockCredentials.user.header(PLATFORM);
    await request(server)
      .post('/api/paas/organizations')
      .set('Authorization', asPlatform)
      .send({ name: 'acme' })
      .expect(201);
    await request(server)
      .post('/api/paas/organizations/acme/teams')
      .set('Authorization', asPlatform)
      .send({ name: 'payments' })
      .expect(201);
  });

  it('lists every route of the plugin in the table', async () => {
    expect((await routesOf(paasPlugin)).sort()).toEqual(
      Object.keys(serviceAccess).sort(),
    );
  });

  it('a user the policy denies cannot create an organization (403)', async () => {
    const res = await request(server)
      .post('/api/paas/organizations')
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send({ name: 'by-user' });
    expect(res.status).toBe(403);
  });

  it('a service principal cannot create an organization either (403)', async () => {
    const res = await request(server)
      .post('/api/paas/organizations')
      .set('Authorization', mockCredentials.service.header())
      .send({ name: 'by-service' });
    expect(res.status).toBe(403);
    const list = await request(server)
      .get('/api/paas/organizations')
      .set('Authorization', mockCredentials.service.header());
    expect(list.body.items.map((o: { name: string }) => o.name)).toEqual([
      'acme',
    ]);
  });

  it('a service principal reads what the catalog module needs', async () => {
    const service = mockCredentials.service.header();
    const teams = await request(server)
      .get('/api/paas/organizations/acme/teams')
      .set('Authorization', service);
    expect(teams.status).toBe(200);
    expect(teams.body.items.map((t: { name: string }) => t.name)).toEqual([
      'payments',
    ]);
    const members = await request(server)
      .get('/api/paas/organizations/acme/members')
      .set('Authorization', service);
    expect(members.status).toBe(200);
    expect(members.body.items).toEqual([
      expect.objectContaining({ userRef: PLATFORM, role: 'admin' }),
    ]);
    const resources = await request(server)
      .get('/api/paas/resources')
      .set('Authorization', service);
    expect(resources.status).toBe(200);
    const health = await request(server)
      .get('/api/paas/health')
      .set('Authorization', service);
    expect(health.status).toBe(200);
  });

  it.each(
    Object.entries(serviceAccess).filter(([, access]) => access === 'refused'),
  )('%s refuses a service principal with 403', async route => {
    const [method, pattern] = route.split(' ');
    const res = await request(server)
      [method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](
        `/api/paas${pathOf(pattern)}`,
      )
      .set('Authorization', mockCredentials.service.header())
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "This endpoint does not allow 'service' credentials",
    );
  });
});
