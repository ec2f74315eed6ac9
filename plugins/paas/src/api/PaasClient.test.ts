import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import type {
  Approval,
  Cluster,
  CreatedInviteCode,
  Deployment,
  DeploymentEvent,
  ManagedResource,
  Membership,
  Organization,
  OrganizationQuotas,
  PriorityClasses,
  QuotaChange,
  ResourceEvent,
  Team,
} from '@paasport/plugin-paas-common';
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

function errorResponse(
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return new Response(
    JSON.stringify({
      error: { name, message },
      request: { method: 'POST', url: '/api/paas/organizations' },
      response: { statusCode: status },
    }),
    { status, headers: { 'Content-Type': 'application/json', ...headers } },
  );
}

const team: Team = {
  organization: 'acme-payments',
  name: 'checkout',
  title: 'Checkout',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
};

const membership: Membership = {
  organization: 'acme-payments',
  userRef: 'user:default/ada',
  role: 'admin',
  teams: ['checkout'],
  createdBy: 'user:default/guest',
  createdAt: '2025-01-03T00:00:00.000Z',
};

const createdInvite: CreatedInviteCode = {
  id: 'inv-1',
  organization: 'acme-payments',
  role: 'developer',
  maxUses: 10,
  uses: 0,
  expiresAt: '2025-01-06T00:00:00.000Z',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
  code: 'PSP-SECRET-1234',
};

const quotas: OrganizationQuotas = {
  organization: 'acme-payments',
  lines: [
    { dimension: 'cpu-millicores', limit: 64000, used: 2000, allocated: 16000 },
  ],
  teams: {
    checkout: [
      { dimension: 'cpu-millicores', limit: 16000, used: 2000, allocated: 0 },
    ],
  },
};

const quotaChange: QuotaChange = {
  id: 1,
  organization: 'acme-payments',
  dimension: 'cpu-millicores',
  newLimit: 64000,
  changedBy: 'user:default/guest',
  createdAt: '2025-01-03T00:00:00.000Z',
};

const approval: Approval = {
  id: 'apr 1',
  organization: 'acme-payments',
  subjectType: 'quota-increase',
  subject: { dimension: 'cpu-millicores', limit: 96000 },
  requestedBy: 'user:default/ada',
  reason: 'black friday',
  requiredApprover: 'platform',
  state: 'pending',
  expiresAt: '2025-01-10T00:00:00.000Z',
  createdAt: '2025-01-03T00:00:00.000Z',
};

const cluster: Cluster = {
  name: 'eu-gpu-1',
  title: 'EU GPU 1',
  capacity: { cpuMillicores: 64000, memoryMib: 262144, gpus: 8 },
  allocated: { cpuMillicores: 16000, memoryMib: 65536, gpus: 2 },
  free: { cpuMillicores: 48000, memoryMib: 196608, gpus: 6 },
  utilization: { cpuMillicores: 0.25, memoryMib: 0.25, gpus: 0.25 },
  gpuType: 'nvidia-a100',
  labels: { region: 'eu-west-1' },
  state: 'ready',
  source: 'api',
  createdBy: 'user:default/platform-pat',
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

const deployment: Deployment = {
  id: 'dep 1',
  organization: 'acme-payments',
  team: 'checkout',
  name: 'api',
  image: 'ghcr.io/acme/checkout:1.4.2',
  replicas: 2,
  resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
  priorityClass: 'standard',
  priority: 100,
  placement: {},
  state: 'queued',
  preemptions: 0,
  queue: {
    position: 1,
    length: 3,
    estimatedWait: { minSeconds: 60, maxSeconds: 180 },
  },
  createdBy: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
  updatedAt: '2025-01-05T00:00:00.000Z',
};

const priorityClasses: PriorityClasses = {
  default: 'standard',
  items: [
    { name: 'critical', priority: 200 },
    { name: 'standard', priority: 100 },
    { name: 'batch', priority: 50 },
  ],
};

const deploymentEvent: DeploymentEvent = {
  id: 1,
  deploymentId: 'dep 1',
  type: 'submitted',
  message: 'Queued',
  actor: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
};

const resource: ManagedResource = {
  id: 'res 1',
  organization: 'acme-payments',
  team: 'checkout',
  kind: 'aws:s3-bucket',
  name: 'receipts',
  externalName: 'acme-payments-checkout-receipts',
  owner: 'group:default/checkout',
  spec: { versioning: true },
  phase: 'ready',
  deletionPolicy: 'delete',
  generation: 1,
  observedGeneration: 1,
  conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
  outputs: { arn: 'arn:aws:s3:::acme-payments-checkout-receipts' },
  monthlyCost: 5,
  requestedBy: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
  updatedAt: '2025-01-05T00:00:00.000Z',
};

const resourceEvent: ResourceEvent = {
  id: 1,
  resourceId: 'res 1',
  type: 'requested',
  message: 'Requested by user:default/ada',
  actor: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
};

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

  it.each<[string, (c: PaasClient) => Promise<unknown[]>, string]>([
    ['listOrganizations', c => c.listOrganizations(), '/organizations'],
    ['listTeams', c => c.listTeams('acme'), '/organizations/acme/teams'],
    ['listMembers', c => c.listMembers('acme'), '/organizations/acme/members'],
    ['listInvites', c => c.listInvites('acme'), '/organizations/acme/invites'],
    [
      'listOrganizationApprovals',
      c => c.listOrganizationApprovals('acme', 'pending'),
      '/organizations/acme/approvals?state=pending',
    ],
    ['listApprovalInbox', c => c.listApprovalInbox(), '/approvals'],
    [
      'listDeployments',
      c => c.listDeployments('acme'),
      '/organizations/acme/deployments',
    ],
    [
      'listDeploymentEvents',
      c => c.listDeploymentEvents('d1'),
      '/deployments/d1/events',
    ],
    [
      'listResources',
      c => c.listResources('acme'),
      '/organizations/acme/resources',
    ],
    ['listAllResources', c => c.listAllResources(), '/resources'],
    [
      'listResourceEvents',
      c => c.listResourceEvents('r1'),
      '/resources/r1/events',
    ],
  ])('%s follows nextCursor to the last page', async (_name, list, url) => {
    fetch
      .mockResolvedValueOnce(
        jsonResponse(200, { items: [1, 2], pageInfo: { nextCursor: 'n_2' } }),
      )
      .mockResolvedValueOnce(
        jsonResponse(200, { items: [3], pageInfo: { nextCursor: 'n_3' } }),
      )
      .mockResolvedValueOnce(jsonResponse(200, { items: [], pageInfo: {} }));

    await expect(list(client)).resolves.toEqual([1, 2, 3]);
    const next = url.includes('?') ? '&' : '?';
    expect(fetch.mock.calls.map(([calledUrl]) => calledUrl)).toEqual([
      `${baseUrl}${url}`,
      `${baseUrl}${url}${next}cursor=n_2`,
      `${baseUrl}${url}${next}cursor=n_3`,
    ]);
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

  describe.each<{
    call: string;
    invoke: (client: PaasClient) => Promise<unknown>;
    method: string;
    url: string;
    body?: unknown;
    status: number;
    answer?: unknown;
    expected: unknown;
  }>([
    {
      call: 'listTeams',
      invoke: c => c.listTeams('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/teams',
      status: 200,
      answer: { items: [team] },
      expected: [team],
    },
    {
      call: 'createTeam',
      invoke: c =>
        c.createTeam('acme-payments', { name: 'checkout', title: 'Checkout' }),
      method: 'POST',
      url: '/organizations/acme-payments/teams',
      body: { name: 'checkout', title: 'Checkout' },
      status: 201,
      answer: team,
      expected: team,
    },
    {
      call: 'addTeamMember',
      invoke: c =>
        c.addTeamMember('acme-payments', 'checkout', 'user:default/ada'),
      method: 'PUT',
      url: '/organizations/acme-payments/teams/checkout/members/user%3Adefault%2Fada',
      status: 204,
      expected: undefined,
    },
    {
      call: 'removeTeamMember',
      invoke: c =>
        c.removeTeamMember('acme-payments', 'checkout', 'user:default/ada'),
      method: 'DELETE',
      url: '/organizations/acme-payments/teams/checkout/members/user%3Adefault%2Fada',
      status: 204,
      expected: undefined,
    },
    {
      call: 'listMembers',
      invoke: c => c.listMembers('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/members',
      status: 200,
      answer: { items: [membership] },
      expected: [membership],
    },
    {
      call: 'setMemberRole',
      invoke: c =>
        c.setMemberRole('acme-payments', 'user:default/ada', 'viewer'),
      method: 'PUT',
      url: '/organizations/acme-payments/members/user%3Adefault%2Fada',
      body: { role: 'viewer' },
      status: 200,
      answer: { ...membership, role: 'viewer' },
      expected: { ...membership, role: 'viewer' },
    },
    {
      call: 'removeMember',
      invoke: c => c.removeMember('acme-payments', 'user:default/ada'),
      method: 'DELETE',
      url: '/organizations/acme-payments/members/user%3Adefault%2Fada',
      status: 204,
      expected: undefined,
    },
    {
      call: 'getMyMemberships',
      invoke: c => c.getMyMemberships(),
      method: 'GET',
      url: '/me/memberships',
      status: 200,
      answer: { items: [membership] },
      expected: [membership],
    },
    {
      call: 'createInvite',
      invoke: c =>
        c.createInvite('acme-payments', {
          role: 'developer',
          expiresIn: 'P3D',
          maxUses: 10,
        }),
      method: 'POST',
      url: '/organizations/acme-payments/invites',
      body: { role: 'developer', expiresIn: 'P3D', maxUses: 10 },
      status: 201,
      answer: createdInvite,
      expected: createdInvite,
    },
    {
      call: 'listInvites',
      invoke: c => c.listInvites('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/invites',
      status: 200,
      answer: { items: [{ ...createdInvite, code: undefined }] },
      expected: [{ ...createdInvite, code: undefined }],
    },
    {
      call: 'revokeInvite',
      invoke: c => c.revokeInvite('acme-payments', 'inv 1'),
      method: 'DELETE',
      url: '/organizations/acme-payments/invites/inv%201',
      status: 204,
      expected: undefined,
    },
    {
      call: 'redeemInvite',
      invoke: c => c.redeemInvite('PSP-SECRET-1234'),
      method: 'POST',
      url: '/invites/redeem',
      body: { code: 'PSP-SECRET-1234' },
      status: 200,
      answer: { organization: 'acme-payments', role: 'developer' },
      expected: { organization: 'acme-payments', role: 'developer' },
    },
    {
      call: 'getQuotas',
      invoke: c => c.getQuotas('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/quotas',
      status: 200,
      answer: quotas,
      expected: quotas,
    },
    {
      call: 'setOrganizationQuota',
      invoke: c =>
        c.setOrganizationQuota('acme-payments', 'count/aws:s3-bucket', {
          limit: 20,
          reason: 'journey',
        }),
      method: 'PUT',
      url: '/organizations/acme-payments/quotas/count%2Faws%3As3-bucket',
      body: { limit: 20, reason: 'journey' },
      status: 200,
      answer: { dimension: 'count/aws:s3-bucket', limit: 20 },
      expected: undefined,
    },
    {
      call: 'setTeamQuota',
      invoke: c =>
        c.setTeamQuota('acme-payments', 'checkout', 'gpus/nvidia-a100', {
          limit: 0,
        }),
      method: 'PUT',
      url: '/organizations/acme-payments/teams/checkout/quotas/gpus%2Fnvidia-a100',
      body: { limit: 0 },
      status: 204,
      expected: undefined,
    },
    {
      call: 'listQuotaChanges',
      invoke: c => c.listQuotaChanges('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/quota-changes',
      status: 200,
      answer: { items: [quotaChange] },
      expected: [quotaChange],
    },
    {
      call: 'createQuotaRequest',
      invoke: c =>
        c.createQuotaRequest('acme-payments', {
          dimension: 'cpu-millicores',
          limit: 96000,
          reason: 'black friday',
        }),
      method: 'POST',
      url: '/organizations/acme-payments/quota-requests',
      body: {
        dimension: 'cpu-millicores',
        limit: 96000,
        reason: 'black friday',
      },
      status: 201,
      answer: approval,
      expected: approval,
    },
    {
      call: 'listOrganizationApprovals (all states)',
      invoke: c => c.listOrganizationApprovals('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/approvals',
      status: 200,
      answer: { items: [approval] },
      expected: [approval],
    },
    {
      call: 'listOrganizationApprovals (one state)',
      invoke: c => c.listOrganizationApprovals('acme-payments', 'denied'),
      method: 'GET',
      url: '/organizations/acme-payments/approvals?state=denied',
      status: 200,
      answer: { items: [] },
      expected: [],
    },
    {
      call: 'listApprovalInbox',
      invoke: c => c.listApprovalInbox('pending'),
      method: 'GET',
      url: '/approvals?state=pending',
      status: 200,
      answer: { items: [approval] },
      expected: [approval],
    },
    {
      call: 'decideApproval (approve)',
      invoke: c => c.decideApproval('apr 1', { decision: 'approve' }),
      method: 'POST',
      url: '/approvals/apr%201/decision',
      body: { decision: 'approve' },
      status: 200,
      answer: { ...approval, state: 'approved' },
      expected: { ...approval, state: 'approved' },
    },
    {
      call: 'decideApproval (deny)',
      invoke: c =>
        c.decideApproval('apr-1', { decision: 'deny', reason: 'not now' }),
      method: 'POST',
      url: '/approvals/apr-1/decision',
      body: { decision: 'deny', reason: 'not now' },
      status: 200,
      answer: { ...approval, state: 'denied' },
      expected: { ...approval, state: 'denied' },
    },
    {
      call: 'listClusters',
      invoke: c => c.listClusters(),
      method: 'GET',
      url: '/clusters',
      status: 200,
      answer: { items: [cluster] },
      expected: [cluster],
    },
    {
      call: 'registerCluster',
      invoke: c =>
        c.registerCluster({
          name: 'eu-west-gpu',
          title: 'EU West GPU',
          capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
          gpuType: 'nvidia-a100',
          labels: { region: 'eu-west-1' },
          state: 'ready',
        }),
      method: 'POST',
      url: '/clusters',
      body: {
        name: 'eu-west-gpu',
        title: 'EU West GPU',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        gpuType: 'nvidia-a100',
        labels: { region: 'eu-west-1' },
        state: 'ready',
      },
      status: 201,
      answer: cluster,
      expected: cluster,
    },
    {
      call: 'updateCluster (state)',
      invoke: c => c.updateCluster('us-east-old', { state: 'cordoned' }),
      method: 'PATCH',
      url: '/clusters/us-east-old',
      body: { state: 'cordoned' },
      status: 200,
      answer: { ...cluster, state: 'cordoned' },
      expected: { ...cluster, state: 'cordoned' },
    },
    {
      call: 'updateCluster (GPU type removed)',
      invoke: c =>
        c.updateCluster('eu gpu', { gpuType: null, capacity: { gpus: 0 } }),
      method: 'PATCH',
      url: '/clusters/eu%20gpu',
      body: { gpuType: null, capacity: { gpus: 0 } },
      status: 200,
      answer: cluster,
      expected: cluster,
    },
    {
      call: 'removeCluster',
      invoke: c => c.removeCluster('us-east-old'),
      method: 'DELETE',
      url: '/clusters/us-east-old',
      status: 204,
      expected: undefined,
    },
    {
      call: 'getPriorityClasses',
      invoke: c => c.getPriorityClasses(),
      method: 'GET',
      url: '/priority-classes',
      status: 200,
      answer: priorityClasses,
      expected: priorityClasses,
    },
    {
      call: 'listDeployments (all states)',
      invoke: c => c.listDeployments('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/deployments',
      status: 200,
      answer: { items: [deployment] },
      expected: [deployment],
    },
    {
      call: 'listDeployments (one state)',
      invoke: c => c.listDeployments('acme-payments', 'pending-approval'),
      method: 'GET',
      url: '/organizations/acme-payments/deployments?state=pending-approval',
      status: 200,
      answer: { items: [] },
      expected: [],
    },
    {
      call: 'getDeployment',
      invoke: c => c.getDeployment('dep 1'),
      method: 'GET',
      url: '/deployments/dep%201',
      status: 200,
      answer: deployment,
      expected: deployment,
    },
    {
      call: 'listDeploymentEvents',
      invoke: c => c.listDeploymentEvents('dep 1'),
      method: 'GET',
      url: '/deployments/dep%201/events',
      status: 200,
      answer: { items: [deploymentEvent] },
      expected: [deploymentEvent],
    },
    {
      call: 'submitDeployment',
      invoke: c =>
        c.submitDeployment('acme-payments', {
          team: 'checkout',
          name: 'api',
          image: 'ghcr.io/acme/checkout:1.4.2',
          replicas: 2,
          resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
          priorityClass: 'critical',
          placement: { region: 'eu-west-1' },
          reason: 'launch',
        }),
      method: 'POST',
      url: '/organizations/acme-payments/deployments',
      body: {
        team: 'checkout',
        name: 'api',
        image: 'ghcr.io/acme/checkout:1.4.2',
        replicas: 2,
        resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
        priorityClass: 'critical',
        placement: { region: 'eu-west-1' },
        reason: 'launch',
      },
      status: 201,
      answer: deployment,
      expected: deployment,
    },
    {
      call: 'stopDeployment',
      invoke: c => c.stopDeployment('dep 1'),
      method: 'POST',
      url: '/deployments/dep%201/stop',
      status: 200,
      answer: { ...deployment, state: 'stopped', queue: undefined },
      expected: { ...deployment, state: 'stopped', queue: undefined },
    },
    {
      call: 'startDeployment',
      invoke: c => c.startDeployment('dep 1'),
      method: 'POST',
      url: '/deployments/dep%201/start',
      status: 200,
      answer: deployment,
      expected: deployment,
    },
    {
      call: 'deleteDeployment',
      invoke: c => c.deleteDeployment('dep 1'),
      method: 'DELETE',
      url: '/deployments/dep%201',
      status: 204,
      expected: undefined,
    },
    {
      call: 'listResourceKinds',
      invoke: c => c.listResourceKinds(),
      method: 'GET',
      url: '/resource-kinds',
      status: 200,
      answer: { items: [{ kind: 'aws:s3-bucket', monthlyCost: 5 }] },
      expected: [{ kind: 'aws:s3-bucket', monthlyCost: 5 }],
    },
    {
      call: 'listResources (no filter)',
      invoke: c => c.listResources('acme-payments'),
      method: 'GET',
      url: '/organizations/acme-payments/resources',
      status: 200,
      answer: { items: [resource] },
      expected: [resource],
    },
    {
      call: 'listResources (by team and kind)',
      invoke: c =>
        c.listResources('acme-payments', {
          team: 'checkout',
          kind: 'aws:s3-bucket',
        }),
      method: 'GET',
      url: '/organizations/acme-payments/resources?team=checkout&kind=aws%3As3-bucket',
      status: 200,
      answer: { items: [resource] },
      expected: [resource],
    },
    {
      call: 'listAllResources (no filter)',
      invoke: c => c.listAllResources(),
      method: 'GET',
      url: '/resources',
      status: 200,
      answer: { items: [resource] },
      expected: [resource],
    },
    {
      call: 'listAllResources (by organization and kind)',
      invoke: c =>
        c.listAllResources({
          organization: 'acme-payments',
          kind: 'kubernetes:namespace',
        }),
      method: 'GET',
      url: '/resources?organization=acme-payments&kind=kubernetes%3Anamespace',
      status: 200,
      answer: { items: [] },
      expected: [],
    },
    {
      call: 'getResource',
      invoke: c => c.getResource('res 1'),
      method: 'GET',
      url: '/resources/res%201',
      status: 200,
      answer: resource,
      expected: resource,
    },
    {
      call: 'listResourceEvents',
      invoke: c => c.listResourceEvents('res 1'),
      method: 'GET',
      url: '/resources/res%201/events',
      status: 200,
      answer: { items: [resourceEvent] },
      expected: [resourceEvent],
    },
    {
      call: 'retryResource',
      invoke: c => c.retryResource('res 1'),
      method: 'POST',
      url: '/resources/res%201/retry',
      status: 200,
      answer: { ...resource, phase: 'provisioning' },
      expected: { ...resource, phase: 'provisioning' },
    },
    {
      call: 'deleteResource',
      invoke: c => c.deleteResource('res 1'),
      method: 'DELETE',
      url: '/resources/res%201',
      status: 202,
      answer: { ...resource, phase: 'deleting' },
      expected: { ...resource, phase: 'deleting' },
    },
  ])('$call', ({ invoke, method, url, body, status, answer, expected }) => {
    it(`sends ${method} ${url}`, async () => {
      fetch.mockResolvedValue(
        status === 204
          ? new Response(null, { status })
          : jsonResponse(status, answer),
      );

      await expect(invoke(client)).resolves.toEqual(expected);

      expect(fetch).toHaveBeenCalledTimes(1);
      const [calledUrl, init] = fetch.mock.calls[0];
      expect(calledUrl).toBe(`${baseUrl}${url}`);
      expect(init?.method ?? 'GET').toBe(method);
      const sent = init?.body === undefined ? undefined : String(init.body);
      expect(sent && JSON.parse(sent)).toEqual(body);
      expect(init?.headers).toEqual(
        body === undefined ? undefined : { 'Content-Type': 'application/json' },
      );
    });
  });

  it('escapes every path part, so a name cannot reach another route', async () => {
    fetch.mockResolvedValue(new Response(null, { status: 204 }));

    await client.addTeamMember('acme/../x', 'a?b', 'user:default/a#b');

    expect(fetch.mock.calls[0][0]).toBe(
      `${baseUrl}/organizations/acme%2F..%2Fx/teams/a%3Fb/members/user%3Adefault%2Fa%23b`,
    );
  });

  it.each([
    [409, 'ConflictError', 'An organization needs at least one admin'],
    [403, 'NotAllowedError', "Only admins of 'acme-payments' may manage"],
  ])(
    'rejects a %s answer to a void call with the backend error',
    async (status, name, message) => {
      fetch.mockResolvedValue(errorResponse(status, name, message));

      const error = await client
        .removeMember('acme-payments', 'user:default/ada')
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.message).toBe(message);
    },
  );

  it('rejects a decision on an already decided approval with the backend 409', async () => {
    fetch.mockResolvedValue(
      errorResponse(409, 'ConflictError', 'Approval apr-1 is already approved'),
    );

    const error = await client
      .decideApproval('apr-1', { decision: 'approve' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('Approval apr-1 is already approved');
  });

  it.each([
    [
      400,
      'InputError',
      'Invalid request body: image: must be a container image',
    ],
    [403, 'NotAllowedError', "Viewers of 'acme-payments' may not deploy"],
    [409, 'ConflictError', 'No cluster could ever hold 4 GPUs of nvidia-h100'],
  ])(
    'rejects a %s answer to a deployment submission with the backend error',
    async (status, name, message) => {
      fetch.mockResolvedValue(errorResponse(status, name, message));

      const error = await client
        .submitDeployment('acme-payments', {
          team: 'checkout',
          name: 'api',
          image: 'ghcr.io/acme/checkout:1.4.2',
          replicas: 1,
          resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
          placement: {},
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
    },
  );

  it.each([
    [400, 'InputError', 'Invalid request body: name: must be lower-case'],
    [403, 'NotAllowedError', 'Only the platform team may manage clusters'],
    [409, 'ConflictError', 'Cluster eu-west-gpu already exists'],
  ])(
    'rejects a %s answer to a cluster registration with the backend error',
    async (status, name, message) => {
      fetch.mockResolvedValue(errorResponse(status, name, message));

      const error = await client
        .registerCluster({
          name: 'eu-west-gpu',
          capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
          labels: {},
          state: 'ready',
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
      expect(error.cause.message).toBe(message);
    },
  );

  it('rejects a capacity below what is allocated with the backend 409', async () => {
    const message =
      'Cluster eu-gpu-1 has 16 cores allocated; its CPU capacity cannot drop to 8 cores';
    fetch.mockResolvedValue(errorResponse(409, 'ConflictError', message));

    const error = await client
      .updateCluster('eu-gpu-1', { capacity: { cpuMillicores: 8000 } })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe(message);
  });

  it('rejects removing a cluster that still holds deployments with the backend 409', async () => {
    const message = 'Cluster us-east-old still has 2 deployments allocated';
    fetch.mockResolvedValue(errorResponse(409, 'ConflictError', message));

    const error = await client.removeCluster('us-east-old').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(message);
  });

  it('rejects stopping a deployment that is gone with the backend 404', async () => {
    fetch.mockResolvedValue(
      errorResponse(404, 'NotFoundError', 'Deployment dep-1 not found'),
    );

    const error = await client.stopDeployment('dep-1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('Deployment dep-1 not found');
  });

  it('rejects deleting a protected resource with the backend 409', async () => {
    const message =
      "aws:s3-bucket receipts has the deletion policy 'protect'; change its policy before deleting it";
    fetch.mockResolvedValue(errorResponse(409, 'ConflictError', message));

    const error = await client.deleteResource('res-1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.name).toBe('ConflictError');
    expect(error.cause.message).toBe(message);
  });

  it('rejects retrying a resource that has not failed with the backend 409', async () => {
    const message =
      'Only a failed resource that was accepted can be retried; receipts is ready';
    fetch.mockResolvedValue(errorResponse(409, 'ConflictError', message));

    const error = await client.retryResource('res-1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe(message);
  });

  it('keeps the Retry-After header of a 429 readable on the error', async () => {
    fetch.mockResolvedValue(
      errorResponse(429, 'Error', 'Too many attempts', { 'Retry-After': '42' }),
    );

    const error = await client.redeemInvite('nope').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(429);
    expect(error.response.headers.get('Retry-After')).toBe('42');
  });

  it('rejects a failed call whose body is not JSON', async () => {
    fetch.mockResolvedValue(
      new Response('upstream down', { status: 502, statusText: 'Bad Gateway' }),
    );

    const error = await client.listOrganizations().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
  });
});
