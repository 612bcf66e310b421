import { BackgroundTask, Logger, RequestContext, ServiceRuntime } from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import { PlatformAccount } from '../accounts/platform-account.entity';
import { emitStatsIfChanged, statsOf } from '../creators/creator-stats';
import { Creator } from '../creators/creator.entity';
import { refreshSearchProfile } from '../creators/search-profile.store';
import { AUTHENTICITY_MODEL_VERSION, AUTHENTICITY_MODEL_VERSIONS } from '../rules/authenticity';
import type { DiscoveryServices } from '../services';

/** The model versions older than this code's: accounts whose latest report is one of them are rescored. */
export const OUTDATED_MODEL_VERSIONS: readonly string[] = AUTHENTICITY_MODEL_VERSIONS.slice(
  0,
  AUTHENTICITY_MODEL_VERSIONS.indexOf(AUTHENTICITY_MODEL_VERSION),
);

/**
 * Accounts whose latest report is of an outdated version, or that have no report at all (''); a version
 * this code does not know is newer and left alone, so replicas of two versions never undo each other.
 */
const STALE_ACCOUNT = `COALESCE((SELECT r.model_version FROM authenticity_reports r WHERE r.account_id = p.id
                                 ORDER BY r.computed_at DESC, r.id DESC LIMIT 1), '') = ANY($1::text[])`;

export interface RescoreOptions {
  /** Creators per transaction. */
  batchSize?: number;
  /** Wait before another pass when a pass skipped creators that someone else held locked. */
  retryPauseMs?: number;
}

export interface RescoreSummary {
  /** creators with at least one account rescored by this run */
  creators: number;
  /** accounts rescored by this run */
  accounts: number;
  passes: number;
}

/**
 * Rescoring when the authenticity model changes (docs/authenticity.md, "Model versions and rescoring"). At
 * start it scores again, in batches of creators, every account whose latest report is of an outdated model
 * version: a new report per account, the account's and creator's authenticity score and the search columns
 * (price guidance depends on the score), and the events a save publishes. Each batch locks its creators
 * with FOR UPDATE SKIP LOCKED, so replicas share the work and a creator is never scored twice; creators
 * skipped because someone held them are looked at again in another pass. Serving does not wait for it.
 */
export class AuthenticityRescore implements BackgroundTask {
  readonly name = 'authenticity rescore';
  private readonly batchSize: number;
  private readonly retryPauseMs: number;
  private stopped = false;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly services: DiscoveryServices,
    private readonly logger: Logger,
    options: RescoreOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.retryPauseMs = options.retryPauseMs ?? 1_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.running = this.run().then(
      (summary) => {
        if (summary.accounts > 0) this.logger.info(summary, `rescored accounts with the ${AUTHENTICITY_MODEL_VERSION} model`);
      },
      (err: unknown) => this.logger.error({ err }, 'authenticity rescore failed; it runs again at the next start'),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Rescores until no account's latest report is outdated (or the task is stopped). Idempotent. */
  async run(): Promise<RescoreSummary> {
    const summary: RescoreSummary = { creators: 0, accounts: 0, passes: 0 };
    if (OUTDATED_MODEL_VERSIONS.length === 0) return summary;
    for (;;) {
      const pass = await this.pass();
      summary.passes++;
      summary.creators += pass.creators;
      summary.accounts += pass.accounts;
      if (pass.skipped === 0 || this.stopped) return summary;
      await new Promise((resolve) => setTimeout(resolve, this.retryPauseMs));
    }
  }

  /** One walk over the creators in id order; returns what it rescored and how many it found locked. */
  private async pass(): Promise<{ creators: number; accounts: number; skipped: number }> {
    const outdated = [...OUTDATED_MODEL_VERSIONS, ''];
    let after = '00000000-0000-0000-0000-000000000000';
    const done = { creators: 0, accounts: 0, skipped: 0 };
    while (!this.stopped) {
      const candidates: { id: string }[] = await this.runtime.dataSource.query(
        `SELECT c.id FROM creators c
          WHERE c.id > $2 AND EXISTS (SELECT 1 FROM platform_accounts p WHERE p.creator_id = c.id AND ${STALE_ACCOUNT})
          ORDER BY c.id LIMIT $3`,
        [outdated, after, this.batchSize],
      );
      if (candidates.length === 0) break;
      after = candidates[candidates.length - 1].id;
      const ctx = RequestContext.system(this.runtime, this.services, this.logger, 'authenticity-rescore');
      const batch = await ctx.transaction(async (tx) => {
        const locked: { id: string }[] = await tx.query(
          `SELECT id FROM creators WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
          [candidates.map((c) => c.id)],
        );
        let accounts = 0;
        let creators = 0;
        for (const { id } of locked) {
          const rescored = await this.rescoreCreator(ctx, tx, id, outdated);
          accounts += rescored;
          if (rescored > 0) creators++;
        }
        return { locked: locked.length, creators, accounts };
      });
      done.creators += batch.creators;
      done.accounts += batch.accounts;
      done.skipped += candidates.length - batch.locked;
    }
    return done;
  }

  /** Rescores the creator's outdated accounts (checked again under the lock) and refreshes what depends on them. */
  private async rescoreCreator(
    ctx: RequestContext<DiscoveryServices>,
    tx: EntityManager,
    creatorId: string,
    outdated: string[],
  ): Promise<number> {
    const stale: { id: string }[] = await tx.query(`SELECT p.id FROM platform_accounts p WHERE p.creator_id = $2 AND ${STALE_ACCOUNT}`, [
      outdated,
      creatorId,
    ]);
    if (stale.length === 0) return 0; // someone else rescored it between the look and the lock
    const creator = await tx.getRepository(Creator).findOneByOrFail({ id: creatorId });
    const accounts = await tx.getRepository(PlatformAccount).findBy(stale.map((s) => ({ id: s.id })));
    const before = statsOf(creator);
    await this.services.accounts.rescore(ctx, tx, creator, accounts);
    await emitStatsIfChanged(ctx, tx, creatorId, before, await refreshSearchProfile(tx, creatorId));
    return accounts.length;
  }
}
