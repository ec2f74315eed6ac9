import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import {
  Deployment,
  ManagedResource,
  Membership,
  Team,
} from '@paasport/plugin-paas-common';
import { PaasClient } from './PaasClient';

const team: Team = {
  organization: 'acme',
  name: 'checkout',
  title: 'Checkout',
  createdBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const member: Membership = {
  organization: 'acme',
  userRef: 'user:default/alice',
  role: 'admin',
  teams: ['checkout'],
  createdBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const deployment: Deployment = {
  id: 'd-1',
  organization: 'acme',
  team: 'checkout',
  name: 'api',
  image: 'ghcr.io/acme/checkout:1.4.2',
  replicas: 2,
  resources: { cpuMillicores: 500, memoryMib: 512, gpus: 0 },
  priorityClass: 'standard',
  priority: 100,
  placement: {},
  state: 'queued',
  preemptions: 0,
  queue: { position: 1, length: 3 },
  createdBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const resource: ManagedResource = {
  id: '6f1c2f4e-0d7a-4c1b-9a51-5d2a8f0c9e11',
  organization: 'acme',
  team: 'checkout',
  kind: 'aws:s3-bucket',
  name: 'assets',
  externalName: 'acme-checkout-assets',
  owner: 'group:default/acme-checkout',
  component: 'component:default/payments-api',
  spec: { versioning: false, encryption: { type: 'SSE-S3' } },
  phase: 'provisioning',
  deletionPolicy: 'delete',
  generation: 1,
  observedGeneration: 0,
  conditions: [],
  outputs: {},
  monthlyCost: 5,
  requestedBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function sendError(
  res: ServerResponse,
  req: IncomingMessage,
  statusCode: number,
  name: string,
  message: string,
) {
  res.statusCode = statusCode;
  res.end(
    JSON.stringify({
      error: { name, message },
      request: { method: req.method, url: req.url },
      response: { statusCode },
    }),
  );
}

/** Whether `sendList` answers in two pages. */
let listsInPages = false;

/**
 * Answers a list: in one page, or while `listsInPages` is on, in two pages of the same
 * items, the second asked for with the first one's cursor.
 */
function sendList(req: IncomingMessage, res: ServerResponse, items: unknown[]) {
  const cursor = new URL(req.url!, 'http://backend').searchParams.get('cursor');
  if (!listsInPages) {
    res.end(JSON.stringify({ items, pageInfo: {} }));
  } else if (cursor === null) {
    res.end(JSON.stringify({ items, pageInfo: { nextCursor: 'page-2' } }));
  } else if (cursor === 'page-2') {
    res.end(JSON.stringify({ items, pageInfo: {} }));
  } else {
    sendError(res, req, 400, 'InputError', 'Invalid query: cursor: unknown');
  }
}

describe('PaasClient', () => {
  let server: Server;
  let baseUrl: string;
  const received: {
    method?: string;
    url?: string;
    auth?: string;
    idempotencyKey?: string | string[];
    body: string;
  }[] = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        idempotencyKey: req.headers['idempotency-key'],
        body,
      });
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.endsWith('/resources') && req.method === 'POST') {
        const key = req.headers['idempotency-key'];
        if (key === 'used-for-another-request') {
          sendError(
            res,
            req,
            409,
            'ConflictError',
            'The idempotency key was used for a different request',
          );
          return;
        }
        res.statusCode = key === 'used-before' ? 200 : 201;
        res.end(JSON.stringify(resource));
        return;
      }
      if (req.url === '/api/paas/resources/missing') {
        sendError(res, req, 404, 'NotFoundError', "No resource 'missing'");
        return;
      }
      if (req.url?.startsWith('/api/paas/resources/')) {
        res.statusCode = req.method === 'DELETE' ? 202 : 200;
        res.end(
          JSON.stringify(
            req.method === 'DELETE'
              ? { ...resource, phase: 'deleting' }
              : resource,
          ),
        );
        return;
      }
      if (req.url?.startsWith('/api/paas/resources')) {
        sendList(req, res, [resource]);
        return;
      }
      if (req.url === '/api/paas/organizations' && req.method === 'POST') {
        sendError(
          res,
          req,
          409,
          'ConflictError',
          "Organization 'acme' already exists",
        );
        return;
      }
      if (req.url?.startsWith('/api/paas/organizations?')) {
        sendList(req, res, [{ name: 'acme', title: 'Acme' }]);
        return;
      }
      if (req.url?.startsWith('/api/paas/organizations/missing/teams')) {
        sendError(
          res,
          req,
          404,
          'NotFoundError',
          "No organization named 'missing'",
        );
        return;
      }
      if (req.url?.includes('/teams?')) {
        sendList(req, res, [team]);
        return;
      }
      if (req.url?.endsWith('/deployments') && req.method === 'POST') {
        res.statusCode = 201;
        res.end(JSON.stringify(deployment));
        return;
      }
      if (req.url?.includes('/deployments?')) {
        sendList(req, res, [deployment]);
        return;
      }
      if (req.url?.startsWith('/api/paas/deployments/')) {
        res.end(JSON.stringify(deployment));
        return;
      }
      if (req.url?.includes('/members?')) {
        sendList(req, res, [member]);
        return;
      }
      res.end(JSON.stringify({ status: 'ok', database: 'ok', providers: [] }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/paas`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => {
    received.splice(0);
    listsInPages = false;
  });

  const client = () =>
    new PaasClient({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => baseUrl,
      }),
      auth: mockServices.auth(),
    });

  it('calls the backend with a token on behalf of the given user', async () => {
    const items = await client().listOrganizations({
      credentials: mockCredentials.user('user:default/alice'),
    });
    expect(items).toEqual([{ name: 'acme', title: 'Acme' }]);
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('GET');
    expect(received[0].auth).toMatch(/^Bearer .*alice/);
  });

  it('uses its own service credentials when none are given', async () => {
    await expect(client().getHealth()).resolves.toEqual({
      status: 'ok',
      database: 'ok',
      providers: [],
    });
    expect(received[0].auth).toMatch(/^Bearer .+/);
  });

  it('turns an error answer into a ResponseError carrying the status and message', async () => {
    await expect(
      client().createOrganization({ name: 'acme' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      cause: expect.objectContaining({
        name: 'ConflictError',
        message: "Organization 'acme' already exists",
      }),
    });
    expect(JSON.parse(received[0].body)).toEqual({ name: 'acme' });
  });

  it("lists an organization's teams", async () => {
    const items = await client().listTeams('acme', {
      credentials: mockCredentials.user('user:default/alice'),
    });

    expect(items).toEqual([team]);
    expect(received).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/paas/organizations/acme/teams?limit=500',
        auth: expect.stringMatching(/^Bearer .*alice/),
      }),
    ]);
  });

  it("lists an organization's members with their roles and teams", async () => {
    const items = await client().listMembers('acme');

    expect(items).toEqual([member]);
    expect(received).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/paas/organizations/acme/members?limit=500',
        auth: expect.stringMatching(/^Bearer .+/),
      }),
    ]);
  });

  it.each([
    ['listOrganizations', () => client().listOrganizations(), '/organizations'],
    [
      'listTeams',
      () => client().listTeams('acme'),
      '/organizations/acme/teams',
    ],
    [
      'listMembers',
      () => client().listMembers('acme'),
      '/organizations/acme/members',
    ],
    [
      'listDeployments',
      () => client().listDeployments('acme'),
      '/organizations/acme/deployments',
    ],
    [
      'listResources',
      () => client().listResources({ organization: 'acme' }),
      '/resources?organization=acme',
    ],
  ] as const)(
    '%s follows nextCursor until the last page',
    async (_method, list, path) => {
      listsInPages = true;
      const items = await list();

      expect(items).toHaveLength(2);
      expect(items[0]).toEqual(items[1]);
      const query = path.includes('?') ? '&' : '?';
      expect(received.map(r => r.url)).toEqual([
        `/api/paas${path}${query}limit=500`,
        `/api/paas${path}${query}limit=500&cursor=page-2`,
      ]);
    },
  );

  it('encodes the organization name into the path', async () => {
    await client().listTeams('a/b c?');
    await client().listMembers('a/b c?');

    expect(received.map(r => r.url)).toEqual([
      '/api/paas/organizations/a%2Fb%20c%3F/teams?limit=500',
      '/api/paas/organizations/a%2Fb%20c%3F/members?limit=500',
    ]);
  });

  it('rejects with a 404 ResponseError for an unknown organization', async () => {
    await expect(client().listTeams('missing')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({ name: 'NotFoundError' }),
    });
  });

  it('submits a deployment on behalf of the given user', async () => {
    const request = {
      team: 'checkout',
      name: 'api',
      image: 'ghcr.io/acme/checkout:1.4.2',
      replicas: 2,
      resources: { cpuMillicores: 500, memoryMib: 512, gpus: 0 },
      placement: {},
    };

    const submitted = await client().submitDeployment('acme', request, {
      credentials: mockCredentials.user('user:default/alice'),
    });

    expect(submitted).toEqual(deployment);
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/paas/organizations/acme/deployments',
        auth: expect.stringMatching(/^Bearer .*alice/),
      }),
    ]);
    expect(JSON.parse(received[0].body)).toEqual(request);
  });

  it("lists an organization's deployments", async () => {
    const items = await client().listDeployments('a/b c?');

    expect(items).toEqual([deployment]);
    expect(received).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/paas/organizations/a%2Fb%20c%3F/deployments?limit=500',
      }),
    ]);
  });

  it('gets one deployment with its queue position', async () => {
    const found = await client().getDeployment('d-1', {
      credentials: mockCredentials.user('user:default/alice'),
    });

    expect(found.queue).toEqual({ position: 1, length: 3 });
    expect(received).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/paas/deployments/d-1',
        auth: expect.stringMatching(/^Bearer .*alice/),
      }),
    ]);
  });

  describe('managed resources', () => {
    const request = {
      team: 'checkout',
      name: 'assets',
      kind: 'aws:s3-bucket' as const,
      component: 'component:default/payments-api',
    };

    it('requests a resource on behalf of the given user, with the idempotency key', async () => {
      const answer = await client().createResource('acme', request, {
        credentials: mockCredentials.user('user:default/alice'),
        idempotencyKey: 'task-1:bucket',
      });

      expect(answer).toEqual({ resource, created: true });
      expect(received).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: '/api/paas/organizations/acme/resources',
          auth: expect.stringMatching(/^Bearer .*alice/),
          idempotencyKey: 'task-1:bucket',
        }),
      ]);
      expect(JSON.parse(received[0].body)).toEqual(request);
    });

    it('sends no idempotency key unless given one', async () => {
      await client().createResource('a/b c?', request);

      expect(received).toEqual([
        expect.objectContaining({
          url: '/api/paas/organizations/a%2Fb%20c%3F/resources',
          idempotencyKey: undefined,
        }),
      ]);
    });

    it('tells a resource created earlier with the same idempotency key by created: false', async () => {
      const answer = await client().createResource('acme', request, {
        idempotencyKey: 'used-before',
      });

      expect(answer).toEqual({ resource, created: false });
    });

    it('rejects with a 409 ResponseError when the idempotency key was used for another request', async () => {
      await expect(
        client().createResource('acme', request, {
          idempotencyKey: 'used-for-another-request',
        }),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 409,
        cause: expect.objectContaining({ name: 'ConflictError' }),
      });
    });

    it('lists every resource the caller may read', async () => {
      const items = await client().listResources();

      expect(items).toEqual([resource]);
      expect(received).toEqual([
        expect.objectContaining({
          method: 'GET',
          url: '/api/paas/resources?limit=500',
          auth: expect.stringMatching(/^Bearer .+/),
        }),
      ]);
    });

    it('passes the filter as query parameters', async () => {
      await client().listResources(
        { organization: 'acme', team: 'check out', kind: 'aws:s3-bucket' },
        { credentials: mockCredentials.user('user:default/alice') },
      );
      await client().listResources({ kind: undefined, team: 'checkout' });

      expect(received.map(r => r.url)).toEqual([
        '/api/paas/resources?organization=acme&team=check+out&kind=aws%3As3-bucket&limit=500',
        '/api/paas/resources?team=checkout&limit=500',
      ]);
      expect(received[0].auth).toMatch(/^Bearer .*alice/);
    });

    it('gets one resource', async () => {
      const found = await client().getResource(resource.id, {
        credentials: mockCredentials.user('user:default/alice'),
      });

      expect(found).toEqual(resource);
      expect(received).toEqual([
        expect.objectContaining({
          method: 'GET',
          url: `/api/paas/resources/${resource.id}`,
          auth: expect.stringMatching(/^Bearer .*alice/),
        }),
      ]);
    });

    it('rejects with a 404 ResponseError for an unknown resource', async () => {
      await expect(client().getResource('missing')).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 404,
        cause: expect.objectContaining({ name: 'NotFoundError' }),
      });
    });

    it('deletes a resource and returns it as the backend accepted it', async () => {
      const deleting = await client().deleteResource('a/b', {
        credentials: mockCredentials.user('user:default/alice'),
      });

      expect(deleting).toEqual({ ...resource, phase: 'deleting' });
      expect(received).toEqual([
        expect.objectContaining({
          method: 'DELETE',
          url: '/api/paas/resources/a%2Fb',
          auth: expect.stringMatching(/^Bearer .*alice/),
        }),
      ]);
    });
  });
});
