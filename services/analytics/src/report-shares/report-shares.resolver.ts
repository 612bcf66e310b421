import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AnalyticsContext } from '../services';
import { CampaignReport, ReportInterval } from '../metrics/metrics.types';
import { ReportShare, ShareCampaignReportArgs, SharedCampaignReportArgs } from './report-shares.types';

@Resolver(() => ReportShare)
export class ReportSharesResolver {
  @Mutation(() => ReportShare, {
    description:
      "A share link of the campaign's report, for its brand's members and analysts: its `url` opens the report page without signing in until it expires (1–90 days, 14 unless given) or is revoked.",
  })
  shareCampaignReport(
    @Args(() => ShareCampaignReportArgs) args: ShareCampaignReportArgs,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<ReportShare> {
    return ctx.services.reportShares.share(ctx, args.campaignId, args.expiresInDays);
  }

  @Mutation(() => ReportShare, { description: "Ends a share link at once (its brand's members and analysts)." })
  revokeReportShare(@Arg('id', () => ID) id: string, @Ctx() ctx: AnalyticsContext): Promise<ReportShare> {
    return ctx.services.reportShares.revoke(ctx, id);
  }

  @Query(() => [ReportShare], {
    description: "The campaign's share links, newest first, revoked and expired ones too (without their tokens).",
  })
  reportShares(@Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: AnalyticsContext): Promise<ReportShare[]> {
    return ctx.services.reportShares.list(ctx, campaignId);
  }

  @Query(() => CampaignReport, {
    description:
      'The report a share link opens, for anyone holding it (no sign-in). NOT_FOUND for any link that does not open it: unknown, of another campaign, expired or revoked.',
  })
  sharedCampaignReport(
    @Args(() => SharedCampaignReportArgs) args: SharedCampaignReportArgs,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<CampaignReport> {
    return ctx.services.reportShares.sharedReport(ctx, args.campaignId, args.share, args.interval ?? ReportInterval.DAY);
  }
}
