import { assertCurrency, badInput, isUuid, loadById, notFound, parseIsoDate, RequestContext } from '@influenceflow/kit';
import { CampaignFact } from '../campaign-metrics/campaign-fact.entity';
import { goalProgress, metricsOf, Totals, ZERO_TOTALS } from './formulas';
import { DayRange, Grouping, Interval, Scope, seriesOf, totalsBy } from './measurements';
import {
  CampaignReport,
  ComparisonDimension,
  CreatorPerformance,
  GoalProgress,
  LeaderboardOrder,
  ReportPeriod,
  ResultGroup,
  Results,
  resultsOf,
  SentimentShares,
} from './metrics.types';

const READERS = ['brand_member', 'analyst'] as const;

interface PartnershipRow {
  partnership_id: string;
  campaign_id: string;
  brand_id: string;
  creator_id: string;
  creator_name: string | null;
  creator_handle: string | null;
  currency: string | null;
}

/**
 * Reports of campaigns, partnerships, creators, platforms and tiers, from the roll-ups. Only the brand's
 * members and analysts (and admins) read a brand's figures; a creator reads their own performance.
 */
export class ReportService {
  /** A campaign the caller may read (NOT_FOUND otherwise: another brand's campaign is not confirmed to exist). */
  async readableCampaign(ctx: RequestContext, campaignId: string, field = 'campaignId'): Promise<CampaignFact> {
    if (!isUuid(campaignId)) throw badInput(field, 'must be a UUID');
    const fact = await loadById(ctx, CampaignFact, campaignId, 'campaignId');
    if (!fact || !ctx.canActForBrand(fact.brandId, [...READERS])) throw notFound('Campaign', campaignId);
    return fact;
  }

  async campaignResults(ctx: RequestContext, fact: CampaignFact): Promise<{ results: Results; goal: GoalProgress | null }> {
    const totals = (await totalsBy(ctx.dataSource.manager, { campaignId: fact.campaignId }, 'all')).get('all') ?? { ...ZERO_TOTALS };
    return { results: resultsOf(totals, fact.currency), goal: goalOf(fact, totals) };
  }

  async campaignReport(
    ctx: RequestContext,
    campaignId: string,
    interval: Interval,
    from?: string | null,
    to?: string | null,
  ): Promise<CampaignReport> {
    return this.reportOf(ctx, await this.readableCampaign(ctx, campaignId), interval, from, to);
  }

  /**
   * The report of a campaign the caller was already allowed to read (readableCampaign, or a share link:
   * report-shares): the one place a campaign's report is put together.
   */
  async reportOf(
    ctx: RequestContext,
    fact: CampaignFact,
    interval: Interval,
    from?: string | null,
    to?: string | null,
  ): Promise<CampaignReport> {
    const campaignId = fact.campaignId;
    const days: DayRange = { from: from ? parseIsoDate(from, 'from') : null, to: to ? parseIsoDate(to, 'to') : null };
    if (days.from && days.to && days.from > days.to) throw badInput('to', 'must be on or after from');
    const db = ctx.dataSource.manager;
    const scope: Scope = { campaignId };
    const [all, byCreator, byPlatform, byTier, series, partnerships] = await Promise.all([
      totalsBy(db, scope, 'all', days),
      totalsBy(db, scope, 'creator', days),
      totalsBy(db, scope, 'platform', days),
      totalsBy(db, scope, 'tier', days),
      seriesOf(db, scope, interval, days),
      this.partnershipsOf(ctx, scope),
    ]);
    const totals = all.get('all') ?? { ...ZERO_TOTALS };
    return Object.assign(new CampaignReport(), {
      campaignId,
      name: fact.name,
      currency: fact.currency,
      status: fact.status,
      attributionWindowDays: fact.attributionWindowDays,
      startsOn: fact.startsOn,
      endsOn: fact.endsOn,
      results: resultsOf(totals, fact.currency),
      goal: goalOf(fact, totals),
      series: series.map((p) => periodOf(p.period, p.totals, fact.currency)),
      creators: rank(creatorGroups(byCreator, partnerships, fact.currency), LeaderboardOrder.REVENUE),
      platforms: groupsOf(byPlatform, partnerships, 'platform', fact.currency),
      tiers: groupsOf(byTier, partnerships, 'tier', fact.currency),
    });
  }

  /**
   * A partnership's results, for its brand's readers; null for anyone else (as if analytics had not heard of
   * it). The partnerships of one request are measured together (a DataLoader: one set of queries for all).
   */
  async partnershipResults(ctx: RequestContext, partnershipId: string): Promise<Results | null> {
    if (!isUuid(partnershipId)) return null;
    return ctx.loaders
      .get<string, Results | null>('analytics.partnershipResults', async (ids) => {
        const rows = await this.partnershipsOf(ctx, { partnershipIds: [...ids] });
        const readable = rows.filter((p) => p.currency && ctx.canActForBrand(p.brand_id, [...READERS]));
        const totals = readable.length
          ? await totalsBy(ctx.dataSource.manager, { partnershipIds: readable.map((p) => p.partnership_id) }, 'partnership')
          : new Map<string, Totals>();
        const byId = new Map(
          readable.map((p) => [p.partnership_id, resultsOf(totals.get(p.partnership_id) ?? { ...ZERO_TOTALS }, p.currency!)]),
        );
        return ids.map((id) => byId.get(id) ?? null);
      })
      .load(partnershipId);
  }

  /**
   * A creator's performance, one per currency: in the caller's brands (members, analysts), or everywhere
   * (the creator themself, admins). Anyone else sees nothing.
   */
  async creatorPerformance(ctx: RequestContext, creatorId: string): Promise<CreatorPerformance[]> {
    const identity = ctx.identity;
    if (!identity) return [];
    const everywhere = ctx.isAdmin || ctx.isCreator(creatorId);
    const brandIds = everywhere ? null : READERS.some((r) => identity.roles.includes(r)) ? identity.brandIds : [];
    if (brandIds && brandIds.length === 0) return [];
    const currencies = (await ctx.dataSource.query(
      `SELECT cf.currency, count(*)::int AS n FROM partnership_facts p JOIN campaign_facts cf ON cf.campaign_id = p.campaign_id
        WHERE p.creator_id = $1 ${brandIds ? 'AND p.brand_id = ANY($2::uuid[])' : ''} GROUP BY 1 ORDER BY 1`,
      brandIds ? [creatorId, brandIds] : [creatorId],
    )) as { currency: string; n: number }[];
    const out: CreatorPerformance[] = [];
    for (const { currency, n } of currencies) {
      const t = (await totalsBy(ctx.dataSource.manager, { creatorId, brandIds, currency }, 'all')).get('all') ?? { ...ZERO_TOTALS };
      out.push(Object.assign(new CreatorPerformance(), { currency, partnerships: n, results: resultsOf(t, currency) }));
    }
    return out;
  }

  /** The brand's creators ranked: the best performers for repeat partnerships. */
  async leaderboard(
    ctx: RequestContext,
    brandId: string,
    currency: string | null | undefined,
    orderBy: LeaderboardOrder,
    first: number,
  ): Promise<ResultGroup[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', 'must be between 1 and 100');
    const scope = await this.brandScope(ctx, brandId, currency);
    const [byCreator, partnerships] = await Promise.all([
      totalsBy(ctx.dataSource.manager, scope, 'creator'),
      this.partnershipsOf(ctx, scope),
    ]);
    return rank(creatorGroups(byCreator, partnerships, scope.currency), orderBy).slice(0, first);
  }

  /** Micro against macro, Instagram against TikTok: the brand's results by tier or main platform. */
  async comparison(
    ctx: RequestContext,
    brandId: string,
    currency: string | null | undefined,
    by: ComparisonDimension,
    campaignId?: string | null,
  ) {
    if (campaignId) {
      const fact = await this.readableCampaign(ctx, campaignId);
      if (fact.brandId !== brandId) throw notFound('Campaign', campaignId);
    }
    const scope = { ...(await this.brandScope(ctx, brandId, currency)), campaignId: campaignId ?? null };
    const grouping: Grouping = by === ComparisonDimension.TIER ? 'tier' : 'platform';
    const [groups, partnerships] = await Promise.all([totalsBy(ctx.dataSource.manager, scope, grouping), this.partnershipsOf(ctx, scope)]);
    return groupsOf(groups, partnerships, grouping, scope.currency);
  }

  /** A brand's campaigns in one currency: the one asked for, or the only one its campaigns use. */
  private async brandScope(ctx: RequestContext, brandId: string, currency: string | null | undefined) {
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    ctx.requireBrand(brandId, [...READERS]);
    if (currency) return { brandIds: [brandId], currency: assertCurrency(currency, 'currency') };
    const used = (await ctx.dataSource.query(`SELECT DISTINCT currency FROM campaign_facts WHERE brand_id = $1 ORDER BY 1`, [brandId])) as {
      currency: string;
    }[];
    if (used.length > 1)
      throw badInput('currency', `is needed: the brand's campaigns use ${used.map((u) => u.currency).join(', ')}, which do not add up`);
    return { brandIds: [brandId], currency: used[0]?.currency ?? 'USD' };
  }

  private async partnershipsOf(ctx: RequestContext, scope: Scope): Promise<PartnershipRow[]> {
    const params: unknown[] = [];
    let filter: string;
    if ('partnershipIds' in scope) filter = `p.partnership_id = ANY($${params.push(scope.partnershipIds)}::uuid[])`;
    else if ('campaignId' in scope && !('brandIds' in scope)) filter = `p.campaign_id = $${params.push(scope.campaignId)}`;
    else if ('brandIds' in scope && !('creatorId' in scope)) {
      filter = `p.brand_id = ANY($${params.push(scope.brandIds)}::uuid[]) AND cf.currency = $${params.push(scope.currency)}`;
      if (scope.campaignId) filter += ` AND p.campaign_id = $${params.push(scope.campaignId)}`;
    } else throw new Error('partnershipsOf: unsupported scope');
    return (await ctx.dataSource.query(
      `SELECT p.partnership_id, p.campaign_id, p.brand_id, p.creator_id, p.platform, COALESCE(cr.display_name, p.creator_name) AS creator_name,
              COALESCE(cr.handle, p.creator_handle) AS creator_handle, COALESCE(cr.tier, 'unknown') AS tier, cf.currency
         FROM partnership_facts p LEFT JOIN campaign_facts cf ON cf.campaign_id = p.campaign_id
         LEFT JOIN creator_facts cr ON cr.creator_id = p.creator_id WHERE ${filter}`,
      params,
    )) as PartnershipRow[];
  }
}

function goalOf(fact: CampaignFact, totals: Totals): GoalProgress | null {
  const g = goalProgress(fact.goalType, fact.goalTarget, totals);
  return g
    ? Object.assign(new GoalProgress(), { goalType: fact.goalType, target: fact.goalTarget, value: g.value, percent: g.percent })
    : null;
}

function periodOf(period: string, t: Partial<Totals>, currency: string): ReportPeriod {
  const totals = { ...ZERO_TOTALS, ...t };
  const m = metricsOf(totals);
  return Object.assign(new ReportPeriod(), {
    period,
    clicks: totals.clicks,
    orders: totals.orders,
    revenue: resultsOf(totals, currency).revenue,
    spend: resultsOf(totals, currency).spend,
    conversions: totals.conversions,
    sentiment: Object.assign(new SentimentShares(), {
      positive: totals.positive,
      neutral: totals.neutral,
      negative: totals.negative,
      positivePercent: m.positivePercent,
      neutralPercent: m.neutralPercent,
      negativePercent: m.negativePercent,
    }),
  });
}

function creatorGroups(byCreator: Map<string, Totals>, partnerships: PartnershipRow[], currency: string): ResultGroup[] {
  const seen = new Map<string, PartnershipRow[]>();
  for (const p of partnerships) seen.set(p.creator_id, [...(seen.get(p.creator_id) ?? []), p]);
  return [...seen.entries()].map(([creatorId, rows]) => {
    const name = rows[0].creator_name ?? 'Unknown creator';
    const handle = rows[0].creator_handle;
    return Object.assign(new ResultGroup(), {
      key: creatorId,
      label: handle ? `${name} (@${handle})` : name,
      partnerships: rows.length,
      results: resultsOf(byCreator.get(creatorId) ?? { ...ZERO_TOTALS }, currency),
    });
  });
}

function groupsOf(
  groups: Map<string, Totals>,
  partnerships: PartnershipRow[],
  grouping: 'platform' | 'tier',
  currency: string,
): ResultGroup[] {
  const count = new Map<string, number>();
  for (const p of partnerships as (PartnershipRow & { platform: string | null; tier: string })[]) {
    const key = (grouping === 'platform' ? p.platform : p.tier) ?? 'unknown';
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return [...count.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, n]) =>
      Object.assign(new ResultGroup(), {
        key,
        label: key,
        partnerships: n,
        results: resultsOf(groups.get(key) ?? { ...ZERO_TOTALS }, currency),
      }),
    );
}

/** Highest first by the figure; unknown (null) figures last; ties by clicks, then key, so the order is stable. */
function rank(groups: ResultGroup[], orderBy: LeaderboardOrder): ResultGroup[] {
  const value = (g: ResultGroup): number | null => {
    const r = g.results;
    if (orderBy === LeaderboardOrder.REVENUE) return r.revenue.amountMinor;
    if (orderBy === LeaderboardOrder.ROI) return r.roi;
    if (orderBy === LeaderboardOrder.ORDERS) return r.orders;
    if (orderBy === LeaderboardOrder.CLICKS) return r.clicks;
    return r.engagementRateByReach;
  };
  return [...groups].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      return vb - va;
    }
    return b.results.clicks - a.results.clicks || (a.key < b.key ? -1 : 1);
  });
}
