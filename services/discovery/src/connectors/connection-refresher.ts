import { BackgroundTask, Logger, RequestContext, ServiceRuntime, Waiter } from '@influenceflow/kit';
import type { ConnectionService } from './connection.service';

/** Connections fetched per round; the next round starts at once while some are still due. */
const BATCH = 10;

/**
 * Fetches connected accounts' figures on schedule (every CONNECTOR_REFRESH_INTERVAL_SECONDS), looking for
 * due connections every CONNECTOR_POLL_MS. Replicas share the work: each connection is claimed by one
 * (ConnectionService.claimDue), and fetched one after another so no platform sees a burst from us.
 */
export class ConnectionRefresher implements BackgroundTask {
  readonly name = 'platform connections';
  private readonly waiter = new Waiter();
  private loop: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly connections: ConnectionService,
    private readonly runtime: ServiceRuntime,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    if (this.connections.offered().length === 0) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiter.wake();
    await this.loop;
  }

  /** One round: every due connection (in batches), fetched in turn. Returns how many were handled. */
  async round(): Promise<number> {
    const ctx = RequestContext.system(this.runtime, {}, this.logger, 'connection-refresh');
    let handled = 0;
    for (;;) {
      if (this.stopped) return handled;
      const due = await this.connections.claimDue(ctx, BATCH);
      for (const connection of due) {
        if (this.stopped) return handled;
        await this.connections.fetchOne(ctx, connection);
        handled++;
      }
      if (due.length < BATCH) return handled;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.round();
      } catch (err) {
        this.logger.error({ err }, 'refreshing platform connections failed; trying again next round');
      }
      if (!this.stopped) await this.waiter.sleep(this.pollMs);
    }
  }
}
