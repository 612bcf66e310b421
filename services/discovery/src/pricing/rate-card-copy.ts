import { groupByKey, RequestContext } from '@influenceflow/kit';
import { RateCardUpdatedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { refreshSearchProfile } from '../creators/search-profile.store';

/**
 * Keeps discovery's copy of a creator's rate card (payments owns it) and the search price derived
 * from it. Runs inside the inbox transaction, so an event applies once. Prices that arrive before the
 * creator's profile are kept, and used when the profile is created.
 */
export async function applyRateCardUpdate(tx: EntityManager, data: RateCardUpdatedData): Promise<void> {
  if (data.removed) {
    await tx.query(`DELETE FROM rate_card_prices WHERE creator_id = $1 AND platform = $2 AND format = $3`, [
      data.creatorId,
      data.platform,
      data.format,
    ]);
  } else {
    await tx.query(
      `INSERT INTO rate_card_prices (creator_id, platform, format, price_minor, currency) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (creator_id, platform, format) DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency`,
      [data.creatorId, data.platform, data.format, data.priceMinor, data.currency],
    );
  }
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
 * A creator's rate card as discovery last heard it, cheapest first; one query for all creators of a
 * request (media kits on a page of search results).
 */
export function rateCardOf(ctx: RequestContext, creatorId: string): Promise<RateCardLine[]> {
  return ctx.loaders
    .get('discovery.rateCardByCreator', async (ids: readonly string[]) => {
      const rows: { creator_id: string; platform: string; format: string; price_minor: string; currency: string }[] =
        await ctx.dataSource.query(
          `SELECT creator_id, platform, format, price_minor, currency FROM rate_card_prices
            WHERE creator_id = ANY($1::uuid[]) ORDER BY price_minor, platform, format`,
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
