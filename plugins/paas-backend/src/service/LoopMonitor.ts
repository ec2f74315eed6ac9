/** Where a background loop reports its passes, so health can tell a stalled one. */
export interface LoopLiveness {
  /** A pass began; the loop owes a completed pass from now on. */
  started(): void;
  /** A pass ran to its end. */
  completed(): void;
}

/** A loop that has owed a completed pass for too long. */
export interface StalledLoop {
  loop: string;
  /** When the first pass still owed began. */
  since: string;
  lastCompletedAt?: string;
}

/** A loop is stalled after this many of its intervals without a completed pass (or its budget). */
export const STALLED_AFTER_INTERVALS = 3;

type LoopState = {
  name: string;
  stalledAfterMs: number;
  owedSince?: number;
  lastCompletedAt?: number;
};

/**
 * Keeps each background loop's last started and completed pass. A loop that is merely idle
 * (such as the scheduler on a replica that the global task does not pick) is never stalled:
 * only one that began a pass and has completed none since, for longer than
 * {@link STALLED_AFTER_INTERVALS} intervals or the budget of a pass, whichever is longer.
 */
export class LoopMonitor {
  private readonly loops: LoopState[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  register(
    name: string,
    options: { intervalMs: number; budgetMs: number },
  ): LoopLiveness {
    const state: LoopState = {
      name,
      stalledAfterMs: Math.max(
        STALLED_AFTER_INTERVALS * options.intervalMs,
        options.budgetMs,
      ),
    };
    this.loops.push(state);
    const now = () => this.clock().getTime();
    return {
      started() {
        state.owedSince ??= now();
      },
      completed() {
        state.owedSince = undefined;
        state.lastCompletedAt = now();
      },
    };
  }

  /** The loops stalled now, by name. */
  stalled(): StalledLoop[] {
    const now = this.clock().getTime();
    return this.loops
      .filter(
        s => s.owedSince !== undefined && now - s.owedSince > s.stalledAfterMs,
      )
      .map(s => ({
        loop: s.name,
        since: new Date(s.owedSince!).toISOString(),
        ...(s.lastCompletedAt !== undefined
          ? { lastCompletedAt: new Date(s.lastCompletedAt).toISOString() }
          : {}),
      }));
  }
}
