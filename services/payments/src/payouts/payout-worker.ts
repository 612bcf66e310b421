import type { BackgroundTask, Logger } from '@influenceflow/kit';
import type { PayoutService } from './payout.service';

/** How many attempts one process sends at once. */
const SENDERS = 4;
/** Expired idempotency keys are deleted this often. */
const CLEANUP_EVERY_MS = 3_600_000;

export interface PayoutWorkerRun {
  retried: number;
  swept: number;
  sent: number;
}

/**
 * The payout worker, every PAYMENTS_PAYOUT_POLL_MS and whenever an attempt is queued: starts the retries
 * that are due, reconciles attempts left SENDING too long, sends the queued attempts (SENDERS at a time,
 * each claimed in the database first, so replicas share the work and never send one twice), and now and
 * then deletes expired idempotency keys. A failed run is logged and the next one tries again.
 */
export class PayoutWorker implements BackgroundTask {
  readonly name = 'payouts';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PayoutWorkerRun> | null = null;
  private again = false;
  private stopped = true;
  private lastCleanup = 0;

  constructor(
    private readonly payouts: PayoutService,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {
    payouts.onQueued(() => this.wake());
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Runs soon (an attempt was queued); a run under way runs once more when it ends. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** One run; runs never overlap within a process (a second call waits for the first). */
  async runOnce(now?: Date): Promise<PayoutWorkerRun> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.work(now);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runOnce()
        .then((run) => {
          if (run.retried || run.swept) this.logger.info(run, 'payout worker run');
        })
        .catch((err) => this.logger.error({ err }, 'payout worker run failed; trying again next time'))
        .finally(() => {
          const soon = this.again;
          this.again = false;
          this.schedule(soon ? 0 : this.pollMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async work(now?: Date): Promise<PayoutWorkerRun> {
    const retried = await this.payouts.startDueRetries(now);
    const swept = await this.payouts.sweepStale(now);
    let sent = 0;
    const sender = async () => {
      while (await this.payouts.dispatchNext()) sent += 1;
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    if (Date.now() - this.lastCleanup > CLEANUP_EVERY_MS) {
      this.lastCleanup = Date.now();
      await this.payouts.cleanupKeys();
    }
    return { retried, swept, sent };
  }
}
