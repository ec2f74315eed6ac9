import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** How the scheduler orders, places and preempts. */
export interface SchedulerPolicy {
  /** Priority class names and their numbers; higher runs first. */
  priorityClasses: Record<string, number>;
  defaultPriorityClass: string;
  /** `bin-pack` fills the fullest cluster that fits; `spread` the emptiest. */
  strategy: 'bin-pack' | 'spread';
  /**
   * `never`; `lower-priority`: a deployment that fits nowhere may requeue deployments of its
   * own organization with a lower priority class; `reclaim-borrowed`: that, and an
   * organization below its fair share of the clusters may also requeue deployments of no
   * higher priority from organizations above theirs, as long as those stay at or above it.
   */
  preemption: 'never' | 'lower-priority' | 'reclaim-borrowed';
  /** A queued deployment gains `step` priority per `intervalMs` waited, up to `max`. */
  aging: { intervalMs: number; step: number; max: number };
  /**
   * After this long in the queue a deployment that does not fit reserves the clusters it
   * could run on: nothing of lower priority is placed there until it is admitted.
   */
  starvationAfterMs: number;
  /** Weights of organizations under saturation; 1 for those not listed. */
  fairShareWeights: Record<string, number>;
  /** The most queued deployments one cycle considers. */
  maxQueueScan: number;
}

export const DEFAULT_SCHEDULER_POLICY: SchedulerPolicy = {
  priorityClasses: { low: 50, normal: 100, high: 200 },
  defaultPriorityClass: 'normal',
  strategy: 'bin-pack',
  preemption: 'never',
  aging: { intervalMs: 60_000, step: 5, max: 100 },
  starvationAfterMs: 15 * 60_000,
  fairShareWeights: {},
  maxQueueScan: 20_000,
};

/** How often the global safety-net cycle runs when nothing triggers one. */
export const DEFAULT_SCHEDULER_FREQUENCY: HumanDuration = { seconds: 30 };

/** Reads `paas.scheduler.frequency`. */
export function readSchedulerFrequency(config: Config): HumanDuration {
  return config.has('paas.scheduler.frequency')
    ? readDurationFromConfig(config, { key: 'paas.scheduler.frequency' })
    : DEFAULT_SCHEDULER_FREQUENCY;
}

/** Reads `paas.scheduler`, failing at startup with the key that is wrong. */
export function readSchedulerPolicy(config: Config): SchedulerPolicy {
  const c = config.getOptionalConfig('paas.scheduler');
  if (!c) {
    return DEFAULT_SCHEDULER_POLICY;
  }
  const defaults = DEFAULT_SCHEDULER_POLICY;

  const classes = c.getOptionalConfig('priorityClasses');
  const priorityClasses = classes
    ? Object.fromEntries(
        classes.keys().map(name => {
          if (!/^[a-z][-a-z0-9]{0,62}$/.test(name)) {
            throw new Error(
              `paas.scheduler.priorityClasses: '${name}' is not a valid class name (lower-case letters, digits and dashes)`,
            );
          }
          const value = classes.getNumber(name);
          if (!Number.isInteger(value) || value < 0 || value > 1_000_000) {
            throw new Error(
              `paas.scheduler.priorityClasses.${name} must be a whole number from 0 to 1000000`,
            );
          }
          return [name, value];
        }),
      )
    : defaults.priorityClasses;
  const defaultPriorityClass =
    c.getOptionalString('defaultPriorityClass') ??
    (classes ? Object.keys(priorityClasses)[0] : defaults.defaultPriorityClass);
  if (!(defaultPriorityClass in priorityClasses)) {
    throw new Error(
      `paas.scheduler.defaultPriorityClass '${defaultPriorityClass}' is not one of the priority classes: ${Object.keys(
        priorityClasses,
      ).join(', ')}`,
    );
  }

  const strategy = oneOf(c, 'strategy', ['bin-pack', 'spread'] as const);
  const preemption = oneOf(c, 'preemption', [
    'never',
    'lower-priority',
    'reclaim-borrowed',
  ] as const);

  const aging = c.getOptionalConfig('aging');
  const weights = c.getOptionalConfig('fairShare.weights');
  const fairShareWeights = weights
    ? Object.fromEntries(
        weights.keys().map(organization => {
          const weight = weights.getNumber(organization);
          if (!(weight > 0) || weight > 1000) {
            throw new Error(
              `paas.scheduler.fairShare.weights.${organization} must be above 0 and at most 1000`,
            );
          }
          return [organization, weight];
        }),
      )
    : {};

  return {
    priorityClasses,
    defaultPriorityClass,
    strategy: strategy ?? defaults.strategy,
    preemption: preemption ?? defaults.preemption,
    aging: {
      intervalMs: aging?.has('interval')
        ? durationMs(aging, 'interval', 'paas.scheduler.aging.interval')
        : defaults.aging.intervalMs,
      step: wholeNumber(aging, 'step', defaults.aging.step),
      max: wholeNumber(aging, 'max', defaults.aging.max),
    },
    starvationAfterMs: c.has('starvationAfter')
      ? durationMs(c, 'starvationAfter', 'paas.scheduler.starvationAfter')
      : defaults.starvationAfterMs,
    fairShareWeights,
    maxQueueScan: c.getOptionalNumber('maxQueueScan') ?? defaults.maxQueueScan,
  };
}

function oneOf<T extends string>(
  config: Config,
  key: string,
  values: readonly T[],
): T | undefined {
  const value = config.getOptionalString(key);
  if (value !== undefined && !values.includes(value as T)) {
    throw new Error(
      `paas.scheduler.${key} must be one of ${values.join(
        ', ',
      )}, not '${value}'`,
    );
  }
  return value as T | undefined;
}

function wholeNumber(
  config: Config | undefined,
  key: string,
  fallback: number,
) {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`paas.scheduler.aging.${key} must be a whole number`);
  }
  return value;
}

function durationMs(config: Config, key: string, path: string): number {
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new Error(`${path} must be a positive duration`);
  }
  return ms;
}
