import { minorToDecimal, safeCell } from '@influenceflow/kit';
import type { CampaignReport, ReportPeriod, ResultGroup, Results } from '../metrics/metrics.types';
import type { AttributedOrder } from '../orders/order-list';
import type { BrandMention } from '../posts/comments';

/**
 * The columns of every exported report: what a row is (section, key, label, partnerships, currency), then
 * every figure of Results (docs/metrics.md), in snake case. Money is a decimal of `currency` (12.50),
 * percentages have two decimals, ROI (a ratio) four; an unknown figure (null) is an empty cell.
 */
export const RESULT_COLUMNS = [
  'reach',
  'impressions',
  'engagements',
  'engagement_rate_by_reach',
  'clicks',
  'uncounted_clicks',
  'ctr',
  'orders',
  'revenue',
  'refunds',
  'conversion_rate',
  'spend',
  'cpa',
  'roi',
  'cost_per_engagement',
  'conversions',
  'new_customer_orders',
  'returning_customer_orders',
  'referred_customers',
  'repeat_purchase_rate',
  'positive_comments',
  'neutral_comments',
  'negative_comments',
  'positive_percent',
  'neutral_percent',
  'negative_percent',
  'mentions',
  'approved_deliverables',
  'measured_posts',
  'creator_reported_posts',
  'creator_reported_percent',
] as const;
/**
 * What a campaign is besides its figures, on its `campaign` row only (empty on every other row, and in the
 * brand-wide reports): its status, attribution window and goal progress (GoalProgress; empty without a goal).
 */
export const CAMPAIGN_COLUMNS = ['status', 'attribution_window_days', 'goal_type', 'goal_target', 'goal_value', 'goal_percent'] as const;
export const REPORT_COLUMNS = ['section', 'key', 'label', 'partnerships', 'currency', ...RESULT_COLUMNS, ...CAMPAIGN_COLUMNS] as const;

export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string>;
type CampaignCells = Record<(typeof CAMPAIGN_COLUMNS)[number], string>;

const NOT_A_CAMPAIGN: CampaignCells = {
  status: '',
  attribution_window_days: '',
  goal_type: '',
  goal_target: '',
  goal_value: '',
  goal_percent: '',
};

/** A figure we print ourselves (a goal's target or value): as it is, no exponent. */
const figure = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4))));

const percent = (v: number | null) => (v === null ? '' : v.toFixed(2));
const count = (v: number) => String(v);

function resultCells(r: Partial<Results>, currency: string): Record<(typeof RESULT_COLUMNS)[number], string> {
  const money = (m: { amountMinor: number } | null | undefined) => (m ? minorToDecimal(m.amountMinor, currency) : '');
  const n = (v: number | undefined) => (v === undefined ? '' : count(v));
  const s = r.sentiment;
  return {
    reach: n(r.reach),
    impressions: n(r.impressions),
    engagements: n(r.engagements),
    engagement_rate_by_reach: percent(r.engagementRateByReach ?? null),
    clicks: n(r.clicks),
    uncounted_clicks: n(r.uncountedClicks),
    ctr: percent(r.ctr ?? null),
    orders: n(r.orders),
    revenue: money(r.revenue),
    refunds: money(r.refunds),
    conversion_rate: percent(r.conversionRate ?? null),
    spend: money(r.spend),
    cpa: money(r.cpa),
    roi: r.roi === null || r.roi === undefined ? '' : r.roi.toFixed(4),
    cost_per_engagement: money(r.costPerEngagement),
    conversions: n(r.conversions),
    new_customer_orders: n(r.newCustomerOrders),
    returning_customer_orders: n(r.returningCustomerOrders),
    referred_customers: n(r.referredCustomers),
    repeat_purchase_rate: percent(r.repeatPurchaseRate ?? null),
    positive_comments: n(s?.positive),
    neutral_comments: n(s?.neutral),
    negative_comments: n(s?.negative),
    positive_percent: percent(s?.positivePercent ?? null),
    neutral_percent: percent(s?.neutralPercent ?? null),
    negative_percent: percent(s?.negativePercent ?? null),
    mentions: n(r.mentions),
    approved_deliverables: n(r.approvedDeliverables),
    measured_posts: n(r.measuredPosts),
    creator_reported_posts: n(r.creatorReportedPosts),
    creator_reported_percent: percent(r.creatorReportedPercent ?? null),
  };
}

/** A group's row (a creator, a platform, a tier); its label is theirs, so it is defused. */
export function groupRow(section: string, g: ResultGroup, currency: string): ReportRow {
  return {
    section,
    key: safeCell(g.key),
    label: safeCell(g.label),
    partnerships: count(g.partnerships),
    currency,
    ...resultCells(g.results, currency),
    ...NOT_A_CAMPAIGN,
  };
}

/** A period of the series: the figures a period has (the others are empty). */
function periodRow(p: ReportPeriod, currency: string): ReportRow {
  return {
    section: 'period',
    key: p.period,
    label: p.period,
    partnerships: '',
    currency,
    ...resultCells(
      { clicks: p.clicks, orders: p.orders, revenue: p.revenue, spend: p.spend, conversions: p.conversions, sentiment: p.sentiment },
      currency,
    ),
    ...NOT_A_CAMPAIGN,
  };
}

/**
 * A campaign report's rows: the campaign (its totals, status, attribution window and goal progress), its
 * creators, platforms and tiers, then its periods.
 */
export function* campaignReportRows(r: CampaignReport): Generator<ReportRow> {
  yield {
    section: 'campaign',
    key: r.campaignId,
    label: safeCell(r.name),
    partnerships: count(r.creators.reduce((s, g) => s + g.partnerships, 0)),
    currency: r.currency,
    ...resultCells(r.results, r.currency),
    status: safeCell(r.status),
    attribution_window_days: count(r.attributionWindowDays),
    goal_type: safeCell(r.goal?.goalType),
    goal_target: r.goal ? figure(r.goal.target) : '',
    goal_value: r.goal ? figure(r.goal.value) : '',
    goal_percent: percent(r.goal?.percent ?? null),
  };
  for (const g of r.creators) yield groupRow('creator', g, r.currency);
  for (const g of r.platforms) yield groupRow('platform', g, r.currency);
  for (const g of r.tiers) yield groupRow('tier', g, r.currency);
  for (const p of r.series) yield periodRow(p, r.currency);
}

/** brand-orders.csv: every order of the brand (brandOrders), newest first, with how it was credited. */
export const ORDER_COLUMNS = [
  'order_id',
  'external_id',
  'source',
  'ordered_at',
  'currency',
  'amount',
  'refunded',
  'partnership_id',
  'campaign_id',
  'reason',
  'excluded',
  'new_customer',
  'click_id',
  'discount_codes',
] as const;
export type OrderRow = Record<(typeof ORDER_COLUMNS)[number], string>;

/** An order's row; its external id and codes come from the shop or the brand, so they are defused. */
export function orderRow(o: AttributedOrder): OrderRow {
  return {
    order_id: o.id,
    external_id: safeCell(o.externalId),
    source: o.source,
    ordered_at: o.orderedAt.toISOString(),
    currency: o.amount.currency,
    amount: minorToDecimal(o.amount.amountMinor, o.amount.currency),
    refunded: minorToDecimal(o.refunded.amountMinor, o.refunded.currency),
    partnership_id: o.partnershipId ?? '',
    campaign_id: o.campaignId ?? '',
    reason: o.reason,
    excluded: o.excluded ?? '',
    new_customer: o.newCustomer === null ? '' : String(o.newCustomer),
    click_id: o.clickId ?? '',
    discount_codes: safeCell(o.discountCodes.join(';')),
  };
}

/** brand-mentions.csv: a campaign's comments and captions that name the brand (brandMentions), newest first. */
export const MENTION_COLUMNS = [
  'mention_id',
  'deliverable_id',
  'partnership_id',
  'source',
  'posted_at',
  'during_campaign',
  'sentiment',
  'terms',
  'body',
] as const;
export type MentionRow = Record<(typeof MENTION_COLUMNS)[number], string>;

/** A mention's row: `terms` are the kinds and terms found (`product:oat milk;brand:oaty`); the words are people's, defused. */
export function mentionRow(m: BrandMention): MentionRow {
  return {
    mention_id: m.id,
    deliverable_id: m.deliverableId,
    partnership_id: m.partnershipId,
    source: m.source,
    posted_at: m.postedAt.toISOString(),
    during_campaign: String(m.duringCampaign),
    sentiment: m.sentiment,
    terms: safeCell([...new Set(m.mentions.map((s) => `${s.kind}:${s.term}`))].join(';')),
    body: safeCell(m.body),
  };
}
