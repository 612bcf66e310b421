import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError, badInput, ErrorCode, isUuid, ServiceRuntime } from '@influenceflow/kit';
import { EVENT_TYPES, OrderAttributedData, OrderRefundedData, TOPICS } from '@influenceflow/vocabulary';
import {
  change,
  customerContribution,
  CustomerFact,
  currencyExclusionSql,
  EXCLUDED_OTHER_CURRENCY,
  orderContribution,
  OrderFact,
} from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';
import {
  attribute,
  Attribution,
  AttributionReason,
  ClickCandidate,
  DEFAULT_ATTRIBUTION_WINDOW_DAYS,
  landingParameters,
} from './attribution';
import { customerStanding } from './customers';
import { OrderIntake, OrderOutcome, OrderReceived, RefundOutcome, RefundReceived, sharingIds } from './order-input';

const NO_SHOP = '00000000-0000-0000-0000-000000000000';

/** Why an attributed order is kept out of the figures. */

interface OrderRow {
  id: string;
  brand_id: string;
  partnership_id: string | null;
  campaign_id: string | null;
  creator_id: string | null;
  excluded: string | null;
  ordered_at: Date;
  amount_minor: string;
  prices_include_tax: boolean;
  currency: string;
  customer_key: string | null;
  customer_new: boolean | null;
  reason: string;
  attributed_click_id: string | null;
  matched_code: string | null;
  link_slug: string | null;
}

/** What an order adds to the roll-ups, from its row and its refunds. */
function factOf(o: OrderRow, refunds: { amount_minor: string; refunded_at: Date }[]): OrderFact {
  return {
    partnershipId: o.partnership_id,
    excluded: o.excluded,
    orderedAt: o.ordered_at,
    amountMinor: Number(o.amount_minor),
    customerNew: o.customer_new,
    refunds: refunds.map((r) => ({ amountMinor: Number(r.amount_minor), refundedAt: r.refunded_at })),
  };
}

/**
 * How many locks customers are spread over in a brand. A lock per customer would let one upload of 10,000
 * rows of distinct customers hold 10,000 advisory locks in one transaction: more than PostgreSQL's shared
 * lock table holds by default (64 × max_connections), failing every session's transactions at that moment.
 * Customers in one slot wait on each other, which is rare and harmless.
 */
const CUSTOMER_LOCK_SLOTS = 1024; // a power of two: a slot is the hash's low bits

/**
 * One customer's orders are changed by one transaction at a time (a transaction-scoped advisory lock on the
 * customer's slot), and a writer takes its customer's lock before it locks any order row: new-or-returning
 * flags and referred customers are recomputed from all of a customer's orders.
 */
async function lockCustomer(db: EntityManager, brandId: string, customerKey: string): Promise<void> {
  await db.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || (hashtextextended($2, 0) & ${CUSTOMER_LOCK_SLOTS - 1})::text, 0))`,
    [`customer:${brandId}`, customerKey],
  );
}

/** The attribution a click id or UTM parameters can find (used by orders and other conversions alike). */
export interface Referral {
  brandId: string;
  at: Date;
  discountCodes: string[];
  landingUrl: string | null;
  clickId: string | null;
}

/**
 * Orders and refunds from every shop: each is stored once (a redelivery is a duplicate), attributed by the
 * rule in `attribution.ts` with its reason, and counted into the roll-ups in the same transaction; an
 * attributed order goes out as `order.attributed` (payments accrues commission), a refund of one as
 * `order.refunded`, through the outbox.
 */
export class OrderIntakeService implements OrderIntake {
  constructor(private readonly runtime: ServiceRuntime) {}

  private async inTransaction<T>(tx: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (tx) return work(tx);
    const result = await this.runtime.dataSource.transaction(work);
    this.runtime.onEventsCommitted?.();
    return result;
  }

  async recordOrder(input: OrderReceived, tx?: EntityManager): Promise<OrderOutcome> {
    return this.inTransaction(tx, async (db) => {
      if (input.customerKey) await lockCustomer(db, input.brandId, input.customerKey);
      const id = randomUUID();
      const inserted = (await db.query(
        `INSERT INTO orders (id, brand_id, source, shop_id, external_id, ordered_at, amount_minor, currency, customer_key, discount_codes,
                             landing_url, click_id, line_items, prices_include_tax, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'NO_REFERRAL')
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          id,
          input.brandId,
          input.source,
          input.shopId,
          input.externalId,
          input.orderedAt,
          input.amountMinor,
          input.currency,
          input.customerKey,
          input.discountCodes,
          input.landingUrl,
          // compared with click ids as PostgreSQL writes uuids: lower case
          (input.clickId ?? landingParameters(input.landingUrl).clickId)?.toLowerCase() ?? null,
          JSON.stringify(input.lineItems),
          input.pricesIncludeTax,
        ],
      )) as { id: string }[];
      if (inserted.length === 0) {
        const [existing] = (await db.query(
          `SELECT id, partnership_id, reason, excluded FROM orders
            WHERE brand_id = $1 AND source = ANY($2::text[]) AND COALESCE(shop_id, $3::uuid) = COALESCE($4::uuid, $3::uuid) AND external_id = $5`,
          [input.brandId, sharingIds(input.source), NO_SHOP, input.shopId, input.externalId],
        )) as { id: string; partnership_id: string | null; reason: string; excluded: string | null }[];
        return {
          orderId: existing.id,
          outcome: 'duplicate',
          partnershipId: existing.partnership_id,
          reason: existing.reason,
          excluded: existing.excluded,
        };
      }
      const attribution = await this.attribution(db, {
        brandId: input.brandId,
        at: input.orderedAt,
        discountCodes: input.discountCodes,
        landingUrl: input.landingUrl,
        clickId: input.clickId,
      });
      const order = await this.settle(db, id, attribution);
      return { orderId: id, outcome: 'recorded', partnershipId: order.partnership_id, reason: order.reason, excluded: order.excluded };
    });
  }

  /**
   * Stores an order's attribution (kept out of the figures when its currency is not its campaign's), counts
   * it, refreshes its customer and announces it when it counts. The order was unattributed until now.
   */
  private async settle(db: EntityManager, orderId: string, a: Attribution): Promise<OrderRow> {
    // credited to a partnership of a campaign not heard of yet (or whose own copy is not there yet: a click
    // names its partnership before partnership events arrive): its currency is unknown, so the order waits
    // for the campaign (onCampaignArrived, WaitingSweep) rather than be counted now and perhaps excluded later
    const [updated] = (await db.query(
      `UPDATE orders o SET partnership_id = CASE WHEN w.waits THEN NULL ELSE a.partnership_id END, campaign_id = p.campaign_id,
              reason = CASE WHEN w.waits THEN $7 ELSE $3 END, attributed_click_id = CASE WHEN w.waits THEN NULL ELSE $4::uuid END,
              excluded = CASE WHEN NOT w.waits AND p.partnership_id IS NOT NULL THEN ${currencyExclusionSql('c.currency', 'o.currency', '$5')} END,
              attributed_at = CASE WHEN a.partnership_id IS NOT NULL AND NOT w.waits THEN now() END
         FROM (SELECT $2::uuid AS partnership_id) a
         LEFT JOIN partnership_facts p ON p.partnership_id = a.partnership_id
         LEFT JOIN campaign_facts c ON c.campaign_id = p.campaign_id
         CROSS JOIN LATERAL (SELECT a.partnership_id IS NOT NULL AND c.campaign_id IS NULL AS waits) w
        WHERE o.id = $1
        RETURNING o.*, p.creator_id, p.link_slug, $6::text AS matched_code`,
      [orderId, a.partnershipId, a.reason, a.clickId, EXCLUDED_OTHER_CURRENCY, a.matchedCode, AttributionReason.AWAITING_CAMPAIGN],
    )) as [OrderRow[], number];
    const row = updated[0];
    // an order that waited for its click may have been refunded meanwhile: it is counted, and announced, with them
    const refunds = (await db.query(`SELECT id, amount_minor, refunded_at FROM refunds WHERE order_id = $1 ORDER BY refunded_at, id`, [
      orderId,
    ])) as { id: string; amount_minor: string; refunded_at: Date }[];
    await addToDays(db, orderContribution(factOf(row, refunds)));
    if (row.customer_key) await this.refreshCustomer(db, row.brand_id, row.customer_key);
    if (row.partnership_id && !row.excluded) {
      await this.announceAttributed(db, row);
      for (const r of refunds) await this.announceRefund(db, row, r.id, Number(r.amount_minor), r.refunded_at);
    }
    return row;
  }

  private async announceRefund(db: EntityManager, order: OrderRow, refundId: string, amountMinor: number, refundedAt: Date): Promise<void> {
    const data: OrderRefundedData = {
      refundId,
      orderId: order.id,
      partnershipId: order.partnership_id!,
      campaignId: order.campaign_id!,
      brandId: order.brand_id,
      creatorId: order.creator_id!,
      amountMinor,
      currency: order.currency,
      refundedAt: refundedAt.toISOString(),
    };
    await this.runtime.outbox.enqueue(db, TOPICS.conversion, {
      type: EVENT_TYPES.orderRefunded,
      subject: data.partnershipId,
      brandid: data.brandId,
      data,
    });
  }

  private async announceAttributed(db: EntityManager, o: OrderRow): Promise<void> {
    const data: OrderAttributedData = {
      orderId: o.id,
      partnershipId: o.partnership_id!,
      campaignId: o.campaign_id!,
      brandId: o.brand_id,
      creatorId: o.creator_id!,
      amountMinor: Number(o.amount_minor),
      currency: o.currency,
      via: o.reason === AttributionReason.DISCOUNT_CODE ? 'discount_code' : 'link',
      discountCode: o.reason === AttributionReason.DISCOUNT_CODE ? o.matched_code : null,
      link: o.reason === AttributionReason.DISCOUNT_CODE ? null : o.link_slug,
      orderedAt: o.ordered_at.toISOString(),
      attributedAt: new Date().toISOString(),
    };
    await this.runtime.outbox.enqueue(db, TOPICS.conversion, {
      type: EVENT_TYPES.orderAttributed,
      subject: data.partnershipId,
      brandid: data.brandId,
      data,
    });
  }

  /** Finds the candidates the rule weighs, in the brand's own partnerships and clicks only. */
  async attribution(db: EntityManager, r: Referral): Promise<Attribution> {
    const codes = [...new Set(r.discountCodes.map((c) => c.trim().toUpperCase()).filter((c) => c.length > 0))];
    let byCode: { partnershipId: string; code: string } | null = null;
    if (codes.length > 0) {
      const rows = (await db.query(
        // codes are unique in a brand; while a copy is behind on a change of code, the newest copy wins
        `SELECT partnership_id, discount_code FROM partnership_facts WHERE brand_id = $1 AND discount_code = ANY($2::text[])
          ORDER BY last_event_at DESC, partnership_id`,
        [r.brandId, codes],
      )) as { partnership_id: string; discount_code: string }[];
      const code = codes.find((c) => rows.some((row) => row.discount_code === c));
      if (code) byCode = { partnershipId: rows.find((row) => row.discount_code === code)!.partnership_id, code };
    }
    const landing = landingParameters(r.landingUrl);
    const clickId = r.clickId ?? landing.clickId;
    let byClickId: ClickCandidate | 'unknown' | null = null;
    if (!byCode && clickId && isUuid(clickId)) {
      const [click] = (await db.query(
        `SELECT k.click_id, k.partnership_id, k.at, k.brand_id, k.traffic, COALESCE(c.attribution_window_days, $2) AS window_days
           FROM clicks k LEFT JOIN campaign_facts c ON c.campaign_id = k.campaign_id WHERE k.click_id = $1`,
        [clickId, DEFAULT_ATTRIBUTION_WINDOW_DAYS],
      )) as { click_id: string; partnership_id: string; at: Date; brand_id: string; traffic: string; window_days: number }[];
      if (!click) byClickId = 'unknown';
      // another brand's click, or a bot's, credits nothing
      else if (click.brand_id === r.brandId && click.traffic === 'human')
        byClickId = { clickId: click.click_id, partnershipId: click.partnership_id, at: click.at, windowDays: click.window_days };
    }
    let byUtm: ClickCandidate[] = [];
    if (!byCode && byClickId === null && landing.utmCampaign && landing.utmContent) {
      byUtm = (
        (await db.query(
          `SELECT k.click_id, k.partnership_id, k.at, COALESCE(c.attribution_window_days, $5) AS window_days
             FROM partnership_facts p
             JOIN LATERAL (SELECT click_id, partnership_id, at, campaign_id FROM clicks
                            WHERE partnership_id = p.partnership_id AND traffic = 'human' AND at <= $4 ORDER BY at DESC LIMIT 1) k ON true
             LEFT JOIN campaign_facts c ON c.campaign_id = k.campaign_id
            WHERE p.brand_id = $1 AND p.utm_campaign = $2 AND p.utm_content = $3`,
          [r.brandId, landing.utmCampaign, landing.utmContent, r.at, DEFAULT_ATTRIBUTION_WINDOW_DAYS],
        )) as { click_id: string; partnership_id: string; at: Date; window_days: number }[]
      ).map((k) => ({ clickId: k.click_id, partnershipId: k.partnership_id, at: k.at, windowDays: k.window_days }));
    }
    return attribute(r.at, { byCode, byClickId, byUtm, hadCodes: codes.length > 0 });
  }

  /** Of these click ids, those that orders wait for (AWAITING_CLICK). */
  async awaitedAmong(db: EntityManager, clickIds: string[]): Promise<Set<string>> {
    const rows = (await db.query(`SELECT DISTINCT click_id FROM orders WHERE click_id = ANY($1::text[]) AND reason = $2`, [
      clickIds,
      AttributionReason.AWAITING_CLICK,
    ])) as { click_id: string }[];
    return new Set(rows.map((r) => r.click_id));
  }

  /** A click analytics had not heard of arrived: the orders that named it are attributed now. */
  onClickArrived(db: EntityManager, clickId: string): Promise<void> {
    return this.attributeAgain(db, 'click_id', clickId, AttributionReason.AWAITING_CLICK);
  }

  /** A campaign analytics had not heard of arrived: the orders credited to its partnerships are counted now (or excluded). */
  onCampaignArrived(db: EntityManager, campaignId: string): Promise<void> {
    return this.attributeAgain(db, 'campaign_id', campaignId, AttributionReason.AWAITING_CAMPAIGN);
  }

  /** One order waiting for its campaign (WaitingSweep), attributed again. */
  attributeWaitingOrder(db: EntityManager, orderId: string): Promise<void> {
    return this.attributeAgain(db, 'id', orderId, AttributionReason.AWAITING_CAMPAIGN);
  }

  /** The orders waiting (`reason`) for what `column` names, attributed again now that it is known. */
  private async attributeAgain(db: EntityManager, column: 'click_id' | 'campaign_id' | 'id', value: string, reason: AttributionReason) {
    // customers first, then their orders: the order every writer takes them in (refreshCustomer), so no deadlock
    const customers = (await db.query(
      `SELECT DISTINCT brand_id, customer_key FROM orders WHERE ${column} = $1 AND reason = $2 AND customer_key IS NOT NULL ORDER BY 1, 2`,
      [value, reason],
    )) as { brand_id: string; customer_key: string }[];
    for (const c of customers) await lockCustomer(db, c.brand_id, c.customer_key);
    const waiting = (await db.query(
      `SELECT id, brand_id, ordered_at, discount_codes, landing_url, click_id FROM orders WHERE ${column} = $1 AND reason = $2 ORDER BY id FOR UPDATE`,
      [value, reason],
    )) as {
      id: string;
      brand_id: string;
      ordered_at: Date;
      discount_codes: string[];
      landing_url: string | null;
      click_id: string | null;
    }[];
    for (const o of waiting) {
      const a = await this.attribution(db, {
        brandId: o.brand_id,
        at: o.ordered_at,
        discountCodes: o.discount_codes ?? [],
        landingUrl: o.landing_url,
        clickId: o.click_id,
      });
      await this.settle(db, o.id, a);
    }
  }

  async recordRefund(input: RefundReceived, tx?: EntityManager): Promise<RefundOutcome> {
    return this.inTransaction(tx, async (db) => {
      const key = [input.brandId, sharingIds(input.source), NO_SHOP, input.shopId, input.orderExternalId];
      // the customer's lock before the order's row, as every writer takes them (lockCustomer): no deadlock
      // with a late older order of the same customer being settled
      const [customer] = (await db.query(
        `SELECT customer_key FROM orders o
          WHERE o.brand_id = $1 AND o.source = ANY($2::text[]) AND COALESCE(o.shop_id, $3::uuid) = COALESCE($4::uuid, $3::uuid) AND o.external_id = $5`,
        key,
      )) as { customer_key: string | null }[];
      if (customer?.customer_key) await lockCustomer(db, input.brandId, customer.customer_key);
      const [order] = (await db.query(
        `SELECT o.*, p.creator_id, p.link_slug, NULL AS matched_code FROM orders o LEFT JOIN partnership_facts p ON p.partnership_id = o.partnership_id
          WHERE o.brand_id = $1 AND o.source = ANY($2::text[]) AND COALESCE(o.shop_id, $3::uuid) = COALESCE($4::uuid, $3::uuid) AND o.external_id = $5
          FOR UPDATE OF o`,
        key,
      )) as OrderRow[];
      if (!order)
        throw new AppError(ErrorCode.NOT_FOUND, `No order ${input.orderExternalId} of this shop is known (yet)`, {
          field: 'orderExternalId',
        });
      const refunds = (await db.query(
        `SELECT id, external_id, amount_minor, refunded_at FROM refunds WHERE order_id = $1 ORDER BY refunded_at, id`,
        [order.id],
      )) as { id: string; external_id: string; amount_minor: string; refunded_at: Date }[];
      const again = refunds.find((r) => r.external_id === input.externalId);
      if (again) return { refundId: again.id, outcome: 'duplicate' };
      if (input.currency !== order.currency) throw badInput('currency', `must be the order's currency, ${order.currency}`);
      // net of tax, as its order's amount is: a tax-inclusive shop's refund lines carry their tax inside
      const amountMinor = order.prices_include_tax ? input.amountMinor - input.includedTaxMinor : input.amountMinor;
      if (amountMinor <= 0) return { refundId: null, outcome: 'ignored' };
      const left = Number(order.amount_minor) - refunds.reduce((s, r) => s + Number(r.amount_minor), 0);
      if (amountMinor > left) throw badInput('amountMinor', `is more than is left to refund of the order (${left} minor units)`);
      const id = randomUUID();
      await db.query(
        `INSERT INTO refunds (id, order_id, external_id, amount_minor, currency, refunded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, order.id, input.externalId, amountMinor, input.currency, input.refundedAt],
      );
      const before = orderContribution(factOf(order, refunds));
      const after = orderContribution(factOf(order, [...refunds, { amount_minor: String(amountMinor), refunded_at: input.refundedAt }]));
      await addToDays(db, change(before, after));
      if (order.partnership_id && !order.excluded) await this.announceRefund(db, order, id, amountMinor, input.refundedAt);
      return { refundId: id, outcome: 'recorded' };
    });
  }

  /**
   * A customer's orders decide who is new (their first order with the brand is new, later ones returning)
   * and, for the partnership that referred them (their first counted attributed order), whether they
   * ordered again within 90 days. Recomputed from all their orders whenever one arrives, so an older order
   * arriving late corrects both.
   */
  async refreshCustomer(db: EntityManager, brandId: string, customerKey: string): Promise<void> {
    await lockCustomer(db, brandId, customerKey);
    const orders = (await db.query(
      `SELECT o.*, NULL AS creator_id, NULL AS link_slug, NULL AS matched_code FROM orders o
        WHERE brand_id = $1 AND customer_key = $2 ORDER BY ordered_at, id`,
      [brandId, customerKey],
    )) as OrderRow[];
    const standing = customerStanding(orders);
    const { newOrderId } = standing;
    const changed = orders.filter((o) => o.customer_new !== (o.id === newOrderId));
    if (changed.length > 0) {
      const refunds = (await db.query(`SELECT order_id, amount_minor, refunded_at FROM refunds WHERE order_id = ANY($1::uuid[])`, [
        changed.map((o) => o.id),
      ])) as { order_id: string; amount_minor: string; refunded_at: Date }[];
      const parts = changed.flatMap((o) => {
        const own = refunds.filter((r) => r.order_id === o.id);
        return change(orderContribution(factOf(o, own)), orderContribution(factOf({ ...o, customer_new: o.id === newOrderId }, own)));
      });
      await addToDays(db, parts);
      await db.query(`UPDATE orders SET customer_new = (id = $2) WHERE id = ANY($1::uuid[])`, [changed.map((o) => o.id), newOrderId]);
    }
    const next = standing.referral;
    const [current] = (await db.query(
      `SELECT partnership_id, first_at, ordered_again FROM brand_customers WHERE brand_id = $1 AND customer_key = $2`,
      [brandId, customerKey],
    )) as { partnership_id: string; first_at: Date; ordered_again: boolean }[];
    const previous: CustomerFact | null = current
      ? { partnershipId: current.partnership_id, firstAt: current.first_at, orderedAgain: current.ordered_again }
      : null;
    await addToDays(db, change(previous ? customerContribution(previous) : [], next ? customerContribution(next) : []));
    if (next) {
      await db.query(
        `INSERT INTO brand_customers (brand_id, customer_key, first_order_id, partnership_id, first_at, ordered_again) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (brand_id, customer_key) DO UPDATE SET first_order_id = EXCLUDED.first_order_id, partnership_id = EXCLUDED.partnership_id,
           first_at = EXCLUDED.first_at, ordered_again = EXCLUDED.ordered_again`,
        [brandId, customerKey, next.firstOrderId, next.partnershipId, next.firstAt, next.orderedAgain],
      );
    } else if (current) {
      await db.query(`DELETE FROM brand_customers WHERE brand_id = $1 AND customer_key = $2`, [brandId, customerKey]);
    }
  }
}
