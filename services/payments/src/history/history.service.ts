import { badInput, forbidden, isUuid, Money, newestFirstPage, RequestContext } from '@influenceflow/kit';
import { Payout } from '../payouts/payout.entity';
import { PayoutStatus } from '../payouts/payout-status';
import { parseHistoryFilter, statementPeriod } from './history-rules';
import { CreatorEarnings, CreatorStatement, PaymentHistoryArgs, PayoutConnection, StatementLine, StatementLineKind } from './history.types';
import { brandNames, campaignNames, creatorLabel } from './party-names';
import { statementTotals } from './statement-rules';

const LINE_KINDS: Record<string, StatementLineKind> = {
  PAYOUT_SETTLE: StatementLineKind.PAYOUT,
  PAYOUT_REVERSE: StatementLineKind.REVERSAL,
  PRODUCT_VALUE: StatementLineKind.PRODUCT_VALUE,
};

interface TransferRow {
  id: string;
  kind: string;
  currency: string;
  amount: string;
  brand_id: string;
  campaign_id: string | null;
  partnership_id: string | null;
  payout_id: string | null;
  description: string | null;
  created_at: Date;
}

/**
 * Payment history, yearly statements and earnings (docs/payments.md, "History, statements and earnings"): reads only, from the payouts
 * and the ledger; who sees what is decided here.
 */
export class HistoryService {
  /**
   * The creator whose money the caller may read: a creator their own (creatorId omitted or theirs),
   * an admin the one they name; anyone else FORBIDDEN.
   */
  private creatorOf(ctx: RequestContext, creatorId: string | null | undefined): string {
    const identity = ctx.requireIdentity();
    if (creatorId != null && !isUuid(creatorId)) throw badInput('creatorId', 'must be a UUID');
    const wanted = creatorId?.toLowerCase() ?? null;
    if (ctx.isAdmin) {
      if (!wanted) throw badInput('creatorId', 'admins name the creator');
      return wanted;
    }
    if (!ctx.hasRole('creator') || !identity.creatorId) throw forbidden("This is a creator's own money; only they (and admins) read it");
    if (wanted && wanted !== identity.creatorId) throw forbidden('You can read only your own payments');
    return identity.creatorId;
  }

  /** A creator's payouts, newest first (myPayments). */
  async creatorPayments(ctx: RequestContext, args: PaymentHistoryArgs & { creatorId?: string | null }): Promise<PayoutConnection> {
    const creatorId = this.creatorOf(ctx, args.creatorId);
    return this.page(ctx, 'p.creator_id = :owner', creatorId, args);
  }

  /** A brand's payouts, newest first (brandPayments): its members and admins; analysts read spend totals instead. */
  async brandPayments(ctx: RequestContext, brandId: string, args: PaymentHistoryArgs): Promise<PayoutConnection> {
    const identity = ctx.requireIdentity();
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    const brand = brandId.toLowerCase();
    if (!ctx.canActForBrand(brand, ['brand_member'])) {
      if (identity.brandIds.includes(brand) && ctx.hasRole('analyst')) {
        throw forbidden("Analysts read a brand's spend totals (Campaign.spend, Brand.balance), not its individual payouts");
      }
      throw forbidden('You are not a member of this brand');
    }
    return this.page(ctx, 'p.brand_id = :owner', brand, args);
  }

  private async page(ctx: RequestContext, ownerClause: string, owner: string, args: PaymentHistoryArgs): Promise<PayoutConnection> {
    const filter = parseHistoryFilter({ ...args, status: args.status ?? null });
    const qb = ctx.dataSource.getRepository(Payout).createQueryBuilder('p').where(ownerClause, { owner });
    if (filter.campaignId) qb.andWhere('p.campaign_id = :campaignId', { campaignId: filter.campaignId });
    if (filter.since) qb.andWhere('p.created_at >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('p.created_at < :until', { until: filter.until });
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    return newestFirstPage(qb, args) as Promise<PayoutConnection>;
  }

  /** A creator's statement for a calendar year (UTC): the creator themself and admins. */
  async statement(ctx: RequestContext, year: number, creatorIdArg: string | null | undefined): Promise<CreatorStatement> {
    const creatorId = this.creatorOf(ctx, creatorIdArg);
    const { start, end } = statementPeriod(year);
    const rows: TransferRow[] = await ctx.dataSource.query(
      `SELECT id, kind, currency, amount::text AS amount, brand_id, campaign_id, partnership_id, payout_id, description, created_at
         FROM ledger_transfers
        WHERE creator_id = $1 AND kind IN ('PAYOUT_SETTLE', 'PAYOUT_REVERSE', 'PRODUCT_VALUE')
          AND created_at >= $2 AND created_at < $3
        ORDER BY created_at, id`,
      [creatorId, start, end],
    );
    const [brands, campaigns, creatorName] = await Promise.all([
      brandNames(
        ctx,
        rows.map((r) => r.brand_id),
      ),
      campaignNames(
        ctx,
        rows.map((r) => r.campaign_id),
      ),
      creatorLabel(ctx, creatorId),
    ]);
    const lines = rows.map((r, i) =>
      Object.assign(new StatementLine(), {
        id: r.id,
        bookedAt: new Date(r.created_at),
        kind: LINE_KINDS[r.kind],
        brandId: r.brand_id,
        brandName: brands[i],
        campaignId: r.campaign_id,
        campaignName: campaigns[i],
        partnershipId: r.partnership_id,
        payoutId: r.payout_id,
        amount: Money.of(Number(r.amount), r.currency.trim()),
        description: r.description,
      }),
    );
    return Object.assign(new CreatorStatement(), {
      creatorId,
      creatorName,
      year,
      periodStart: start,
      periodEnd: end,
      lines,
      ...statementTotals(lines),
    });
  }

  /** Creator.earnings: per currency, for the creator themself and admins; null for anyone else. Batched per request. */
  async earnings(ctx: RequestContext, creatorId: string): Promise<CreatorEarnings[] | null> {
    if (!ctx.identity || !isUuid(creatorId)) return null;
    const id = creatorId.toLowerCase();
    if (!ctx.isCreator(id)) return null;
    return ctx.loaders.get<string, CreatorEarnings[]>('history:earnings', (ids) => this.earningsOf(ctx, [...ids])).load(id);
  }

  private async earningsOf(ctx: RequestContext, creatorIds: string[]): Promise<CreatorEarnings[][]> {
    const [accounts, pending]: [
      { creator_id: string; type: string; currency: string; balance: string }[],
      { creator_id: string; currency: string; amount: string }[],
    ] = await Promise.all([
      ctx.dataSource.query(
        `SELECT creator_id, type, currency, sum(balance)::text AS balance FROM ledger_accounts
          WHERE type IN ('CREATOR_PAID', 'CREATOR_PAYABLE') AND creator_id = ANY($1::uuid[])
          GROUP BY creator_id, type, currency`,
        [creatorIds],
      ),
      ctx.dataSource.query(
        `SELECT creator_id, currency, sum(amount_minor)::text AS amount FROM payouts
          WHERE status = '${PayoutStatus.PENDING}' AND creator_id = ANY($1::uuid[])
          GROUP BY creator_id, currency`,
        [creatorIds],
      ),
    ]);
    const by = new Map<string, Map<string, { paid: number; owed: number; inTransit: number }>>();
    const slot = (creator: string, currency: string) => {
      const c = currency.trim();
      const m = by.get(creator) ?? new Map();
      by.set(creator, m);
      const s = m.get(c) ?? { paid: 0, owed: 0, inTransit: 0 };
      m.set(c, s);
      return s;
    };
    for (const a of accounts) slot(a.creator_id, a.currency)[a.type === 'CREATOR_PAID' ? 'paid' : 'owed'] += Number(a.balance);
    for (const p of pending) slot(p.creator_id, p.currency).inTransit += Number(p.amount);
    return creatorIds.map((id) =>
      [...(by.get(id)?.entries() ?? [])]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([currency, s]) =>
          Object.assign(new CreatorEarnings(), {
            currency,
            paid: Money.of(s.paid, currency),
            owed: Money.of(s.owed, currency),
            inTransit: Money.of(s.inTransit, currency),
          }),
        ),
    );
  }
}
