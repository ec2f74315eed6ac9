import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_RESOURCE_RATES,
  paasOrganizationReadPermission,
  paasResourceCreatePermission,
} from '@paasport/plugin-paas-common';
import {
  createFakeAccess,
  createFakeResourceAccess,
  Grants,
} from '../__testUtils__/fakeAccess';
import { createResourceFixture } from '../__testUtils__/resourceFixture';
import { DatabaseApprovalStore } from '../database/ApprovalStore';
import { createApprovalService } from './ApprovalService';
import { createResourceService, ResourceService } from './ResourceService';

jest.setTimeout(30_000);

const ACME_DEVELOPER = 'user:default/dana';
const GLOBEX_DEVELOPER = 'user:default/mallory';
const member = [
  paasOrganizationReadPermission.name,
  paasResourceCreatePermission.name,
];
const grants: Grants = {
  [ACME_DEVELOPER]: { acme: member },
  [GLOBEX_DEVELOPER]: { globex: member },
};
const as = (userRef: string) => ({
  credentials: mockCredentials.user(userRef),
});

describe('ResourceService between organizations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let service: ResourceService;

  beforeEach(async () => {
    const fixture = await createResourceFixture(
      await databases.init('SQLITE_3'),
    );
    await fixture.organization('acme', 2);
    await fixture.organization('globex', 2);
    const access = createFakeAccess(grants, ['acme', 'globex']);
    const auditor = mockServices.auditor.mock();
    service = createResourceService({
      resources: fixture.resources,
      teams: fixture.teams,
      quotas: fixture.quotas,
      clusters: fixture.clusters,
      access,
      resourceAccess: createFakeResourceAccess(grants),
      auditor,
      approvals: createApprovalService({
        store: new DatabaseApprovalStore(fixture.db),
        quotas: fixture.quotas,
        access,
        auditor,
        notifications: { send: jest.fn().mockResolvedValue(undefined) },
        logger: mockServices.logger.mock(),
      }),
      reconciler: { trigger: async () => {} },
      approvalRules: [],
      rates: DEFAULT_RESOURCE_RATES,
      providerKinds: () => ['aws:s3-bucket'],
    });
  });

  const bucket = (name: string) => ({
    team: 'web',
    kind: 'aws:s3-bucket',
    name,
    spec: {},
  });

  it("gives an organization that sends another's idempotency key its own new resource", async () => {
    const acme = await service.create(
      'acme',
      bucket('invoices'),
      as(ACME_DEVELOPER),
      { idempotencyKey: 'task-1/step-1' },
    );

    const globex = await service.create(
      'globex',
      bucket('assets'),
      as(GLOBEX_DEVELOPER),
      { idempotencyKey: 'task-1/step-1' },
    );

    expect(globex.created).toBe(true);
    expect(globex.resource).toMatchObject({
      organization: 'globex',
      name: 'assets',
    });
    expect(globex.resource.id).not.toBe(acme.resource.id);
  });

  it('refuses a reused key for a different request naming only what is the caller own', async () => {
    await service.create('acme', bucket('invoices'), as(ACME_DEVELOPER), {
      idempotencyKey: 'task-1/step-1',
    });

    const refusal = await service
      .create('acme', bucket('receipts'), as(ACME_DEVELOPER), {
        idempotencyKey: 'task-1/step-1',
      })
      .catch(error => error);

    expect(refusal).toMatchObject({
      name: 'ConflictError',
      message:
        'The idempotency key was used for a different request (aws:s3-bucket web/invoices in acme)',
    });
  });
});
