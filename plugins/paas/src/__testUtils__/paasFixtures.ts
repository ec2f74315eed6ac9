import { ResponseError } from '@backstage/errors';
import type {
  Approval,
  Cluster,
  Deployment,
  DeploymentEvent,
  InviteCode,
  ManagedResource,
  Membership,
  Organization,
  OrganizationQuotas,
  PriorityClasses,
  QuotaChange,
  ResourceEvent,
  Team,
} from '@paasport/plugin-paas-common';
import { PaasApi, ResourceKindInfo } from '../api';

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

/** What `GET /resource-kinds` answers when the S3 and RDS providers are installed. */
export const resourceKinds: ResourceKindInfo[] = [
  { kind: 'aws:rds-instance', monthlyCost: 150 },
  { kind: 'aws:s3-bucket', monthlyCost: 5 },
];

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

const clusterBase = {
  source: 'api',
  createdBy: 'user:default/platform-pat',
  createdAt: '2025-01-02T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
} as const;

/** A ready GPU cluster a quarter allocated, and a cordoned CPU-only one from the catalog. */
export const clusters: Cluster[] = [
  {
    ...clusterBase,
    name: 'eu-gpu-1',
    title: 'EU GPU 1',
    capacity: { cpuMillicores: 64000, memoryMib: 262144, gpus: 8 },
    allocated: { cpuMillicores: 16000, memoryMib: 65536, gpus: 2 },
    free: { cpuMillicores: 48000, memoryMib: 196608, gpus: 6 },
    utilization: { cpuMillicores: 0.25, memoryMib: 0.25, gpus: 0.25 },
    gpuType: 'nvidia-a100',
    labels: { region: 'eu-west-1', environment: 'production' },
    state: 'ready',
  },
  {
    ...clusterBase,
    name: 'us-cpu-1',
    title: 'US CPU 1',
    capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 0 },
    allocated: { cpuMillicores: 30000, memoryMib: 4096, gpus: 0 },
    free: { cpuMillicores: 2000, memoryMib: 126976, gpus: 0 },
    utilization: { cpuMillicores: 0.9375, memoryMib: 0.03125, gpus: null },
    labels: {},
    state: 'cordoned',
    source: 'catalog',
  },
];

/** The journey's classes as the backend serves them: highest first, standard the default. */
export const priorityClasses: PriorityClasses = {
  default: 'standard',
  items: [
    { name: 'critical', priority: 200 },
    { name: 'standard', priority: 100 },
    { name: 'batch', priority: 50 },
  ],
};

const deploymentBase = {
  organization: 'acme-payments',
  priorityClass: 'standard',
  priority: 100,
  placement: {},
  preemptions: 0,
  createdBy: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
  updatedAt: '2025-01-05T00:00:00.000Z',
} as const;

/**
 * One deployment in each state: checkout/api queued with an estimate, ledger/batch queued
 * without one, checkout/trainer running on a GPU cluster, checkout/web waiting for an
 * approval, ledger/old stopped and ledger/broken failed.
 */
export const deployments: Deployment[] = [
  {
    ...deploymentBase,
    id: 'dep-api',
    team: 'checkout',
    name: 'api',
    image: 'ghcr.io/acme/checkout:1.4.2',
    replicas: 2,
    resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
    state: 'queued',
    queue: {
      position: 2,
      length: 5,
      estimatedWait: { minSeconds: 240, maxSeconds: 600 },
      waitingFor: 'team checkout has 0.5 cores of CPU left',
    },
  },
  {
    ...deploymentBase,
    id: 'dep-batch',
    team: 'ledger',
    name: 'batch',
    image: 'ghcr.io/acme/batch:2.0',
    replicas: 1,
    resources: { cpuMillicores: 2000, memoryMib: 4096, gpus: 0 },
    priorityClass: 'batch',
    priority: 50,
    state: 'queued',
    queue: { position: 5, length: 5 },
  },
  {
    ...deploymentBase,
    id: 'dep-trainer',
    team: 'checkout',
    name: 'trainer',
    image: 'ghcr.io/acme/trainer:0.9',
    replicas: 1,
    resources: { cpuMillicores: 8000, memoryMib: 65536, gpus: 2 },
    gpuType: 'nvidia-a100',
    priorityClass: 'critical',
    priority: 200,
    state: 'running',
    cluster: 'eu-gpu-1',
    preemptions: 1,
  },
  {
    ...deploymentBase,
    id: 'dep-web',
    team: 'checkout',
    name: 'web',
    image: 'ghcr.io/acme/web:3.1',
    replicas: 4,
    resources: { cpuMillicores: 250, memoryMib: 512, gpus: 0 },
    state: 'pending-approval',
    approvalId: 'apr-web',
  },
  {
    ...deploymentBase,
    id: 'dep-old',
    team: 'ledger',
    name: 'old',
    image: 'ghcr.io/acme/old:1.0',
    replicas: 1,
    resources: { cpuMillicores: 100, memoryMib: 128, gpus: 0 },
    state: 'stopped',
  },
  {
    ...deploymentBase,
    id: 'dep-broken',
    team: 'ledger',
    name: 'broken',
    image: 'ghcr.io/acme/broken:1.0',
    replicas: 1,
    resources: { cpuMillicores: 100, memoryMib: 128, gpus: 0 },
    state: 'failed',
    reason: 'image pull failed',
  },
];

/** The history of checkout/trainer: submitted, admitted, preempted and admitted again. */
export const deploymentEvents: DeploymentEvent[] = [
  {
    id: 1,
    deploymentId: 'dep-trainer',
    type: 'submitted',
    message: 'Queued at priority critical',
    actor: 'user:default/ada',
    createdAt: '2025-01-05T00:00:00.000Z',
  },
  {
    id: 2,
    deploymentId: 'dep-trainer',
    type: 'admitted',
    message: 'Admitted onto eu-gpu-1',
    createdAt: '2025-01-05T00:01:00.000Z',
  },
  {
    id: 3,
    deploymentId: 'dep-trainer',
    type: 'preempted',
    message: 'Preempted by acme-research/train-llm',
    createdAt: '2025-01-05T01:00:00.000Z',
  },
];

const resourceBase: Omit<
  ManagedResource,
  | 'id'
  | 'team'
  | 'kind'
  | 'name'
  | 'externalName'
  | 'owner'
  | 'phase'
  | 'monthlyCost'
> = {
  organization: 'acme-payments',
  spec: {},
  deletionPolicy: 'delete',
  generation: 1,
  observedGeneration: 1,
  conditions: [],
  outputs: {},
  requestedBy: 'user:default/ada',
  createdAt: '2025-01-05T00:00:00.000Z',
  updatedAt: '2025-01-05T00:00:00.000Z',
};

/**
 * The developer journey's bucket checkout/receipts, ready and linked to payments-api; ledger's
 * table, failed with an unmet condition; checkout's queue, provisioning with an orphan
 * policy; and ledger's protected namespace, ready.
 */
export const managedResources: ManagedResource[] = [
  {
    ...resourceBase,
    id: 'res-receipts',
    team: 'checkout',
    kind: 'aws:s3-bucket',
    name: 'receipts',
    externalName: 'acme-payments-checkout-receipts',
    owner: 'group:default/checkout',
    component: 'component:default/payments-api',
    phase: 'ready',
    conditions: [
      { type: 'Ready', status: 'True', reason: 'Available' },
      { type: 'PublicAccessBlocked', status: 'True', reason: 'Blocked' },
    ],
    outputs: {
      bucketName: 'acme-payments-checkout-receipts',
      arn: 'arn:aws:s3:::acme-payments-checkout-receipts',
      region: 'eu-west-1',
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/s3/buckets/acme-payments-checkout-receipts',
    },
    externalId: 'arn:aws:s3:::acme-payments-checkout-receipts',
    monthlyCost: 5,
  },
  {
    ...resourceBase,
    id: 'res-entries',
    team: 'ledger',
    kind: 'aws:dynamodb-table',
    name: 'entries',
    externalName: 'acme-payments-ledger-entries',
    owner: 'group:default/ledger',
    phase: 'failed',
    generation: 2,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Refused',
        message: 'AccessDenied: not allowed to call dynamodb:CreateTable',
      },
      { type: 'Encrypted', status: 'Unknown', reason: 'NotObserved' },
    ],
    message: 'AccessDenied: not allowed to call dynamodb:CreateTable',
    monthlyCost: 10,
  },
  {
    ...resourceBase,
    id: 'res-events',
    team: 'checkout',
    kind: 'aws:sqs-queue',
    name: 'events',
    externalName: 'acme-payments-checkout-events',
    owner: 'group:default/checkout',
    phase: 'provisioning',
    deletionPolicy: 'orphan',
    monthlyCost: 1,
  },
  {
    ...resourceBase,
    id: 'res-ledger-dev',
    team: 'ledger',
    kind: 'kubernetes:namespace',
    name: 'dev',
    externalName: 'acme-payments-ledger-dev',
    owner: 'group:default/ledger',
    phase: 'ready',
    deletionPolicy: 'protect',
    outputs: {
      namespace: 'acme-payments-ledger-dev',
      cluster: 'eu-gpu-1',
      delivery: 'gitops',
    },
    monthlyCost: 0,
  },
];

/** The history of ledger/entries: requested, provisioning, failed. */
export const resourceEvents: ResourceEvent[] = [
  {
    id: 1,
    resourceId: 'res-entries',
    type: 'requested',
    message: 'Requested aws:dynamodb-table entries',
    actor: 'user:default/ada',
    createdAt: '2025-01-05T00:00:00.000Z',
  },
  {
    id: 2,
    resourceId: 'res-entries',
    type: 'failed',
    message: 'AccessDenied: not allowed to call dynamodb:CreateTable',
    createdAt: '2025-01-05T00:05:00.000Z',
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
    listClusters: jest.fn().mockResolvedValue(clusters),
    registerCluster: jest.fn(),
    updateCluster: jest.fn().mockResolvedValue(clusters[0]),
    removeCluster: jest.fn().mockResolvedValue(undefined),
    getPriorityClasses: jest.fn().mockResolvedValue(priorityClasses),
    listDeployments: jest.fn().mockResolvedValue(deployments),
    getDeployment: jest.fn(),
    listDeploymentEvents: jest.fn().mockResolvedValue(deploymentEvents),
    submitDeployment: jest.fn(),
    stopDeployment: jest.fn().mockResolvedValue(deployments[0]),
    startDeployment: jest.fn().mockResolvedValue(deployments[0]),
    deleteDeployment: jest.fn().mockResolvedValue(undefined),
    listResourceKinds: jest.fn().mockResolvedValue(resourceKinds),
    listResources: jest.fn().mockResolvedValue(managedResources),
    listAllResources: jest.fn().mockResolvedValue(managedResources),
    getResource: jest.fn().mockResolvedValue(managedResources[0]),
    listResourceEvents: jest.fn().mockResolvedValue(resourceEvents),
    retryResource: jest
      .fn()
      .mockResolvedValue({ ...managedResources[1], phase: 'provisioning' }),
    deleteResource: jest
      .fn()
      .mockResolvedValue({ ...managedResources[0], phase: 'deleting' }),
    ...overrides,
  } as jest.Mocked<PaasApi>;
}
