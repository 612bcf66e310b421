import type { EntityManager } from 'typeorm';
import { APPROVED_DELIVERABLE } from '../copies/copies.service';
import { COUNTER_COLUMNS, COUNTERS, DayCounters } from '../rollups/contributions';
import { latestKnownColumns, REPORTED_POST_METRICS } from '../rollups/post-figures';
import { Totals, ZERO_TOTALS } from './formulas';

/** What a set of figures is grouped by: one group, or one per partnership, creator, campaign, platform or tier. */
export type Grouping = 'all' | 'partnership' | 'creator' | 'campaign' | 'platform' | 'tier';

const GROUP_KEY: Readonly<Record<Grouping, string>> = {
  all: `'all'`,
  partnership: 'p.partnership_id::text',
  creator: 'p.creator_id::text',
  campaign: 'p.campaign_id::text',
  platform: `COALESCE(p.platform, 'unknown')`,
  tier: `COALESCE(cr.tier, 'unknown')`,
};

/** Which partnerships a report covers (always within what the caller may read: the service decides). */
export type Scope =
  | { campaignId: string }
  | { partnershipIds: string[] }
  /** A brand's partnerships in campaigns of one currency (figures of other currencies do not add up). */
  | { brandIds: string[]; currency: string; campaignId?: string | null }
  | { creatorId: string; brandIds: string[] | null; currency: string };

/** Days of a report, inclusive (ISO dates); null: all of them. */
export interface DayRange {
  from: string | null;
  to: string | null;
}

function where(scope: Scope, params: unknown[]): string {
  const p = (v: unknown) => `$${params.push(v)}`;
  if ('campaignId' in scope && !('brandIds' in scope)) return `p.campaign_id = ${p(scope.campaignId)}`;
  if ('partnershipIds' in scope) return `p.partnership_id = ANY(${p(scope.partnershipIds)}::uuid[])`;
  if ('creatorId' in scope)
    return `p.creator_id = ${p(scope.creatorId)} AND cf.currency = ${p(scope.currency)}${scope.brandIds ? ` AND p.brand_id = ANY(${p(scope.brandIds)}::uuid[])` : ''}`;
  return `p.brand_id = ANY(${p(scope.brandIds)}::uuid[]) AND cf.currency = ${p(scope.currency)}${scope.campaignId ? ` AND p.campaign_id = ${p(scope.campaignId)}` : ''}`;
}

const FROM_PARTNERSHIPS = `partnership_facts p
  LEFT JOIN campaign_facts cf ON cf.campaign_id = p.campaign_id
  LEFT JOIN creator_facts cr ON cr.creator_id = p.creator_id`;

function range(alias: string, r: DayRange, params: unknown[]): string {
  let sql = '';
  if (r.from) sql += ` AND ${alias}.day >= $${params.push(r.from)}::date`;
  if (r.to) sql += ` AND ${alias}.day <= $${params.push(r.to)}::date`;
  return sql;
}

const toNumber = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * The totals of a scope, grouped, from the roll-ups: the day counters summed over the range, each post's
 * figures up to the range's end (each counter's latest known value), how many posts have figures and how
 * many of those the creator reported in part, and the deliverables approved.
 */
export async function totalsBy(
  db: EntityManager,
  scope: Scope,
  grouping: Grouping,
  days: DayRange = { from: null, to: null },
): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>();
  const get = (key: string) => {
    let t = out.get(key);
    if (!t) out.set(key, (t = { ...ZERO_TOTALS }));
    return t;
  };
  const key = GROUP_KEY[grouping];

  let params: unknown[] = [];
  let sql = `SELECT ${key} AS k, ${COUNTERS.map((c) => `sum(d.${COUNTER_COLUMNS[c]}) AS "${c}"`).join(', ')}
    FROM ${FROM_PARTNERSHIPS} JOIN partnership_days d ON d.partnership_id = p.partnership_id
    WHERE ${where(scope, params)}${range('d', days, params)} GROUP BY 1`;
  for (const row of (await db.query(sql, params)) as Record<string, unknown>[]) {
    const t = get(String(row.k));
    for (const c of COUNTERS) if (c in t) (t as unknown as Record<keyof DayCounters, number>)[c] = toNumber(row[c]);
  }

  params = [];
  // each post's figures up to the range's end: per counter, its latest known value (rollups/post-figures.ts)
  const posts = `SELECT pd.deliverable_id, pd.partnership_id, ${latestKnownColumns('pd')} FROM post_days pd
     WHERE pd.partnership_id IN (SELECT p.partnership_id FROM ${FROM_PARTNERSHIPS} WHERE ${where(scope, params)})
     ${days.to ? `AND pd.day <= $${params.push(days.to)}::date` : ''}
     GROUP BY pd.deliverable_id, pd.partnership_id`;
  // a figure the creator recorded themself: one of the reported counters came from a snapshot of theirs
  const reportedAt = `ARRAY[${REPORTED_POST_METRICS.map((m) => `l.${m}_at`).join(', ')}]`;
  sql = `SELECT ${key} AS k, sum(l.reach) AS reach, sum(l.impressions) AS impressions, sum(l.likes) AS likes,
                sum(l.comments) AS comments, sum(l.shares) AS shares,
                sum(COALESCE(l.likes, 0) + COALESCE(l.comments, 0) + COALESCE(l.shares, 0)) FILTER (WHERE l.reach IS NOT NULL) AS engagements_with_reach,
                count(*) AS measured_posts,
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM post_snapshots s WHERE s.deliverable_id = l.deliverable_id
                                                AND s.taken_at = ANY(${reportedAt}) AND s.source = 'creator')) AS creator_reported_posts
           FROM (${posts}) l JOIN ${FROM_PARTNERSHIPS} ON p.partnership_id = l.partnership_id GROUP BY 1`;
  for (const row of (await db.query(sql, params)) as Record<string, unknown>[]) {
    const t = get(String(row.k));
    t.reach = toNumber(row.reach);
    t.impressions = toNumber(row.impressions);
    t.likes = toNumber(row.likes);
    t.comments = toNumber(row.comments);
    t.shares = toNumber(row.shares);
    t.engagementsWithReach = toNumber(row.engagements_with_reach);
    t.measuredPosts = toNumber(row.measured_posts);
    t.creatorReportedPosts = toNumber(row.creator_reported_posts);
  }

  params = [];
  sql = `SELECT ${key} AS k, count(*) AS n FROM deliverable_facts df JOIN ${FROM_PARTNERSHIPS} ON p.partnership_id = df.partnership_id
          WHERE ${where(scope, params)} AND df.status = ANY($${params.length + 1}::text[]) GROUP BY 1`;
  params.push([...APPROVED_DELIVERABLE]);
  for (const row of (await db.query(sql, params)) as Record<string, unknown>[]) get(String(row.k)).approvedDeliverables = toNumber(row.n);
  return out;
}

export type Interval = 'day' | 'week';

/** One period of a time series: the day counters summed over it. */
export interface PeriodTotals {
  /** ISO date the period starts on (weeks start on Monday). */
  period: string;
  totals: Pick<
    Totals,
    'clicks' | 'orders' | 'grossMinor' | 'refundsMinor' | 'spendMinor' | 'conversions' | 'positive' | 'neutral' | 'negative'
  >;
}

export async function seriesOf(db: EntityManager, scope: Scope, interval: Interval, days: DayRange): Promise<PeriodTotals[]> {
  const params: unknown[] = [];
  const rows = (await db.query(
    `SELECT to_char(date_trunc('${interval === 'week' ? 'week' : 'day'}', d.day), 'YYYY-MM-DD') AS period,
            sum(d.clicks) AS clicks, sum(d.orders) AS orders, sum(d.gross_minor) AS gross, sum(d.refunds_minor) AS refunds,
            sum(d.spend_minor) AS spend, sum(d.conversions) AS conversions, sum(d.positive) AS positive, sum(d.neutral) AS neutral,
            sum(d.negative) AS negative
       FROM ${FROM_PARTNERSHIPS} JOIN partnership_days d ON d.partnership_id = p.partnership_id
      WHERE ${where(scope, params)}${range('d', days, params)}
      GROUP BY 1 ORDER BY 1`,
    params,
  )) as Record<string, string>[];
  return rows.map((r) => ({
    period: r.period,
    totals: {
      clicks: toNumber(r.clicks),
      orders: toNumber(r.orders),
      grossMinor: toNumber(r.gross),
      refundsMinor: toNumber(r.refunds),
      spendMinor: toNumber(r.spend),
      conversions: toNumber(r.conversions),
      positive: toNumber(r.positive),
      neutral: toNumber(r.neutral),
      negative: toNumber(r.negative),
    },
  }));
}
