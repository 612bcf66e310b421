import { badInput, conflict, notFound, parseMoneyInput, RequestContext } from '@influenceflow/kit';
import { BrandRateCardEntry } from './brand-rate-card.entity';
import { BrandRateCardArgs, BrandRateCardEntryInput } from './brand-rate-card.types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date that exists (a month 13 or a 30 February is refused, not an Invalid Date thrown at the client). */
function isoDate(value: string, field: string): string {
  const day = ISO_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be an ISO date (YYYY-MM-DD)');
  }
  return value;
}

/**
 * A brand's standard pricing: its members write it, its members and analysts read it. Lines of one platform
 * and format may not overlap in time (CONFLICT), so a day has one price.
 */
export class BrandRateCardService {
  async set(ctx: RequestContext, input: BrandRateCardEntryInput): Promise<BrandRateCardEntry> {
    ctx.requireBrand(input.brandId);
    const problems = ctx.inputProblems();
    const price = problems.check(() => parseMoneyInput(input.price, 'input.price'));
    const from = problems.check(() => isoDate(input.validFrom, 'input.validFrom'));
    const until = input.validUntil == null ? null : problems.check(() => isoDate(input.validUntil!, 'input.validUntil'));
    if (from && until && until < from) problems.add('input.validUntil', 'must be on or after validFrom');
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      // One writer per line at a time, so two overlapping periods cannot both pass the check.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`brand-rate:${input.brandId}:${input.platform}:${input.format}`]);
      const overlapping = await tx.query(
        `SELECT 1 FROM brand_rate_card_entries
          WHERE brand_id = $1 AND platform = $2 AND format = $3 AND valid_from <> $4
            AND daterange(valid_from, valid_until, '[]') && daterange($4::date, $5::date, '[]')`,
        [input.brandId, input.platform, input.format, from, until],
      );
      if (overlapping.length > 0) throw conflict('another price of this platform and format covers part of this period', 'input.validFrom');
      await tx.query(
        `INSERT INTO brand_rate_card_entries (brand_id, platform, format, price_minor, currency, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (brand_id, platform, format, valid_from)
         DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, valid_until = EXCLUDED.valid_until, updated_at = now()`,
        [input.brandId, input.platform, input.format, price!.amountMinor, price!.currency, from, until],
      );
      return tx
        .getRepository(BrandRateCardEntry)
        .findOneByOrFail({ brandId: input.brandId, platform: input.platform, format: input.format, validFrom: from! });
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    ctx.requireIdentity();
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(BrandRateCardEntry);
      const entry = await repo.findOneBy({ id });
      // Another brand's line is "not found": no existence leak; the brand's analysts read it, so they hear they may not remove it.
      if (!entry || !ctx.canActForBrand(entry.brandId, ['brand_member', 'analyst'])) throw notFound('BrandRateCardEntry', id);
      ctx.requireBrand(entry.brandId);
      await repo.delete({ id });
      return true;
    });
  }

  list(ctx: RequestContext, args: BrandRateCardArgs): Promise<BrandRateCardEntry[]> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const on = args.on == null ? null : isoDate(args.on, 'on');
    const qb = ctx.dataSource
      .getRepository(BrandRateCardEntry)
      .createQueryBuilder('e')
      .where('e.brand_id = :brandId', { brandId: args.brandId })
      .orderBy('e.platform')
      .addOrderBy('e.format')
      .addOrderBy('e.valid_from');
    if (on) qb.andWhere(`e.valid_from <= :on AND (e.valid_until IS NULL OR e.valid_until >= :on)`, { on });
    return qb.getMany();
  }
}
