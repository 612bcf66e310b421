import { Logger, RepeatingTask } from '@influenceflow/kit';
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
export class PayoutWorker extends RepeatingTask<PayoutWorkerRun> {
  readonly name = 'payouts';
  private lastCleanup = 0;

  constructor(
    private readonly payouts: PayoutService,
    pollMs: number,
    logger: Logger,
  ) {
    super(logger, pollMs, 'payout worker run failed; trying again next time');
    payouts.onQueued(() => this.wake()); // an attempt was queued: run soon, or once more after the run under way
  }

  async round(): Promise<PayoutWorkerRun> {
    const run = await this.work();
    if (run.retried || run.swept) this.logger.info(run, 'payout worker run');
    return run;
  }

  /** One run as of `now` (tests pass a later time); runs never overlap within a process. */
  override runOnce(now?: Date): Promise<PayoutWorkerRun> {
    return this.exclusive(() => this.work(now));
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
