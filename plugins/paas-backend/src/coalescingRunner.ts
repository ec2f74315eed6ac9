/**
 * Runs a pass of some work when asked, never two at once: asked while a pass runs, it runs
 * once more after it, however often it was asked meanwhile. A pass that throws is reported
 * to `onError` and does not stop later ones.
 */
export class CoalescingRunner {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs a pass soon; settles when no pass is left to run. */
  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.pass();
          } catch (error) {
            this.onError(error);
          }
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Settles when the passes already running or asked for have run; starts none. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
