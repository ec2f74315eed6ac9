import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { boundedPass } from '../boundedPass';
import { CoalescingRunner } from '../coalescingRunner';
import { ResourceCondition } from '@paasport/plugin-paas-common';
import { DesiredResource, ObservedResource } from '@paasport/plugin-paas-node';
import { randomUUID } from 'node:crypto';
import {
  ClaimedResource,
  ReconcileOutcome,
  ResourceStore,
} from '../database/ResourceStore';
import { LoopLiveness } from '../service/LoopMonitor';
import { ProviderRegistry } from '../service/ProviderRegistry';
import { ReconcilerSettings } from './config';
import { resourceTags } from './tags';

/** Errors after which trying again cannot help: a foreign owner, a spec the provider refuses. */
const PERMANENT_ERRORS = new Set(['ConflictError', 'InputError']);
/** How soon to look again at a resource the provider reports as still being created. */
const PENDING_POLL_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const CLAIM_BATCH = 20;

/** A provider call given up on; `call` may still settle, and must be waited for. */
class CallTimeoutError extends Error {
  name = 'CallTimeoutError';

  constructor(message: string, readonly call: Promise<unknown>) {
    super(message);
  }
}

/**
 * Brings managed resources about: claims due rows under a lease (so replicas never work on
 * one resource at once), calls the provider of their kind, and writes back what it found.
 * Providers are idempotent and names deterministic, so an attempt cut short by a crash or
 * a timeout is simply made again once the lease expires, and adopts what the first made.
 *
 * A batch is claimed at once, but each lease is renewed, and the row read again, just before
 * its provider call: a row whose lease ran out meanwhile may have been taken (or deleted) by
 * another replica, and is skipped. Outcomes are written only under the claim's token.
 */
export class ResourceReconciler {
  private readonly runner: CoalescingRunner;
  private readonly owner: string;

  constructor(
    private readonly options: {
      store: ResourceStore;
      providers: ProviderRegistry;
      settings: ReconcilerSettings;
      logger: LoggerService;
      clock?: () => Date;
      /** Identifies this replica's leases; random by default. */
      owner?: string;
      /** Told of each pass, for health. */
      liveness?: LoopLiveness;
    },
  ) {
    if (options.settings.callTimeoutMs >= options.settings.leaseMs) {
      throw new Error(
        'The reconciler needs a provider call time limit shorter than its lease',
      );
    }
    this.owner = options.owner ?? randomUUID();
    this.runner = new CoalescingRunner(
      boundedPass(signal => this.runOnce(signal), {
        what: 'Resource reconciliation pass',
        budgetMs: options.settings.passBudgetMs,
        liveness: options.liveness,
      }),
      error =>
        options.logger.error('Resource reconciliation pass failed', {
          error: isError(error) ? error.message : String(error),
        }),
    );
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  /** Runs a pass soon: now if none is running, else once more after the running one. */
  trigger(): Promise<void> {
    return this.runner.trigger();
  }

  /** Settles when the passes already running or asked for have run. */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /**
   * Reconciles every resource due now; how many it worked on. Once `signal` is aborted (the
   * pass ran past its budget) it stops before the next resource and gives back the leases of
   * those it had claimed but not begun.
   */
  async runOnce(signal?: AbortSignal): Promise<number> {
    let total = 0;
    for (;;) {
      if (signal?.aborted) {
        return total;
      }
      const claimed = await this.options.store.claimDue(
        this.owner,
        this.now(),
        this.options.settings.leaseMs,
        CLAIM_BATCH,
      );
      for (const [i, resource] of claimed.entries()) {
        if (signal?.aborted) {
          await Promise.all(
            claimed.slice(i).map(left => this.options.store.releaseLease(left)),
          );
          return total;
        }
        const current = await this.options.store.renewLease(
          resource,
          this.now(),
          this.options.settings.leaseMs,
        );
        if (current) {
          await this.reconcile(current);
          total += 1;
        }
      }
      // Not `< CLAIM_BATCH`: another replica claiming part of a batch leaves this one fewer
      // rows while more are still due.
      if (claimed.length === 0) {
        return total;
      }
    }
  }

  private async reconcile(resource: ClaimedResource): Promise<void> {
    const { store, logger } = this.options;
    try {
      if (resource.phase === 'deleting') {
        await this.delete(resource);
      } else {
        await this.apply(resource);
      }
    } catch (error) {
      const message = describeError(error);
      logger.warn(
        `Reconciling ${resource.kind} ${resource.externalName} failed: ${message}`,
        { resourceId: resource.id },
      );
      const abandoned = error instanceof CallTimeoutError;
      await store.recordOutcome(
        resource,
        this.failureOutcome(resource, error, message),
        this.failureEvent(resource, error, message),
        this.now(),
        abandoned
          ? new Date(this.now().getTime() + this.options.settings.leaseMs)
          : undefined,
      );
      if (abandoned) {
        this.releaseWhenSettled(resource, error.call);
      }
    }
  }

  /**
   * The call that timed out may still create or change the real object, so no replica may
   * take the resource until it settles (or the held lease runs out); what it answers late is
   * dropped.
   */
  private releaseWhenSettled(
    resource: ClaimedResource,
    call: Promise<unknown>,
  ) {
    const release = () =>
      this.options.store
        .releaseLease(resource)
        .catch(error =>
          this.options.logger.warn(
            `Could not release the lease of ${
              resource.externalName
            }: ${describeError(error)}`,
            { resourceId: resource.id },
          ),
        );
    call.then(release, release);
  }

  private desired(resource: ClaimedResource): DesiredResource {
    return {
      id: resource.id,
      kind: resource.kind,
      name: resource.externalName,
      organization: resource.organization,
      owner: resource.owner,
      spec: resource.spec as DesiredResource['spec'],
      tags: resourceTags(resource),
    };
  }

  private async apply(resource: ClaimedResource) {
    const provider = this.options.providers.get(resource.kind);
    const observed = await this.withTimeout(
      provider.apply(this.desired(resource)),
      `applying ${resource.externalName}`,
    );
    const at = this.now();
    const outcome = observedOutcome(
      resource,
      observed,
      at,
      this.options.settings,
    );
    const event =
      outcome.phase !== resource.phase || resource.attempts > 0
        ? phaseEvent(resource, observed)
        : undefined;
    await this.options.store.recordOutcome(resource, outcome, event, at);
  }

  private async delete(resource: ClaimedResource) {
    if (resource.deletionPolicy !== 'orphan') {
      const provider = this.options.providers.get(resource.kind);
      await this.withTimeout(
        provider.delete(this.desired(resource)),
        `deleting ${resource.externalName}`,
      );
    }
    await this.options.store.finishDeletion(
      resource,
      {
        type: 'deleted',
        message:
          resource.deletionPolicy === 'orphan'
            ? `Released; ${resource.externalName} was left in place`
            : `${resource.externalName} was deleted; its quota is released`,
      },
      this.now(),
    );
  }

  private failureOutcome(
    resource: ClaimedResource,
    error: unknown,
    message: string,
  ): ReconcileOutcome {
    const attempts = resource.attempts + 1;
    const permanent = isPermanent(error);
    const condition: ResourceCondition = {
      type: 'Ready',
      status: 'False',
      reason: permanent ? 'Refused' : 'AttemptFailed',
      message,
    };
    // A ready resource that fails a resync stays ready (it exists) and keeps being retried;
    // so does a deletion, which must not be abandoned while something may still exist.
    const gaveUp =
      resource.phase === 'provisioning' &&
      (permanent || attempts >= this.options.settings.maxAttempts);
    return {
      phase: gaveUp ? 'failed' : resource.phase,
      conditions: mergeCondition(resource.conditions, condition),
      message,
      attempts,
      nextAttemptAt: gaveUp
        ? undefined
        : new Date(this.now().getTime() + backoff(attempts)),
    };
  }

  private failureEvent(
    resource: ClaimedResource,
    error: unknown,
    message: string,
  ) {
    const attempts = resource.attempts + 1;
    if (resource.phase !== 'provisioning') {
      return {
        type: 'retrying',
        message: `Attempt ${attempts} failed: ${message}`,
      };
    }
    if (isPermanent(error) || attempts >= this.options.settings.maxAttempts) {
      return {
        type: 'failed',
        message: `Gave up after ${attempts} attempt${
          attempts === 1 ? '' : 's'
        }: ${message}`,
      };
    }
    return {
      type: 'retrying',
      message: `Attempt ${attempts} failed, retrying in ${Math.round(
        backoff(attempts) / 1000,
      )} s: ${message}`,
    };
  }

  private async withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    const ms = this.options.settings.callTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new CallTimeoutError(
                  `Timed out after ${ms} ms ${what}; the next attempt looks it up by name and adopts what was made`,
                  promise,
                ),
              ),
            ms,
          );
          // A hung provider call must not keep the process alive on shutdown.
          timer.unref?.();
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function isPermanent(error: unknown) {
  return isError(error) && PERMANENT_ERRORS.has(error.name);
}

function describeError(error: unknown): string {
  if (!isError(error)) {
    return String(error);
  }
  const cause = (error as { cause?: unknown }).cause;
  return isError(cause) && !error.message.includes(cause.message)
    ? `${error.message}: ${cause.message}`
    : error.message;
}

/** 2 s, 4 s, 8 s … up to 5 minutes. */
function backoff(attempts: number) {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
}

function mergeCondition(
  conditions: ResourceCondition[],
  condition: ResourceCondition,
): ResourceCondition[] {
  return [...conditions.filter(c => c.type !== condition.type), condition];
}

function observedOutcome(
  resource: ClaimedResource,
  observed: ObservedResource,
  at: Date,
  settings: ReconcilerSettings,
): ReconcileOutcome {
  const conditions = observed.conditions ?? [];
  const ready: ResourceCondition =
    observed.state === 'ready'
      ? { type: 'Ready', status: 'True', reason: 'Provisioned' }
      : {
          type: 'Ready',
          status: 'False',
          reason: observed.state === 'failed' ? 'ProviderFailed' : 'Pending',
        };
  const base = {
    conditions: mergeCondition(conditions, ready),
    outputs: observed.outputs ?? {},
    externalId: observed.externalId,
    attempts: 0,
  };
  if (observed.state === 'ready') {
    return {
      ...base,
      phase: 'ready',
      observedGeneration: resource.generation,
      nextAttemptAt: new Date(at.getTime() + settings.resyncIntervalMs),
    };
  }
  if (observed.state === 'failed') {
    const reasons = conditions
      .filter(c => c.status === 'False')
      .map(c => c.message ?? c.reason);
    return {
      ...base,
      phase: resource.phase === 'ready' ? 'ready' : 'failed',
      message:
        reasons.join('; ') || 'The provider reported the resource as failed',
      nextAttemptAt:
        resource.phase === 'ready'
          ? new Date(at.getTime() + settings.resyncIntervalMs)
          : undefined,
    };
  }
  return {
    ...base,
    phase: resource.phase === 'ready' ? 'ready' : 'provisioning',
    message: 'Waiting for the provider to finish',
    nextAttemptAt: new Date(at.getTime() + PENDING_POLL_MS),
  };
}

function phaseEvent(resource: ClaimedResource, observed: ObservedResource) {
  switch (observed.state) {
    case 'ready':
      return {
        type: 'ready',
        message: `${resource.externalName} is ready`,
      };
    case 'failed':
      return {
        type: 'failed',
        message: `The provider reports ${resource.externalName} as failed`,
      };
    default:
      return {
        type: 'pending',
        message: `${resource.externalName} is being created`,
      };
  }
}
