import { BackgroundTask, Logger, ServiceRuntime, Waiter } from '@influenceflow/kit';
import { refreshSearchProfile } from '../creators/search-profile.store';
import { TODAY_UTC } from './valid-today';

/** How often the task looks whether a new UTC day has begun. */
const CHECK_EVERY_MS = 15 * 60_000;

/**
 * Search prices a creator by the rate-card lines valid today, so a line that begins or ends on a later day
 * changes the price on that day, with no event to say so. Once per UTC day (checked every quarter hour and
 * at start) this prices again every creator with a line that began or ended since the day in
 * `rate_card_days`, then moves that day on — in one transaction, so a crash leaves the day to do again.
 * Replicas wait for each other on the day's row; the later one finds the day done.
 */
export class RateCardDays implements BackgroundTask {
  readonly name = 'rate-card days';
  private readonly waiter = new Waiter();
  private loop: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly logger: Logger,
    private readonly checkEveryMs = CHECK_EVERY_MS,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiter.wake();
    await this.loop;
  }

  /** Prices again the creators whose lines began or ended since the last day done; how many. */
  async round(): Promise<number> {
    return this.runtime.dataSource.transaction(async (tx) => {
      const [day]: { through: string; today: string }[] = await tx.query(
        `SELECT priced_through::text AS through, ${TODAY_UTC}::text AS today FROM rate_card_days WHERE id = 1 FOR UPDATE`,
      );
      if (!day || day.through >= day.today) return 0;
      // Began after the day done and by today, or ended on the day done or later but before today.
      const creators: { id: string }[] = await tx.query(
        `SELECT c.id FROM creators c
          WHERE EXISTS (SELECT 1 FROM rate_card_prices r WHERE r.creator_id = c.id
                          AND ((r.valid_from > $1::date AND r.valid_from <= $2::date)
                            OR (r.valid_until >= $1::date AND r.valid_until < $2::date)))
          ORDER BY c.id FOR UPDATE`,
        [day.through, day.today],
      );
      for (const { id } of creators) await refreshSearchProfile(tx, id);
      await tx.query(`UPDATE rate_card_days SET priced_through = $1::date WHERE id = 1`, [day.today]);
      if (creators.length > 0) this.logger.info({ creators: creators.length, day: day.today }, 'priced creators again for a new day');
      return creators.length;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.round();
      } catch (err) {
        this.logger.error({ err }, 'pricing creators for a new day failed; trying again at the next check');
      }
      if (!this.stopped) await this.waiter.sleep(this.checkEveryMs);
    }
  }
}
