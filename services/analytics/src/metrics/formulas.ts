/**
 * Every derived figure analytics reports, defined once (docs/metrics.md, "Formulas", holds the same table
 * and a test evaluates the doc's formulas against these). A division by zero gives null, never 0 or
 * infinity; an amount divided by a count is rounded half up to a whole minor unit.
 */

/** The summed figures of any scope (a campaign, a partnership, a creator, a platform, a tier). */
export interface Totals {
  reach: number;
  impressions: number;
  likes: number;
  comments: number;
  shares: number;
  /** likes + comments + shares of the posts whose reach is known (engagement rate by reach only). */
  engagementsWithReach: number;
  /** Posts with figures (a snapshot by the range's end). */
  measuredPosts: number;
  /** Of those, posts with a reported figure (reach, impressions, likes, comments, shares) their creator recorded. */
  creatorReportedPosts: number;
  clicks: number;
  uncountedClicks: number;
  orders: number;
  grossMinor: number;
  refundsMinor: number;
  spendMinor: number;
  conversions: number;
  newCustomers: number;
  returningCustomers: number;
  referredCustomers: number;
  repeatCustomers: number;
  positive: number;
  neutral: number;
  negative: number;
  mentions: number;
  approvedDeliverables: number;
}

export const ZERO_TOTALS: Readonly<Totals> = Object.freeze({
  reach: 0,
  impressions: 0,
  likes: 0,
  comments: 0,
  shares: 0,
  engagementsWithReach: 0,
  measuredPosts: 0,
  creatorReportedPosts: 0,
  clicks: 0,
  uncountedClicks: 0,
  orders: 0,
  grossMinor: 0,
  refundsMinor: 0,
  spendMinor: 0,
  conversions: 0,
  newCustomers: 0,
  returningCustomers: 0,
  referredCustomers: 0,
  repeatCustomers: 0,
  positive: 0,
  neutral: 0,
  negative: 0,
  mentions: 0,
  approvedDeliverables: 0,
});

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const percent = (a: number, b: number): number | null => (b === 0 ? null : (a / b) * 100);
/** An amount per unit: half up to a whole minor unit. */
const amountPer = (a: number, b: number): number | null => (b === 0 ? null : Math.round(a / b));

export type MetricKind = 'count' | 'amount' | 'percent' | 'ratio';

export interface MetricDefinition {
  /** The formula as docs/metrics.md writes it, over the names of `Totals` and of other metrics. */
  formula: string;
  kind: MetricKind;
  compute(t: Totals): number | null;
}

const engagements = (t: Totals) => t.likes + t.comments + t.shares;
const revenue = (t: Totals) => t.grossMinor - t.refundsMinor;
const classified = (t: Totals) => t.positive + t.neutral + t.negative;

export const METRICS = {
  engagements: { formula: 'likes + comments + shares', kind: 'count', compute: engagements },
  revenue: { formula: 'grossMinor − refundsMinor', kind: 'amount', compute: revenue },
  // only the posts whose reach is known, in both sums (a post with views and no reach would inflate it)
  engagementRateByReach: {
    formula: 'engagementsWithReach ÷ reach × 100',
    kind: 'percent',
    compute: (t) => percent(t.engagementsWithReach, t.reach),
  },
  ctr: { formula: 'clicks ÷ impressions × 100', kind: 'percent', compute: (t) => percent(t.clicks, t.impressions) },
  conversionRate: { formula: 'orders ÷ clicks × 100', kind: 'percent', compute: (t) => percent(t.orders, t.clicks) },
  cpa: { formula: 'spendMinor ÷ orders', kind: 'amount', compute: (t) => amountPer(t.spendMinor, t.orders) },
  roi: { formula: 'revenue ÷ spendMinor', kind: 'ratio', compute: (t) => ratio(revenue(t), t.spendMinor) },
  costPerEngagement: { formula: 'spendMinor ÷ engagements', kind: 'amount', compute: (t) => amountPer(t.spendMinor, engagements(t)) },
  repeatPurchaseRate: {
    formula: 'repeatCustomers ÷ referredCustomers × 100',
    kind: 'percent',
    compute: (t) => percent(t.repeatCustomers, t.referredCustomers),
  },
  creatorReportedPercent: {
    formula: 'creatorReportedPosts ÷ measuredPosts × 100',
    kind: 'percent',
    compute: (t) => percent(t.creatorReportedPosts, t.measuredPosts),
  },
  positivePercent: {
    formula: 'positive ÷ (positive + neutral + negative) × 100',
    kind: 'percent',
    compute: (t) => percent(t.positive, classified(t)),
  },
  neutralPercent: {
    formula: 'neutral ÷ (positive + neutral + negative) × 100',
    kind: 'percent',
    compute: (t) => percent(t.neutral, classified(t)),
  },
  negativePercent: {
    formula: 'negative ÷ (positive + neutral + negative) × 100',
    kind: 'percent',
    compute: (t) => percent(t.negative, classified(t)),
  },
} satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

/** Every metric of a scope's totals. */
export function metricsOf(t: Totals): Record<MetricName, number | null> {
  const out = {} as Record<MetricName, number | null>;
  for (const [name, m] of Object.entries(METRICS) as [MetricName, MetricDefinition][]) out[name] = m.compute(t);
  return out;
}

/** The figure a goal is measured by (docs/metrics.md, "The goal's metric"). */
export const GOAL_METRIC: Readonly<Record<string, (t: Totals) => number>> = {
  awareness: (t) => t.reach,
  traffic: (t) => t.clicks,
  sales: (t) => t.orders,
  engagement: engagements,
  content: (t) => t.approvedDeliverables,
};

/** Goal progress = the goal's metric ÷ its target × 100 (null for an unknown goal type or a 0 target). */
export function goalProgress(goalType: string, target: number, t: Totals): { value: number; percent: number | null } | null {
  const metric = GOAL_METRIC[goalType];
  if (!metric) return null;
  const value = metric(t);
  return { value, percent: percent(value, target) };
}
