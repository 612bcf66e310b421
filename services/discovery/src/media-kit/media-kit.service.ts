import { Money, notFound, RequestContext } from '@influenceflow/kit';
import type { AccountService } from '../accounts/account.service';
import { audienceShares, SponsoredPerformance } from '../accounts/account.types';
import { PlatformAccount } from '../accounts/platform-account.entity';
import { Creator, MediaKitSection } from '../creators/creator.entity';
import type { CreatorService } from '../creators/creator.service';
import { ownCreatorId } from '../creators/ownership';
import { tierOf } from '../rules/tier';
import { rateCardOf } from '../pricing/rate-card-copy';
import { engagementsOf, postEngagementRateByFollowers } from '../rules/engagement';
import { headlineAccount } from '../creators/search-profile';
import { MediaKit, MediaKitPost, MediaKitSectionValue, MediaKitSettingsInput } from './media-kit.types';

export const mediaKitPath = (handle: string) => `/media-kits/${encodeURIComponent(handle)}`;

/** Media kits: what a creator chose to publish, to anyone; the whole preview to the creator. */
export class MediaKitService {
  constructor(
    private readonly creators: CreatorService,
    private readonly accounts: AccountService,
  ) {}

  /** The public card; an unpublished one is NOT_FOUND except to its creator and admins (no leak). */
  async byHandle(ctx: RequestContext, handle: string): Promise<MediaKit> {
    const creator = await this.creators.findByHandle(ctx, handle);
    const kit = creator && (await this.of(ctx, creator));
    if (!kit) throw notFound('MediaKit', handle);
    return kit;
  }

  /** The kit of a creator as this caller may see it, or null. */
  async of(ctx: RequestContext, creator: Creator): Promise<MediaKit | null> {
    const owner = ctx.isAdmin || ctx.identity?.creatorId === creator.id;
    return creator.mediaKitPublished || owner ? this.build(ctx, creator) : null;
  }

  async setOwn(ctx: RequestContext, input: MediaKitSettingsInput): Promise<MediaKit> {
    const creatorId = ownCreatorId(ctx);
    const creator = await ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Creator);
      const found = await repo.findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw notFound('Creator', creatorId);
      found.mediaKitPublished = input.published;
      found.mediaKitSections = [...new Set(input.sections)] as MediaKitSection[];
      return repo.save(found);
    });
    return this.build(ctx, creator);
  }

  private async build(ctx: RequestContext, creator: Creator): Promise<MediaKit> {
    const shows = (s: MediaKitSectionValue) => creator.mediaKitSections.includes(s as MediaKitSection);
    const accounts = await this.accounts.accountsOf(ctx, creator.id);
    const headline = headlineAccount(accounts);
    const audience = headline?.audience;
    return {
      handle: creator.handle,
      displayName: creator.displayName,
      bio: creator.bio,
      avatarUrl: creator.avatarUrl,
      niches: creator.niches,
      languages: creator.languages,
      country: creator.country,
      region: creator.region,
      city: creator.city,
      published: creator.mediaKitPublished,
      sections: creator.mediaKitSections as unknown as MediaKitSectionValue[],
      path: mediaKitPath(creator.handle),
      stats: shows(MediaKitSectionValue.STATS)
        ? {
            followers: creator.followers,
            tier: tierOf(creator.followers),
            engagementRate: creator.engagementRate,
            authenticityScore: creator.authenticityScore,
            authenticityConfidence: await this.accounts.headlineScoreConfidence(ctx, creator.id),
            sponsoredPerformance: headline ? (this.accounts.sponsoredPerformanceOf(headline) as SponsoredPerformance) : null,
            accounts: accounts.map((a) => ({
              platform: a.platform,
              handle: a.handle,
              followers: a.followers,
              tier: tierOf(a.followers),
              engagementRate: a.engagementRate,
            })),
          }
        : null,
      audience: shows(MediaKitSectionValue.AUDIENCE) && audience ? { ...audienceShares(audience), interests: audience.interests } : null,
      rates: shows(MediaKitSectionValue.RATES)
        ? (await rateCardOf(ctx, creator.id)).map((r) => ({
            platform: r.platform,
            format: r.format,
            price: Money.of(r.priceMinor, r.currency),
          }))
        : null,
      bestPosts: shows(MediaKitSectionValue.BEST_POSTS) ? bestPosts(accounts, 3) : null,
    };
  }
}

function bestPosts(accounts: PlatformAccount[], count: number): MediaKitPost[] {
  return accounts
    .flatMap((a) =>
      a.recentPosts.map((p) => {
        const post = { ...p, postedAt: new Date(p.postedAt) };
        return {
          platform: a.platform,
          format: p.format,
          postedAt: post.postedAt,
          caption: p.caption,
          url: p.url ?? null, // posts saved before permalinks existed have none
          engagements: engagementsOf(p),
          engagementRate: postEngagementRateByFollowers(post, a.followers),
        };
      }),
    )
    .sort((x, y) => y.engagements - x.engagements || y.postedAt.getTime() - x.postedAt.getTime())
    .slice(0, count);
}
