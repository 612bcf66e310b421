/**
 * What the campaign report page shows, as plain strings and numbers for the template (template.ts): every
 * figure formatted here (docs/reports.md), every chart computed by pages/charts.ts from the report's
 * numbers, nothing shown that the report does not say. The figures themselves are analytics's
 * (docs/metrics.md): the page divides nothing.
 */
import { ColumnChart, columnChart, RankedChart, rankedBars, StackedBar, stackedBar } from '../pages/charts';
import { compactMoney, count, displayName, isoDay, money, orUnknown, percent, ratio } from '../pages/format';

interface MoneyData {
  amountMinor: number;
  currency: string;
}
interface SentimentData {
  positive: number;
  neutral: number;
  negative: number;
  positivePercent: number | null;
  neutralPercent: number | null;
  negativePercent: number | null;
}
/** The report as the page's query returns it (REPORT_FIELDS). */
export interface ReportData {
  campaignId: string;
  name: string;
  status: string;
  currency: string;
  attributionWindowDays: number;
  startsOn: string | null;
  endsOn: string | null;
  results: {
    clicks: number;
    orders: number;
    revenue: MoneyData;
    spend: MoneyData;
    cpa: MoneyData | null;
    roi: number | null;
    ctr: number | null;
    conversionRate: number | null;
    engagementRateByReach: number | null;
    repeatPurchaseRate: number | null;
    sentiment: SentimentData;
  };
  goal: { goalType: string; target: number; value: number; percent: number | null } | null;
  series: { period: string; clicks: number; orders: number; revenue: { amountMinor: number }; spend: { amountMinor: number } }[];
  creators: {
    key: string;
    label: string;
    partnerships: number;
    results: { revenue: { amountMinor: number }; orders: number; clicks: number };
  }[];
}

/** The report's fields the page reads, for both queries (signed in, and by a share link). */
export const REPORT_FIELDS = `fragment ReportPageFields on CampaignReport {
  campaignId name status currency attributionWindowDays startsOn endsOn
  results {
    clicks orders revenue { amountMinor currency } spend { amountMinor currency } cpa { amountMinor currency } roi ctr
    conversionRate engagementRateByReach repeatPurchaseRate
    sentiment { positive neutral negative positivePercent neutralPercent negativePercent }
  }
  goal { goalType target value percent }
  series { period clicks orders revenue { amountMinor } spend { amountMinor } }
  creators { key label partnerships results { revenue { amountMinor } orders clicks } }
}`;

/** The brand's own page: the caller's token (members and analysts of the campaign's brand). */
export const REPORT_QUERY = `query CampaignReportPage($campaignId: ID!, $interval: ReportInterval) {
  campaignReport(campaignId: $campaignId, interval: $interval) { ...ReportPageFields }
}
${REPORT_FIELDS}`;

/** The page a share link opens, for anyone holding it. */
export const SHARED_REPORT_QUERY = `query SharedCampaignReportPage($campaignId: ID!, $share: String!, $interval: ReportInterval) {
  sharedCampaignReport(campaignId: $campaignId, share: $share, interval: $interval) { ...ReportPageFields }
}
${REPORT_FIELDS}`;

export type PageInterval = 'day' | 'week';

// ---- figures ------------------------------------------------------------------------------------

export interface KpiView {
  key: string;
  label: string;
  value: string;
  note: string | null;
}

/** What each goal counts (docs/metrics.md, "The goal's metric"). */
const GOAL_UNITS: Record<string, [string, string]> = {
  awareness: ['reached', 'reached'],
  traffic: ['click', 'clicks'],
  sales: ['order', 'orders'],
  engagement: ['engagement', 'engagements'],
  content: ['approved deliverable', 'approved deliverables'],
};
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

function goalNote(goal: NonNullable<ReportData['goal']>): string {
  const [one, many] = GOAL_UNITS[goal.goalType] ?? [goal.goalType, goal.goalType];
  return goal.goalType === 'awareness'
    ? `${count(goal.value)} of ${count(goal.target)} people reached`
    : `${count(goal.value)} of ${plural(goal.target, one, many)}`;
}

/** The tiles, in order: each figure as analytics reports it, formatted; "—" when it is not known. */
export function kpisOf(r: ReportData): KpiView[] {
  const m = r.results;
  const cash = (v: MoneyData) => money(v.amountMinor, v.currency);
  return [
    { key: 'clicks', label: 'Clicks', value: count(m.clicks), note: 'human clicks on the tracking links' },
    { key: 'orders', label: 'Orders', value: count(m.orders), note: 'attributed, not fully refunded' },
    { key: 'revenue', label: 'Revenue', value: cash(m.revenue), note: 'order totals − refunds' },
    { key: 'spend', label: 'Spend', value: cash(m.spend), note: 'fees, commissions, bonuses, products' },
    { key: 'cpa', label: 'CPA', value: orUnknown(m.cpa, cash), note: 'spend ÷ orders' },
    { key: 'roi', label: 'ROI', value: orUnknown(m.roi, ratio), note: 'revenue ÷ spend' },
    { key: 'ctr', label: 'CTR', value: orUnknown(m.ctr, percent), note: 'clicks ÷ impressions' },
    { key: 'conversionRate', label: 'Conversion rate', value: orUnknown(m.conversionRate, percent), note: 'orders ÷ clicks' },
    { key: 'engagementRate', label: 'Engagement rate', value: orUnknown(m.engagementRateByReach, percent), note: 'engagements ÷ reach' },
    {
      key: 'repeatPurchaseRate',
      label: 'Repeat-purchase rate',
      value: orUnknown(m.repeatPurchaseRate, percent),
      note: 'referred customers who ordered again within 90 days',
    },
    {
      key: 'goal',
      label: 'Goal progress',
      value: r.goal ? orUnknown(r.goal.percent, percent) : '—',
      note: r.goal ? goalNote(r.goal) : 'no numeric goal',
    },
  ];
}

// ---- the page -----------------------------------------------------------------------------------

export interface IntervalLink {
  label: string;
  href: string;
  current: boolean;
}

export interface ReportPageView {
  title: string;
  name: string;
  status: string;
  statusKey: string;
  dates: string | null;
  attributionWindow: string;
  currency: string;
  intervals: IntervalLink[];
  byPeriod: string;
  kpis: KpiView[];
  /** Clicks, then orders, by period; null without a period yet. */
  activity: ColumnChart[] | null;
  money: ColumnChart | null;
  creators: RankedChart | null;
  sentiment: { chart: StackedBar; legend: { key: string; label: string; value: string }[] } | null;
  shared: boolean;
}

export interface PageOptions {
  interval: PageInterval;
  /** The share link's token when the page was opened by one (its links keep it), else null. */
  share: string | null;
}

const STATUS_KEYS = new Set(['draft', 'active', 'paused', 'completed', 'cancelled']);

export function reportView(r: ReportData, options: PageOptions): ReportPageView {
  const weekly = options.interval === 'week';
  const periods = r.series.map((p) => ({
    key: p.period,
    label: isoDay(p.period, true),
    title: weekly ? `Week of ${isoDay(p.period, true)}` : isoDay(p.period, true),
  }));
  const column = (name: string, key: string, values: number[], format: (v: number) => string, axisFormat = format) => ({
    name,
    key,
    values,
    format,
    axisFormat,
  });
  const cash = (v: number) => money(v, r.currency);
  const axisCash = (v: number) => compactMoney(v, r.currency);
  const clicks = columnChart('Clicks', periods, [
    column(
      'Clicks',
      'clicks',
      r.series.map((p) => p.clicks),
      count,
    ),
  ]);
  const orders = columnChart('Orders', periods, [
    column(
      'Orders',
      'orders',
      r.series.map((p) => p.orders),
      count,
    ),
  ]);
  const s = r.results.sentiment;
  const sentimentParts = [
    { key: 'positive', label: 'Positive', n: s.positive, percent: s.positivePercent },
    { key: 'neutral', label: 'Neutral', n: s.neutral, percent: s.neutralPercent },
    { key: 'negative', label: 'Negative', n: s.negative, percent: s.negativePercent },
  ].map((p) => ({ key: p.key, label: p.label, percent: p.percent, value: `${count(p.n)} · ${orUnknown(p.percent, percent)}` }));
  const sentiment = stackedBar('Comments by sentiment', sentimentParts);
  const link = (interval: PageInterval) => {
    const query = new URLSearchParams();
    if (options.share) query.set('share', options.share);
    query.set('interval', interval);
    return `?${query.toString()}`;
  };
  const status = r.status.toLowerCase();
  return {
    title: `${r.name} · Campaign report`,
    name: r.name,
    status: displayName(r.status.toUpperCase()),
    statusKey: STATUS_KEYS.has(status) ? status : 'other',
    dates: r.startsOn && r.endsOn ? `${isoDay(r.startsOn)} – ${isoDay(r.endsOn)}` : r.startsOn ? `from ${isoDay(r.startsOn)}` : null,
    attributionWindow: plural(r.attributionWindowDays, 'day', 'days'),
    currency: r.currency,
    intervals: [
      { label: 'Daily', href: link('day'), current: !weekly },
      { label: 'Weekly', href: link('week'), current: weekly },
    ],
    byPeriod: weekly ? 'by week' : 'by day',
    kpis: kpisOf(r),
    activity: clicks && orders ? [clicks, orders] : null,
    money: columnChart('Spend and revenue', periods, [
      column(
        'Spend',
        'spend',
        r.series.map((p) => p.spend.amountMinor),
        cash,
        axisCash,
      ),
      column(
        'Revenue',
        'revenue',
        r.series.map((p) => p.revenue.amountMinor),
        cash,
        axisCash,
      ),
    ]),
    creators: rankedBars(
      'Creators by revenue',
      r.creators.map((c) => ({
        label: c.label,
        value: c.results.revenue.amountMinor,
        formatted: cash(c.results.revenue.amountMinor),
        note: `${plural(c.results.orders, 'order', 'orders')} · ${plural(c.results.clicks, 'click', 'clicks')}`,
      })),
    ),
    sentiment: sentiment ? { chart: sentiment, legend: sentimentParts.map(({ key, label, value }) => ({ key, label, value })) } : null,
    shared: options.share !== null,
  };
}
