import { badInput, forbidden, notFound, RequestContext, todayUtc } from '@influenceflow/kit';
import { ContentFormat, Platform, RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { RateCardEntry } from './rate-card-entry.entity';
import { RateCardEntryInput } from './rate-card.types';
import { lineOn, parseOn, parseRateCardLine, periodsOf, RateCardBook } from './rate-card-book';

/**
 * Rate cards: public to read (they appear on media kits); a creator writes only their own. The rules of
 * its lines (periods, overlaps, a day's price) are the rate card's (`RateCardBook`), the brands' too.
 */
export class RateCardService {
  private readonly book = new RateCardBook({
    entity: RateCardEntry,
    table: 'rate_card_entries',
    ownerColumn: 'creator_id',
    ownerProperty: 'creatorId',
    noOverlapConstraint: 'rate_card_entries_no_overlap',
  });

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
    const today = todayUtc();
    const line = parseRateCardLine(problems, input, today);
    problems.throwIfAny();
    const creatorId = owner!;
    return ctx.transaction(async (tx) => {
      const { entry, lines } = await this.book.write(tx, creatorId, line!, today);
      await this.announce(ctx, tx, creatorId, entry.platform, entry.format, lines, today);
      return entry;
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    const identity = ctx.requireRole('creator');
    if (!ctx.isAdmin && !identity.creatorId) throw forbidden('Your token carries no creatorId');
    return ctx.transaction(async (tx) => {
      const entry = await tx.getRepository(RateCardEntry).findOneBy({ id });
      // Someone else's entry is "not found": no existence leak.
      if (!entry || (!ctx.isAdmin && entry.creatorId !== identity.creatorId)) throw notFound('RateCardEntry', id);
      const lines = await this.book.remove(tx, entry);
      await this.announce(ctx, tx, entry.creatorId, entry.platform, entry.format, lines, todayUtc());
      return true;
    });
  }

  /** Your own rate card: every line (`on`: only those valid that day). */
  mine(ctx: RequestContext, on?: string | null): Promise<RateCardEntry[]> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) throw forbidden('Your token carries no creatorId');
    return this.book.list(ctx, identity.creatorId, parseOn(on));
  }

  /** A creator's prices on a day (default today), batched across all creators of a request. */
  forCreator(ctx: RequestContext, creatorId: string, on?: string | null): Promise<RateCardEntry[]> {
    return this.book.list(ctx, creatorId, parseOn(on) ?? todayUtc());
  }

  /** ratecard.updated: every line of the platform and format, and (for older consumers) the price valid today. */
  private async announce(
    ctx: RequestContext,
    tx: EntityManager,
    creatorId: string,
    platform: Platform,
    format: ContentFormat,
    lines: RateCardEntry[],
    today: string,
  ): Promise<void> {
    const current = lineOn(lines, today);
    const data: RateCardUpdatedData = {
      creatorId,
      platform,
      format,
      ...(current ? { priceMinor: current.priceMinor, currency: current.currency } : { removed: true }),
      asOf: today,
      periods: periodsOf(lines),
    };
    await ctx.emit(tx, TOPICS.payment, { type: 'ratecard.updated', subject: creatorId, data });
  }
}
