import { Waiter } from '../events/sleep';
import type { Logger } from '../logging/logger';
import type { BackgroundTask } from './subgraph';

/**
 * A background task that does one `round()` at start and then one every `everyMs` (at once when woken),
 * until stopped. A failed round is logged and the next one tries again: nothing a round does may depend on
 * the one before having finished. `stop()` waits for the round under way.
 */
export abstract class RepeatingTask implements BackgroundTask {
  abstract readonly name: string;
  private readonly waiter = new Waiter();
  private loop: Promise<void> | null = null;
  private stopped = false;

  protected constructor(
    protected readonly logger: Logger,
    private readonly everyMs: number,
    /** What the log says when a round fails. */
    private readonly failure: string,
  ) {}

  /** One round; tests call it directly. */
  abstract round(): Promise<unknown>;

  async start(): Promise<void> {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiter.wake();
    await this.loop;
  }

  /** Whether `stop()` was called: a long round checks it between steps. */
  protected get isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.round();
      } catch (err) {
        this.logger.error({ err }, this.failure);
      }
      if (!this.stopped) await this.waiter.sleep(this.everyMs);
    }
  }
}
