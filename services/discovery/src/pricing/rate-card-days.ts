import { Logger, RepeatingTask, ServiceRuntime } from '@influenceflow/kit';
import { refreshSearchProfile } from '../creators/search-profile.store';
import { TODAY_UTC } from './valid-today';

/** Creators priced again per transaction. */
const BATCH = 500;

/** How often the task looks whether a new UTC day has begun. */
const CHECK_EVERY_MS = 15 * 60_000;

/**
 * Search prices a creator by the rate-card lines valid today, so a line that begins or ends on a later day
 * changes the price on that day, with no event to say so. Once per UTC day (checked every quarter hour and
 * at start) this prices again, in batches, every creator with a line that began or ended since the day
 * before the one in `rate_card_days`, then moves that day on; a crash before that leaves the day to do
 * again. Replicas starting together may both price the day: the same result, written twice.
 */
export class RateCardDays extends RepeatingTask {
  readonly name = 'rate-card days';

  constructor(
    private readonly runtime: ServiceRuntime,
    logger: Logger,
    checkEveryMs = CHECK_EVERY_MS,
  ) {
    super(logger, checkEveryMs, 'pricing creators for a new day failed; trying again at the next check');
  }

  /** Prices again the creators whose lines began or ended since the day before the last day done; how many. */
  async round(): Promise<number> {
    const ds = this.runtime.dataSource;
    const [day]: { through: string; today: string }[] = await ds.query(
      `SELECT priced_through::text AS through, ${TODAY_UTC}::text AS today FROM rate_card_days WHERE id = 1`,
    );
    if (!day || day.through >= day.today) return 0;
    let priced = 0;
    // In batches, each its own transaction (a busy day does not hold every creator at once), by id.
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const batch = await ds.transaction(async (tx) => {
        // Began after the day before the day done and by today, or ended on that day or later but before
        // today. The day before too: a save whose transaction began before midnight priced its creator
        // with the old day and may have committed after the last run looked.
        const creators: { id: string }[] = await tx.query(
          `SELECT c.id FROM creators c
            WHERE c.id > $3::uuid
              AND EXISTS (SELECT 1 FROM rate_card_prices r WHERE r.creator_id = c.id
                            AND ((r.valid_from > $1::date - 1 AND r.valid_from <= $2::date)
                              OR (r.valid_until >= $1::date - 1 AND r.valid_until < $2::date)))
            ORDER BY c.id LIMIT ${BATCH} FOR UPDATE`,
          [day.through, day.today, after],
        );
        for (const { id } of creators) await refreshSearchProfile(tx, id);
        return creators;
      });
      priced += batch.length;
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].id;
    }
    // Replicas may both have priced the day (harmless: pricing is a pure function of what is stored); the
    // day moves on once.
    await ds.query(`UPDATE rate_card_days SET priced_through = $1::date WHERE id = 1 AND priced_through < $1::date`, [day.today]);
    if (priced > 0) this.logger.info({ creators: priced, day: day.today }, 'priced creators again for a new day');
    return priced;
  }
}
