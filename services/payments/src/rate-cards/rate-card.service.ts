import { badInput, forbidden, loadManyBy, notFound, parseMoneyInput, RequestContext } from '@influenceflow/kit';
import { RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import { RateCardEntry } from './rate-card-entry.entity';
import { RateCardEntryInput } from './rate-card.types';

/** Rate cards: public to read (they appear on media kits); a creator writes only their own. */
export class RateCardService {
  /** Whose rate card a write is for: the calling creator's, or the one an admin names. */
  private ownerOf(ctx: RequestContext, requested?: string): string {
    const identity = ctx.requireRole('creator');
    if (ctx.isAdmin) {
      if (!requested) throw badInput('input.creatorId', 'admins must say which creator');
      return requested;
    }
    if (!identity.creatorId) throw forbidden('Your token carries no creatorId');
    if (requested && requested !== identity.creatorId) throw forbidden('You can change only your own rate card');
    return identity.creatorId;
  }

  async set(ctx: RequestContext, input: RateCardEntryInput): Promise<RateCardEntry> {
    // Permission first (ownerOf's FORBIDDEN passes through); then every bad field at once.
    const problems = ctx.inputProblems();
    const owner = problems.check(() => this.ownerOf(ctx, input.creatorId));
    const price = problems.check(() => parseMoneyInput(input.price, 'input.price'))!;
    problems.throwIfAny();
    const creatorId = owner!;
    return ctx.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO rate_card_entries (creator_id, platform, format, price_minor, currency)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (creator_id, platform, format)
         DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency, updated_at = now()`,
        [creatorId, input.platform, input.format, price.amountMinor, price.currency],
      );
      const entry = await tx.getRepository(RateCardEntry).findOneByOrFail({ creatorId, platform: input.platform, format: input.format });
      const data: RateCardUpdatedData = {
        creatorId,
        platform: entry.platform,
        format: entry.format,
        priceMinor: entry.priceMinor,
        currency: entry.currency,
      };
      await ctx.emit(tx, TOPICS.payment, { type: 'ratecard.updated', subject: creatorId, data });
      return entry;
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    const identity = ctx.requireRole('creator');
    if (!ctx.isAdmin && !identity.creatorId) throw forbidden('Your token carries no creatorId');
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(RateCardEntry);
      const entry = await repo.findOneBy({ id });
      // Someone else's entry is "not found": no existence leak.
      if (!entry || (!ctx.isAdmin && entry.creatorId !== identity.creatorId)) throw notFound('RateCardEntry', id);
      await repo.delete({ id });
      const data: RateCardUpdatedData = { creatorId: entry.creatorId, platform: entry.platform, format: entry.format, removed: true };
      await ctx.emit(tx, TOPICS.payment, { type: 'ratecard.updated', subject: entry.creatorId, data });
      return true;
    });
  }

  mine(ctx: RequestContext): Promise<RateCardEntry[]> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) throw forbidden('Your token carries no creatorId');
    return this.forCreator(ctx, identity.creatorId);
  }

  /** A creator's rate card, batched across all creators of a request. */
  forCreator(ctx: RequestContext, creatorId: string): Promise<RateCardEntry[]> {
    return loadManyBy(ctx, RateCardEntry, 'creatorId', creatorId, { platform: 'ASC', format: 'ASC' });
  }
}
