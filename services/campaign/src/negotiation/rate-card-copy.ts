import { groupByKey, periodHoldsSql, replacePricedPeriods, RequestContext } from '@influenceflow/kit';
import { periodsOfRateCardUpdate, RateCardUpdatedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { RateCardPrice } from './creator-rate';

/**
 * Keeps campaign's copy of a creator's rate card (payments owns it), inside the inbox transaction: the
 * event's lines of a platform and format replace the ones copied before.
 */
export async function applyRateCardUpdate(tx: EntityManager, data: RateCardUpdatedData): Promise<void> {
  await replacePricedPeriods(tx, 'creator_rate_cards', data, periodsOfRateCardUpdate(data));
}

/**
 * A creator's prices valid on `on` (ISO date) as campaign last heard them: one query for every (creator,
 * day) a request asks about (offers of many partnerships, made on many days).
 */
export function rateCardOf(ctx: RequestContext, creatorId: string, on: string): Promise<RateCardPrice[]> {
  return ctx.loaders
    .get(`campaign.rateCardByCreatorAndDay`, async (keys: readonly string[]) => {
      const asked = keys.map((k) => JSON.parse(k) as [string, string]);
      const rows: { i: string; platform: string; format: string; price_minor: string; currency: string }[] = await ctx.dataSource.query(
        `SELECT k.i, c.platform, c.format, c.price_minor, c.currency
           FROM unnest($1::uuid[], $2::date[]) WITH ORDINALITY AS k (creator_id, on_day, i)
           JOIN creator_rate_cards c ON c.creator_id = k.creator_id AND ${periodHoldsSql('k.on_day', 'c')}`,
        [asked.map(([creator]) => creator), asked.map(([, day]) => day)],
      );
      const prices = rows.map((r) => ({
        key: keys[Number(r.i) - 1],
        price: { platform: r.platform, format: r.format, priceMinor: Number(r.price_minor), currency: r.currency },
      }));
      return groupByKey(keys, prices, (p) => p.key).map((group) => group.map((g) => g.price));
    })
    .load(JSON.stringify([creatorId, on]));
}
