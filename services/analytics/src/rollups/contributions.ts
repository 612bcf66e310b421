/**
 * What each raw fact adds to the roll-ups: the one definition of every counter. The consumers apply a
 * fact's change as (what it adds now) − (what it added before), and `rebuild` adds every fact once, so the
 * roll-ups are the same whatever order the facts arrived in (docs/analytics-rollups.md, "Roll-ups and rebuild").
 */

/** The additive counters of one partnership on one UTC day (`partnership_days`). */
export interface DayCounters {
  clicks: number;
  uncountedClicks: number;
  orders: number;
  grossMinor: number;
  refundsMinor: number;
  newCustomers: number;
  returningCustomers: number;
  referredCustomers: number;
  repeatCustomers: number;
  conversions: number;
  spendMinor: number;
  positive: number;
  neutral: number;
  negative: number;
  mentions: number;
}

export const COUNTERS: readonly (keyof DayCounters)[] = [
  'clicks',
  'uncountedClicks',
  'orders',
  'grossMinor',
  'refundsMinor',
  'newCustomers',
  'returningCustomers',
  'referredCustomers',
  'repeatCustomers',
  'conversions',
  'spendMinor',
  'positive',
  'neutral',
  'negative',
  'mentions',
];

/** The column of each counter. */
export const COUNTER_COLUMNS: Readonly<Record<keyof DayCounters, string>> = {
  clicks: 'clicks',
  uncountedClicks: 'uncounted_clicks',
  orders: 'orders',
  grossMinor: 'gross_minor',
  refundsMinor: 'refunds_minor',
  newCustomers: 'new_customers',
  returningCustomers: 'returning_customers',
  referredCustomers: 'referred_customers',
  repeatCustomers: 'repeat_customers',
  conversions: 'conversions',
  spendMinor: 'spend_minor',
  positive: 'positive',
  neutral: 'neutral',
  negative: 'negative',
  mentions: 'mentions',
};

/** Part of a day's counters, for one partnership and day. */
export interface Contribution {
  partnershipId: string;
  /** ISO date (UTC). */
  day: string;
  add: Partial<DayCounters>;
}

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** Why an order or a spend entry is kept but left out of the figures: another currency than its campaign's. */
export const EXCLUDED_OTHER_CURRENCY = 'CURRENCY_MISMATCH';

/**
 * The same rule in SQL, for the statements that store orders and spend: `reason` when the amount's
 * `currency` is not its campaign's `campaignCurrency` (null while the campaign is unknown: nothing to compare).
 */
export const currencyExclusionSql = (campaignCurrency: string, currency: string, reason: string): string =>
  `CASE WHEN ${campaignCurrency} <> ${currency} THEN ${reason} END`;

export interface ClickFact {
  partnershipId: string;
  at: Date;
  traffic: 'human' | 'bot' | 'preview';
}

/** A human click counts; a bot's or a link preview's is kept and counted apart. */
export function clickContribution(c: ClickFact): Contribution[] {
  return [{ partnershipId: c.partnershipId, day: dayOf(c.at), add: c.traffic === 'human' ? { clicks: 1 } : { uncountedClicks: 1 } }];
}

export interface OrderFact {
  partnershipId: string | null;
  /** Why it is not counted though attributed (another currency than the campaign's), or null. */
  excluded: string | null;
  orderedAt: Date;
  amountMinor: number;
  /** The customer's first order with the brand (null: the shop did not say who ordered). */
  customerNew: boolean | null;
  refunds: { amountMinor: number; refundedAt: Date }[];
}

/**
 * An attributed, counted order: an order on its day unless fully refunded, its total on its day, each
 * refund on the refund's day (revenue = gross − refunds), and its customer as new or returning.
 */
export function orderContribution(o: OrderFact): Contribution[] {
  if (!o.partnershipId || o.excluded) return [];
  const refunded = o.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  const fullyRefunded = refunded > 0 && refunded >= o.amountMinor;
  const add: Partial<DayCounters> = { orders: fullyRefunded ? 0 : 1, grossMinor: o.amountMinor };
  if (o.customerNew === true) add.newCustomers = 1;
  if (o.customerNew === false) add.returningCustomers = 1;
  const out: Contribution[] = [{ partnershipId: o.partnershipId, day: dayOf(o.orderedAt), add }];
  for (const r of o.refunds) out.push({ partnershipId: o.partnershipId, day: dayOf(r.refundedAt), add: { refundsMinor: r.amountMinor } });
  return out;
}

export interface CustomerFact {
  partnershipId: string;
  firstAt: Date;
  orderedAgain: boolean;
}

/** A customer referred by a partnership (their first attributed order), and whether they ordered again within 90 days. */
export function customerContribution(c: CustomerFact): Contribution[] {
  return [
    { partnershipId: c.partnershipId, day: dayOf(c.firstAt), add: { referredCustomers: 1, repeatCustomers: c.orderedAgain ? 1 : 0 } },
  ];
}

export interface ConversionFact {
  partnershipId: string | null;
  occurredAt: Date;
}

export function conversionContribution(c: ConversionFact): Contribution[] {
  return c.partnershipId ? [{ partnershipId: c.partnershipId, day: dayOf(c.occurredAt), add: { conversions: 1 } }] : [];
}

export interface SpendFact {
  partnershipId: string;
  /** Signed: a refunded order's commission is negative. */
  amountMinor: number;
  at: Date;
  /** Why it is not counted (another currency than the campaign's: amounts of two currencies do not add up), or null. */
  excluded: string | null;
}

export function spendContribution(s: SpendFact): Contribution[] {
  if (s.excluded) return [];
  return [{ partnershipId: s.partnershipId, day: dayOf(s.at), add: { spendMinor: s.amountMinor } }];
}

export interface CommentFact {
  partnershipId: string;
  /** A comment under the post, or the post's own caption (which names the brand or not, but is no audience's sentiment). */
  kind: 'comment' | 'caption';
  postedAt: Date;
  sentiment: 'positive' | 'neutral' | 'negative';
  mentions: number;
}

/** A comment counts by its sentiment; a comment or caption that names the brand or its products is a mention. */
export function commentContribution(c: CommentFact): Contribution[] {
  const mentions = c.mentions > 0 ? 1 : 0;
  const add: Partial<DayCounters> = c.kind === 'comment' ? { [c.sentiment]: 1, mentions } : { mentions };
  return [{ partnershipId: c.partnershipId, day: dayOf(c.postedAt), add }];
}

/** Sums contributions by (partnership, day), leaving out the ones that add nothing. */
export function sumContributions(
  parts: Iterable<Contribution>,
  sign = 1,
  into = new Map<string, Contribution>(),
): Map<string, Contribution> {
  for (const part of parts) {
    const key = `${part.partnershipId}|${part.day}`;
    let sum = into.get(key);
    if (!sum) into.set(key, (sum = { partnershipId: part.partnershipId, day: part.day, add: {} }));
    for (const [name, value] of Object.entries(part.add) as [keyof DayCounters, number][]) {
      sum.add[name] = (sum.add[name] ?? 0) + sign * value;
    }
  }
  return into;
}

/** What changes when a fact that added `before` now adds `after`. */
export function change(before: Contribution[], after: Contribution[]): Contribution[] {
  const sum = sumContributions(after, 1, sumContributions(before, -1));
  return [...sum.values()].filter((c) => Object.values(c.add).some((v) => v !== 0));
}
