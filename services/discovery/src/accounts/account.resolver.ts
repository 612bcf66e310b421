import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { DiscoveryContext } from '../services';
import { pageSize } from '@influenceflow/kit';
import { detectSponsorship, Platform } from '@influenceflow/vocabulary';
import { AuthenticityReport } from '../authenticity/authenticity-report.entity';
import { Creator } from '../creators/creator.entity';
import { engagementBand, engagementsOf, postEngagementRateByFollowers } from '../rules/engagement';
import type { Platform as PlatformName } from '../rules/types';
import {
  Audience,
  audienceExtras,
  audienceShares,
  DisclosureMarker,
  Engagement,
  EngagementBandValue,
  FollowerCount,
  PlatformAccountInput,
  PostSample,
  SponsoredPerformance,
} from './account.types';
import { PlatformAccount } from './platform-account.entity';

// Resolvers translate: who may see an audience or a report is decided by AccountService.

function engagementOf(account: PlatformAccount): Engagement {
  const band = engagementBand(account.engagementRate);
  return {
    byFollowers: account.engagementRate,
    byReach: account.reachRate,
    band: band ? (band as EngagementBandValue) : null,
    postsCounted: account.postsCounted,
  };
}

@Resolver(() => Creator)
export class CreatorAccountsResolver {
  @FieldResolver(() => [PlatformAccount], { description: 'Accounts on each platform, in a fixed platform order.' })
  accounts(@Root() creator: Creator, @Ctx() ctx: DiscoveryContext): Promise<PlatformAccount[]> {
    return ctx.services.accounts.accountsOf(ctx, creator.id);
  }

  @FieldResolver(() => Engagement, { nullable: true, description: 'Engagement of the headline (largest) account.' })
  async engagement(@Root() creator: Creator, @Ctx() ctx: DiscoveryContext): Promise<Engagement | null> {
    const headline = await ctx.services.accounts.headlineOf(ctx, creator.id);
    return headline ? engagementOf(headline) : null;
  }

  @FieldResolver(() => AuthenticityReport, {
    nullable: true,
    description: 'The latest authenticity report of the headline account; null for callers who may not see it.',
  })
  authenticity(@Root() creator: Creator, @Ctx() ctx: DiscoveryContext): Promise<AuthenticityReport | null> {
    return ctx.services.accounts.headlineReport(ctx, creator.id);
  }

  @Mutation(() => PlatformAccount, { description: 'Adds or replaces your account on a platform with its stats (creators only).' })
  saveMyPlatformAccount(@Arg('input', () => PlatformAccountInput) input: PlatformAccountInput, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.accounts.saveOwn(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Removes your account on a platform (creators only).' })
  removeMyPlatformAccount(@Arg('platform', () => Platform) platform: PlatformName, @Ctx() ctx: DiscoveryContext) {
    return ctx.services.accounts.removeOwn(ctx, platform);
  }
}

@Resolver(() => PlatformAccount)
export class PlatformAccountResolver {
  @FieldResolver(() => Engagement)
  engagement(@Root() account: PlatformAccount): Engagement {
    return engagementOf(account);
  }

  @FieldResolver(() => [PostSample], { description: 'Recent posts, newest first.' })
  recentPosts(
    @Root() account: PlatformAccount,
    @Arg('first', () => Int, { nullable: true, defaultValue: 12 }) first: number,
  ): PostSample[] {
    return [...account.recentPosts]
      .sort((a, b) => b.postedAt.localeCompare(a.postedAt))
      .slice(0, pageSize(first))
      .map((p) => {
        const disclosure = detectSponsorship(p);
        return {
          ...p,
          postedAt: new Date(p.postedAt),
          engagements: engagementsOf(p),
          engagementRate: postEngagementRateByFollowers({ ...p, postedAt: new Date(p.postedAt) }, account.followers),
          paidPartnership: p.paidPartnership ?? null,
          sponsored: disclosure.sponsored,
          disclosureMarkers: disclosure.markers as DisclosureMarker[],
        };
      });
  }

  @FieldResolver(() => SponsoredPerformance, {
    description: "Whether this account's sponsored posts engage like its organic ones (over its stored recent posts).",
  })
  sponsoredPerformance(@Root() account: PlatformAccount, @Ctx() ctx: DiscoveryContext): SponsoredPerformance {
    return ctx.services.accounts.sponsoredPerformanceOf(account) as SponsoredPerformance;
  }

  @FieldResolver(() => [FollowerCount], { description: 'Follower counts over time, oldest first.' })
  followerHistory(@Root() account: PlatformAccount): FollowerCount[] {
    return [...account.followerHistory].sort((a, b) => a.date.localeCompare(b.date));
  }

  @FieldResolver(() => Audience, { nullable: true, description: 'Null when unknown, or for callers who may not see it.' })
  audience(@Root() account: PlatformAccount, @Ctx() ctx: DiscoveryContext): Audience | null {
    const a = ctx.services.accounts.audienceOf(ctx, account);
    if (!a) return null;
    return {
      ...audienceShares(a),
      ...audienceExtras(a),
      interests: a.interests,
    };
  }

  @FieldResolver(() => AuthenticityReport, { nullable: true, description: 'The latest report; null for callers who may not see it.' })
  authenticity(@Root() account: PlatformAccount, @Ctx() ctx: DiscoveryContext): Promise<AuthenticityReport | null> {
    return ctx.services.accounts.reportOf(ctx, account);
  }

  @FieldResolver(() => [AuthenticityReport], { description: 'Earlier reports, newest first (empty for callers who may not see them).' })
  authenticityHistory(
    @Root() account: PlatformAccount,
    @Ctx() ctx: DiscoveryContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first: number,
  ): Promise<AuthenticityReport[]> {
    return ctx.services.accounts.historyOf(ctx, account, pageSize(first));
  }
}
