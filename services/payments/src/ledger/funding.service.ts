import {
  AppError,
  badInput,
  ErrorCode,
  formatMoney,
  isUuid,
  Logger,
  Money,
  notFound,
  parseMoneyInput,
  RequestContext,
} from '@influenceflow/kit';
import type { CampaignEventData } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import type { Ledger } from './ledger';
import { Brand, BrandBalance, CampaignFunding, CampaignSpend, FundCampaignInput } from './funding.types';

/** payments's copy of a campaign (from campaign.events). */
export interface CampaignCopy {
  id: string;
  brandId: string;
  currency: string;
  status: string;
}

/** Statuses after which a campaign takes no more funding and its escrow goes back to the brand. */
export const CLOSED_CAMPAIGN_STATUSES: ReadonlySet<string> = new Set(['completed', 'cancelled']);

/**
 * Something to do in the same transaction as a campaign's end, before what is left in its escrow goes back
 * to the brand (e.g. accruing the milestones due on campaign end, so their money is not returned first).
 * It must be idempotent (ledger keys): it runs again for a redelivered or a second closing event.
 */
export type BeforeEscrowReturn = (tx: EntityManager, campaign: CampaignCopy) => Promise<void>;

/**
 * Something to do once a funding has committed (e.g. paying what waited for funds on that campaign). It runs
 * in its own transactions; a failure there does not undo the funding (a periodic task is the safety net).
 */
export type AfterFunding = (campaignId: string) => Promise<void>;

/**
 * What a closed campaign's escrow must still receive to pay what waits on it (late commission), in the
 * campaign's transaction; null when nothing does. A closed campaign takes funding up to that, nothing more.
 */
export type ClosedCampaignOwes = (tx: EntityManager, campaignId: string) => Promise<{ amountMinor: number; currency: string } | null>;

const MAX_CLIENT_KEY = 100;

/** The ledger's fields of a posting, as the client named them in fundCampaign's input. */
const CLIENT_FIELDS: Readonly<Record<string, string>> = {
  key: 'input.idempotencyKey',
  'amount.amountMinor': 'input.amount.amountMinor',
  'amount.currency': 'input.amount.currency',
};

/** A ledger refusal named by the client's input field (the key reused, an amount too large), anything else as it is. */
function asClientInput(err: unknown): unknown {
  if (!(err instanceof AppError) || !err.field || !CLIENT_FIELDS[err.field]) return err;
  return new AppError(err.code, err.message, { field: CLIENT_FIELDS[err.field], details: err.details });
}

/** Funding of campaigns' escrows, the return of what is left, and the spend and balances built on the ledger. */
export class FundingService {
  private readonly beforeReturn: BeforeEscrowReturn[] = [];
  private readonly afterFund: AfterFunding[] = [];
  private readonly owes: ClosedCampaignOwes[] = [];

  constructor(
    private readonly ledger: Ledger,
    private readonly logger?: Logger,
  ) {}

  /** Registers what runs after a funding committed (awaited before fundCampaign answers). */
  afterFunding(step: AfterFunding): void {
    this.afterFund.push(step);
  }

  /** Registers what a closed campaign still owes (what fundCampaign may add to its escrow after its end). */
  closedCampaignOwes(step: ClosedCampaignOwes): void {
    this.owes.push(step);
  }

  /** Registers a step of a campaign's end that must come before its escrow is returned. */
  beforeEscrowReturn(step: BeforeEscrowReturn): void {
    this.beforeReturn.push(step);
  }

  /** A brand's member moves money from the brand into one of its campaigns' escrow. */
  async fund(ctx: RequestContext, input: FundCampaignInput): Promise<CampaignFunding> {
    ctx.requireRole('brand_member');
    const problems = ctx.inputProblems();
    if (!isUuid(input.campaignId)) problems.add('input.campaignId', 'must be a UUID');
    const amount = problems.check(() => parseMoneyInput(input.amount, 'input.amount', 'positive'));
    const key = input.idempotencyKey;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_CLIENT_KEY || !/^[\x21-\x7e]+$/.test(key)) {
      problems.add('input.idempotencyKey', `must be 1 to ${MAX_CLIENT_KEY} printable ASCII characters without spaces`);
    }
    problems.throwIfAny();
    const campaignId = input.campaignId.toLowerCase();
    const funding = await ctx.transaction(async (tx) => {
      // FOR SHARE: a campaign's end (which returns the escrow) waits for this funding, or this sees it ended.
      const campaign = (await this.campaigns(tx, [campaignId], 'FOR SHARE'))[0];
      if (!campaign || !ctx.canActForBrand(campaign.brandId, ['brand_member', 'analyst'])) throw notFound('Campaign', campaignId);
      ctx.requireBrand(campaign.brandId);
      // The client's key is the brand's: the same key for another campaign is another request (CONFLICT).
      const fundKey = `fund:${campaign.brandId}:${key}`;
      if (CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) await this.assertClosedCampaignOwes(tx, campaign, amount!, fundKey);
      if (amount!.currency !== campaign.currency) {
        throw badInput(
          'input.amount.currency',
          `The campaign is in ${campaign.currency}; fund it in ${campaign.currency} (amounts are never converted)`,
          {
            expected: campaign.currency,
          },
        );
      }
      const posted = await this.ledger
        .fundCampaign(tx, {
          key: fundKey,
          brandId: campaign.brandId,
          campaignId,
          amount: amount!,
        })
        .catch((err: unknown) => {
          throw asClientInput(err);
        });
      const escrow = await this.ledger.balanceOf(tx, { type: 'CAMPAIGN_ESCROW', ownerId: campaignId, currency: campaign.currency });
      const funded = posted.replayed ? await this.transferAmount(tx, posted.transferId) : amount!.amountMinor;
      return Object.assign(new CampaignFunding(), {
        transferId: posted.transferId,
        replayed: posted.replayed,
        campaignId,
        amount: Money.of(funded, campaign.currency),
        escrow: Money.of(escrow, campaign.currency),
      });
    });
    // Committed: what waited for this escrow is paid now, before the brand reads the answer.
    for (const step of this.afterFund) {
      try {
        await step(campaignId);
      } catch (err) {
        this.logger?.warn({ campaignId, err }, 'paying what waited for funds failed; the awaiting-funds task tries again');
      }
    }
    return funding;
  }

  /**
   * A closed campaign (its escrow returned) takes funding only for what it still owes its creators (late
   * commission, docs/payments.md "Commission"), up to that amount; nothing owed: CAMPAIGN_CLOSED as ever.
   * First the ledger's locks of this funding (the escrow's and the brand's): every accrual, refund and
   * funding of the escrow holds them until it commits, so what is owed and the escrow are then read as one
   * state (an accrual in flight has committed whole or waits for this funding), and top-ups of one campaign
   * run one at a time (the second sees the escrow the first filled). Then the key: a funding already made
   * with it (a retry, even one that waited on these locks) goes on to the ledger, which replays it.
   */
  private async assertClosedCampaignOwes(tx: EntityManager, campaign: CampaignCopy, amount: Money, fundKey: string): Promise<void> {
    await this.ledger.lockCampaignFunding(tx, { brandId: campaign.brandId, campaignId: campaign.id });
    if ((await tx.query(`SELECT 1 FROM ledger_transfers WHERE key = $1`, [fundKey])).length > 0) return;
    let owed = 0;
    for (const step of this.owes) owed += (await step(tx, campaign.id))?.amountMinor ?? 0;
    const closed = (message: string, field?: string) =>
      new AppError(ErrorCode.INVALID_STATE, message, {
        field,
        details: { reason: 'CAMPAIGN_CLOSED', status: campaign.status, owed: { amountMinor: owed, currency: campaign.currency } },
      });
    if (owed === 0) throw closed(`The campaign is ${campaign.status}: it takes no more funding`);
    if (amount.currency === campaign.currency && amount.amountMinor > owed) {
      throw closed(
        `The campaign is ${campaign.status}: it takes only what it still owes its creators, ${formatMoney(owed, campaign.currency)}`,
        'input.amount.amountMinor',
      );
    }
  }

  /** Keeps the copy of a campaign from its events (a late, older event never moves it back). */
  async applyCampaignEvent(tx: EntityManager, data: CampaignEventData, time: string): Promise<CampaignCopy> {
    const rows: { id: string; brand_id: string; currency: string; status: string }[] = await tx.query(
      `INSERT INTO payment_campaigns (id, brand_id, currency, status, changed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at
         WHERE payment_campaigns.changed_at <= excluded.changed_at
           AND payment_campaigns.status NOT IN ('completed', 'cancelled')
       RETURNING id, brand_id, currency, status`,
      [data.campaignId, data.brandId, data.currency, data.status, time],
    );
    if (rows[0]) return copyOf(rows[0]);
    return (await this.campaigns(tx, [data.campaignId], ''))[0];
  }

  /**
   * A campaign completed or was cancelled: its end steps run, then what is left in its escrow goes back
   * to the brand, once (the key is the campaign's).
   */
  async campaignEnded(tx: EntityManager, data: CampaignEventData, time: string): Promise<void> {
    const campaign = await this.applyCampaignEvent(tx, data, time);
    if (!CLOSED_CAMPAIGN_STATUSES.has(campaign.status)) return;
    for (const step of this.beforeReturn) await step(tx, campaign);
    await this.ledger.returnEscrow(tx, {
      key: `campaign:${campaign.id}:escrow-return`,
      brandId: campaign.brandId,
      campaignId: campaign.id,
    });
  }

  /** Campaign.spend: its brand's members and analysts (and admins) see it, anyone else null. */
  async spendOf(ctx: RequestContext, campaignId: string): Promise<CampaignSpend | null> {
    if (!isUuid(campaignId)) return null;
    const row = await ctx.loaders
      .get('payments.campaignSpend', (ids: readonly string[]) => this.spendBatch(ctx, ids))
      .load(campaignId.toLowerCase());
    if (!row || !ctx.canActForBrand(row.brandId, ['brand_member', 'analyst'])) return null;
    return row.spend;
  }

  /** Brand.balance: its members and analysts (and admins) see it, anyone else null. */
  async balanceOf(ctx: RequestContext, brand: Brand): Promise<BrandBalance[] | null> {
    if (!isUuid(brand.id) || !ctx.canActForBrand(brand.id.toLowerCase(), ['brand_member', 'analyst'])) return null;
    return ctx.loaders.get('payments.brandBalance', (ids: readonly string[]) => this.balanceBatch(ctx, ids)).load(brand.id.toLowerCase());
  }

  private async spendBatch(ctx: RequestContext, ids: readonly string[]): Promise<({ brandId: string; spend: CampaignSpend } | null)[]> {
    const db = ctx.dataSource;
    const [campaigns, escrows, sums] = await Promise.all([
      db.query(`SELECT id, brand_id, currency FROM payment_campaigns WHERE id = ANY($1::uuid[])`, [[...ids]]) as Promise<
        { id: string; brand_id: string; currency: string }[]
      >,
      db.query(
        `SELECT owner_id, brand_id, currency, balance FROM ledger_accounts WHERE type = 'CAMPAIGN_ESCROW' AND owner_id = ANY($1::text[])`,
        [[...ids]],
      ) as Promise<{ owner_id: string; brand_id: string; currency: string; balance: string }[]>,
      db.query(
        `SELECT campaign_id, kind, sum(amount)::text AS amount, sum(fee)::text AS fee FROM ledger_transfers
          WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id, kind`,
        [[...ids]],
      ) as Promise<{ campaign_id: string; kind: string; amount: string; fee: string }[]>,
    ]);
    return ids.map((id) => {
      const copy = campaigns.find((c) => c.id === id);
      const escrow = escrows.find((e) => e.owner_id === id);
      const brandId = copy?.brand_id ?? escrow?.brand_id;
      const currency = escrow?.currency ?? copy?.currency;
      if (!brandId || !currency) return null;
      const by = (kind: string, what: 'amount' | 'fee' = 'amount') =>
        sums
          .filter((s) => s.campaign_id === id && (kind.endsWith('*') ? s.kind.startsWith(kind.slice(0, -1)) : s.kind === kind))
          .reduce((n, s) => n + Number(s[what]), 0);
      const m = (n: number) => Money.of(n, currency);
      return {
        brandId,
        spend: Object.assign(new CampaignSpend(), {
          funded: m(by('FUND')),
          returned: m(by('ESCROW_RETURN')),
          escrow: m(escrow ? Number(escrow.balance) : 0),
          accrued: m(by('ACCRUE_*') - by('COMMISSION_REFUND')),
          paid: m(by('PAYOUT_SETTLE') - by('PAYOUT_REVERSE')),
          fees: m(by('ACCRUE_*', 'fee') - by('COMMISSION_REFUND', 'fee')),
        }),
      };
    });
  }

  private async balanceBatch(ctx: RequestContext, ids: readonly string[]): Promise<BrandBalance[][]> {
    const db = ctx.dataSource;
    const [escrows, sums] = await Promise.all([
      db.query(
        `SELECT brand_id, currency, sum(balance)::text AS balance FROM ledger_accounts
          WHERE type = 'CAMPAIGN_ESCROW' AND brand_id = ANY($1::uuid[]) GROUP BY brand_id, currency`,
        [[...ids]],
      ) as Promise<{ brand_id: string; currency: string; balance: string }[]>,
      db.query(
        `SELECT brand_id, currency, kind, sum(amount)::text AS amount, sum(fee)::text AS fee FROM ledger_transfers
          WHERE brand_id = ANY($1::uuid[]) AND (kind IN ('FUND', 'ESCROW_RETURN', 'COMMISSION_REFUND') OR kind LIKE 'ACCRUE\\_%')
          GROUP BY brand_id, currency, kind`,
        [[...ids]],
      ) as Promise<{ brand_id: string; currency: string; kind: string; amount: string; fee: string }[]>,
    ]);
    return ids.map((id) => {
      const currencies = [
        ...new Set([...escrows.filter((e) => e.brand_id === id), ...sums.filter((s) => s.brand_id === id)].map((r) => r.currency)),
      ].sort();
      return currencies.map((currency) => {
        const rows = sums.filter((s) => s.brand_id === id && s.currency === currency);
        const total = (pick: (kind: string) => boolean, what: 'amount' | 'fee' = 'amount') =>
          rows.filter((r) => pick(r.kind)).reduce((n, r) => n + Number(r[what]), 0);
        const accrual = (k: string) => k.startsWith('ACCRUE_');
        const refund = (k: string) => k === 'COMMISSION_REFUND';
        const m = (n: number) => Money.of(n, currency);
        return Object.assign(new BrandBalance(), {
          currency,
          funded: m(total((k) => k === 'FUND')),
          returned: m(total((k) => k === 'ESCROW_RETURN')),
          inEscrow: m(Number(escrows.find((e) => e.brand_id === id && e.currency === currency)?.balance ?? 0)),
          spent: m(total(accrual) - total(refund) + total(accrual, 'fee') - total(refund, 'fee')),
        });
      });
    });
  }

  private async campaigns(tx: EntityManager, ids: string[], lock: 'FOR SHARE' | ''): Promise<CampaignCopy[]> {
    const rows: { id: string; brand_id: string; currency: string; status: string }[] = await tx.query(
      `SELECT id, brand_id, currency, status FROM payment_campaigns WHERE id = ANY($1::uuid[]) ${lock}`,
      [ids],
    );
    return rows.map(copyOf);
  }

  private async transferAmount(tx: EntityManager, transferId: string): Promise<number> {
    const rows: { amount: string }[] = await tx.query(`SELECT amount FROM ledger_transfers WHERE id = $1`, [transferId]);
    return Number(rows[0].amount);
  }
}

function copyOf(r: { id: string; brand_id: string; currency: string; status: string }): CampaignCopy {
  return { id: r.id, brandId: r.brand_id, currency: r.currency, status: r.status };
}
