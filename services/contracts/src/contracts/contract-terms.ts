import { badInput, formatMoney, InputProblems } from '@influenceflow/kit';
import type { TemplateValues } from '../templates/template-engine';

/**
 * A contract's terms as data: what is rendered into its document and what `contract.executed` carries
 * to payments. Money is integer minor units of one currency.
 */
export interface ContractParties {
  brandId: string;
  brandName: string;
  creatorId: string;
  creatorName: string;
  creatorHandle: string | null;
}

export interface ContractDeliverable {
  platform: string;
  format: string;
  count: number;
  /** ISO date */
  dueOn: string;
}

export interface BonusTerms {
  /** What is measured: attributed sales, clicks, views… (free text, e.g. "attributed orders"). */
  metric: string;
  /** The level of the metric at which the bonus is earned. */
  threshold: number;
  amountMinor: number;
}

export interface ProductTerms {
  description: string;
  declaredValueMinor: number;
}

export interface Compensation {
  currency: string;
  /** null: no flat fee. */
  flatFeeMinor: number | null;
  commissionPercent: number | null;
  bonus: BonusTerms | null;
  product: ProductTerms | null;
}

export const MILESTONE_TRIGGERS = ['ON_EXECUTION', 'ON_DELIVERABLE_POSTED', 'ON_CAMPAIGN_END', 'ON_BONUS_THRESHOLD'] as const;
export type MilestoneTrigger = (typeof MILESTONE_TRIGGERS)[number];

/** One payment of the cash compensation: a fixed amount or a share of what it is part of. */
export interface Milestone {
  label: string;
  /** Exactly one of amountMinor and sharePercent. */
  amountMinor: number | null;
  /** Percent (up to two decimals) of the flat fee, or of the bonus for ON_BONUS_THRESHOLD. */
  sharePercent: number | null;
  trigger: MilestoneTrigger;
  /** ON_DELIVERABLE_POSTED: which deliverable (0-based index into the deliverables). */
  deliverableIndex: number | null;
}

export interface UsageRights {
  scope: string;
  durationMonths: number;
}

export interface Exclusivity {
  category: string;
  windowDays: number;
}

export interface ContractTerms {
  parties: ContractParties;
  campaign: { id: string; name: string; startsOn: string | null; endsOn: string | null };
  briefVersion: number | null;
  /** Months beyond one campaign (3 or 6), or null. */
  lengthMonths: number | null;
  deliverables: ContractDeliverable[];
  compensation: Compensation;
  milestones: Milestone[];
  usageRights: UsageRights;
  exclusivity: Exclusivity | null;
  paymentNetDays: number;
  cancellationNoticeDays: number;
}

/** A milestone with its amount worked out (what payments receives). */
export interface ResolvedMilestone extends Milestone {
  resolvedAmountMinor: number;
}

const BASIS_POINTS = 10_000;

/** A percent with at most two decimals, as whole basis points (12.5 → 1250), or null. */
export function basisPoints(percent: number): number | null {
  const bp = Math.round(percent * 100);
  return Math.abs(bp - percent * 100) < 1e-6 ? bp : null;
}

function groupOf(m: Milestone): 'fee' | 'bonus' {
  return m.trigger === 'ON_BONUS_THRESHOLD' ? 'bonus' : 'fee';
}

/**
 * The milestones rule: milestones pay the cash compensation exactly. Those triggered by the bonus
 * threshold pay the bonus, all others the flat fee; in each group the fixed amounts plus the shares
 * (percent of the group's total) must come to the total exactly, and a total above zero needs at least
 * one milestone. A share resolves to its floor in minor units; the last share of a group takes what
 * rounding left, so the resolved amounts always add up. Every problem is collected under `field`.
 */
export function checkMilestones(
  compensation: Compensation,
  milestones: Milestone[],
  deliverableCount: number,
  problems: InputProblems,
  field = 'input.milestones',
): void {
  const totals = { fee: compensation.flatFeeMinor ?? 0, bonus: compensation.bonus?.amountMinor ?? 0 };
  milestones.forEach((m, i) => {
    const at = `${field}.${i}`;
    if ((m.amountMinor === null) === (m.sharePercent === null)) problems.add(at, 'give exactly one of amountMinor and sharePercent');
    if (m.amountMinor !== null && (!Number.isSafeInteger(m.amountMinor) || m.amountMinor <= 0))
      problems.add(`${at}.amountMinor`, 'must be a whole number of minor units above 0');
    if (m.sharePercent !== null) {
      const bp = basisPoints(m.sharePercent);
      if (bp === null || bp <= 0 || bp > BASIS_POINTS)
        problems.add(`${at}.sharePercent`, 'must be a percent above 0 and at most 100, with at most two decimals');
    }
    if (m.trigger === 'ON_DELIVERABLE_POSTED') {
      if (
        m.deliverableIndex === null ||
        !Number.isInteger(m.deliverableIndex) ||
        m.deliverableIndex < 0 ||
        m.deliverableIndex >= deliverableCount
      )
        problems.add(`${at}.deliverableIndex`, `must name a deliverable of the contract: 0 to ${Math.max(0, deliverableCount - 1)}`);
    } else if (m.deliverableIndex !== null)
      problems.add(`${at}.deliverableIndex`, 'only a milestone paid when a deliverable is posted names one');
    if (m.trigger === 'ON_BONUS_THRESHOLD' && !compensation.bonus) problems.add(`${at}.trigger`, 'the compensation has no bonus to pay');
  });
  if (problems.any) return;
  for (const group of ['fee', 'bonus'] as const) {
    const total = totals[group];
    const members = milestones.filter((m) => groupOf(m) === group);
    const what = group === 'fee' ? 'the flat fee' : 'the bonus';
    if (total === 0 && members.length > 0) {
      problems.add(field, `there is no ${group === 'fee' ? 'flat fee' : 'bonus'} for these milestones to pay`);
      continue;
    }
    if (total > 0 && members.length === 0) {
      problems.add(field, `add milestones paying ${what} (${formatMoney(total, compensation.currency)})`);
      continue;
    }
    const fixed = members.reduce((sum, m) => sum + (m.amountMinor ?? 0), 0);
    const shareBp = members.reduce((sum, m) => sum + (m.sharePercent === null ? 0 : basisPoints(m.sharePercent)!), 0);
    // Exact integer arithmetic: fixed + total × shares / 100% = total.
    if (fixed * BASIS_POINTS + total * shareBp !== total * BASIS_POINTS) {
      problems.add(
        field,
        `the milestones paying ${what} must add up to ${formatMoney(total, compensation.currency)}: they come to ${formatMoney(fixed, compensation.currency)}${shareBp ? ` plus ${shareBp / 100}%` : ''}`,
      );
    }
  }
}

/** The amounts of checked milestones, in minor units, adding up exactly to the fee and the bonus. */
export function resolveMilestones(compensation: Compensation, milestones: Milestone[]): ResolvedMilestone[] {
  const totals = { fee: compensation.flatFeeMinor ?? 0, bonus: compensation.bonus?.amountMinor ?? 0 };
  const resolved = milestones.map((m) => ({
    ...m,
    resolvedAmountMinor: m.amountMinor ?? Math.floor((totals[groupOf(m)] * basisPoints(m.sharePercent!)!) / BASIS_POINTS),
  }));
  for (const group of ['fee', 'bonus'] as const) {
    const members = resolved.filter((m) => groupOf(m) === group);
    const lastShare = [...members].reverse().find((m) => m.sharePercent !== null);
    const sum = members.reduce((s, m) => s + m.resolvedAmountMinor, 0);
    if (lastShare) lastShare.resolvedAmountMinor += totals[group] - sum;
  }
  return resolved;
}

/** Checks every term (all problems at once, under `field`): compensation, milestones, rights, exclusivity. */
export function checkTerms(terms: ContractTerms, field = 'input'): void {
  const problems = new InputProblems();
  const c = terms.compensation;
  if (c.flatFeeMinor !== null && (!Number.isSafeInteger(c.flatFeeMinor) || c.flatFeeMinor < 0))
    problems.add(`${field}.compensation.flatFeeMinor`, 'must be a whole, non-negative number of minor units');
  if (c.commissionPercent !== null && !(c.commissionPercent > 0 && c.commissionPercent <= 100))
    problems.add(`${field}.compensation.commissionPercent`, 'must be above 0 and at most 100');
  if (c.bonus) {
    if (!Number.isSafeInteger(c.bonus.amountMinor) || c.bonus.amountMinor <= 0)
      problems.add(`${field}.compensation.bonus.amountMinor`, 'must be a whole number of minor units above 0');
    if (!(c.bonus.threshold > 0) || !Number.isFinite(c.bonus.threshold))
      problems.add(`${field}.compensation.bonus.threshold`, 'must be above 0');
    problems.check(() => text(c.bonus!.metric, `${field}.compensation.bonus.metric`, 200));
  }
  if (c.product) {
    if (!Number.isSafeInteger(c.product.declaredValueMinor) || c.product.declaredValueMinor < 0)
      problems.add(`${field}.compensation.product.declaredValueMinor`, 'must be a whole, non-negative number of minor units');
    problems.check(() => text(c.product!.description, `${field}.compensation.product.description`, 1000));
  }
  if (!c.flatFeeMinor && !c.commissionPercent && !c.bonus && !c.product)
    problems.add(`${field}.compensation`, 'a contract compensates the creator: a flat fee, a commission, a bonus or a product');
  problems.check(() => text(terms.usageRights.scope, `${field}.usageRights.scope`, 1000));
  if (!Number.isInteger(terms.usageRights.durationMonths) || terms.usageRights.durationMonths < 0 || terms.usageRights.durationMonths > 120)
    problems.add(`${field}.usageRights.durationMonths`, 'must be a whole number of months from 0 to 120');
  if (terms.exclusivity) {
    problems.check(() => text(terms.exclusivity!.category, `${field}.exclusivity.category`, 200));
    if (!Number.isInteger(terms.exclusivity.windowDays) || terms.exclusivity.windowDays < 1 || terms.exclusivity.windowDays > 730)
      problems.add(`${field}.exclusivity.windowDays`, 'must be a whole number of days from 1 to 730');
  }
  if (!Number.isInteger(terms.paymentNetDays) || terms.paymentNetDays < 0 || terms.paymentNetDays > 120)
    problems.add(`${field}.paymentNetDays`, 'must be a whole number of days from 0 to 120');
  if (!Number.isInteger(terms.cancellationNoticeDays) || terms.cancellationNoticeDays < 0 || terms.cancellationNoticeDays > 365)
    problems.add(`${field}.cancellationNoticeDays`, 'must be a whole number of days from 0 to 365');
  terms.milestones.forEach((m, i) => problems.check(() => text(m.label, `${field}.milestones.${i}.label`, 200)));
  if (terms.milestones.length > 50) problems.add(`${field}.milestones`, 'at most 50 milestones');
  if (!problems.any) checkMilestones(c, terms.milestones, terms.deliverables.length, problems, `${field}.milestones`);
  problems.throwIfAny();
}

/** Trimmed text of 1…max characters, or BAD_USER_INPUT on field. */
export function text(value: string, field: string, max: number): string {
  const t = value.trim();
  if (!t) throw badInput(field, 'must not be blank');
  if (t.length > max) throw badInput(field, `must be at most ${max.toLocaleString('en-US')} characters`);
  return t;
}

/** The milestones a new contract starts with: half of the fee on execution, half when the last deliverable is posted. */
export function defaultMilestones(compensation: Compensation, deliverableCount: number): Milestone[] {
  const milestones: Milestone[] = [];
  if (compensation.flatFeeMinor) {
    if (deliverableCount > 0) {
      milestones.push({ label: 'On signature', amountMinor: null, sharePercent: 50, trigger: 'ON_EXECUTION', deliverableIndex: null });
      milestones.push({
        label: 'On the last deliverable posted',
        amountMinor: null,
        sharePercent: 50,
        trigger: 'ON_DELIVERABLE_POSTED',
        deliverableIndex: deliverableCount - 1,
      });
    } else {
      milestones.push({ label: 'On signature', amountMinor: null, sharePercent: 100, trigger: 'ON_EXECUTION', deliverableIndex: null });
    }
  }
  if (compensation.bonus)
    milestones.push({
      label: 'Performance bonus',
      amountMinor: null,
      sharePercent: 100,
      trigger: 'ON_BONUS_THRESHOLD',
      deliverableIndex: null,
    });
  return milestones;
}

const PLATFORM_NAMES: Record<string, string> = {
  tiktok: 'TikTok',
  instagram: 'Instagram',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  discord: 'Discord',
  x: 'X',
  facebook: 'Facebook',
  twitch: 'Twitch',
};

function platformName(p: string): string {
  return PLATFORM_NAMES[p.toLowerCase()] ?? p;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The last day of the term: the campaign's end, or its first day plus the long-term months. */
export function termEndsOn(terms: ContractTerms): string | null {
  const { startsOn, endsOn } = terms.campaign;
  if (!terms.lengthMonths || !startsOn) return endsOn;
  const d = new Date(`${startsOn}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + terms.lengthMonths);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  d.setUTCDate(d.getUTCDate() - 1);
  const end = d.toISOString().slice(0, 10);
  return endsOn && endsOn > end ? endsOn : end;
}

function triggerText(m: Milestone, terms: ContractTerms): string {
  switch (m.trigger) {
    case 'ON_EXECUTION':
      return 'when both parties have signed';
    case 'ON_CAMPAIGN_END':
      return 'when the campaign ends';
    case 'ON_BONUS_THRESHOLD':
      return terms.compensation.bonus
        ? `when ${terms.compensation.bonus.metric} reach ${terms.compensation.bonus.threshold.toLocaleString('en-US')}`
        : 'when the bonus threshold is reached';
    case 'ON_DELIVERABLE_POSTED': {
      const d = terms.deliverables[m.deliverableIndex ?? 0];
      return d
        ? `when deliverable ${(m.deliverableIndex ?? 0) + 1} (${platformName(d.platform)} ${d.format}) is posted`
        : 'when a deliverable is posted';
    }
  }
}

/** A contract's title, as its document, its certificate and its PDF show it. */
export function contractTitle(terms: ContractTerms): string {
  return `Influencer agreement — ${terms.campaign.name}`;
}

/** The terms as a template's values (every variable of TEMPLATE_VARIABLES, the lists of TEMPLATE_LISTS). */
export function templateValues(
  terms: ContractTerms,
  contract: { version: number; amendsVersion: number | null; createdOn: string },
): TemplateValues {
  const c = terms.compensation;
  const money = (minor: number) => formatMoney(minor, c.currency);
  const fee = c.flatFeeMinor ? money(c.flatFeeMinor) : 'none';
  const commission = c.commissionPercent ? `${c.commissionPercent}% of attributed sales` : 'none';
  const bonus = c.bonus
    ? `${money(c.bonus.amountMinor)} when ${c.bonus.metric} reach ${c.bonus.threshold.toLocaleString('en-US')}`
    : 'none';
  const product = c.product ? `${c.product.description} (declared value ${money(c.product.declaredValueMinor)})` : 'none';
  const parts = [
    c.flatFeeMinor ? `a flat fee of ${fee}` : null,
    c.commissionPercent ? `a commission of ${commission}` : null,
    c.bonus ? `a bonus of ${bonus}` : null,
    c.product ? `the product ${product}` : null,
  ].filter((p): p is string => p !== null);
  // A draft may have no compensation yet (a fee of 0 offered with no commission): `send` refuses it, and
  // the sentence says so instead of leaving a hole.
  const summary =
    parts.length === 0
      ? 'The Brand and the Creator have not agreed a compensation yet.'
      : `The Brand compensates the Creator with ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]}.`;
  const resolved = resolveMilestones(c, terms.milestones);
  const ex = terms.exclusivity;
  const endsOn = termEndsOn(terms);
  return {
    contract: {
      title: contractTitle(terms),
      version: String(contract.version),
      amends: contract.amendsVersion ? `version ${contract.amendsVersion}` : 'none',
      createdOn: contract.createdOn,
    },
    brand: { name: terms.parties.brandName },
    creator: {
      name: terms.parties.creatorName,
      handle: terms.parties.creatorHandle ? `@${terms.parties.creatorHandle}` : terms.parties.creatorName,
    },
    campaign: { name: terms.campaign.name },
    term: {
      startsOn: terms.campaign.startsOn ?? 'the day both parties have signed',
      endsOn: endsOn ?? 'the end of the campaign',
      length: terms.lengthMonths ? `${terms.lengthMonths} months` : 'one campaign',
    },
    brief: { version: terms.briefVersion ? String(terms.briefVersion) : 'latest' },
    compensation: { summary, fee, commission, bonus, product, currency: c.currency },
    payment: { netDays: String(terms.paymentNetDays) },
    usageRights: {
      scope: terms.usageRights.scope,
      durationMonths: String(terms.usageRights.durationMonths),
      summary:
        terms.usageRights.durationMonths > 0
          ? `The Brand may use the Creator's content for ${terms.usageRights.scope} for ${plural(terms.usageRights.durationMonths, 'month')} from publication.`
          : `The Brand may share the Creator's posts as published, and use the content for nothing else (${terms.usageRights.scope}).`,
    },
    exclusivity: {
      summary: ex
        ? `The Creator will not promote competing products in the category "${ex.category}" for ${plural(ex.windowDays, 'day')} from the first deliverable's publication.`
        : 'none: the Creator may work with other brands.',
      category: ex ? ex.category : 'none',
      windowDays: ex ? String(ex.windowDays) : '0',
    },
    cancellation: { noticeDays: String(terms.cancellationNoticeDays) },
    deliverables: terms.deliverables.map((d, i) => ({
      number: String(i + 1),
      platform: platformName(d.platform),
      format: d.format,
      count: String(d.count),
      dueOn: d.dueOn,
      summary: `${d.count} × ${platformName(d.platform)} ${d.format}, due ${d.dueOn}`,
    })),
    milestones: resolved.map((m, i) => ({
      number: String(i + 1),
      label: m.label,
      amount: money(m.resolvedAmountMinor),
      trigger: triggerText(m, terms),
      summary: `${m.label}: ${money(m.resolvedAmountMinor)}${m.sharePercent !== null ? ` (${m.sharePercent}%)` : ''}, ${triggerText(m, terms)}`,
    })),
  };
}
