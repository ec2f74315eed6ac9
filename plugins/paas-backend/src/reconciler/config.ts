import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** How the resource reconciler paces itself. */
export interface ReconcilerSettings {
  /** How often every replica runs a pass as a safety net. */
  frequency: HumanDuration;
  resyncIntervalMs: number;
  maxAttempts: number;
  /** How long a claimed resource stays with its replica; another may take it after that. */
  leaseMs: number;
  /** How long one provider call may take before the attempt counts as failed. */
  callTimeoutMs: number;
  /** How long one pass may run before it is abandoned and the next may start. */
  passBudgetMs: number;
}

export const DEFAULT_RECONCILER_SETTINGS: ReconcilerSettings = {
  frequency: { seconds: 15 },
  resyncIntervalMs: 10 * 60_000,
  maxAttempts: 8,
  leaseMs: 5 * 60_000,
  callTimeoutMs: 2 * 60_000,
  passBudgetMs: 10 * 60_000,
};

function readDuration(config: Config, key: string): number | undefined {
  if (!config.has(key)) {
    return undefined;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new Error(`${key} must be a duration above zero`);
  }
  return ms;
}

/** Reads `paas.reconciler`, failing at startup with the key that is wrong. */
export function readReconcilerSettings(config: Config): ReconcilerSettings {
  const defaults = DEFAULT_RECONCILER_SETTINGS;
  const frequencyMs = readDuration(config, 'paas.reconciler.frequency');
  const resyncIntervalMs =
    readDuration(config, 'paas.reconciler.resyncInterval') ??
    defaults.resyncIntervalMs;
  const maxAttempts =
    config.getOptionalNumber('paas.reconciler.maxAttempts') ??
    defaults.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new Error(
      `paas.reconciler.maxAttempts must be a whole number from 1 to 100, got ${maxAttempts}`,
    );
  }
  return {
    ...defaults,
    frequency:
      frequencyMs === undefined
        ? defaults.frequency
        : { milliseconds: frequencyMs },
    resyncIntervalMs,
    maxAttempts,
  };
}
