import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { paasportFeatures } from './paasportFeatures';

jest.setTimeout(60_000);

describe('the Paasport backend', () => {
  const admin = 'user:default/ada.lovelace';
  const developer = 'user:default/alan.turing';

  async function start() {
    const backend = await startTestBackend({
      features: [
        permissionBackend,
        catalogBackend,
        scaffolderBackend,
        ...paasportFeatures(),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            paas: { policy: { platformAdmins: [admin] } },
            catalog: { locations: [] },
          },
        }),
      ],
    });
    return { server: backend.server, stop: () => backend.stop() };
  }

  it('serves /api/paas/health only to authenticated callers, listing the installed providers', async () => {
    const { server, stop } = await start();
    try {
      const anonymous = await request(server)
        .get('/api/paas/health')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);

      const res = await request(server)
        .get('/api/paas/health')
        .set('Authorization', mockCredentials.user.header(developer));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'ok' });
      expect(res.body.providers).toEqual(
        expect.arrayContaining(['aws:s3-bucket', 'kubernetes:namespace']),
      );
    } finally {
      await stop();
    }
  });

  it('lets only platform admins create organizations, through the real permission backend', async () => {
    const { server, stop } = await start();
    try {
      const denied = await request(server)
        .post('/api/paas/organizations')
        .set('Authorization', mockCredentials.user.header(developer))
        .send({ name: 'acme-payments' });
      expect(denied.status).toBe(403);

      const created = await request(server)
        .post('/api/paas/organizations')
        .set('Authorization', mockCredentials.user.header(admin))
        .send({ name: 'acme-payments', title: 'Acme Payments' });
      expect(created.status).toBe(201);
      expect(created.body.createdBy).toBe(admin);

      // Listing (a resource permission, decided conditionally) is not exercised here: the
      // test auth service issues on-behalf-of tokens without the calling plugin as actor,
      // which the permission backend requires for such requests. plugin.test.ts covers it.
    } finally {
      await stop();
    }
  });
});
