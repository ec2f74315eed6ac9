import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import request from 'supertest';
import { paasPlugin } from './plugin';

describe('paasPlugin', () => {
  const fakeProviderModule = createBackendModule({
    pluginId: 'paas',
    moduleId: 'fake-provider',
    register(env) {
      env.registerInit({
        deps: { providers: paasProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider({
            id: 'fake',
            kinds: ['aws:sqs-queue'],
            observe: async () => undefined,
            apply: async () => ({ state: 'ready' }),
            delete: async () => {},
          });
        },
      });
    },
  });

  async function start(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const auditEvents: { eventId: string; outcome: string }[] = [];
    const { server } = await startTestBackend({
      features: [
        paasPlugin,
        fakeProviderModule,
        mockServices.permissions.mock({
          authorize: async requests => requests.map(() => ({ result })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result })),
        }).factory,
        mockServices.auditor.mock({
          createEvent: async ({ eventId }) => ({
            success: async () =>
              void auditEvents.push({ eventId, outcome: 'success' }),
            fail: async () =>
              void auditEvents.push({ eventId, outcome: 'failure' }),
          }),
        }).factory,
      ],
    });
    return { server, auditEvents };
  }

  it('answers /health to an authenticated caller with the database state and providers', async () => {
    const { server } = await start(AuthorizeResult.ALLOW);
    const res = await request(server).get('/api/paas/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'ok',
      providers: ['aws:sqs-queue'],
    });
  });

  it('refuses unauthenticated callers with 401', async () => {
    const { server } = await start(AuthorizeResult.ALLOW);
    const res = await request(server)
      .get('/api/paas/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
    const list = await request(server)
      .get('/api/paas/organizations')
      .set('Authorization', mockCredentials.none.header());
    expect(list.status).toBe(401);
  });

  it('creates an organization, audits it, and answers 409 for a second one of that name', async () => {
    const { server, auditEvents } = await start(AuthorizeResult.ALLOW);
    const created = await request(server)
      .post('/api/paas/organizations')
      .send({ name: 'acme', title: 'Acme Payments' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'acme',
      title: 'Acme Payments',
      createdBy: mockCredentials.user().principal.userEntityRef,
    });

    const again = await request(server)
      .post('/api/paas/organizations')
      .send({ name: 'acme' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("Organization 'acme' already exists");

    const list = await request(server).get('/api/paas/organizations');
    expect(list.body.items.map((o: { name: string }) => o.name)).toEqual([
      'acme',
    ]);
    expect(auditEvents).toEqual([
      { eventId: 'organization-create', outcome: 'success' },
      { eventId: 'organization-create', outcome: 'failure' },
    ]);
  });

  it('answers 404 naming an unknown organization', async () => {
    const { server } = await start(AuthorizeResult.ALLOW);
    const res = await request(server).get('/api/paas/organizations/ghost');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("No organization named 'ghost'");
  });

  it('denies creation without permission (403) and lists nothing', async () => {
    const { server, auditEvents } = await start(AuthorizeResult.DENY);
    const res = await request(server)
      .post('/api/paas/organizations')
      .send({ name: 'acme' });
    expect(res.status).toBe(403);
    const list = await request(server).get('/api/paas/organizations');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect(auditEvents).toEqual([
      { eventId: 'organization-create', outcome: 'failure' },
    ]);
  });

  it.each([
    [{}, 'name'],
    [{ name: 'Acme' }, 'name'],
    [{ name: 42 }, 'name'],
    [{ name: 'acme', admin: true }, 'request body'],
    [{ name: "acme'; drop table organizations; --" }, 'name'],
    [{ name: 'acme', groupRef: 'payments' }, 'groupRef'],
    [{ name: 'acme', title: 'x'.repeat(256) }, 'title'],
  ])(
    'answers 400 naming the field for %j and writes nothing',
    async (body, field) => {
      const { server } = await start(AuthorizeResult.ALLOW);
      const res = await request(server)
        .post('/api/paas/organizations')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
      const list = await request(server).get('/api/paas/organizations');
      expect(list.body.items).toEqual([]);
    },
  );

  it('answers 413 to an oversized body', async () => {
    const { server } = await start(AuthorizeResult.ALLOW);
    const res = await request(server)
      .post('/api/paas/organizations')
      .send({ name: 'acme', description: 'x'.repeat(100_000) });
    expect(res.status).toBe(413);
  });
});
