import { Directive, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { AgeBucketValue, ContentFormat, GenderValue, Platform } from '@influenceflow/vocabulary';
import type { AudienceRecord } from '../creators/creator-record';
import { AGE_BUCKETS, GENDERS, PostFormat, shareToPercent } from '../rules/types';

// GraphQL shapes of accounts, audiences and posts. Inputs carry no validation decorators on purpose:
// every write is checked by the schemas of creators/creator-record.ts, which imports use too (audiences:
// `audienceIn`, which reads the percents and the deprecated fractions).

export enum EngagementBandValue {
  BELOW = 'below',
  HEALTHY = 'healthy',
  ABOVE = 'above',
}
registerEnumType(EngagementBandValue, { name: 'EngagementBand', description: 'Against the healthy 3–10 % band.' });

@ObjectType({ description: 'Engagement of an account over its last N ≤ 12 posts; engagements are likes + comments + shares.' })
export class Engagement {
  @Field(() => Float, { nullable: true, description: '(Σ likes + comments + shares over the last N posts ÷ N) ÷ followers × 100.' })
  byFollowers: number | null;

  @Field(() => Float, { nullable: true, description: 'Σ engagements ÷ Σ reach × 100 over the same posts.' })
  byReach: number | null;

  @Field(() => EngagementBandValue, { nullable: true, description: 'By followers, against the healthy 3–10 % band.' })
  band: EngagementBandValue | null;

  @Field(() => Int, { description: 'Posts the rates are computed over (N ≤ 12); 0 means the rate is self-reported.' })
  postsCounted: number;
}

const SHARE_DEPRECATED = 'A fraction 0–1; use `percent` (every rate and share of the API is a percent number).';

@ObjectType({ description: 'A part of the audience and its share, in percent (30 means 30 %). One of ageBucket, gender, country is set.' })
export class ShareOf {
  @Field(() => String, {
    description: 'An age bucket ("18-24"), a gender ("female") or a country, as stored.',
    deprecationReason: 'Use the typed `ageBucket`, `gender` or `country`.',
  })
  key: string;
  @Field(() => AgeBucketValue, { nullable: true, description: 'Set in `Audience.ages`.' }) ageBucket: AgeBucketValue | null;
  @Field(() => GenderValue, { nullable: true, description: 'Set in `Audience.genders`.' }) gender: GenderValue | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2; set in `Audience.countries`.' }) country: string | null;
  @Field(() => Float, { description: 'Percent of the audience (0–100).' }) percent: number;
  @Field(() => Float, { deprecationReason: SHARE_DEPRECATED }) share: number;
}

@ObjectType()
export class CityShare {
  @Field(() => String) city: string;
  @Field(() => String) country: string;
  @Field(() => Float, { description: 'Percent of the audience (0–100).' }) percent: number;
  @Field(() => Float, { deprecationReason: SHARE_DEPRECATED }) share: number;
}

@ObjectType({ description: "Who follows an account, in percent (0–100) of the account's followers." })
export class Audience {
  @Field(() => [ShareOf]) ages: ShareOf[];
  @Field(() => [ShareOf]) genders: ShareOf[];
  @Field(() => [ShareOf], { description: 'Top countries (ISO 3166-1 alpha-2), largest first.' }) countries: ShareOf[];
  @Field(() => [CityShare]) cities: CityShare[];
  @Field(() => [String]) interests: string[];
  @Field(() => Float, { nullable: true, description: 'Percent of followers without a profile picture (0–100).' })
  noProfilePicturePercent: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: 'A fraction 0–1; use `noProfilePicturePercent`.' })
  noProfilePictureShare: number | null;
}

const part = (share: number) => ({ share, percent: shareToPercent(share) });

/** An audience's cities and no-picture share in the API's unit (percent), next to the deprecated fractions. */
export function audienceExtras(a: AudienceRecord): Pick<Audience, 'cities' | 'noProfilePicturePercent' | 'noProfilePictureShare'> {
  return {
    cities: [...a.cities].sort((x, y) => y.share - x.share).map((c) => ({ city: c.city, country: c.country, ...part(c.share) })),
    noProfilePicturePercent: a.noProfilePictureShare === null ? null : shareToPercent(a.noProfilePictureShare),
    noProfilePictureShare: a.noProfilePictureShare,
  };
}

/** An audience's ages, genders and countries as key/share lists, in bucket order and largest country first. */
export function audienceShares(a: AudienceRecord): Pick<Audience, 'ages' | 'genders' | 'countries'> {
  return {
    ages: AGE_BUCKETS.filter((k) => a.ages[k] !== undefined).map((key) => ({
      key,
      ageBucket: key,
      gender: null,
      country: null,
      ...part(a.ages[key]!),
    })),
    genders: GENDERS.filter((k) => a.genders[k] !== undefined).map((key) => ({
      key,
      ageBucket: null,
      gender: key,
      country: null,
      ...part(a.genders[key]!),
    })),
    countries: [...a.countries]
      .sort((x, y) => y.share - x.share)
      .map((c) => ({ key: c.country, ageBucket: null, gender: null, country: c.country, ...part(c.share) })),
  };
}

@ObjectType()
export class FollowerCount {
  @Field(() => String, { description: 'ISO date.' }) date: string;
  @Field(() => Int) followers: number;
}

export enum DisclosureMarkerKindValue {
  HASHTAG = 'hashtag',
  PHRASE = 'phrase',
  PLATFORM_FLAG = 'platform_flag',
}
registerEnumType(DisclosureMarkerKindValue, { name: 'DisclosureMarkerKind' });

export enum DisclosureValue {
  PAID = 'paid',
  GIFTED = 'gifted',
}
registerEnumType(DisclosureValue, { name: 'Disclosure', description: 'A paid partnership, or a gifted product (a disclosure too).' });

// Shareable: campaign will show the same markers when it checks a post against a brief.
@ObjectType({ description: 'A marker that discloses a paid or gifted post (docs/sponsored.md lists them).' })
@Directive('@shareable')
export class DisclosureMarker {
  @Field(() => String, {
    description: 'As the marker list writes it: "#ad", "#publicité", "paid partnership", or "paid partnership label".',
  })
  marker: string;
  @Field(() => DisclosureMarkerKindValue, { description: "A hashtag, a phrase of the caption, or the platform's own label." })
  kind: DisclosureMarkerKindValue;
  @Field(() => String, { nullable: true, description: "ISO 639-1; null for the platform's label." }) language: string | null;
  @Field(() => DisclosureValue) disclosure: DisclosureValue;
}

export enum SponsoredRatioGapValue {
  TOO_FEW_SPONSORED_POSTS = 'too_few_sponsored_posts',
  TOO_FEW_ORGANIC_POSTS = 'too_few_organic_posts',
  NO_FOLLOWERS = 'no_followers',
  NO_ORGANIC_ENGAGEMENT = 'no_organic_engagement',
}
registerEnumType(SponsoredRatioGapValue, { name: 'SponsoredRatioGap', description: 'Why an account has no sponsored ratio.' });

@ObjectType({
  description:
    "Whether an account's sponsored posts engage like its own: engagement rate by followers of each kind over the stored recent posts.",
})
export class SponsoredPerformance {
  @Field(() => Float, {
    nullable: true,
    description: 'Sponsored ÷ organic engagement rate (1: as well; 0.5: half as well); null when `gap` says why.',
  })
  ratio: number | null;
  @Field(() => Int, { description: 'Posts with a disclosure (paid or gifted).' }) sponsoredPosts: number;
  @Field(() => Int) organicPosts: number;
  @Field(() => Float, {
    nullable: true,
    description: '(Σ engagements ÷ sponsored posts) ÷ followers × 100; null with fewer than 2 sponsored posts.',
  })
  sponsoredEngagementRate: number | null;
  @Field(() => Float, { nullable: true, description: 'The same over the organic posts; null with fewer than 2 of them.' })
  organicEngagementRate: number | null;
  @Field(() => SponsoredRatioGapValue, { nullable: true }) gap: SponsoredRatioGapValue | null;
  @Field(() => String) explanation: string;
}

@ObjectType({ description: 'One recent post of an account, with its engagement.' })
export class PostSample {
  @Field(() => GraphQLDateTimeISO) postedAt: Date;
  @Field(() => ContentFormat) format: PostFormat;
  @Field(() => Int) likes: number;
  @Field(() => Int) comments: number;
  @Field(() => Int) shares: number;
  @Field(() => Int) saves: number;
  @Field(() => Int, { nullable: true }) views: number | null;
  @Field(() => Int, { nullable: true }) reach: number | null;
  @Field(() => String) caption: string;
  @Field(() => [String]) hashtags: string[];
  @Field(() => String, { nullable: true, description: "The post's permalink (https)." }) url: string | null;
  @Field(() => Int, { description: 'likes + comments + shares' }) engagements: number;
  @Field(() => Float, { nullable: true, description: 'engagements ÷ followers × 100' }) engagementRate: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "The platform's own paid-partnership label (YouTube's paid product placement on fetched posts); null when not reported.",
  })
  paidPartnership: boolean | null;
  @Field(() => Boolean, { description: 'Whether the post discloses a paid or gifted partnership (any of `disclosureMarkers`).' })
  sponsored: boolean;
  @Field(() => [DisclosureMarker], { description: 'Every disclosure found: the platform label, hashtags, caption phrases.' })
  disclosureMarkers: DisclosureMarker[];
}

const PERCENT_IN = 'Percent of the audience (0–100; 40 means 40 %). Give this or the deprecated `share`.';
const SHARE_IN_DEPRECATED = 'A fraction 0–1; use `percent` (every rate and share of the API is a percent number).';

@InputType({
  description:
    'A part of the audience and its percent. The part is `ageBucket` in `ages`, `gender` in `genders`, `country` in `countries` (or the deprecated `key`).',
})
export class ShareInput {
  @Field(() => String, {
    nullable: true,
    description: 'An age bucket ("18-24"), a gender ("female") or a country, as text.',
    deprecationReason: 'Use the typed `ageBucket`, `gender` or `country`.',
  })
  key?: string | null;
  @Field(() => AgeBucketValue, { nullable: true, description: 'In `AudienceInput.ages`.' }) ageBucket?: AgeBucketValue | null;
  @Field(() => GenderValue, { nullable: true, description: 'In `AudienceInput.genders`.' }) gender?: GenderValue | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2; in `AudienceInput.countries`.' }) country?: string | null;
  @Field(() => Float, { nullable: true, description: PERCENT_IN }) percent?: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: SHARE_IN_DEPRECATED }) share?: number | null;
}

@InputType()
export class CityShareInput {
  @Field(() => String) city: string;
  @Field(() => String) country: string;
  @Field(() => Float, { nullable: true, description: PERCENT_IN }) percent?: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: SHARE_IN_DEPRECATED }) share?: number | null;
}

@InputType({ description: "Who follows the account, in percent (0–100) of its followers; each group adds up to at most 100." })
export class AudienceInput {
  @Field(() => [ShareInput], { nullable: true, description: 'By `ageBucket`.' }) ages?: ShareInput[];
  @Field(() => [ShareInput], { nullable: true, description: 'By `gender`.' }) genders?: ShareInput[];
  @Field(() => [ShareInput], { nullable: true, description: 'By `country` (ISO 3166-1 alpha-2), at most 50.' }) countries?: ShareInput[];
  @Field(() => [CityShareInput], { nullable: true }) cities?: CityShareInput[];
  @Field(() => [String], { nullable: true }) interests?: string[];
  @Field(() => Float, {
    nullable: true,
    description: 'Percent of followers without a profile picture (0–100). Give this or the deprecated `noProfilePictureShare`.',
  })
  noProfilePicturePercent?: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: 'A fraction 0–1; use `noProfilePicturePercent`.' })
  noProfilePictureShare?: number | null;
}

@InputType()
export class CommentSampleInput {
  @Field(() => String) author: string;
  @Field(() => String) text: string;
}

@InputType()
export class PostSampleInput {
  @Field(() => GraphQLDateTimeISO) postedAt: Date;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => Int) likes: number;
  @Field(() => Int) comments: number;
  @Field(() => Int, { nullable: true }) shares?: number;
  @Field(() => Int, { nullable: true }) saves?: number;
  @Field(() => Int, { nullable: true }) views?: number | null;
  @Field(() => Int, { nullable: true }) reach?: number | null;
  @Field(() => String, { nullable: true }) caption?: string;
  @Field(() => [String], { nullable: true }) hashtags?: string[];
  @Field(() => String, { nullable: true, description: "The post's permalink: an https URL on a public host, linked from your media kit." })
  url?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "The platform's own paid-partnership label, where it reports one; leave out when unknown.",
  })
  paidPartnership?: boolean | null;
  @Field(() => [CommentSampleInput], { nullable: true, description: 'A sample of comments, for the authenticity report.' })
  commentSamples?: CommentSampleInput[];
}

@InputType()
export class FollowerCountInput {
  @Field(() => String, { description: 'ISO date.' }) date: string;
  @Field(() => Int) followers: number;
}

@InputType({
  description:
    'An account and its stats, as a partial update of your account on that platform: a field left out keeps its value, null clears it. The first save needs handle and followers.',
})
export class PlatformAccountInput {
  @Field(() => Platform) platform: Platform;
  @Field(() => String, { nullable: true, description: 'Needed in the first save of the platform.' }) handle?: string | null;
  @Field(() => Float, {
    nullable: true,
    description: 'A whole number; Float so that absurd values get a clear error instead of a parse failure. Needed in the first save.',
  })
  followers?: number | null;
  @Field(() => Float, { nullable: true }) following?: number;
  @Field(() => Float, { nullable: true }) postCount?: number;
  @Field(() => Float, { nullable: true, description: 'Self-reported engagement rate (%), used only without post samples.' })
  engagementRate?: number | null;
  @Field(() => AudienceInput, { nullable: true }) audience?: AudienceInput | null;
  @Field(() => [FollowerCountInput], { nullable: true }) followerHistory?: FollowerCountInput[];
  @Field(() => [PostSampleInput], { nullable: true }) posts?: PostSampleInput[];
}
