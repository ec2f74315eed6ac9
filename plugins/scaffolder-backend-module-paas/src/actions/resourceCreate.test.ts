import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ManagedResource } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { mockPaasService, responseError } from '../__testUtils__/paasService';
import { createPaasResourceCreateAction } from './resourceCreate';
import { ResourceInput } from './resourceRequest';

/** The context the action's handler takes. */
type HandlerContext = Parameters<
  ReturnType<typeof createPaasResourceCreateAction>['handler']
>[0];

type Output = {
  id?: string;
  externalName: string;
  phase: string;
  outputs: Record<string, string>;
  url: string;
};

const alice = mockCredentials.user('user:default/alice');
const TASK = 'task-1';

const input: ResourceInput = {
  organization: 'acme',
  team: 'checkout',
  name: 'assets',
  spec: { versioning: true },
  component: 'component:default/payments-api',
};

function resource(overrides: Partial<ManagedResource> = {}): ManagedResource {
  return {
    id: 'r-1',
    organization: 'acme',
    team: 'checkout',
    kind: 'aws:s3-bucket',
    name: 'assets',
    externalName: 'acme-checkout-assets',
    owner: 'group:default/acme-checkout',
    component: 'component:default/payments-api',
    spec: { versioning: true, encryption: { type: 'SSE-S3' } },
    phase: 'provisioning',
    deletionPolicy: 'delete',
    generation: 1,
    observedGeneration: 0,
    conditions: [],
    outputs: {},
    monthlyCost: 5,
    requestedBy: 'user:default/alice',
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

const READY = resource({
  phase: 'ready',
  observedGeneration: 1,
  outputs: {
    arn: 'arn:aws:s3:::acme-checkout-assets',
    consoleUrl:
      'https://s3.console.aws.amazon.com/s3/buckets/acme-checkout-assets',
  },
});

/**
 * A backend that remembers idempotency keys as the real one does: the first request with a
 * key creates, later ones return what it created.
 */
function fakeBackend(): jest.Mocked<PaasService> {
  const byKey = new Map<string, ManagedResource>();
  return mockPaasService({
    createResource: jest.fn(async (_organization, _request, options) => {
      const key = options?.idempotencyKey;
      const earlier = key ? byKey.get(key) : undefined;
      if (earlier) {
        return { resource: earlier, created: false };
      }
      const created = resource();
      if (key) {
        byKey.set(key, created);
      }
      return { resource: created, created: true };
    }),
    getResource: jest
      .fn()
      .mockResolvedValueOnce(resource())
      .mockResolvedValue(READY),
    listResources: jest.fn(async () => [] as ManagedResource[]),
  });
}

function taskContext(
  values: ResourceInput,
  options: {
    isDryRun?: boolean;
    checkpoints?: Map<string, unknown>;
    task?: string;
  } = {},
) {
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx: ActionContext<JsonObject, Output> = {
    ...createMockActionContext<JsonObject, Output>({ input: values }),
    logger: mockServices.logger.mock(),
    task: { id: options.task ?? TASK },
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () => alice,
  };
  ctx.checkpoint = (async ({ key, fn }) => {
    if (checkpoints.has(key)) {
      return checkpoints.get(key);
    }
    const value = await fn();
    checkpoints.set(key, value);
    return value;
  }) as ActionContext<JsonObject, Output>['checkpoint'];
  return { ctx: ctx as unknown as HandlerContext, checkpoints };
}

function outputsOf(ctx: HandlerContext) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

function logsOf(ctx: HandlerContext): string {
  const logger = ctx.logger as unknown as Record<string, jest.Mock>;
  return ['info', 'warn', 'error', 'debug']
    .flatMap(level => logger[level]?.mock?.calls ?? [])
    .map(call => JSON.stringify(call))
    .join('\n');
}

const KEY = `scaffolder:${TASK}:aws:s3-bucket:acme/checkout/assets`;

describe('paas:aws:s3-bucket:create', () => {
  let paas: jest.Mocked<PaasService>;
  let action: ReturnType<typeof createPaasResourceCreateAction>;

  beforeEach(() => {
    paas = fakeBackend();
    action = createPaasResourceCreateAction({
      paas,
      appBaseUrl: 'http://portal.example/',
      kind: 'aws:s3-bucket',
      pollIntervalMs: 1,
    });
  });

  it('requests the bucket as the user running the template, waits until it is ready and outputs what the provider reports', async () => {
    const { ctx, checkpoints } = taskContext(input);

    await action.handler(ctx);

    expect(action.id).toBe('paas:aws:s3-bucket:create');
    expect(paas.createResource).toHaveBeenCalledWith(
      'acme',
      {
        team: 'checkout',
        name: 'assets',
        kind: 'aws:s3-bucket',
        spec: { versioning: true },
        component: 'component:default/payments-api',
        deletionPolicy: 'delete',
      },
      { credentials: alice, idempotencyKey: KEY },
    );
    expect(paas.getResource).toHaveBeenCalledTimes(2);
    expect([...checkpoints.keys()]).toEqual([
      'paas.resource.create.v1.aws:s3-bucket.acme.checkout.assets',
    ]);
    expect(outputsOf(ctx)).toEqual({
      id: 'r-1',
      externalName: 'acme-checkout-assets',
      phase: 'ready',
      outputs: READY.outputs,
      url: 'http://portal.example/paasport/organizations/acme/resources',
    });
  });

  it('sends one create when the same step runs twice in one task (reliability row 2)', async () => {
    const checkpoints = new Map<string, unknown>();
    await action.handler(taskContext(input, { checkpoints }).ctx);
    await action.handler(taskContext(input, { checkpoints }).ctx);

    expect(paas.createResource).toHaveBeenCalledTimes(1);
  });

  it('after a crash between the create and its checkpoint, the rerun gets the same resource back (reliability row 1)', async () => {
    await action.handler(taskContext(input).ctx);
    // The task restarts with no checkpoint recorded: the create is sent again, same key.
    const { ctx } = taskContext(input);
    await action.handler(ctx);

    expect(paas.createResource).toHaveBeenCalledTimes(2);
    const results = await Promise.all(
      paas.createResource.mock.results.map(r => r.value),
    );
    expect(results.map(r => r.created)).toEqual([true, false]);
    expect(outputsOf(ctx).id).toBe('r-1');
    expect(logsOf(ctx)).toContain('This task asked for the S3 bucket');
  });

  it('adopts the same bucket requested by an earlier task, and refuses one with other settings', async () => {
    paas.createResource.mockRejectedValue(
      await responseError(409, 'ConflictError', 'already has one'),
    );
    paas.listResources.mockResolvedValue([
      READY,
      resource({ id: 'r-2', name: 'other' }),
    ]);
    // As a template expression renders it: the same JSON without Object's prototype.
    const rendered = {
      versioning: true,
      encryption: Object.assign(Object.create(null), { type: 'SSE-S3' }),
    };
    const { ctx } = taskContext(
      { ...input, spec: rendered },
      { task: 'task-2' },
    );
    await action.handler(ctx);
    expect(outputsOf(ctx)).toMatchObject({ id: 'r-1', phase: 'ready' });
    expect(paas.listResources).toHaveBeenCalledWith(
      { organization: 'acme', team: 'checkout', kind: 'aws:s3-bucket' },
      { credentials: alice },
    );

    await expect(
      action.handler(
        taskContext({ ...input, spec: { versioning: false } }, { task: 't3' })
          .ctx,
      ),
    ).rejects.toThrow(
      "The team 'checkout' already has a S3 bucket named 'assets' in the Paasport organization 'acme' with different settings (versioning is true, not false)",
    );
  });

  it('stops with the quota and the shortfall when the quota refuses', async () => {
    const message =
      'The quota of team checkout in acme does not allow this aws:s3-bucket: Quota exceeded: checkout has 0 of 20 count/aws:s3-bucket left; this needs 1 (1 short)';
    paas.createResource.mockRejectedValue(
      await responseError(409, 'ConflictError', message),
    );

    await expect(action.handler(taskContext(input).ctx)).rejects.toThrow(
      `The S3 bucket 'assets' of team 'checkout' in the Paasport organization 'acme' could not be requested: ${message}`,
    );
    expect(paas.getResource).not.toHaveBeenCalled();
  });

  it('waits through an approval, and fails with the reason when it is denied', async () => {
    paas.getResource.mockReset();
    paas.getResource
      .mockResolvedValueOnce(resource({ phase: 'pending-approval' }))
      .mockResolvedValueOnce(resource({ phase: 'pending-approval' }))
      .mockResolvedValue(
        resource({
          phase: 'failed',
          message: 'Denied by user:default/ada: use the shared bucket',
        }),
      );
    const { ctx } = taskContext(input);

    await expect(action.handler(ctx)).rejects.toThrow(
      "The S3 bucket 'assets' of team 'checkout' in the Paasport organization 'acme' is failed: Denied by user:default/ada: use the shared bucket",
    );
    expect(logsOf(ctx)).toContain('is waiting for an approval');
  });

  it('names what it still waits for when the time is up', async () => {
    paas.getResource.mockReset();
    paas.getResource.mockResolvedValue(
      resource({
        message: 'Attempt 2 failed, retrying in 4 s: AccessDenied',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'AttemptFailed',
            message: 'AccessDenied',
          },
        ],
      }),
    );
    await expect(
      action.handler(taskContext({ ...input, timeoutSeconds: 1 }).ctx),
    ).rejects.toThrow(
      /Gave up waiting after 1 s: the S3 bucket .* is still provisioning: Attempt 2 failed, retrying in 4 s: AccessDenied \(Ready: AccessDenied\)/,
    );
  });

  it('ends once accepted when told not to wait', async () => {
    paas.getResource.mockReset();
    paas.getResource.mockResolvedValue(resource({ phase: 'pending-approval' }));
    const { ctx } = taskContext({ ...input, wait: false });
    await action.handler(ctx);
    expect(paas.getResource).toHaveBeenCalledTimes(1);
    expect(outputsOf(ctx)).toMatchObject({
      id: 'r-1',
      phase: 'pending-approval',
    });
  });

  it('only reads in a dry run (reliability row 14)', async () => {
    const { ctx } = taskContext(input, { isDryRun: true });
    await action.handler(ctx);

    expect(paas.createResource).not.toHaveBeenCalled();
    expect(paas.deleteResource).not.toHaveBeenCalled();
    expect(paas.listResources).toHaveBeenCalledTimes(1);
    expect(outputsOf(ctx)).toMatchObject({ phase: 'would-create' });
  });

  it('keeps secrets out of outputs and logs (reliability row 11)', async () => {
    paas.getResource.mockReset();
    paas.getResource.mockResolvedValue(
      resource({
        phase: 'ready',
        outputs: {
          endpoint: 'db.internal:5432',
          masterUserSecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
          password: 'leaked-by-a-bad-provider',
        },
      }),
    );
    const { ctx } = taskContext(input);
    ctx.secrets = { dbPassword: 'hunter2-secret' };

    await action.handler(ctx);

    expect(outputsOf(ctx).outputs).toEqual({
      endpoint: 'db.internal:5432',
      masterUserSecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
    });
    const everything = `${logsOf(ctx)}\n${JSON.stringify(outputsOf(ctx))}`;
    expect(everything).not.toContain('hunter2-secret');
    expect(everything).not.toContain('leaked-by-a-bad-provider');
  });

  it.each<[string, ResourceInput, string]>([
    ['a bad name', { ...input, name: 'Assets!' }, 'name:'],
    ['an unknown spec field', { ...input, spec: { public: true } }, 'spec'],
    [
      'a bad spec value',
      { ...input, spec: { expireNoncurrentAfterDays: 0 } },
      'spec.expireNoncurrentAfterDays:',
    ],
    ['a bad organization', { ...input, organization: 'Acme' }, 'organization:'],
  ])('refuses %s before calling Paasport', async (_what, values, field) => {
    await expect(action.handler(taskContext(values).ctx)).rejects.toThrow(
      field,
    );
    expect(paas.createResource).not.toHaveBeenCalled();
  });
});

describe('paas:resource:create', () => {
  it('takes the kind as an input', async () => {
    const paas = fakeBackend();
    const action = createPaasResourceCreateAction({ paas, pollIntervalMs: 1 });
    expect(action.id).toBe('paas:resource:create');

    await action.handler(
      taskContext({
        ...input,
        kind: 'aws:dynamodb-table',
        spec: { partitionKey: { name: 'pk', type: 'S' } },
      }).ctx,
    );
    expect(paas.createResource.mock.calls[0][1]).toMatchObject({
      kind: 'aws:dynamodb-table',
    });

    await expect(
      action.handler(taskContext({ ...input, kind: 'aws:ec2' }).ctx),
    ).rejects.toThrow('kind: must be one of aws:s3-bucket');
  });
});

describe('owner resolution', () => {
  function backendWithTeams() {
    const paas = fakeBackend();
    paas.listOrganizations.mockResolvedValue([
      { name: 'acme', title: 'Acme', createdBy: 'x', createdAt: 'x' },
      {
        name: 'acme-payments',
        title: 'Payments',
        createdBy: 'x',
        createdAt: 'x',
      },
    ]);
    paas.listTeams.mockImplementation(async organization =>
      organization === 'acme-payments'
        ? [
            {
              organization,
              name: 'checkout',
              title: 'Checkout',
              createdBy: 'x',
              createdAt: 'x',
            },
          ]
        : [],
    );
    return paas;
  }

  it('finds the organization and team of the OwnerPicker group', async () => {
    const paas = backendWithTeams();
    const action = createPaasResourceCreateAction({
      paas,
      kind: 'aws:s3-bucket',
      pollIntervalMs: 1,
    });
    const { organization: _o, team: _t, ...rest } = input;
    await action.handler(
      taskContext({ ...rest, owner: 'group:default/acme-payments-checkout' })
        .ctx,
    );
    expect(paas.createResource).toHaveBeenCalledWith(
      'acme-payments',
      expect.objectContaining({ team: 'checkout' }),
      expect.anything(),
    );
  });

  it.each([
    ['user:default/alice', 'must be a group reference'],
    [
      'group:default/acme-mobile',
      'is not the group of a Paasport team you are a member of',
    ],
  ])('refuses the owner %s', async (owner, message) => {
    const paas = backendWithTeams();
    const action = createPaasResourceCreateAction({
      paas,
      kind: 'aws:s3-bucket',
    });
    const { organization: _o, team: _t, ...rest } = input;
    await expect(
      action.handler(taskContext({ ...rest, owner }).ctx),
    ).rejects.toThrow(message);
    expect(paas.createResource).not.toHaveBeenCalled();
  });
});
