import { LoopLiveness } from './service/LoopMonitor';

/**
 * Wraps one pass of a background loop: reports it to `liveness`, and gives up on it after
 * `budgetMs` (its signal is aborted and the returned promise rejects), so a pass stuck on a
 * hung call no longer keeps the next one from starting. What the abandoned pass still does
 * goes on unseen; it should stop at its next check of the signal.
 */
export function boundedPass(
  pass: (signal: AbortSignal) => Promise<unknown>,
  options: { what: string; budgetMs: number; liveness?: LoopLiveness },
): () => Promise<void> {
  return async () => {
    options.liveness?.started();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pass(controller.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(
              new Error(
                `${options.what} ran past its budget of ${options.budgetMs} ms and was abandoned`,
              ),
            );
          }, options.budgetMs);
          timer.unref?.();
        }),
      ]);
      options.liveness?.completed();
    } finally {
      clearTimeout(timer);
    }
  };
}
