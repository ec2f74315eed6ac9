import { mockCredentials } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { Organization } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { mockPaasService, responseError } from '../__testUtils__/paasService';
import { createPaasOrganizationCreateAction } from './organizationCreate';

type Input = {
  name: string;
  title?: string;
  description?: string;
  groupRef?: string;
};
type Output = { name: string; entityRef: string; url: string };

function fakePaas(): jest.Mocked<PaasService> {
  return mockPaasService({
    getOrganization: jest.fn(async name => {
      throw await responseError(
        404,
        'NotFoundError',
        `No organization named '${name}'`,
      );
    }),
    createOrganization: jest.fn(
      async (request): Promise<Organization> => ({
        name: request.name,
        title: request.title ?? request.name,
        ...(request.description ? { description: request.description } : {}),
        ...(request.groupRef ? { groupRef: request.groupRef } : {}),
        createdBy: 'user:default/alice',
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
    ),
  });
}

/** A context whose checkpoints remember their results, as a task's state does on retry. */
function taskContext(
  input: Input,
  options: { isDryRun?: boolean; checkpoints?: Map<string, unknown> } = {},
) {
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx: ActionContext<Input, Output> = {
    ...createMockActionContext<Input, Output>({ input }),
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () =>
      mockCredentials.user('user:default/alice'),
  };
  ctx.checkpoint = (async ({ key, fn }) => {
    if (checkpoints.has(key)) {
      return checkpoints.get(key);
    }
    const value = await fn();
    checkpoints.set(key, value);
    return value;
  }) as ActionContext<Input, Output>['checkpoint'];
  return { ctx, checkpoints };
}

function outputsOf(ctx: ActionContext<Input, Output>) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('paas:organization:create', () => {
  let paas: jest.Mocked<PaasService>;
  let action: ReturnType<typeof createPaasOrganizationCreateAction>;

  beforeEach(() => {
    paas = fakePaas();
    action = createPaasOrganizationCreateAction({
      paas,
      appBaseUrl: 'http://portal.example/',
    });
  });

  it('creates the organization on behalf of the user running the template', async () => {
    const { ctx } = taskContext({
      name: 'acme-payments',
      title: 'Acme Payments',
      description: 'Everything that moves money',
    });

    await action.handler(ctx);

    expect(paas.createOrganization).toHaveBeenCalledTimes(1);
    expect(paas.createOrganization).toHaveBeenCalledWith(
      {
        name: 'acme-payments',
        title: 'Acme Payments',
        description: 'Everything that moves money',
      },
      { credentials: mockCredentials.user('user:default/alice') },
    );
    expect(outputsOf(ctx)).toEqual({
      name: 'acme-payments',
      entityRef: 'group:default/acme-payments',
      url: 'http://portal.example/paasport',
    });
  });

  it('adopts a catalog group and outputs its ref, accepting a short ref', async () => {
    const { ctx } = taskContext({ name: 'payments', groupRef: 'payments' });

    await action.handler(ctx);

    expect(paas.createOrganization).toHaveBeenCalledWith(
      { name: 'payments', groupRef: 'group:default/payments' },
      expect.anything(),
    );
    expect(outputsOf(ctx).entityRef).toBe('group:default/payments');
  });

  it('treats blank optional fields from the template form as left out', async () => {
    const { ctx } = taskContext({
      name: 'ledger',
      title: '  ',
      description: '',
      groupRef: '',
    });

    await action.handler(ctx);

    expect(paas.createOrganization).toHaveBeenCalledWith(
      { name: 'ledger' },
      expect.anything(),
    );
  });

  it('reaches the service once when the same task runs the action twice', async () => {
    const { ctx, checkpoints } = taskContext({ name: 'acme-payments' });

    await action.handler(ctx);
    await action.handler(ctx);

    expect(paas.createOrganization).toHaveBeenCalledTimes(1);
    expect([...checkpoints.keys()]).toEqual([
      'paas.organization.create.v1.acme-payments',
    ]);
    expect(ctx.output).toHaveBeenLastCalledWith(
      'url',
      'http://portal.example/paasport',
    );
  });

  it('succeeds on a retry after a recorded create even though the name is now taken', async () => {
    const { ctx, checkpoints } = taskContext({ name: 'acme-payments' });
    await action.handler(ctx);
    paas.createOrganization.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        "Organization 'acme-payments' already exists",
      ),
    );

    const retry = taskContext({ name: 'acme-payments' }, { checkpoints });
    await action.handler(retry.ctx);

    expect(outputsOf(retry.ctx).name).toBe('acme-payments');
    expect(paas.createOrganization).toHaveBeenCalledTimes(1);
  });

  it('makes no mutating call in a dry run and outputs what it would create', async () => {
    const { ctx } = taskContext(
      { name: 'payments', groupRef: 'group:default/payments' },
      { isDryRun: true },
    );

    await action.handler(ctx);

    expect(paas.createOrganization).not.toHaveBeenCalled();
    expect(paas.getOrganization).toHaveBeenCalledWith('payments', {
      credentials: mockCredentials.user('user:default/alice'),
    });
    expect(outputsOf(ctx)).toEqual({
      name: 'payments',
      entityRef: 'group:default/payments',
      url: 'http://portal.example/paasport',
    });
  });

  it('reports a taken name in a dry run, still without mutating', async () => {
    paas.getOrganization.mockResolvedValue({
      name: 'acme-payments',
      title: 'Acme Payments',
      createdBy: 'user:default/bob',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const { ctx } = taskContext({ name: 'acme-payments' }, { isDryRun: true });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining("'acme-payments' already exists"),
    });
    expect(paas.createOrganization).not.toHaveBeenCalled();
  });

  it('still previews a dry run when the existence check fails', async () => {
    paas.getOrganization.mockRejectedValue(
      await responseError(503, 'ServiceUnavailableError', 'database down'),
    );
    const { ctx } = taskContext({ name: 'acme-payments' }, { isDryRun: true });

    await action.handler(ctx);

    expect(outputsOf(ctx).name).toBe('acme-payments');
    expect(paas.createOrganization).not.toHaveBeenCalled();
  });

  it('explains a name that is already taken (409)', async () => {
    paas.createOrganization.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        "Organization 'acme-payments' already exists",
      ),
    );
    const { ctx, checkpoints } = taskContext({ name: 'acme-payments' });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "The Paasport organization 'acme-payments' could not be created: " +
        "Organization 'acme-payments' already exists. Choose another name or group",
    });
    expect(checkpoints.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('explains a refused permission (403)', async () => {
    paas.createOrganization.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        'You may not create organizations',
      ),
    );
    const { ctx } = taskContext({ name: 'acme-payments' });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'You are not allowed to create Paasport organizations',
      ),
    });
  });

  it('passes other failures through unchanged', async () => {
    const failure = await responseError(503, 'ServiceUnavailableError', 'down');
    paas.createOrganization.mockRejectedValue(failure);
    const { ctx } = taskContext({ name: 'acme-payments' });

    await expect(action.handler(ctx)).rejects.toBe(failure);
  });

  it.each([
    [{ name: 'Acme' }, 'name: must be lower-case letters'],
    [{ name: '-acme' }, 'name: must be lower-case letters'],
    [{ name: 'a'.repeat(64) }, 'name: '],
    [{ name: '' }, 'name: '],
    [{ name: 'acme', title: 'x'.repeat(256) }, 'title: '],
    [{ name: 'acme', description: 'x'.repeat(4001) }, 'description: '],
    [
      { name: 'acme', groupRef: 'component:default/payments' },
      'groupRef must refer to a Group',
    ],
    [{ name: 'acme', groupRef: 'group:default/pay ments' }, 'groupRef: '],
  ])(
    'rejects bad input %j without calling Paasport',
    async (input, message) => {
      const { ctx } = taskContext(input as Input);

      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
      expect(paas.createOrganization).not.toHaveBeenCalled();
      expect(paas.getOrganization).not.toHaveBeenCalled();
    },
  );

  it('links to a relative Paasport page when the app base URL is unknown', async () => {
    const relative = createPaasOrganizationCreateAction({ paas });
    const { ctx } = taskContext({ name: 'acme-payments' });

    await relative.handler(ctx);

    expect(outputsOf(ctx).url).toBe('/paasport');
  });
});
