import { groupByKey, RequestContext } from '@influenceflow/kit';
import { periodsOfRateCardUpdate, RateCardUpdatedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { RateCardPrice } from './creator-rate';

/**
 * Keeps campaign's copy of a creator's rate card (payments owns it), inside the inbox transaction: the
 * event's lines of a platform and format replace the ones copied before.
 */
export async function applyRateCardUpdate(tx: EntityManager, data: RateCardUpdatedData): Promise<void> {
  const key = [data.creatorId, data.platform, data.format];
  await tx.query(`DELETE FROM creator_rate_cards WHERE creator_id = $1 AND platform = $2 AND format = $3`, key);
  const periods = periodsOfRateCardUpdate(data);
  if (periods.length === 0) return;
  await tx.query(
    `INSERT INTO creator_rate_cards (creator_id, platform, format, valid_from, valid_until, price_minor, currency)
     SELECT $1, $2, $3, p.valid_from, p.valid_until, p.price_minor, p.currency
       FROM unnest($4::date[], $5::date[], $6::bigint[], $7::char(3)[]) AS p (valid_from, valid_until, price_minor, currency)`,
    [
      ...key,
      periods.map((p) => p.validFrom),
      periods.map((p) => p.validUntil),
      periods.map((p) => p.priceMinor),
      periods.map((p) => p.currency),
    ],
  );
}

/** A creator's prices valid on `on` (ISO date) as campaign last heard them; one query for every creator of a request. */
export function rateCardOf(ctx: RequestContext, creatorId: string, on: string): Promise<RateCardPrice[]> {
  return ctx.loaders
    .get(`campaign.rateCardByCreator:${on}`, async (ids: readonly string[]) => {
      const rows: { creator_id: string; platform: string; format: string; price_minor: string; currency: string }[] =
        await ctx.dataSource.query(
          `SELECT creator_id, platform, format, price_minor, currency FROM creator_rate_cards
            WHERE creator_id = ANY($1::uuid[]) AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)`,
          [[...ids], on],
        );
      const lines = rows.map((r) => ({
        creatorId: r.creator_id,
        price: { platform: r.platform, format: r.format, priceMinor: Number(r.price_minor), currency: r.currency },
      }));
      return groupByKey(ids, lines, (l) => l.creatorId).map((group) => group.map((g) => g.price));
    })
    .load(creatorId);
}
