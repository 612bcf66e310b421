import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../services';
import {
  CampaignReport,
  ComparisonArgs,
  Creator,
  CreatorPerformance,
  LeaderboardArgs,
  LeaderboardOrder,
  Partnership,
  ReportArgs,
  ReportInterval,
  ResultGroup,
  Results,
} from './metrics.types';

@Resolver()
export class ReportsResolver {
  @Query(() => CampaignReport, { description: "A campaign's report, for its brand's members and analysts." })
  campaignReport(@Args(() => ReportArgs) args: ReportArgs, @Ctx() ctx: AnalyticsContext): Promise<CampaignReport> {
    return ctx.services.reports.campaignReport(ctx, args.campaignId, args.interval ?? ReportInterval.DAY, args.from, args.to);
  }

  @Query(() => [ResultGroup], { description: "The brand's creators ranked by a figure over all its campaigns: who to partner with again." })
  creatorLeaderboard(@Args(() => LeaderboardArgs) args: LeaderboardArgs, @Ctx() ctx: AnalyticsContext): Promise<ResultGroup[]> {
    return ctx.services.reports.leaderboard(ctx, args.brandId, args.currency, args.orderBy ?? LeaderboardOrder.REVENUE, args.first);
  }

  @Query(() => [ResultGroup], { description: "The brand's results by its creators' tier (micro against macro) or by platform." })
  performanceComparison(@Args(() => ComparisonArgs) args: ComparisonArgs, @Ctx() ctx: AnalyticsContext): Promise<ResultGroup[]> {
    return ctx.services.reports.comparison(ctx, args.brandId, args.currency, args.by, args.campaignId);
  }
}

@Resolver(() => Partnership)
export class PartnershipMetricsResolver {
  @FieldResolver(() => Results, {
    nullable: true,
    description: "The partnership's results, for its brand's members and analysts; null for anyone else.",
  })
  metrics(@Root() p: Partnership, @Ctx() ctx: AnalyticsContext): Promise<Results | null> {
    return ctx.services.reports.partnershipResults(ctx, p.id);
  }
}

@Resolver(() => Creator)
export class CreatorPerformanceResolver {
  @FieldResolver(() => [CreatorPerformance], {
    description: "The creator's results, one per currency: in your brands' campaigns (members, analysts), or in all (the creator, admins).",
  })
  performance(@Root() c: Creator, @Ctx() ctx: AnalyticsContext): Promise<CreatorPerformance[]> {
    return ctx.services.reports.creatorPerformance(ctx, c.id);
  }
}
