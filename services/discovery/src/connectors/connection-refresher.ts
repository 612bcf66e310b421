import { Logger, RepeatingTask, RequestContext, ServiceRuntime } from '@influenceflow/kit';
import type { ConnectionService } from './connection.service';

/** Connections fetched per round; the next round starts at once while some are still due. */
const BATCH = 10;

/**
 * Fetches connected accounts' figures on schedule (every CONNECTOR_REFRESH_INTERVAL_SECONDS), looking for
 * due connections every CONNECTOR_POLL_MS. Replicas share the work: each connection is claimed by one
 * (ConnectionService.claimDue), and fetched one after another so no platform sees a burst from us.
 */
export class ConnectionRefresher extends RepeatingTask {
  readonly name = 'platform connections';

  constructor(
    private readonly connections: ConnectionService,
    private readonly runtime: ServiceRuntime,
    logger: Logger,
    pollMs: number,
  ) {
    super(logger, pollMs, 'refreshing platform connections failed; trying again next round');
  }

  override async start(): Promise<void> {
    if (this.connections.offered().length === 0) return;
    await super.start();
  }

  /** One round: every due connection (in batches), fetched in turn. Returns how many were handled. */
  async round(): Promise<number> {
    const ctx = RequestContext.system(this.runtime, {}, this.logger, 'connection-refresh');
    let handled = 0;
    for (;;) {
      if (this.isStopped) return handled;
      const due = await this.connections.claimDue(ctx, BATCH);
      for (const connection of due) {
        if (this.isStopped) return handled;
        await this.connections.fetchOne(ctx, connection);
        handled++;
      }
      if (due.length < BATCH) return handled;
    }
  }
}
