import { BackgroundTask, Logger, SERVICE_CONNECTION_OPTIONS } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AudienceIndex } from './audience-index';
import { AUDIENCE_COLUMNS, AUDIENCE_PAGE, AudienceRow, loadAudienceIndexOutOfProcess, toAudienceVector } from './audience-index.load';

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Keeps one process's AudienceIndex equal to the database. A trigger stamps every write of the audience
 * columns with the writing transaction's id (migration AudienceChanges); a catch-up reads the rows stamped
 * at or after the oldest transaction that was still running at the previous catch-up, so no commit is
 * missed whatever order transactions commit in, and steady state reads only what is new.
 *
 * Search catches up before every audience-match query (one indexed query, usually returning nothing), so a
 * creator's change is ranked by the next search on any process. The index is rebuilt from the database,
 * in the background, when the changes it carries outside its inverted lists pass 5 % of it (at least 20,000).
 */
export class AudienceIndexSync implements BackgroundTask {
  readonly name = 'audience index';
  private index: AudienceIndex | null = null;
  /** Rows stamped at or after this transaction id may not have been read yet. */
  private horizon = '0';
  private catchingUp: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private rebuilding: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly rebuildAfter = (size: number) => Math.max(20_000, size * 0.05),
  ) {}

  /** Resolves once the first full load is in (until then search scores in SQL). */
  async start(): Promise<void> {
    await this.rebuild();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([this.catchingUp, this.queued, this.rebuilding]);
  }

  get ready(): boolean {
    return this.index !== null;
  }

  /** The index as it is, without catching up (null until the first load is done). */
  get loaded(): AudienceIndex | null {
    return this.index;
  }

  /** The index with every change committed before this call; null until the first load is done. */
  async current(): Promise<AudienceIndex | null> {
    if (!this.index) return null;
    await this.catchUp();
    return this.index;
  }

  /**
   * One catch-up that starts after this call: callers arriving while one runs share the next, so a burst
   * of searches costs one query, and each still sees every commit made before it asked.
   */
  private catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = this.readChanges().finally(() => (this.catchingUp = null));
      return this.catchingUp;
    }
    this.queued ??= this.catchingUp.then(() => {
      this.queued = null;
      return this.catchUp();
    });
    return this.queued;
  }

  private async readChanges(): Promise<void> {
    const index = this.index;
    if (!index || this.stopped) return;
    // One statement, one snapshot: the rows it sees are read now, and whatever commits later has an id at
    // or above its xmin, read next time. By pages in index order, so the plan stays an index scan.
    let horizon: string | null = null;
    let after: [string, string] = [this.horizon, FIRST_ID];
    for (;;) {
      const [page]: { horizon: string; rows: (AudienceRow & { changed_in: string })[] | null }[] = await this.dataSource.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
           (SELECT json_agg(r) FROM (
              SELECT ${AUDIENCE_COLUMNS}, audience_changed_in::text AS changed_in FROM creators
              WHERE (audience_changed_in, id) > ($1::xid8, $2::uuid) ORDER BY audience_changed_in, id LIMIT ${AUDIENCE_PAGE}) r) AS rows`,
        after,
      );
      horizon ??= page.horizon;
      const rows = page.rows ?? [];
      for (const row of rows) index.upsert(toAudienceVector(row));
      if (rows.length < AUDIENCE_PAGE) break;
      const last = rows[rows.length - 1];
      after = [last.changed_in, last.id];
    }
    if (this.index === index) this.horizon = horizon;
    if (index.overlaySize > this.rebuildAfter(index.size) && !this.rebuilding) {
      this.rebuilding = this.rebuild()
        .catch((err) => this.logger.error({ err }, 'audience index rebuild failed; serving the current one'))
        .finally(() => (this.rebuilding = null));
    }
  }

  /** Loads every creator into a new index and swaps it in. */
  private async rebuild(): Promise<void> {
    const started = Date.now();
    const horizon = await this.snapshotHorizon();
    const index = await loadAudienceIndexOutOfProcess({
      url: (this.dataSource.options as PostgresConnectionOptions).url,
      options: SERVICE_CONNECTION_OPTIONS,
    });
    if (this.stopped) return;
    this.index = index;
    // Whatever committed after the load began is stamped at or above its horizon: the next catch-up reads it.
    this.horizon = horizon;
    this.logger.info({ creators: index.size, ms: Date.now() - started }, 'audience index loaded');
  }

  private async snapshotHorizon(): Promise<string> {
    const [{ horizon }] = await this.dataSource.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`);
    return horizon;
  }
}
