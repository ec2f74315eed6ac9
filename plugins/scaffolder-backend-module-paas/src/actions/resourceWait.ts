import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ManagedResource } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { failureOf } from './shared';

/** How long a step waits for a resource, an approval included, unless told otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
const DEFAULT_POLL_INTERVAL_MS = 2000;

/** What a step reports about the resource it waited for. */
export type ResourceOutcome = Pick<
  ManagedResource,
  'id' | 'phase' | 'externalName' | 'outputs'
>;

/** Output keys that could only hold a secret; providers never send them, and this makes sure. */
const SECRET_KEY = /(password|secret(?!arn)|token|credential|private.?key)/i;

/** The provider's outputs without anything that looks like a secret. */
export function publicOutputs(
  outputs: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).filter(([key]) => !SECRET_KEY.test(key)),
  );
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('The task was cancelled while waiting'));
      },
      { once: true },
    );
  });
}

function notReadyReasons(resource: ManagedResource): string {
  const reasons = resource.conditions
    .filter(c => c.status === 'False')
    .map(c => `${c.type}: ${c.message ?? c.reason}`);
  return reasons.length ? ` (${reasons.join('; ')})` : '';
}

/**
 * Polls the resource until it is ready. Fails with the resource's own message when it fails
 * or its approval is denied, and with what it was waiting for when the time is up.
 */
export async function waitForResource(
  paas: PaasService,
  id: string,
  credentials: BackstageCredentials,
  options: {
    timeoutMs: number;
    pollIntervalMs?: number;
    logger: LoggerService;
    signal?: AbortSignal;
    label: string;
    now?: () => number;
  },
): Promise<ResourceOutcome> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let reported: string | undefined;
  for (;;) {
    let resource: ManagedResource;
    try {
      resource = await paas.getResource(id, { credentials });
    } catch (error) {
      if (failureOf(error).status === 404) {
        throw new NotFoundError(
          `The ${options.label} (${id}) no longer exists or you may no longer see it`,
        );
      }
      throw error;
    }
    if (resource.phase === 'ready') {
      options.logger.info(`The ${options.label} is ready`);
      return resource;
    }
    if (
      resource.phase === 'failed' ||
      resource.phase === 'deleting' ||
      resource.phase === 'deleted'
    ) {
      throw new ConflictError(
        `The ${options.label} is ${resource.phase}: ${
          resource.message ?? 'no reason given'
        }${notReadyReasons(resource)}`,
      );
    }
    const status =
      resource.phase === 'pending-approval'
        ? 'waiting for an approval'
        : `${resource.phase}${resource.message ? `: ${resource.message}` : ''}`;
    if (status !== reported) {
      options.logger.info(`The ${options.label} is ${status}`);
      reported = status;
    }
    if (now() >= deadline) {
      throw new ConflictError(
        `Gave up waiting after ${Math.round(options.timeoutMs / 1000)} s: the ${
          options.label
        } is still ${status}${notReadyReasons(
          resource,
        )}. Paasport keeps working on it; wait for it with paas:resource:wait`,
      );
    }
    await sleep(
      Math.min(
        options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        Math.max(0, deadline - now()),
      ),
      options.signal,
    );
  }
}

/**
 * Creates the `paas:resource:wait` action: waits until a resource Paasport accepted is
 * ready (through its approval, if policy asked for one).
 *
 * @public
 */
export function createPaasResourceWaitAction(options: {
  paas: PaasService;
  pollIntervalMs?: number;
}) {
  const { paas } = options;
  return createTemplateAction({
    id: 'paas:resource:wait',
    description:
      'Waits until a resource Paasport accepted is ready, through its approval if policy ' +
      'asked for one, and outputs what the provider reports about it.',
    supportsDryRun: true,
    schema: {
      input: {
        id: z => z.string({ description: 'Id of the resource in Paasport.' }),
        timeoutSeconds: z =>
          z
            .number({
              description: `How long to wait; ${DEFAULT_TIMEOUT_SECONDS} s by default.`,
            })
            .int()
            .min(1)
            .max(24 * 3600)
            .optional(),
      },
      output: {
        phase: z => z.string({ description: '`ready`.' }),
        externalName: z =>
          z.string({ description: 'Name of the real resource.' }),
        outputs: z =>
          z.record(z.string(), z.string(), {
            description: 'What the provider reports; never secrets.',
          }),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would wait for resource ${ctx.input.id}`);
        ctx.output('phase', 'would-wait');
        ctx.output('externalName', '');
        ctx.output('outputs', {});
        return;
      }
      const outcome = await waitForResource(paas, ctx.input.id, credentials, {
        timeoutMs: (ctx.input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        pollIntervalMs: options.pollIntervalMs,
        logger: ctx.logger,
        signal: ctx.signal,
        label: `resource ${ctx.input.id}`,
      });
      ctx.output('phase', outcome.phase);
      ctx.output('externalName', outcome.externalName);
      ctx.output('outputs', publicOutputs(outcome.outputs));
    },
  });
}
