import { mockCredentials } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { Deployment } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { mockPaasService, responseError } from '../__testUtils__/paasService';
import { createPaasDeploymentCreateAction } from './deploymentCreate';
import { DeploymentInput } from './deploymentRequest';

type Input = DeploymentInput;
type Output = { id?: string; state: string; cluster?: string; url: string };

const alice = mockCredentials.user('user:default/alice');

const input: Input = {
  organization: 'acme',
  team: 'checkout',
  name: 'checkout-api',
  image: 'ghcr.io/acme/checkout:1.4.2',
  replicas: 2,
  cpuMillicores: 500,
  memoryMib: 512,
};

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd-1',
    organization: 'acme',
    team: 'checkout',
    name: 'checkout-api',
    image: 'ghcr.io/acme/checkout:1.4.2',
    replicas: 2,
    resources: { cpuMillicores: 500, memoryMib: 512, gpus: 0 },
    priorityClass: 'standard',
    priority: 100,
    placement: {},
    state: 'queued',
    preemptions: 0,
    createdBy: 'user:default/alice',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function fakePaas(): jest.Mocked<PaasService> {
  return mockPaasService({
    submitDeployment: jest.fn(async (organization, request) =>
      deployment({
        organization,
        team: request.team,
        name: request.name,
        image: request.image,
        replicas: request.replicas,
        resources: request.resources,
        state: 'admitted',
        cluster: 'eu-1',
      }),
    ),
    listDeployments: jest.fn(
      async (_organization: string) => [] as Deployment[],
    ),
  });
}

/** A context whose checkpoints remember their results, as a task's state does on retry. */
function taskContext(
  values: Input,
  options: { isDryRun?: boolean; checkpoints?: Map<string, unknown> } = {},
) {
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const ctx: ActionContext<Input, Output> = {
    ...createMockActionContext<Input, Output>({ input: values }),
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
  }) as ActionContext<Input, Output>['checkpoint'];
  return { ctx, checkpoints };
}

function outputsOf(ctx: ActionContext<Input, Output>) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

const url = 'http://portal.example/paasport/organizations/acme/deployments';

describe('paas:deployment:create', () => {
  let paas: jest.Mocked<PaasService>;
  let action: ReturnType<typeof createPaasDeploymentCreateAction>;

  beforeEach(() => {
    paas = fakePaas();
    action = createPaasDeploymentCreateAction({
      paas,
      appBaseUrl: 'http://portal.example/',
    });
  });

  it('submits the deployment on behalf of the user running the template', async () => {
    const { ctx } = taskContext({
      ...input,
      gpus: 1,
      gpuType: 'nvidia-a100',
      priorityClass: 'critical',
      placement: { environment: 'prod' },
      reason: 'Launch',
    });

    await action.handler(ctx);

    expect(paas.submitDeployment).toHaveBeenCalledTimes(1);
    expect(paas.submitDeployment).toHaveBeenCalledWith(
      'acme',
      {
        team: 'checkout',
        name: 'checkout-api',
        image: 'ghcr.io/acme/checkout:1.4.2',
        replicas: 2,
        resources: { cpuMillicores: 500, memoryMib: 512, gpus: 1 },
        gpuType: 'nvidia-a100',
        priorityClass: 'critical',
        placement: { environment: 'prod' },
        reason: 'Launch',
      },
      { credentials: alice },
    );
    expect(outputsOf(ctx)).toEqual({
      id: 'd-1',
      state: 'admitted',
      cluster: 'eu-1',
      url,
    });
  });

  it('leaves out blank optional fields and empty placement labels', async () => {
    const { ctx } = taskContext({
      ...input,
      gpuType: '',
      priorityClass: ' ',
      placement: { environment: '' },
      reason: '',
    });

    await action.handler(ctx);

    expect(paas.submitDeployment).toHaveBeenCalledWith(
      'acme',
      {
        team: 'checkout',
        name: 'checkout-api',
        image: 'ghcr.io/acme/checkout:1.4.2',
        replicas: 2,
        resources: { cpuMillicores: 500, memoryMib: 512, gpus: 0 },
        placement: {},
      },
      expect.anything(),
    );
  });

  it('passes on an opt-out of the read-only root filesystem, and leaves a false one out', async () => {
    await action.handler(
      taskContext({ ...input, writableRootFilesystem: true }).ctx,
    );
    await action.handler(
      taskContext({ ...input, writableRootFilesystem: false }).ctx,
    );

    expect(paas.submitDeployment.mock.calls.map(call => call[1])).toEqual([
      expect.objectContaining({ writableRootFilesystem: true }),
      expect.not.objectContaining({
        writableRootFilesystem: expect.anything(),
      }),
    ]);
  });

  it('does not adopt a deployment whose root filesystem setting differs', async () => {
    paas.submitDeployment.mockRejectedValue(
      await responseError(409, 'ConflictError', 'name taken'),
    );
    paas.listDeployments.mockResolvedValue([
      deployment({ writableRootFilesystem: true }),
    ]);
    const { ctx } = taskContext(input);

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('outputs no cluster while the deployment is queued', async () => {
    paas.submitDeployment.mockResolvedValue(deployment({ state: 'queued' }));
    const { ctx } = taskContext(input);

    await action.handler(ctx);

    expect(outputsOf(ctx)).toEqual({ id: 'd-1', state: 'queued', url });
  });

  it('submits once under a versioned checkpoint when the same task runs twice', async () => {
    const { ctx, checkpoints } = taskContext(input);

    await action.handler(ctx);
    await action.handler(ctx);

    expect(paas.submitDeployment).toHaveBeenCalledTimes(1);
    expect([...checkpoints.keys()]).toEqual([
      'paas.deployment.create.v1.acme.checkout.checkout-api',
    ]);
    expect(ctx.output).toHaveBeenLastCalledWith('url', url);
  });

  it('adopts a matching deployment when a retry without a checkpoint meets a 409', async () => {
    paas.submitDeployment.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        "Team 'checkout' already has a deployment named 'checkout-api'",
      ),
    );
    paas.listDeployments.mockResolvedValue([
      deployment({ id: 'd-0', name: 'other' }),
      deployment({ id: 'd-7', state: 'pending-approval' }),
    ]);
    const { ctx, checkpoints } = taskContext(input);

    await action.handler(ctx);

    expect(paas.listDeployments).toHaveBeenCalledWith('acme', {
      credentials: alice,
    });
    expect(outputsOf(ctx)).toEqual({
      id: 'd-7',
      state: 'pending-approval',
      url,
    });
    expect([...checkpoints.values()]).toEqual([
      { id: 'd-7', state: 'pending-approval' },
    ]);
  });

  it('refuses a taken name whose deployment asks for something different', async () => {
    paas.submitDeployment.mockRejectedValue(
      await responseError(409, 'ConflictError', 'name taken'),
    );
    paas.listDeployments.mockResolvedValue([deployment({ replicas: 3 })]);
    const { ctx, checkpoints } = taskContext(input);

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        "The team 'checkout' already has a deployment named 'checkout-api'",
      ),
    });
    expect(checkpoints.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it("passes on the backend's reason for a 409 that is not a taken name", async () => {
    paas.submitDeployment.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'No cluster could ever hold 2 replicas of 500m CPU',
      ),
    );
    const { ctx } = taskContext(input);

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'No cluster could ever hold 2 replicas of 500m CPU',
      ),
    });
  });

  it('makes no submit call in a dry run and says it would submit', async () => {
    const { ctx } = taskContext(input, { isDryRun: true });

    await action.handler(ctx);

    expect(paas.submitDeployment).not.toHaveBeenCalled();
    expect(paas.listDeployments).toHaveBeenCalledWith('acme', {
      credentials: alice,
    });
    expect(outputsOf(ctx)).toEqual({ state: 'would-submit', url });
  });

  it('reports a taken name in a dry run as a real run would', async () => {
    paas.listDeployments.mockResolvedValue([
      deployment({ image: 'ghcr.io/acme/checkout:1.0.0' }),
    ]);
    const { ctx } = taskContext(input, { isDryRun: true });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(paas.submitDeployment).not.toHaveBeenCalled();
  });

  it('previews adopting a matching deployment in a dry run', async () => {
    paas.listDeployments.mockResolvedValue([
      deployment({ state: 'running', cluster: 'eu-1' }),
    ]);
    const { ctx } = taskContext(input, { isDryRun: true });

    await action.handler(ctx);

    expect(outputsOf(ctx)).toEqual({
      id: 'd-1',
      state: 'running',
      cluster: 'eu-1',
      url,
    });
    expect(paas.submitDeployment).not.toHaveBeenCalled();
  });

  it('fails a dry run for an organization the user cannot read', async () => {
    paas.listDeployments.mockRejectedValue(
      await responseError(404, 'NotFoundError', "No organization named 'acme'"),
    );
    const { ctx } = taskContext(input, { isDryRun: true });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining("No organization named 'acme'"),
    });
    expect(paas.submitDeployment).not.toHaveBeenCalled();
  });

  it.each([
    [400, 'InputError', 'replicas: too many'],
    [403, 'NotAllowedError', 'You may not deploy for checkout'],
    [404, 'NotFoundError', "No organization named 'acme'"],
    [409, 'ConflictError', 'No quota could ever hold it'],
  ])(
    'maps a %d answer to %s with the backend message',
    async (status, name, message) => {
      paas.submitDeployment.mockRejectedValue(
        await responseError(status, 'SomeError', message),
      );
      const { ctx } = taskContext(input);

      await expect(action.handler(ctx)).rejects.toMatchObject({
        name,
        message: expect.stringContaining(message),
      });
    },
  );

  it('passes other failures through unchanged', async () => {
    const failure = await responseError(503, 'ServiceUnavailableError', 'down');
    paas.submitDeployment.mockRejectedValue(failure);
    const { ctx } = taskContext(input);

    await expect(action.handler(ctx)).rejects.toBe(failure);
  });

  it.each([
    [{ organization: 'Acme' }, 'organization: '],
    [{ team: '' }, 'team: '],
    [{ name: '-api' }, 'name: '],
    [{ image: 'not an image' }, 'image: '],
    [{ replicas: 0 }, 'replicas: '],
    [{ cpuMillicores: 0 }, 'resources.cpuMillicores: '],
    [{ gpuType: 'nvidia-a100' }, 'gpuType: a gpuType needs resources.gpus'],
    [{ priorityClass: 'Urgent!' }, 'priorityClass: '],
  ])(
    'rejects bad input %j without calling Paasport',
    async (change, message) => {
      const { ctx } = taskContext({ ...input, ...change } as Input);

      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
      expect(paas.submitDeployment).not.toHaveBeenCalled();
      expect(paas.listDeployments).not.toHaveBeenCalled();
    },
  );
});
