import { groupByKey, replacePricedPeriods, RequestContext } from '@influenceflow/kit';
import { periodsOfRateCardUpdate, RateCardUpdatedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { refreshSearchProfile } from '../creators/search-profile.store';
import { VALID_TODAY } from './valid-today';

/**
 * Keeps discovery's copy of a creator's rate card (payments owns it) and the search price derived from
 * it. The event's lines of a platform and format, with their periods, replace the ones copied before; the
 * search price is the lines valid today (lines that begin or end later are priced on their day by
 * `RateCardDays`). Runs inside the inbox transaction, so an event applies once. Prices that arrive before
 * the creator's profile are kept, and used when the profile is created.
 */
export async function applyRateCardUpdate(tx: EntityManager, data: RateCardUpdatedData): Promise<void> {
  await replacePricedPeriods(tx, 'rate_card_prices', data, periodsOfRateCardUpdate(data));
  const [creator] = await tx.query(`SELECT 1 FROM creators WHERE id = $1 FOR UPDATE`, [data.creatorId]);
  if (creator) await refreshSearchProfile(tx, data.creatorId);
}

export interface RateCardLine {
  platform: string;
  format: string;
  priceMinor: number;
  currency: string;
}

/**
 * A creator's rate card valid today as discovery last heard it, cheapest first; one query for all
 * creators of a request (media kits on a page of search results).
 */
export function rateCardOf(ctx: RequestContext, creatorId: string): Promise<RateCardLine[]> {
  return ctx.loaders
    .get('discovery.rateCardByCreator', async (ids: readonly string[]) => {
      const rows: { creator_id: string; platform: string; format: string; price_minor: string; currency: string }[] =
        await ctx.dataSource.query(
          `SELECT creator_id, platform, format, price_minor, currency FROM rate_card_prices
            WHERE creator_id = ANY($1::uuid[]) AND ${VALID_TODAY} ORDER BY price_minor, platform, format`,
          [[...ids]],
        );
      const lines = rows.map((r) => ({
        creatorId: r.creator_id,
        line: { platform: r.platform, format: r.format, priceMinor: Number(r.price_minor), currency: r.currency },
      }));
      return groupByKey(ids, lines, (l) => l.creatorId).map((group) => group.map((g) => g.line));
    })
    .load(creatorId);
}
