import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateResourceRequest,
  ManagedResource,
  ResourceKind,
} from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { isDeepStrictEqual } from 'node:util';
import type { z as zod } from 'zod/v3';
import { resourceActionExamples } from './resourceCreate.examples';
import { resolveOwnerTeam } from './ownerTeam';
import { parseResourceRequest, ResourceInput } from './resourceRequest';
import {
  RESOURCE_KIND_LABELS,
  resourceActionId,
  SPEC_DESCRIPTIONS,
} from './resourceKinds';
import { explainFailure, failureOf, paasportUrl } from './shared';
import {
  DEFAULT_TIMEOUT_SECONDS,
  publicOutputs,
  ResourceOutcome,
  waitForResource,
} from './resourceWait';

/** One input field, as the scaffolder's schema builder takes it. */
type InputField = (zImpl: typeof zod) => zod.ZodTypeAny;

const kindInput: InputField = zImpl =>
  zImpl.string({
    description:
      'Kind of resource, such as `aws:s3-bucket`, `aws:dynamodb-table` or ' +
      '`kubernetes:namespace`.',
  });

/** What the submission is about, for messages. */
type Target = {
  organization: string;
  team: string;
  kind: ResourceKind;
  name: string;
};

/** What the checkpoint stores: enough to find the resource again. */
type Accepted = { id: string; phase: string; externalName: string };

/** Options of the resource actions. @public */
export interface PaasResourceActionOptions {
  paas: PaasService;
  /** Base URL of the Backstage app, for the link to the organization's resources. */
  appBaseUrl?: string;
  /** How often to look at a resource while waiting; 2 s by default. */
  pollIntervalMs?: number;
}

/**
 * Creates a resource action: `paas:resource:create` when no kind is given (the kind is an
 * input), or `paas:<kind>:create`, such as `paas:aws:s3-bucket:create`. The action asks
 * Paasport for the resource on behalf of the user running the template, so permissions,
 * quota and approval policy apply to that user, then waits until it is ready.
 *
 * @public
 */
export function createPaasResourceCreateAction(
  options: PaasResourceActionOptions & { kind?: ResourceKind },
) {
  const { paas, appBaseUrl, kind: fixedKind } = options;
  const what = fixedKind ? RESOURCE_KIND_LABELS[fixedKind] : 'managed resource';

  const commonInput = {
    organization: z =>
      z
        .string({
          description: 'Name of the Paasport organization; or give `owner`.',
        })
        .optional(),
    team: z =>
      z
        .string({
          description:
            'Team of the organization that owns the resource and whose quota it uses; or ' +
            'give `owner`.',
        })
        .optional(),
    owner: z =>
      z
        .string({
          description:
            "The owning team's catalog group, such as `group:default/acme-checkout`, as an " +
            'OwnerPicker gives it; instead of `organization` and `team`.',
        })
        .optional(),
    name: z =>
      z.string({
        description:
          'Name of the resource, unique per team and kind: lower-case letters, digits ' +
          'and dashes, starting with a letter, at most 40 characters. The real name is ' +
          '`<organization>-<team>-<name>`.',
      }),
    spec: z =>
      z
        .record(z.string(), z.unknown(), {
          description: fixedKind
            ? SPEC_DESCRIPTIONS[fixedKind]
            : "Settings of the kind, checked against the kind's schema.",
        })
        .optional(),
    component: z =>
      z
        .string({
          description:
            'Catalog entity the resource serves, such as ' +
            '`component:default/payments-api`; the catalog links the two.',
        })
        .optional(),
    deletionPolicy: z =>
      z
        .enum(['delete', 'orphan', 'protect'], {
          description:
            'What deleting it in Paasport does: `delete` (default) removes the real ' +
            'resource, `orphan` leaves it in place, `protect` refuses.',
        })
        .optional(),
    reason: z =>
      z
        .string({
          description:
            'Why it is needed; shown to approvers when policy asks for an approval.',
        })
        .optional(),
    wait: z =>
      z
        .boolean({
          description:
            'Wait until the resource is ready (default). When false the step ends once ' +
            'Paasport accepted the request.',
        })
        .optional(),
    timeoutSeconds: z =>
      z
        .number({
          description: `How long to wait, approval included; ${DEFAULT_TIMEOUT_SECONDS} s by default.`,
        })
        .int()
        .min(1)
        .max(24 * 3600)
        .optional(),
  } satisfies Record<string, InputField>;

  return createTemplateAction({
    id: resourceActionId(fixedKind),
    description:
      `Requests a ${what} from Paasport for a team, with the permissions of the user ` +
      'running the template: the quota is reserved (or an approval asked for, as policy ' +
      'says), the resource is created secure by default and tagged, and the step waits ' +
      'until it is ready. Running the task again creates nothing new.',
    examples: resourceActionExamples(fixedKind),
    supportsDryRun: true,
    schema: {
      input: fixedKind ? commonInput : { ...commonInput, kind: kindInput },
      output: {
        id: z =>
          z
            .string({
              description:
                'Id of the resource in Paasport; absent in a dry run.',
            })
            .optional(),
        externalName: z =>
          z.string({
            description: 'Name of the real resource: bucket, table, namespace.',
          }),
        phase: z =>
          z.string({
            description:
              '`ready`, or `provisioning` / `pending-approval` when not waiting; ' +
              '`would-create` in a dry run.',
          }),
        outputs: z =>
          z.record(z.string(), z.string(), {
            description:
              'What the provider reports, such as `arn`, `endpoint` and `consoleUrl`; never secrets.',
          }),
        url: z =>
          z.string({
            description: "Link to the organization's resources in Paasport.",
          }),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const given = ctx.input as ResourceInput;
      const input =
        given.owner && !given.organization && !given.team
          ? {
              ...given,
              ...(await resolveOwnerTeam(paas, given.owner, credentials)),
            }
          : given;
      const { organization, kind, request } = parseResourceRequest(
        input,
        fixedKind,
      );
      const target: Target = {
        organization,
        team: request.team,
        kind,
        name: request.name,
      };
      const label = describe(target);
      const url = paasportUrl(
        appBaseUrl,
        `/organizations/${encodeURIComponent(organization)}/resources`,
      );

      if (ctx.isDryRun) {
        const existing = await findExisting(paas, target, credentials);
        const differences = existing
          ? settingsThatDiffer(existing, request)
          : [];
        if (differences.length > 0) {
          throw differentResource(target, differences);
        }
        ctx.logger.info(
          existing
            ? `Dry run: would adopt the existing ${label} (${existing.id}, ${existing.phase})`
            : `Dry run: would request the ${label}`,
        );
        ctx.output('externalName', existing?.externalName ?? '');
        ctx.output('phase', existing ? existing.phase : 'would-create');
        ctx.output('outputs', existing ? publicOutputs(existing.outputs) : {});
        ctx.output('url', url);
        return;
      }

      ctx.logger.info(`Requesting the ${label}`);
      const accepted = await ctx.checkpoint<Accepted>({
        key: `paas.resource.create.v1.${kind}.${organization}.${request.team}.${request.name}`,
        fn: async () =>
          toAccepted(
            await submit(paas, target, request, credentials, {
              idempotencyKey: `scaffolder:${ctx.task.id}:${kind}:${organization}/${request.team}/${request.name}`,
              log: message => ctx.logger.info(message),
            }),
          ),
      });
      ctx.logger.info(
        `Paasport accepted the ${label} as ${accepted.externalName} (${accepted.id}); it is ${accepted.phase}`,
      );

      let outcome: ResourceOutcome;
      if (input.wait === false) {
        outcome = await paas
          .getResource(accepted.id, { credentials })
          .catch(error => {
            throw explain(error, target);
          });
      } else {
        outcome = await waitForResource(paas, accepted.id, credentials, {
          timeoutMs: (input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
          pollIntervalMs: options.pollIntervalMs,
          logger: ctx.logger,
          signal: ctx.signal,
          label,
        });
      }
      ctx.output('id', accepted.id);
      ctx.output('externalName', outcome.externalName);
      ctx.output('phase', outcome.phase);
      ctx.output('outputs', publicOutputs(outcome.outputs));
      ctx.output('url', url);
    },
  });
}

function describe({ organization, team, kind, name }: Target): string {
  return `${RESOURCE_KIND_LABELS[kind]} '${name}' of team '${team}' in the Paasport organization '${organization}'`;
}

function toAccepted(resource: ManagedResource): Accepted {
  return {
    id: resource.id,
    phase: resource.phase,
    externalName: resource.externalName,
  };
}

/** Whether an existing resource is the one this request asks for. */
/**
 * Equal as JSON. Template expressions can yield objects whose prototype is not Object's,
 * which a strict deep comparison would call different from the same JSON.
 */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify(a ?? null)),
    JSON.parse(JSON.stringify(b ?? null)),
  );
}

/** The spec settings the request gives that the existing resource has otherwise. */
function settingsThatDiffer(
  resource: ManagedResource,
  request: CreateResourceRequest,
): string[] {
  // The backend fills in the kind's defaults; what the request gives must match.
  return Object.entries(request.spec)
    .filter(([key, value]) => !sameJson(resource.spec[key], value))
    .map(
      ([key, value]) =>
        `${key} is ${JSON.stringify(resource.spec[key])}, not ${JSON.stringify(
          value,
        )}`,
    );
}

function differentResource(target: Target, differences: string[]) {
  return new ConflictError(
    `The team '${target.team}' already has a ${
      RESOURCE_KIND_LABELS[target.kind]
    } named '${target.name}' in the Paasport organization '${
      target.organization
    }' with different settings (${differences.join(
      '; ',
    )}). Choose another name, or change or delete that resource first`,
  );
}

/**
 * Asks for the resource. The idempotency key makes a retry of this task step return what
 * the first try created; a 409 from another task's earlier request for the same resource is
 * adopted when it asked for the same settings.
 */
async function submit(
  paas: PaasService,
  target: Target,
  request: CreateResourceRequest,
  credentials: BackstageCredentials,
  options: { idempotencyKey: string; log: (message: string) => void },
): Promise<ManagedResource> {
  try {
    const { resource, created } = await paas.createResource(
      target.organization,
      request,
      { credentials, idempotencyKey: options.idempotencyKey },
    );
    if (!created) {
      options.log(
        `This task asked for the ${describe(
          target,
        )} before; continuing with it (${resource.id})`,
      );
    }
    return resource;
  } catch (error) {
    if (failureOf(error).status !== 409) {
      throw explain(error, target);
    }
    const existing = await findExisting(paas, target, credentials);
    if (!existing) {
      // The name is free, so the backend refused for another reason, such as quota.
      throw explain(error, target);
    }
    const differences = settingsThatDiffer(existing, request);
    if (differences.length > 0) {
      throw differentResource(target, differences);
    }
    options.log(
      `The ${describe(
        target,
      )} was requested before with the same settings; adopting it (${
        existing.id
      })`,
    );
    return existing;
  }
}

async function findExisting(
  paas: PaasService,
  target: Target,
  credentials: BackstageCredentials,
): Promise<ManagedResource | undefined> {
  try {
    const resources = await paas.listResources(
      {
        organization: target.organization,
        team: target.team,
        kind: target.kind,
      },
      { credentials },
    );
    return resources.find(r => r.name === target.name);
  } catch (error) {
    throw explain(error, target);
  }
}

/** Turns the backend's refusals into errors a template user can act on. */
function explain(error: unknown, target: Target): unknown {
  return explainFailure(error, {
    ...target,
    description: describe(target),
    verb: 'request resources',
    done: 'requested',
  });
}
