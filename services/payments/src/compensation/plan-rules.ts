/**
 * The pure rules of compensation plans (docs/payments.md writes each down once): commission
 * and its refunds, the commission to accrue, bonus metrics, which contract deliverable a posted piece is,
 * and how an amendment's milestones are credited with what the amended version already paid.
 */

export const MILESTONE_TRIGGERS = ['ON_EXECUTION', 'ON_DELIVERABLE_POSTED', 'ON_CAMPAIGN_END', 'ON_BONUS_THRESHOLD'] as const;
export type MilestoneTrigger = (typeof MILESTONE_TRIGGERS)[number];

export const MILESTONE_STATUSES = ['PENDING', 'DUE', 'PAID', 'CANCELLED', 'REPLACED'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** A commission percent is kept as parts per million of the amount (12.5 % → 125,000): four decimals of a percent. */
export const PPM = 1_000_000;

/** The percent as parts per million, or null when it has more than four decimals or is out of (0, 100]. */
export function commissionPpm(percent: number): number | null {
  const ppm = Math.round(percent * 10_000);
  if (!Number.isFinite(percent) || Math.abs(ppm - percent * 10_000) > 1e-6 || ppm <= 0 || ppm > PPM) return null;
  return ppm;
}

/**
 * The commission on a net amount: floor(amount × percent / 100) in minor units, computed exactly (BigInt:
 * amount × ppm can pass 2^53). Never rounds up: the creator is owed whole minor units only.
 */
export function commissionOn(netMinor: number, ppm: number): number {
  if (netMinor <= 0 || ppm <= 0) return 0;
  return Number((BigInt(netMinor) * BigInt(ppm)) / BigInt(PPM));
}

export interface OrderState {
  amountMinor: number;
  refundedMinor: number;
  /** The commission rate the order earned at (0 without a commission). */
  ppm: number;
}

export type RefundOutcome =
  | { accepted: true; refundedMinor: number; earnedBefore: number; earnedAfter: number; reversal: number }
  | { accepted: false; reason: string };

/**
 * A refund of an order: refused when it is larger than what is left of the order. Its commission is
 * reversed by the difference of the order's commission before and after (each the floor of the remaining
 * amount), so partial refunds never drift: refunding the whole order in any number of parts reverses
 * exactly the commission it earned.
 */
export function applyRefund(order: OrderState, refundMinor: number): RefundOutcome {
  const left = order.amountMinor - order.refundedMinor;
  if (refundMinor > left) return { accepted: false, reason: `the refund is larger than what is left of the order (${left} minor units)` };
  const refundedMinor = order.refundedMinor + refundMinor;
  const earnedBefore = commissionOn(left, order.ppm);
  const earnedAfter = commissionOn(order.amountMinor - refundedMinor, order.ppm);
  return { accepted: true, refundedMinor, earnedBefore, earnedAfter, reversal: earnedBefore - earnedAfter };
}

export interface CommissionPosition {
  /** What the partnership's orders earn now (after refunds). */
  earnedMinor: number;
  /** Net of what was accrued into the creator's payable and reversed from it. */
  accruedMinor: number;
  /** Handed to payouts (it left the payable). */
  paidOutMinor: number;
}

/**
 * What the ledger should hold for a partnership's commission: the payable carries max(earned, paid out).
 * A refund after the commission was paid out cannot take it back from the creator (nothing goes negative):
 * the excess, paid out − earned, is the clawback, and the next commission earned fills it before anything
 * more accrues. `delta` > 0 accrues, < 0 reverses (never below what was paid out).
 */
export function commissionSync(p: CommissionPosition): { delta: number; clawbackMinor: number; unpaidMinor: number } {
  const target = Math.max(p.earnedMinor, p.paidOutMinor);
  return {
    delta: target - p.accruedMinor,
    clawbackMinor: Math.max(0, p.paidOutMinor - p.earnedMinor),
    unpaidMinor: p.accruedMinor - p.paidOutMinor,
  };
}

/**
 * commissionSync's delta in SQL, over a comp_partnerships row aliased `alias`: what a query may filter on
 * to find partnerships with commission to accrue (> 0). The same definition as above, target − accrued,
 * written once here beside it; the decision itself is always commissionSync's, on the row read.
 */
export const COMMISSION_TO_ACCRUE_SQL = (alias: string): string =>
  `(GREATEST(${alias}.commission_earned_minor, ${alias}.commission_paid_out_minor) - ${alias}.commission_accrued_minor)`;

export const BONUS_METRICS = ['ATTRIBUTED_ORDERS', 'ATTRIBUTED_SALES'] as const;
export type BonusMetric = (typeof BONUS_METRICS)[number];

/**
 * The measured metric a contract's bonus names (free text in contracts): "attributed orders" / "orders" →
 * ATTRIBUTED_ORDERS, "attributed sales" / "sales" → ATTRIBUTED_SALES (case and spaces aside, "-"/"_" as
 * spaces). Anything else payments does not measure (null): its bonus milestone waits.
 */
export function bonusMetricOf(metric: string): BonusMetric | null {
  const m = metric.toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (m === 'attributed orders' || m === 'orders') return 'ATTRIBUTED_ORDERS';
  if (m === 'attributed sales' || m === 'sales') return 'ATTRIBUTED_SALES';
  return null;
}

export interface ConversionTotals {
  /** Attributed orders not fully refunded. */
  orders: number;
  /** Their amounts net of refunds, minor units. */
  salesMinor: number;
}

/**
 * Where the bonus metric stands, in the threshold's unit: orders as a count, sales in major units of the
 * plan's currency (a contract reads "when attributed sales reach 5,000": 5,000 USD, not cents).
 */
export function metricValue(metric: BonusMetric, totals: ConversionTotals, exponent: number): number {
  return metric === 'ATTRIBUTED_ORDERS' ? totals.orders : totals.salesMinor / 10 ** exponent;
}

/** The threshold is reached when the metric is at or above it (compared in minor units for sales: no float slack). */
export function bonusReached(metric: BonusMetric, threshold: number, totals: ConversionTotals, exponent: number): boolean {
  if (metric === 'ATTRIBUTED_ORDERS') return totals.orders >= threshold;
  return totals.salesMinor >= Math.ceil(threshold * 10 ** exponent - 1e-9);
}

export interface DeliverableTerm {
  platform: string;
  format: string;
  count: number;
  dueOn: string;
}

/** The ISO date `months` months after `isoDate` (the day clamped to the month's last). */
function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * Which term (index into `terms`) each piece of the posting schedule comes from, by sequence (element 0 is
 * sequence 1). The same schedule campaign numbers deliverables by: one piece per promised count, the set
 * repeated each month of a long-term partnership (due a month later each time), ordered by due date and
 * then by the terms' order.
 */
export function scheduleTermIndexes(terms: readonly DeliverableTerm[], lengthMonths: number | null): number[] {
  const pieces: { term: number; dueOn: string; order: number }[] = [];
  for (let cycle = 1; cycle <= (lengthMonths ?? 1); cycle++) {
    terms.forEach((t, term) => {
      for (let i = 0; i < t.count; i++) pieces.push({ term, dueOn: addMonths(t.dueOn, cycle - 1), order: pieces.length });
    });
  }
  return pieces.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.order - b.order)).map((p) => p.term);
}

export interface PostedPiece {
  sequence: number;
  platform: string;
  format: string;
}

/**
 * The contract deliverable (index) a posted piece counts toward. Its sequence in the schedule made from the
 * partnership's terms names a term; that term's index is the contract's when the contract lists the same
 * platform and format there (a contract drafted from the partnership keeps its order). Otherwise (the
 * contract's list was edited, or the schedule is unknown) the piece counts toward the first contract
 * deliverable of its platform and format that still lacks posts. Null: none matches.
 */
export function contractIndexOf(
  piece: PostedPiece,
  scheduleTerms: readonly DeliverableTerm[] | null,
  lengthMonths: number | null,
  contractDeliverables: readonly DeliverableTerm[],
  postedSoFar: readonly number[],
  required: readonly number[],
): number | null {
  const same = (t: DeliverableTerm | undefined) => !!t && t.platform === piece.platform && t.format === piece.format;
  if (scheduleTerms) {
    const term = scheduleTermIndexes(scheduleTerms, lengthMonths)[piece.sequence - 1];
    if (term !== undefined && same(scheduleTerms[term]) && same(contractDeliverables[term])) return term;
  }
  const open = contractDeliverables.findIndex((d, i) => same(d) && (postedSoFar[i] ?? 0) < (required[i] ?? 0));
  if (open >= 0) return open;
  const any = contractDeliverables.findIndex((d) => same(d));
  return any >= 0 ? any : null;
}

/** Posts each contract deliverable needs before its milestone is due: its count, every month of the term. */
export function requiredPosts(contractDeliverables: readonly DeliverableTerm[], lengthMonths: number | null): number[] {
  return contractDeliverables.map((d) => d.count * (lengthMonths ?? 1));
}

/** A milestone as the amendment rule sees it. */
export interface MilestoneLike {
  trigger: MilestoneTrigger;
  deliverableIndex: number | null;
  amountMinor: number;
}

/** Milestones of two versions are the same payment when they have the same trigger (and, for a deliverable, the same one). */
export function milestoneKey(m: Pick<MilestoneLike, 'trigger' | 'deliverableIndex'>): string {
  return m.trigger === 'ON_DELIVERABLE_POSTED' ? `${m.trigger}:${m.deliverableIndex}` : m.trigger;
}

/** An amended version's milestone: what it settled (paid itself or was credited with) counts for the new version. */
export interface SettledMilestone extends MilestoneLike {
  /** What it paid (its payable part, once DUE or PAID) plus what it was credited with. */
  settledMinor: number;
}

/** What the amended plan settled per milestone key, plus the credit it carried over without a milestone to use it. */
export function creditsOf(amended: readonly SettledMilestone[], carried: Readonly<Record<string, number>> = {}): Record<string, number> {
  const credits: Record<string, number> = { ...carried };
  for (const m of amended) if (m.settledMinor > 0) credits[milestoneKey(m)] = (credits[milestoneKey(m)] ?? 0) + m.settledMinor;
  return credits;
}

/**
 * The amendment rule: a new milestone is credited with what the amended version already paid for the same
 * key, in index order, up to its own amount; it pays only the rest (`payableMinor`), and nothing when the
 * credit covers it. Credit a key's new milestones cannot use (the new total is lower than what was paid) is
 * `carried`: never taken back from the creator, kept for a later amendment and shown as overpaid.
 */
export function allocateCredits<M extends MilestoneLike>(
  milestones: readonly M[],
  credits: Readonly<Record<string, number>>,
): { milestones: (M & { creditMinor: number; payableMinor: number })[]; carried: Record<string, number> } {
  const left: Record<string, number> = { ...credits };
  const out = milestones.map((m) => {
    const key = milestoneKey(m);
    const creditMinor = Math.min(left[key] ?? 0, m.amountMinor);
    if (creditMinor > 0) left[key] -= creditMinor;
    return { ...m, creditMinor, payableMinor: m.amountMinor - creditMinor };
  });
  const carried = Object.fromEntries(Object.entries(left).filter(([, v]) => v > 0));
  return { milestones: out, carried };
}

/** What has happened to a partnership so far, for triggers that fire at once when a (new) plan arrives. */
export interface TriggerFacts {
  campaignEnded: boolean;
  /** Per contract deliverable: whether all its posts are in. */
  deliverablesComplete: readonly boolean[];
  bonusReached: boolean;
}

/** Whether a milestone's trigger has already happened (ON_EXECUTION: the plan's execution is the trigger). */
export function triggerSatisfied(m: Pick<MilestoneLike, 'trigger' | 'deliverableIndex'>, facts: TriggerFacts): boolean {
  switch (m.trigger) {
    case 'ON_EXECUTION':
      return true;
    case 'ON_CAMPAIGN_END':
      return facts.campaignEnded;
    case 'ON_BONUS_THRESHOLD':
      return facts.bonusReached;
    case 'ON_DELIVERABLE_POSTED':
      return m.deliverableIndex !== null && facts.deliverablesComplete[m.deliverableIndex] === true;
  }
}
