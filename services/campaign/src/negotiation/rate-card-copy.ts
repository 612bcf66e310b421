import { groupByKey, RequestContext } from '@influenceflow/kit';
import { RateCardUpdatedData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { RateCardPrice } from './creator-rate';

/** Keeps campaign's copy of a creator's rate card (payments owns it), inside the inbox transaction. */
export async function applyRateCardUpdate(tx: EntityManager, data: RateCardUpdatedData): Promise<void> {
  if (data.removed) {
    await tx.query(`DELETE FROM creator_rate_cards WHERE creator_id = $1 AND platform = $2 AND format = $3`, [
      data.creatorId,
      data.platform,
      data.format,
    ]);
    return;
  }
  await tx.query(
    `INSERT INTO creator_rate_cards (creator_id, platform, format, price_minor, currency) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (creator_id, platform, format) DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency`,
    [data.creatorId, data.platform, data.format, data.priceMinor, data.currency],
  );
}

/** A creator's rate card as campaign last heard it; one query for every creator of a request. */
export function rateCardOf(ctx: RequestContext, creatorId: string): Promise<RateCardPrice[]> {
  return ctx.loaders
    .get('campaign.rateCardByCreator', async (ids: readonly string[]) => {
      const rows: { creator_id: string; platform: string; format: string; price_minor: string; currency: string }[] =
        await ctx.dataSource.query(
          `SELECT creator_id, platform, format, price_minor, currency FROM creator_rate_cards WHERE creator_id = ANY($1::uuid[])`,
          [[...ids]],
        );
      const lines = rows.map((r) => ({
        creatorId: r.creator_id,
        price: { platform: r.platform, format: r.format, priceMinor: Number(r.price_minor), currency: r.currency },
      }));
      return groupByKey(ids, lines, (l) => l.creatorId).map((group) => group.map((g) => g.price));
    })
    .load(creatorId);
}
