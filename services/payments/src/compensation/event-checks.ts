import { isCurrencyCode, isIsoDate, isUuid } from '@influenceflow/kit';
import type {
  ContractExecutedData,
  ContractMilestoneData,
  DeliverableEventData,
  OrderAttributedData,
  OrderRefundedData,
  PartnershipEventData,
  PartnershipPartiesData,
} from '@influenceflow/vocabulary';
import { commissionPpm, DeliverableTerm, MILESTONE_TRIGGERS } from './plan-rules';

/**
 * An event payments will never be able to apply as it is (bad ids, amounts, currencies, a refund larger than
 * its order): recorded as rejected with its reason (comp_rejected_events), nothing else written; retrying it
 * or dead-lettering it would not make it right.
 */
export class RejectedEvent extends Error {
  override name = 'RejectedEvent';
}

const reject = (reason: string): never => {
  throw new RejectedEvent(reason);
};

const MAX_TEXT = 1000;

function ids(data: object, fields: readonly string[]): void {
  for (const f of fields) if (!isUuid((data as Record<string, unknown>)[f])) reject(`${f} must be a UUID`);
}

function minor(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    reject(`${field} must be a whole number of minor units, at least ${min}`);
  return value as number;
}

function currency(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isCurrencyCode(value)) reject(`${field} must be an ISO 4217 currency code`);
  return value as string;
}

function time(value: unknown, field: string): Date {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(t)) reject(`${field} must be an ISO 8601 time`);
  return new Date(t);
}

function text(value: unknown, field: string, nullable = false): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string' || value.includes('\u0000') || value.length > MAX_TEXT)
    reject(`${field} must be text of at most ${MAX_TEXT} characters`);
  return value as string;
}

/** UTC midnight after a date: what a date serialised as a JSON time carries (`2027-03-31T00:00:00.000Z`). */
const UTC_MIDNIGHT = /^T00:00:00(\.0+)?Z$/;

/**
 * An event's calendar day: the kit's ISO date (a day that exists, year 0001 on: PostgreSQL's `date` has no
 * year 0), written YYYY-MM-DD or as that day's UTC midnight; anything else (other times, trailing text) is
 * refused, never truncated. The day, YYYY-MM-DD.
 */
function isoDay(value: unknown, field: string): string {
  const day = typeof value === 'string' ? value.slice(0, 10) : '';
  if (!isIsoDate(day) || !(value === day || UTC_MIDNIGHT.test((value as string).slice(10)))) reject(`${field} must be an ISO date`);
  return day;
}

const PARTIES = ['partnershipId', 'campaignId', 'brandId', 'creatorId'] as const;

/** The deliverable terms of an event, checked (platform, format, a count from 1 to 100, an ISO date). */
export function checkedDeliverables(list: unknown, field: string): DeliverableTerm[] {
  if (!Array.isArray(list) || list.length > 100) return reject(`${field} must be a list of at most 100 deliverables`);
  return list.map((d: Partial<DeliverableTerm>, i) => {
    if (typeof d?.platform !== 'string' || typeof d.format !== 'string' || d.platform.length > 50 || d.format.length > 50)
      reject(`${field}.${i} must name a platform and a format`);
    if (!Number.isInteger(d.count) || d.count! < 1 || d.count! > 100) reject(`${field}.${i}.count must be a whole number from 1 to 100`);
    if (!isIsoDate(d.dueOn)) reject(`${field}.${i}.dueOn must be an ISO date`);
    return { platform: d.platform!.toLowerCase(), format: d.format!.toLowerCase(), count: d.count!, dueOn: d.dueOn! };
  });
}

/** A partnership's names as payments keeps them: a blank name is no name (the readers' fallback label). */
export type PartyNames = { [K in keyof PartnershipPartiesData]: string | null };

/** The names a partnership event carries (`parties`, absent from older producers), checked; null when absent. */
export function checkedParties(parties: unknown): PartyNames | null {
  if (parties === undefined || parties === null) return null;
  if (typeof parties !== 'object') return reject('parties must be an object');
  const p = parties as Record<string, unknown>;
  const name = (field: keyof PartnershipPartiesData, nullable = false): string | null => {
    const v = text(p[field], `parties.${field}`, nullable)?.trim().slice(0, 200);
    return v ? v : null;
  };
  const day = (field: keyof PartnershipPartiesData): string => isoDay(p[field], `parties.${field}`);
  return {
    brandName: name('brandName'),
    creatorName: name('creatorName'),
    creatorHandle: name('creatorHandle', true),
    campaignName: name('campaignName'),
    campaignStartsOn: day('campaignStartsOn'),
    campaignEndsOn: day('campaignEndsOn'),
  };
}

export function checkPartnershipEvent(d: PartnershipEventData): void {
  ids(d, PARTIES);
  checkedParties(d.parties);
  if (d.fee) currency(d.fee.currency, 'fee.currency');
  if (
    d.lengthMonths !== null &&
    d.lengthMonths !== undefined &&
    !(Number.isInteger(d.lengthMonths) && d.lengthMonths > 0 && d.lengthMonths <= 24)
  )
    reject('lengthMonths must be a whole number of months');
  checkedDeliverables(d.deliverables ?? [], 'deliverables');
}

/** A checked contract.executed: what a plan is made of. */
export interface CheckedExecution {
  currency: string;
  version: number;
  executedAt: Date;
  flatFeeMinor: number | null;
  commissionPpm: number | null;
  bonus: { metric: string; threshold: number; amountMinor: number } | null;
  product: { description: string; declaredValueMinor: number } | null;
  milestones: ContractMilestoneData[];
  deliverables: DeliverableTerm[] | null;
  lengthMonths: number | null;
}

export function checkContractExecuted(d: ContractExecutedData): CheckedExecution {
  ids(d, ['contractId', 'partnershipId', 'brandId', 'creatorId', 'campaignId']);
  if (d.amends !== null && d.amends !== undefined && !isUuid(d.amends)) reject('amends must be a UUID or null');
  const executedAt = time(d.executedAt, 'executedAt');
  const version = d.version ?? 1;
  if (!Number.isInteger(version) || version < 1) reject('version must be a whole number from 1');
  const c = d.compensation;
  if (!c) return reject('compensation is missing: payments reads the plan from it');
  const cur = currency(c.currency, 'compensation.currency');
  if (d.currency !== undefined && d.currency !== cur) reject('currency and compensation.currency differ');
  const flatFeeMinor = c.flatFeeMinor === null ? null : minor(c.flatFeeMinor, 'compensation.flatFeeMinor', 0);
  let ppm: number | null = null;
  if (c.commissionPercent !== null) {
    ppm = typeof c.commissionPercent === 'number' ? commissionPpm(c.commissionPercent) : null;
    if (ppm === null) reject('compensation.commissionPercent must be above 0 and at most 100, with at most four decimals');
  }
  let bonus: CheckedExecution['bonus'] = null;
  if (c.bonus) {
    const metric = text(c.bonus.metric, 'compensation.bonus.metric')!;
    if (typeof c.bonus.threshold !== 'number' || !Number.isFinite(c.bonus.threshold) || c.bonus.threshold <= 0)
      reject('compensation.bonus.threshold must be a number above 0');
    bonus = { metric, threshold: c.bonus.threshold, amountMinor: minor(c.bonus.amountMinor, 'compensation.bonus.amountMinor', 1) };
  }
  let product: CheckedExecution['product'] = null;
  if (c.product)
    product = {
      description: text(c.product.description, 'compensation.product.description')!,
      declaredValueMinor: minor(c.product.declaredValueMinor, 'compensation.product.declaredValueMinor', 0),
    };
  const deliverables = d.deliverables === undefined ? null : checkedDeliverables(d.deliverables, 'deliverables');
  const lengthMonths = d.lengthMonths ?? null;
  if (lengthMonths !== null && !(Number.isInteger(lengthMonths) && lengthMonths > 0 && lengthMonths <= 24))
    reject('lengthMonths must be a whole number of months');
  const milestones = d.milestones ?? [];
  if (!Array.isArray(milestones) || milestones.length > 50) reject('milestones must be a list of at most 50');
  const seen = new Set<number>();
  const sums = { fee: 0, bonus: 0 };
  milestones.forEach((m, i) => {
    if (!Number.isInteger(m.index) || m.index < 0 || m.index > 1000 || seen.has(m.index))
      reject(`milestones.${i}.index must be a distinct whole number`);
    seen.add(m.index);
    text(m.label, `milestones.${i}.label`);
    minor(m.amountMinor, `milestones.${i}.amountMinor`, 0);
    if (!MILESTONE_TRIGGERS.includes(m.trigger)) reject(`milestones.${i}.trigger is not a trigger payments knows`);
    if (m.trigger === 'ON_DELIVERABLE_POSTED') {
      if (!Number.isInteger(m.deliverableIndex) || m.deliverableIndex! < 0 || (deliverables && m.deliverableIndex! >= deliverables.length))
        reject(`milestones.${i}.deliverableIndex must name a deliverable of the contract`);
    } else if (m.deliverableIndex !== null && m.deliverableIndex !== undefined)
      reject(`milestones.${i}.deliverableIndex is only for ON_DELIVERABLE_POSTED`);
    if (m.trigger === 'ON_BONUS_THRESHOLD' && !bonus) reject(`milestones.${i} pays a bonus the compensation does not have`);
    sums[m.trigger === 'ON_BONUS_THRESHOLD' ? 'bonus' : 'fee'] += m.amountMinor;
  });
  // The contract's rule: the milestones pay the flat fee and the bonus exactly.
  if (sums.fee !== (flatFeeMinor ?? 0)) reject('the milestones do not add up to the flat fee');
  if (sums.bonus !== (bonus?.amountMinor ?? 0)) reject('the bonus milestones do not add up to the bonus');
  return {
    currency: cur,
    version,
    executedAt,
    flatFeeMinor,
    commissionPpm: ppm,
    bonus,
    product,
    milestones: milestones.map((m) => ({ ...m, deliverableIndex: m.trigger === 'ON_DELIVERABLE_POSTED' ? m.deliverableIndex : null })),
    deliverables,
    lengthMonths,
  };
}

export function checkDeliverablePosted(d: DeliverableEventData): void {
  ids(d, ['deliverableId', ...PARTIES]);
  if (!Number.isInteger(d.sequence) || d.sequence < 1 || d.sequence > 10_000) reject('sequence must be a whole number from 1');
  text(d.platform, 'platform');
  text(d.format, 'format');
}

export interface CheckedOrder {
  amountMinor: number;
  currency: string;
  orderedAt: Date;
  attributedAt: Date;
}

export function checkOrderAttributed(d: OrderAttributedData): CheckedOrder {
  ids(d, ['orderId', ...PARTIES]);
  const amountMinor = minor(d.amountMinor, 'amountMinor', 0);
  const cur = currency(d.currency, 'currency');
  if (d.via !== 'discount_code' && d.via !== 'link') reject('via must be discount_code or link');
  text(d.discountCode, 'discountCode', true);
  text(d.link, 'link', true);
  return { amountMinor, currency: cur, orderedAt: time(d.orderedAt, 'orderedAt'), attributedAt: time(d.attributedAt, 'attributedAt') };
}

export function checkOrderRefunded(d: OrderRefundedData): { amountMinor: number; currency: string; refundedAt: Date } {
  ids(d, ['refundId', 'orderId', ...PARTIES]);
  return {
    amountMinor: minor(d.amountMinor, 'amountMinor', 1),
    currency: currency(d.currency, 'currency'),
    refundedAt: time(d.refundedAt, 'refundedAt'),
  };
}
