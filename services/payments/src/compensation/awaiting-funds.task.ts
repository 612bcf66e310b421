import type { BackgroundTask, Logger } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import type { CompensationService } from './compensation.service';

/**
 * Pays, every `intervalMs`, what waits for a campaign's escrow to be funded (milestones DUE with
 * INSUFFICIENT_FUNDS, commission not yet accrued): funding has no event of its own to wake them.
 */
export class AwaitingFundsTask implements BackgroundTask {
  readonly name = 'compensation-awaiting-funds';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly compensation: CompensationService,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.compensation
        .retryAwaiting(this.dataSource)
        .then((r) => {
          if (r.milestonesPaid || r.commissionSynced) this.logger.info(r, 'paid what awaited funding');
        })
        .catch((err: unknown) => this.logger.warn({ err }, 'retrying what awaits funding failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }
}
