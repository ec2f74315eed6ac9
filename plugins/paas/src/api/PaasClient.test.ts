import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import type { Organization } from '@paasport/plugin-paas-common';
import { PaasClient } from './PaasClient';

const baseUrl = 'http://backend.test/api/paas';

const organization: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  createdBy: 'user:default/guest',
  createdAt: '2025-01-02T03:04:05.000Z',
};

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function errorResponse(status: number, name: string, message: string) {
  return jsonResponse(status, {
    error: { name, message },
    request: { method: 'POST', url: '/api/paas/organizations' },
    response: { statusCode: status },
  });
}

describe('PaasClient', () => {
  const fetch = jest.fn<Promise<Response>, [string, RequestInit?]>();
  const client = new PaasClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });

  beforeEach(() => {
    fetch.mockReset();
  });

  it('gets the health', async () => {
    fetch.mockResolvedValue(
      jsonResponse(200, { status: 'ok', database: 'ok', providers: ['s3'] }),
    );

    await expect(client.getHealth()).resolves.toEqual({
      status: 'ok',
      database: 'ok',
      providers: ['s3'],
    });
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/health`, undefined);
  });

  it('lists organizations and unwraps the items', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [organization] }));

    await expect(client.listOrganizations()).resolves.toEqual([organization]);
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/organizations`, undefined);
  });

  it('gets one organization, escaping its name', async () => {
    fetch.mockResolvedValue(jsonResponse(200, organization));

    await expect(client.getOrganization('acme payments')).resolves.toEqual(
      organization,
    );
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/organizations/acme%20payments`,
      undefined,
    );
  });

  it('turns a 404 into a ResponseError carrying the backend message', async () => {
    fetch.mockResolvedValue(
      errorResponse(404, 'NotFoundError', 'organization nope not found'),
    );

    const error = await client.getOrganization('nope').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe('organization nope not found');
  });

  it('creates an organization with a JSON POST', async () => {
    fetch.mockResolvedValue(jsonResponse(201, organization));

    await expect(
      client.createOrganization({
        name: 'acme-payments',
        title: 'Acme Payments',
        groupRef: 'group:default/payments',
      }),
    ).resolves.toEqual(organization);

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${baseUrl}/organizations`);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({
      name: 'acme-payments',
      title: 'Acme Payments',
      groupRef: 'group:default/payments',
    });
  });

  it.each([
    [400, 'InputError', 'Invalid request body: name: must be lower-case'],
    [403, 'NotAllowedError', 'You may not create organizations'],
    [409, 'ConflictError', 'Organization acme-payments already exists'],
  ])(
    'rejects a %s answer to a create with the backend error',
    async (status, name, message) => {
      fetch.mockResolvedValue(errorResponse(status, name, message));

      const error = await client
        .createOrganization({ name: 'acme-payments' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
    },
  );

  it('rejects a failed call whose body is not JSON', async () => {
    fetch.mockResolvedValue(
      new Response('upstream down', { status: 502, statusText: 'Bad Gateway' }),
    );

    const error = await client.listOrganizations().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
  });
});
