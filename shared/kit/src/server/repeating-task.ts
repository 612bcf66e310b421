import { Waiter } from '../events/sleep';
import type { Logger } from '../logging/logger';
import type { BackgroundTask } from './subgraph';

/**
 * A background task that does one `round()` at start and then one every `everyMs` (at once when woken, or
 * when `nextDelayMs` says so), until stopped. A failed round is logged and the next one tries again:
 * nothing a round does may depend on the one before having finished. Rounds never overlap within a
 * process — the schedule's and those tests or callers start with `runOnce()` / `exclusive()` wait for each
 * other. `stop()` waits for the round under way.
 */
export abstract class RepeatingTask<R = unknown> implements BackgroundTask {
  abstract readonly name: string;
  private readonly waiter = new Waiter();
  private loop: Promise<void> | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** Woken while a round ran: the next round starts without sleeping. */
  private woken = false;

  protected constructor(
    protected readonly logger: Logger,
    private readonly everyMs: number,
    /** What the log says when a round fails. */
    private readonly failure: string,
  ) {}

  /** One round; tests call it through `runOnce()`. */
  abstract round(): Promise<R>;

  /** How long to sleep after a round (`result` undefined when it failed): `everyMs` unless a task knows better. */
  protected nextDelayMs(result: R | undefined): number {
    void result;
    return this.everyMs;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiter.wake();
    await this.loop;
  }

  /** Runs the next round soon (there is work): now if sleeping, right after the one under way otherwise. */
  wake(): void {
    this.woken = true;
    this.waiter.wake();
  }

  /** One round now, after the one under way if any. */
  runOnce(): Promise<R> {
    return this.exclusive(() => this.round());
  }

  /** Runs `work` when no round (nor other exclusive work) runs in this process; what it returns. */
  protected async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    const run = work();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  /** Whether `stop()` was called: a long round checks it between steps. */
  protected get isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      let result: R | undefined;
      try {
        result = await this.exclusive(() => this.round());
      } catch (err) {
        this.logger.error({ err }, this.failure);
      }
      if (this.stopped) break;
      const delayMs = this.woken ? 0 : this.nextDelayMs(result);
      if (delayMs > 0) await this.waiter.sleep(delayMs);
      else await new Promise((resolve) => setImmediate(resolve)); // let other work in between rounds
    }
  }
}
