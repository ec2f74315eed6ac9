import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Deployment,
  SubmitDeploymentRequest,
} from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { examples } from './deploymentCreate.examples';
import { ACTION_ID, parseRequest } from './deploymentRequest';
import { explainFailure, failureOf, paasportUrl } from './shared';

/** What the action produces; also what its checkpoint stores. */
type SubmittedDeployment = { id: string; state: string; cluster?: string };

/** What the submission is about, for messages. */
type Target = { organization: string; team: string; name: string };

/**
 * Creates the `paas:deployment:create` action: submits a container deployment for a team of
 * a Paasport organization, on behalf of the user running the template.
 *
 * @public
 */
export function createPaasDeploymentCreateAction(options: {
  paas: PaasService;
  /** Base URL of the Backstage app, for the link to the organization's deployments. */
  appBaseUrl?: string;
}) {
  const { paas, appBaseUrl } = options;

  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Submits a container deployment for a team of a Paasport organization, with the ' +
      'permissions of the user running the template. Paasport queues it, asks for an ' +
      'approval, or admits it onto a cluster straight away.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: z =>
          z.string({
            description: 'Name of the Paasport organization to deploy in.',
          }),
        team: z =>
          z.string({
            description:
              'Name of the team of the organization that owns the deployment and whose ' +
              'quota it uses.',
          }),
        name: z =>
          z.string({
            description:
              'Name of the deployment, unique within the team: lower-case letters, digits ' +
              'and dashes, starting with a letter, at most 63 characters.',
          }),
        image: z =>
          z.string({
            description:
              'Container image to run, such as `ghcr.io/acme/checkout:1.4.2`.',
          }),
        replicas: z =>
          z.number({ description: 'Number of replicas, 1 to 1000.' }).int(),
        cpuMillicores: z =>
          z
            .number({
              description:
                'CPU each replica requests, in millicores (1000 = 1 CPU).',
            })
            .int(),
        memoryMib: z =>
          z
            .number({ description: 'Memory each replica requests, in MiB.' })
            .int(),
        gpus: z =>
          z
            .number({
              description: 'GPUs each replica requests; 0 when left out.',
            })
            .int()
            .optional(),
        gpuType: z =>
          z
            .string({
              description:
                'GPU model the replicas need, such as `nvidia-a100`; only with gpus above 0.',
            })
            .optional(),
        priorityClass: z =>
          z
            .string({
              description:
                'Priority class, such as `batch`, `standard` or `critical`; the ' +
                'configured default when left out.',
            })
            .optional(),
        placement: z =>
          z
            .record(z.string(), z.string().optional(), {
              description:
                'Labels a cluster must have, such as `{ environment: prod }`. Labels ' +
                'with an empty value are left out.',
            })
            .optional(),
        reason: z =>
          z
            .string({
              description:
                'Why the deployment is needed; shown to approvers when policy asks for ' +
                'an approval.',
            })
            .optional(),
        writableRootFilesystem: z =>
          z
            .boolean({
              description:
                'Lets the containers write to their root filesystem; read-only, with a ' +
                'scratch /tmp, when left out or false.',
            })
            .optional(),
      },
      output: {
        id: z =>
          z
            .string({
              description:
                'Id of the deployment; left out in a dry run that would submit a new one.',
            })
            .optional(),
        state: z =>
          z.string({
            description:
              'State of the deployment: `queued`, `pending-approval` or `admitted` (or ' +
              'later states when an earlier submission was adopted); `would-submit` in a ' +
              'dry run.',
          }),
        cluster: z =>
          z
            .string({
              description: 'Cluster it was admitted onto, when admitted.',
            })
            .optional(),
        url: z =>
          z.string({
            description:
              "Link to the organization's deployments on the Paasport page in Backstage.",
          }),
      },
    },
    async handler(ctx) {
      const { organization, request } = parseRequest(ctx.input);
      const target: Target = {
        organization,
        team: request.team,
        name: request.name,
      };
      const label = describe(target);
      const credentials = await ctx.getInitiatorCredentials();
      const url = paasportUrl(
        appBaseUrl,
        `/organizations/${encodeURIComponent(organization)}/deployments`,
      );

      if (ctx.isDryRun) {
        const planned = await preview(paas, target, request, credentials, {
          logger: ctx.logger,
        });
        ctx.logger.info(
          planned.id
            ? `Dry run: would adopt the existing ${label} (${planned.id}, ${planned.state})`
            : `Dry run: would submit the ${label}`,
        );
        output(ctx, planned, url);
        return;
      }

      ctx.logger.info(
        `Submitting the ${label}: ${request.replicas} x ${request.image} ` +
          `(${request.resources.cpuMillicores}m CPU, ${request.resources.memoryMib} MiB, ` +
          `${request.resources.gpus} GPU)`,
      );
      const submitted = await ctx.checkpoint<SubmittedDeployment>({
        key: `paas.deployment.create.v1.${organization}.${request.team}.${request.name}`,
        fn: () => submit(paas, target, request, credentials, ctx.logger),
      });
      const where = submitted.cluster ? ` on cluster ${submitted.cluster}` : '';
      ctx.logger.info(
        `The ${label} is ${submitted.state}${where} (${submitted.id})`,
      );
      output(ctx, submitted, url);
    },
  });
}

function describe({ organization, team, name }: Target): string {
  return `deployment '${name}' of team '${team}' in the Paasport organization '${organization}'`;
}

function output(
  ctx: {
    output(name: 'id' | 'state' | 'cluster' | 'url', value: string): void;
  },
  deployment: { id?: string; state: string; cluster?: string },
  url: string,
) {
  if (deployment.id) {
    ctx.output('id', deployment.id);
  }
  ctx.output('state', deployment.state);
  if (deployment.cluster) {
    ctx.output('cluster', deployment.cluster);
  }
  ctx.output('url', url);
}

function toSubmitted(deployment: Deployment): SubmittedDeployment {
  return {
    id: deployment.id,
    state: deployment.state,
    ...(deployment.cluster ? { cluster: deployment.cluster } : {}),
  };
}

/** Whether an existing deployment is the one this request asks for. */
function sameAsRequested(
  deployment: Deployment,
  request: SubmitDeploymentRequest,
): boolean {
  return (
    deployment.image === request.image &&
    deployment.replicas === request.replicas &&
    deployment.resources.cpuMillicores === request.resources.cpuMillicores &&
    deployment.resources.memoryMib === request.resources.memoryMib &&
    (deployment.resources.gpus ?? 0) === request.resources.gpus &&
    Boolean(deployment.writableRootFilesystem) ===
      Boolean(request.writableRootFilesystem)
  );
}

function differentDeployment(target: Target): ConflictError {
  return new ConflictError(
    `The team '${target.team}' already has a deployment named '${target.name}' in the ` +
      `Paasport organization '${target.organization}' with a different image, replica ` +
      `count, resources or root filesystem setting. Choose another name, or change or stop that deployment first`,
  );
}

/**
 * Submits the deployment. A 409 may mean this submission already went through (a retry
 * whose checkpoint was not recorded): a deployment of that name asking for the same is
 * adopted rather than refused.
 */
async function submit(
  paas: PaasService,
  target: Target,
  request: SubmitDeploymentRequest,
  credentials: BackstageCredentials,
  logger: LoggerService,
): Promise<SubmittedDeployment> {
  try {
    return toSubmitted(
      await paas.submitDeployment(target.organization, request, {
        credentials,
      }),
    );
  } catch (error) {
    const { status } = failureOf(error);
    if (status !== 409) {
      throw explain(error, target);
    }
    const existing = await findExisting(paas, target, credentials);
    if (!existing) {
      // The name is free, so the backend refused for another reason: no cluster or quota.
      throw explain(error, target);
    }
    if (!sameAsRequested(existing, request)) {
      throw differentDeployment(target);
    }
    logger.info(
      `The ${describe(
        target,
      )} was submitted before with the same image, replicas and ` +
        `resources; adopting it (${existing.id})`,
    );
    return toSubmitted(existing);
  }
}

async function findExisting(
  paas: PaasService,
  target: Target,
  credentials: BackstageCredentials,
): Promise<Deployment | undefined> {
  try {
    const deployments = await paas.listDeployments(target.organization, {
      credentials,
    });
    return deployments.find(
      d => d.team === target.team && d.name === target.name,
    );
  } catch (error) {
    throw explain(error, target);
  }
}

/**
 * Dry runs only read: they check the organization can be read, and report a taken name as
 * a real run would, without submitting.
 */
async function preview(
  paas: PaasService,
  target: Target,
  request: SubmitDeploymentRequest,
  credentials: BackstageCredentials,
  { logger }: { logger: LoggerService },
): Promise<{ id?: string; state: string; cluster?: string }> {
  let existing: Deployment | undefined;
  try {
    existing = await findExisting(paas, target, credentials);
  } catch (error) {
    if (
      error instanceof NotFoundError ||
      error instanceof NotAllowedError ||
      error instanceof InputError
    ) {
      throw error;
    }
    const { reason } = failureOf(error);
    logger.warn(
      `Dry run: could not read the deployments of the Paasport organization ` +
        `'${target.organization}': ${reason}`,
    );
    return { state: 'would-submit' };
  }
  if (!existing) {
    return { state: 'would-submit' };
  }
  if (!sameAsRequested(existing, request)) {
    throw differentDeployment(target);
  }
  return toSubmitted(existing);
}

/** Turns the backend's refusals into errors a template user can act on. */
function explain(error: unknown, target: Target): unknown {
  return explainFailure(error, {
    ...target,
    description: describe(target),
    verb: 'deploy',
    done: 'submitted',
  });
}
