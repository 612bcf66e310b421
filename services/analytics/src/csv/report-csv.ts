import { minorToDecimal, safeCell } from '@influenceflow/kit';
import type { CampaignReport, ReportPeriod, ResultGroup, Results } from '../metrics/metrics.types';

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
] as const;
export const REPORT_COLUMNS = ['section', 'key', 'label', 'partnerships', 'currency', ...RESULT_COLUMNS] as const;

export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string>;

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
  };
}

/** A campaign report's rows: the campaign, its creators, platforms and tiers, then its periods. */
export function* campaignReportRows(r: CampaignReport): Generator<ReportRow> {
  yield {
    section: 'campaign',
    key: r.campaignId,
    label: safeCell(r.name),
    partnerships: count(r.creators.reduce((s, g) => s + g.partnerships, 0)),
    currency: r.currency,
    ...resultCells(r.results, r.currency),
  };
  for (const g of r.creators) yield groupRow('creator', g, r.currency);
  for (const g of r.platforms) yield groupRow('platform', g, r.currency);
  for (const g of r.tiers) yield groupRow('tier', g, r.currency);
  for (const p of r.series) yield periodRow(p, r.currency);
}
