import { Logger, RepeatingTask, ServiceRuntime } from '@influenceflow/kit';
import { todayUtc } from '../campaigns/campaign-calendar';
import { CampaignService } from '../campaigns/campaign.service';
import { DeliverableService } from '../deliverables/deliverable.service';

/** The transaction-scoped advisory lock one replica holds while it runs the task (an arbitrary constant). */
const LIFECYCLE_LOCK = 7_265_117_651;
/** Campaigns completed per run at most: a long backlog is worked off over a few runs, in short transactions. */
const CAMPAIGNS_PER_RUN = 200;

export interface LifecycleRun {
  today: string;
  /** The campaigns it completed. */
  completed: string[];
  /** Deliverables it found overdue this run. */
  overdue: number;
  /** Campaigns whose contracted partnerships it started (the campaign is live and its first day came). */
  started: string[];
}

/**
 * The campaign calendar, run every `intervalMs` (CAMPAIGN_LIFECYCLE_INTERVAL_MS): completes running
 * campaigns past their end that nothing holds (their open partnerships ended with them, each move
 * announced through the outbox), and marks deliverables past their due date and not yet posted as
 * overdue, and starts the contracted partnerships of live campaigns whose first day has come. One replica at a time: a run takes a transaction-scoped advisory lock and a replica that
 * finds it taken skips its turn. Everything a run does commits together or not at all.
 */
export class LifecycleTask extends RepeatingTask<LifecycleRun | null> {
  readonly name = 'campaign lifecycle';

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly campaigns: CampaignService,
    private readonly deliverables: DeliverableService,
    intervalMs: number,
    logger: Logger,
  ) {
    super(logger, intervalMs, 'campaign lifecycle run failed; trying again next time');
  }

  /** The scheduled run, as of now. */
  async round(): Promise<LifecycleRun | null> {
    const run = await this.work(todayUtc(new Date()));
    if (run && (run.completed.length || run.overdue || run.started.length)) this.logger.info(run, 'campaign lifecycle run');
    return run;
  }

  /**
   * One run as of `now` (tests pass a later day); null when another replica holds the turn. Runs are
   * never concurrent within a process: a second call waits for the first.
   */
  override runOnce(now: Date = new Date()): Promise<LifecycleRun | null> {
    return this.exclusive(() => this.work(todayUtc(now)));
  }

  private async work(today: string): Promise<LifecycleRun | null> {
    const outbox = this.runtime.outbox;
    const run = await this.runtime.dataSource.transaction(async (tx) => {
      const [{ turn }] = (await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS turn`, [LIFECYCLE_LOCK])) as { turn: boolean }[];
      if (!turn) return null;
      const completed = await this.campaigns.completeEnded(tx, outbox, today, CAMPAIGNS_PER_RUN);
      const overdue = await this.deliverables.markOverdue(tx, today);
      const started = await this.campaigns.startBegun(tx, outbox, today, CAMPAIGNS_PER_RUN);
      return { today, completed: completed.map((c) => c.id), overdue, started };
    });
    if (run?.completed.length || run?.started.length) this.runtime.onEventsCommitted?.();
    return run;
  }
}
