import { AppError, ErrorCode } from '@influenceflow/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntryInput, AuditLog } from './seams';

/** At most this many refused signing attempts of one signer on one contract are recorded per window. */
export const SIGN_REFUSAL_LIMIT = 10;
/** The window: it starts at the first refusal recorded after the previous window ended. */
export const SIGN_REFUSAL_WINDOW_SECONDS = 600;

export interface SignRefusalLimits {
  limit: number;
  windowSeconds: number;
}

interface WindowRow {
  window_started_at: Date;
  recorded: number;
  suppressed: number;
  first_suppressed_at: Date | null;
  last_suppressed_at: Date | null;
  ended: boolean;
  retry_after: number;
}

export function rateLimited(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    ErrorCode.RATE_LIMITED,
    `Too many refused signing attempts on this contract: read it again and try in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    { details: { retryAfterSeconds } },
  );
}

/**
 * The rate limit on refused signatures (docs/contracts.md, "Refused signatures: the rate limit"): per
 * contract and token subject, at most `limit` `sign_refused` entries per window; beyond that a refusal is
 * RATE_LIMITED, not recorded, and counted; the count is written once, as a `sign_refusals_suppressed`
 * entry, just before the next entry of that signer's attempts (a refusal recorded in a later window, or
 * their signature). The counts live in the database (`sign_refusal_windows`, its row locked while
 * deciding), so the limit holds across replicas; the time is the database's.
 */
export class SignRefusals {
  constructor(
    private readonly audit: AuditLog,
    private readonly limits: SignRefusalLimits = { limit: SIGN_REFUSAL_LIMIT, windowSeconds: SIGN_REFUSAL_WINDOW_SECONDS },
  ) {}

  /**
   * Records a refused attempt in a transaction of its own, or counts it when the signer used up the
   * window: then the answer is the seconds until the window ends.
   */
  record(
    dataSource: DataSource,
    contractId: string,
    entry: AuditEntryInput,
  ): Promise<{ recorded: true } | { recorded: false; retryAfterSeconds: number }> {
    return dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO sign_refusal_windows (contract_id, subject, window_started_at, recorded) VALUES ($1, $2, now(), 0)
         ON CONFLICT (contract_id, subject) DO NOTHING`,
        [contractId, entry.actor],
      );
      const w = await this.lockWindow(tx, contractId, entry.actor);
      if (w.ended) {
        await this.writeSuppressed(tx, contractId, entry, w);
        await tx.query(
          `UPDATE sign_refusal_windows SET window_started_at = now(), recorded = 1, suppressed = 0, first_suppressed_at = NULL,
             last_suppressed_at = NULL WHERE contract_id = $1 AND subject = $2`,
          [contractId, entry.actor],
        );
      } else if (w.recorded < this.limits.limit) {
        await tx.query(`UPDATE sign_refusal_windows SET recorded = recorded + 1 WHERE contract_id = $1 AND subject = $2`, [
          contractId,
          entry.actor,
        ]);
      } else {
        await tx.query(
          `UPDATE sign_refusal_windows SET suppressed = suppressed + 1, first_suppressed_at = coalesce(first_suppressed_at, now()),
             last_suppressed_at = now() WHERE contract_id = $1 AND subject = $2`,
          [contractId, entry.actor],
        );
        return { recorded: false as const, retryAfterSeconds: Math.max(1, w.retry_after) };
      }
      await this.audit.append(tx, contractId, entry);
      return { recorded: true as const };
    });
  }

  /**
   * Before a signer's signature is appended (in its transaction): the attempts of theirs that were
   * suppressed and not written yet are written now, as one entry.
   */
  async flush(tx: EntityManager, contractId: string, entry: Pick<AuditEntryInput, 'actor' | 'actorRole' | 'at'>): Promise<void> {
    const rows = (await tx.query(`SELECT 1 FROM sign_refusal_windows WHERE contract_id = $1 AND subject = $2 AND suppressed > 0`, [
      contractId,
      entry.actor,
    ])) as unknown[];
    if (!rows.length) return;
    const w = await this.lockWindow(tx, contractId, entry.actor);
    await this.writeSuppressed(tx, contractId, entry, w);
    await tx.query(
      `UPDATE sign_refusal_windows SET suppressed = 0, first_suppressed_at = NULL, last_suppressed_at = NULL
       WHERE contract_id = $1 AND subject = $2`,
      [contractId, entry.actor],
    );
  }

  private async lockWindow(tx: EntityManager, contractId: string, subject: string): Promise<WindowRow> {
    const [w] = (await tx.query(
      `SELECT window_started_at, recorded, suppressed, first_suppressed_at, last_suppressed_at,
              window_started_at + make_interval(secs => $3) <= now() AS ended,
              ceil(extract(epoch FROM window_started_at + make_interval(secs => $3) - now()))::int AS retry_after
       FROM sign_refusal_windows WHERE contract_id = $1 AND subject = $2 FOR UPDATE`,
      [contractId, subject, this.limits.windowSeconds],
    )) as WindowRow[];
    return w;
  }

  private async writeSuppressed(
    tx: EntityManager,
    contractId: string,
    entry: Pick<AuditEntryInput, 'actor' | 'actorRole' | 'at'>,
    w: WindowRow,
  ): Promise<void> {
    if (w.suppressed <= 0) return;
    await this.audit.append(tx, contractId, {
      action: 'sign_refusals_suppressed',
      actor: entry.actor,
      actorRole: entry.actorRole,
      at: entry.at,
      details: {
        count: w.suppressed,
        firstAt: w.first_suppressed_at,
        lastAt: w.last_suppressed_at,
        windowStartedAt: w.window_started_at,
        limit: this.limits.limit,
        windowSeconds: this.limits.windowSeconds,
      },
    });
  }
}
