import type { DataSource } from 'typeorm';
import { SIGNATURE_MAX_AGE_MS, SIGNATURE_MAX_SKEW_MS } from '../auth/gateway-signature';
import type { Logger } from '../logging/logger';

/** Call ids are kept well past the signature window, so a clock that jumps cannot reopen it. */
const KEEP_MS = 60 * (SIGNATURE_MAX_AGE_MS + SIGNATURE_MAX_SKEW_MS);
const PRUNE_EVERY_MS = 60_000;

/**
 * The call ids of the mutations a subgraph has run. A signed header can be replayed only inside its short
 * window; for a mutation even that is refused: the first use claims the id (in the database, so every
 * replica of the subgraph sees it), any other use finds it taken. Queries are not recorded: repeating one
 * within seconds shows the attacker nothing the original answer did not.
 */
export class CallLedger {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  /** True the first time a call id is claimed, false on every later claim. */
  async claim(callId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`INSERT INTO gateway_calls (call_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1`, [
      callId,
    ])) as unknown[];
    return rows.length === 1;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.dataSource
        .query(`DELETE FROM gateway_calls WHERE seen_at < now() - make_interval(secs => $1)`, [KEEP_MS / 1000])
        .catch((err: unknown) => this.logger.warn({ err }, 'could not prune old gateway calls'));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
