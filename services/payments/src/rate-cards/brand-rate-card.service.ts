import { notFound, RequestContext, todayUtc } from '@influenceflow/kit';
import { BrandRateCardEntry } from './brand-rate-card.entity';
import { BrandRateCardArgs, BrandRateCardEntryInput } from './brand-rate-card.types';
import { parseOn, parseRateCardLine, RateCardBook } from './rate-card-book';

/**
 * A brand's standard pricing: its members write it, its members and analysts read it. The rules of its
 * lines (periods, overlaps, a day's price) are the rate card's (`RateCardBook`).
 */
export class BrandRateCardService {
  private readonly book = new RateCardBook({
    entity: BrandRateCardEntry,
    table: 'brand_rate_card_entries',
    ownerColumn: 'brand_id',
    ownerProperty: 'brandId',
    noOverlapConstraint: 'brand_rate_card_entries_no_overlap',
  });

  async set(ctx: RequestContext, input: BrandRateCardEntryInput): Promise<BrandRateCardEntry> {
    ctx.requireBrand(input.brandId);
    const problems = ctx.inputProblems();
    // One "today" for the check and the write (a request at midnight UTC sees one day).
    const today = todayUtc();
    const line = parseRateCardLine(problems, input, today);
    problems.throwIfAny();
    return ctx.transaction(async (tx) => (await this.book.write(tx, input.brandId, line!, today)).entry);
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    ctx.requireIdentity();
    return ctx.transaction(async (tx) => {
      const entry = await tx.getRepository(BrandRateCardEntry).findOneBy({ id });
      // Another brand's line is "not found": no existence leak; the brand's analysts read it, so they hear they may not remove it.
      if (!entry || !ctx.canActForBrand(entry.brandId, ['brand_member', 'analyst'])) throw notFound('BrandRateCardEntry', id);
      ctx.requireBrand(entry.brandId);
      await this.book.remove(tx, entry);
      return true;
    });
  }

  list(ctx: RequestContext, args: BrandRateCardArgs): Promise<BrandRateCardEntry[]> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    return this.book.list(ctx, args.brandId, parseOn(args.on));
  }
}
