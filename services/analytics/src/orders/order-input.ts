/**
 * An order or a refund as analytics receives it from any shop (the Shopify webhook, the `recordOrders`
 * mutation, a CSV upload), before it is stored and attributed. Amounts are integer minor units of
 * `currency`, net of tax and shipping (what commission is paid on); every field is already checked.
 */
/** Where an order or refund came from: a shop's webhook, the API, or an uploaded file. */
export type OrderSource = 'shopify' | 'api' | 'csv';

/**
 * The sources whose external ids name the same orders. The API and files carry the brand's own ids (one
 * order sent by `recordOrders` and again in a file is one order; a refund by either finds it); a connected
 * shop's ids are that shop's. The unique index `orders_external` (migration OrderKeySpaces) is on the same
 * grouping.
 */
export function sharingIds(source: OrderSource): OrderSource[] {
  return source === 'shopify' ? ['shopify'] : ['api', 'csv'];
}

export interface OrderReceived {
  brandId: string;
  /** Where it came from (kept as it came; ids are compared within `sharingIds(source)`). */
  source: OrderSource;
  /** The connected shop it came from (webhooks); null for the API and CSV. */
  shopId: string | null;
  /** The shop's own id of the order: with the brand and the shop, what makes a redelivery the same order. */
  externalId: string;
  orderedAt: Date;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /**
   * The shop's prices include tax (Shopify's `taxes_included`): `amountMinor` has the tax taken off already,
   * and so must its refunds' (their line subtotals include it). False for the API and files (net amounts).
   */
  pricesIncludeTax: boolean;
  /**
   * Who ordered, as a key that is stable across their orders and names nobody: SHA-256 (hex) of the
   * shop's customer id or of the lower-cased e-mail. Null when the shop says nothing of the customer.
   */
  customerKey: string | null;
  /** The discount codes as the customer typed them (compared case-insensitively). */
  discountCodes: string[];
  /** The URL the customer first landed on (Shopify's `landing_site`), with its UTM parameters and `ifclid`. */
  landingUrl: string | null;
  /** A click id carried some other way (the first-party script, a CSV column), when there is one. */
  clickId: string | null;
  lineItems: OrderLineReceived[];
}

export interface OrderLineReceived {
  sku: string | null;
  title: string;
  quantity: number;
  /** Price of one unit, minor units. */
  unitPriceMinor: number;
}

/** A refund of part or all of an order, from the same sources. */
export interface RefundReceived {
  brandId: string;
  source: OrderSource;
  shopId: string | null;
  /** The shop's own id of the refund (dedupes redeliveries). */
  externalId: string;
  /** The shop's id of the order refunded (`OrderReceived.externalId`). */
  orderExternalId: string;
  refundedAt: Date;
  /** What was refunded, net of shipping (and of tax unless `includedTaxMinor` says otherwise), in the order's currency; above 0. */
  amountMinor: number;
  currency: string;
  /**
   * The tax inside `amountMinor` when the order's prices include tax (a shop's refund lines carry their
   * tax apart): taken off for such an order, so that the refund is net as its order is. 0 for the API and files.
   */
  includedTaxMinor: number;
}

/** What happened to an order handed to analytics. */
export interface OrderOutcome {
  orderId: string;
  /** `duplicate`: the same order (brand, shop or the brand's own ids, external id) was recorded before; nothing changed. */
  outcome: 'recorded' | 'duplicate';
  /** The partnership credited, or null (kept as unattributed). */
  partnershipId: string | null;
  /** Why: DISCOUNT_CODE, CLICK_ID, UTM, or the reason it is unattributed. */
  reason: string;
}

export interface RefundOutcome {
  /** Null when `ignored`. */
  refundId: string | null;
  /** `ignored`: nothing net of tax was refunded (the tax alone): no revenue or commission to take back. */
  outcome: 'recorded' | 'duplicate' | 'ignored';
}

/**
 * What takes orders and refunds in (services.orders). `tx`: the caller's transaction, so a webhook's
 * receipt and the order it brought commit together; without it, one of its own.
 */
export interface OrderIntake {
  recordOrder(input: OrderReceived, tx?: import('typeorm').EntityManager): Promise<OrderOutcome>;
  recordRefund(input: RefundReceived, tx?: import('typeorm').EntityManager): Promise<RefundOutcome>;
}
