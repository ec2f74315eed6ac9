import { ResponseError } from '@backstage/errors';
import type {
  Approval,
  InviteCode,
  Membership,
  Organization,
  OrganizationQuotas,
  QuotaChange,
  Team,
} from '@paasport/plugin-paas-common';
import { PaasApi } from '../api';

/** A `ResponseError` as the client makes it from a Backstage error body. */
export async function errorFromBackend(
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json', ...headers } },
    ),
  );
}

export const payments: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  description: 'Everything that moves money',
  groupRef: 'group:default/payments',
  createdBy: 'user:default/guest',
  createdAt: '2025-01-02T03:04:05.000Z',
};

export const checkout: Team = {
  organization: 'acme-payments',
  name: 'checkout',
  title: 'Checkout',
  description: 'Pay buttons',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
};

export const ledger: Team = {
  organization: 'acme-payments',
  name: 'ledger',
  title: 'Ledger',
  groupRef: 'group:default/ledger',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
};

export const ada: Membership = {
  organization: 'acme-payments',
  userRef: 'user:default/ada',
  role: 'admin',
  teams: ['checkout'],
  createdBy: 'user:default/guest',
  createdAt: '2025-01-03T00:00:00.000Z',
};

export const bob: Membership = {
  organization: 'acme-payments',
  userRef: 'user:default/bob',
  role: 'developer',
  teams: [],
  createdBy: 'user:default/ada',
  createdAt: '2025-01-04T00:00:00.000Z',
};

const inviteBase = {
  organization: 'acme-payments',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
};

/** One code in each state: active, expired, revoked and used up. */
export const invites: InviteCode[] = [
  {
    ...inviteBase,
    id: 'inv-active',
    role: 'developer',
    maxUses: 10,
    uses: 3,
    expiresAt: '2999-01-01T00:00:00.000Z',
  },
  {
    ...inviteBase,
    id: 'inv-expired',
    role: 'viewer',
    maxUses: 5,
    uses: 1,
    expiresAt: '2020-01-01T00:00:00.000Z',
  },
  {
    ...inviteBase,
    id: 'inv-revoked',
    role: 'admin',
    maxUses: 1,
    uses: 0,
    expiresAt: '2999-01-01T00:00:00.000Z',
    revokedAt: '2025-01-04T00:00:00.000Z',
  },
  {
    ...inviteBase,
    id: 'inv-used-up',
    role: 'developer',
    maxUses: 2,
    uses: 2,
    expiresAt: '2999-01-01T00:00:00.000Z',
  },
];

/** The platform team journey: 64 CPU, 256 GiB, 4 GPUs, 20 buckets, budget 5,000; checkout 16 CPU. */
export const quotas: OrganizationQuotas = {
  organization: 'acme-payments',
  lines: [
    { dimension: 'budget-monthly', limit: 5000, used: 1200, allocated: 0 },
    {
      dimension: 'cpu-millicores',
      limit: 64000,
      used: 12000,
      allocated: 16000,
    },
    {
      dimension: 'memory-mib',
      limit: 262144,
      used: 8192,
      allocated: 65536,
    },
    { dimension: 'gpus', limit: 4, used: 0, allocated: 0 },
    { dimension: 'count/aws:s3-bucket', limit: 20, used: 3, allocated: 0 },
  ],
  teams: {
    checkout: [
      { dimension: 'cpu-millicores', limit: 16000, used: 2500, allocated: 0 },
      { dimension: 'memory-mib', limit: 65536, used: 4096, allocated: 0 },
    ],
  },
};

export const quotaChanges: QuotaChange[] = [
  {
    id: 1,
    organization: 'acme-payments',
    dimension: 'cpu-millicores',
    newLimit: 64000,
    changedBy: 'user:default/guest',
    reason: 'onboarding',
    createdAt: '2025-01-03T00:00:00.000Z',
  },
  {
    id: 2,
    organization: 'acme-payments',
    team: 'checkout',
    dimension: 'cpu-millicores',
    previousLimit: 8000,
    newLimit: 16000,
    changedBy: 'user:default/ada',
    createdAt: '2025-01-04T00:00:00.000Z',
  },
];

const approvalBase = {
  organization: 'acme-payments',
  subjectType: 'quota-increase',
  requiredApprover: 'platform',
  expiresAt: '2999-01-01T00:00:00.000Z',
} as const;

/** A pending CPU raise, a denied memory raise and an approved S3 bucket raise. */
export const approvals: Approval[] = [
  {
    ...approvalBase,
    id: 'apr-cpu',
    subject: { dimension: 'cpu-millicores', limit: 96000 },
    requestedBy: 'user:default/ada',
    reason: 'Black Friday load test',
    state: 'pending',
    createdAt: '2025-01-05T00:00:00.000Z',
  },
  {
    ...approvalBase,
    id: 'apr-memory',
    subject: { dimension: 'memory-mib', limit: 524288 },
    requestedBy: 'user:default/ada',
    reason: 'bigger caches',
    state: 'denied',
    decision: {
      by: 'user:default/platform-pat',
      at: '2025-01-06T00:00:00.000Z',
      reason: 'Use the shared cache cluster instead',
    },
    createdAt: '2025-01-04T00:00:00.000Z',
  },
  {
    ...approvalBase,
    id: 'apr-s3',
    subject: { dimension: 'count/aws:s3-bucket', limit: 30 },
    requestedBy: 'user:default/bob',
    reason: 'one bucket per tenant',
    state: 'approved',
    decision: {
      by: 'user:default/platform-pat',
      at: '2025-01-04T12:00:00.000Z',
    },
    createdAt: '2025-01-03T00:00:00.000Z',
  },
];

/** A PaasApi whose reads answer with the fixtures above and whose writes succeed. */
export function mockPaasApi(
  overrides: Partial<PaasApi> = {},
): jest.Mocked<PaasApi> {
  return {
    getHealth: jest
      .fn()
      .mockResolvedValue({ status: 'ok', database: 'ok', providers: [] }),
    listOrganizations: jest.fn().mockResolvedValue([payments]),
    getOrganization: jest.fn().mockResolvedValue(payments),
    createOrganization: jest.fn(),
    listTeams: jest.fn().mockResolvedValue([checkout, ledger]),
    createTeam: jest.fn(),
    addTeamMember: jest.fn().mockResolvedValue(undefined),
    removeTeamMember: jest.fn().mockResolvedValue(undefined),
    listMembers: jest.fn().mockResolvedValue([ada, bob]),
    setMemberRole: jest.fn(),
    removeMember: jest.fn().mockResolvedValue(undefined),
    getMyMemberships: jest.fn().mockResolvedValue([ada]),
    createInvite: jest.fn(),
    listInvites: jest.fn().mockResolvedValue(invites),
    revokeInvite: jest.fn().mockResolvedValue(undefined),
    redeemInvite: jest.fn(),
    getQuotas: jest.fn().mockResolvedValue(quotas),
    setOrganizationQuota: jest.fn().mockResolvedValue(undefined),
    setTeamQuota: jest.fn().mockResolvedValue(undefined),
    listQuotaChanges: jest.fn().mockResolvedValue(quotaChanges),
    createQuotaRequest: jest.fn(),
    listOrganizationApprovals: jest.fn().mockResolvedValue(approvals),
    listApprovalInbox: jest
      .fn()
      .mockResolvedValue(approvals.filter(a => a.state === 'pending')),
    decideApproval: jest.fn(),
    ...overrides,
  } as jest.Mocked<PaasApi>;
}
