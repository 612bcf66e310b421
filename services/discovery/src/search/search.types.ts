import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '@influenceflow/kit';
import { AgeBucketValue, GenderValue, Platform } from '@influenceflow/vocabulary';
import { Creator } from '../creators/creator.entity';
import { Tier } from '../rules/tier';

export enum CreatorSort {
  ENGAGEMENT = 'engagement',
  AUDIENCE_MATCH = 'audience_match',
  AUTHENTICITY = 'authenticity',
  FOLLOWERS = 'followers',
  COST_PER_ENGAGEMENT = 'cost_per_engagement',
  SPONSORED_RATIO = 'sponsored_ratio',
}
registerEnumType(CreatorSort, {
  name: 'CreatorSort',
  description: 'Highest first, except COST_PER_ENGAGEMENT (cheapest first). Creators without the value come last.',
});

// Shared with campaign's target audience (federation needs input enums to match): the kit owns them.
export { AgeBucketValue, GenderValue };

@InputType({ description: 'An inclusive range; either bound may be left out.' })
export class IntRange {
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

@InputType({ description: 'An inclusive range of percentages (5 means 5 %, not 0.05).' })
export class PercentRange {
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

@InputType({ description: 'An inclusive range of ratios (1 means as much); either bound may be left out.' })
export class RatioRange {
  @Field(() => Float, { nullable: true }) min?: number | null;
  @Field(() => Float, { nullable: true }) max?: number | null;
}

const MIN_PERCENT = 'At least this percent of the audience (0–100; 30 means 30 %). Give this or the deprecated `minShare`.';
const MIN_SHARE_DEPRECATED = 'A fraction 0–1; use `minPercent` (every rate and share of the API is a percent number).';

@InputType({ description: 'At least `minPercent` % of the audience is in `country`.' })
export class AudienceCountryFilter {
  @Field(() => String, { description: 'ISO 3166-1 alpha-2.' }) country: string;
  @Field(() => Float, { nullable: true, description: MIN_PERCENT }) minPercent?: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: MIN_SHARE_DEPRECATED }) minShare?: number | null;
}

@InputType({ description: 'At least `minPercent` % of the audience is in these age buckets together.' })
export class AudienceAgeFilter {
  @Field(() => [AgeBucketValue]) buckets: AgeBucketValue[];
  @Field(() => Float, { nullable: true, description: MIN_PERCENT }) minPercent?: number | null;
  @Field(() => Float, { nullable: true, deprecationReason: MIN_SHARE_DEPRECATED }) minShare?: number | null;
}

@InputType({ description: 'Price of one post, in USD cents: the rate card when published, else price guidance.' })
export class PriceRange {
  @Field(() => Int, { nullable: true }) minMinor?: number | null;
  @Field(() => Int, { nullable: true }) maxMinor?: number | null;
  @Field(() => String, { defaultValue: 'USD', description: 'Only USD for now.' }) currency: string;
}

@InputType({ description: 'Every given field must match (AND); list fields match any of their values (OR).' })
export class CreatorSearchFilter {
  @Field(() => [String], { nullable: true }) niches?: string[];
  @Field(() => [Platform], { nullable: true }) platforms?: Platform[];
  @Field(() => [Tier], { nullable: true }) tiers?: Tier[];
  @Field(() => IntRange, { nullable: true, description: 'Followers of the headline account.' }) followers?: IntRange;
  @Field(() => PercentRange, {
    nullable: true,
    description: 'Engagement rate by followers, in percent (3 means 3 %); a range entirely below 1 looks like a fraction and is refused.',
  })
  engagementRate?: PercentRange;
  @Field(() => [AudienceCountryFilter], { nullable: true, description: 'All must hold. Brand members, analysts and admins only.' })
  audienceCountries?: AudienceCountryFilter[];
  @Field(() => AudienceAgeFilter, { nullable: true, description: 'Brand members, analysts and admins only.' })
  audienceAge?: AudienceAgeFilter;
  @Field(() => [String], { nullable: true, description: "The creator's own country (ISO 3166-1 alpha-2)." }) countries?: string[];
  @Field(() => [String], { nullable: true, description: 'ISO 639-1.' }) languages?: string[];
  @Field(() => [String], { nullable: true }) contentStyles?: string[];
  @Field(() => PriceRange, { nullable: true }) price?: PriceRange;
  @Field(() => Int, { nullable: true, description: 'Authenticity score at least this (0–100).' }) minAuthenticity?: number;
  @Field(() => RatioRange, {
    nullable: true,
    description:
      'Sponsored ÷ organic engagement rate of the headline account (`Creator.sponsoredRatio`); creators without one do not match.',
  })
  sponsoredRatio?: RatioRange;
  @Field(() => String, {
    nullable: true,
    description: 'Words or #hashtags in the profile and recent posts ("vegan recipes", "#trailrun").',
  })
  keywords?: string;
}

@InputType({ description: "A brand's target audience, for audience match." })
export class AudienceTargetInput {
  @Field(() => [AgeBucketValue], { nullable: true }) ages?: AgeBucketValue[];
  @Field(() => [GenderValue], { nullable: true }) genders?: GenderValue[];
  @Field(() => [String], { nullable: true }) countries?: string[];
  @Field(() => [String], { nullable: true }) interests?: string[];
  @Field(() => [Platform], { nullable: true }) platforms?: Platform[];
}

@ArgsType()
export class SearchCreatorsArgs {
  @Field(() => CreatorSearchFilter, { nullable: true }) filter?: CreatorSearchFilter;
  // No GraphQL default: buildSubgraphSchema re-parses the SDL and would hand the enum's name, not its
  // value, to the resolver (docs/pitfalls.md). The service applies ENGAGEMENT.
  @Field(() => CreatorSort, {
    nullable: true,
    description: 'ENGAGEMENT when left out. AUDIENCE_MATCH: brand members, analysts and admins only.',
  })
  sort?: CreatorSort | null;
  @Field(() => AudienceTargetInput, {
    nullable: true,
    description: 'Needed for AUDIENCE_MATCH; gives every result its match. Brand members, analysts and admins only.',
  })
  target?: AudienceTargetInput;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

export enum AudienceMatchPartKind {
  AGES = 'ages',
  GENDERS = 'genders',
  COUNTRIES = 'countries',
  INTERESTS = 'interests',
  PLATFORMS = 'platforms',
}
registerEnumType(AudienceMatchPartKind, { name: 'AudienceMatchPartKind', description: 'The part of a target a match part measures.' });

@ObjectType()
export class AudienceMatchPart {
  @Field(() => AudienceMatchPartKind) kind: AudienceMatchPartKind;
  @Field(() => String, { description: 'ages, genders, countries, interests or platforms', deprecationReason: 'Use `kind`.' }) key: string;
  @Field(() => Float, { description: "The part's weight in the score (a weight, not a share: weights add up to 1)." }) weight: number;
  @Field(() => Float, {
    description:
      'How much of the part holds, in percent (0–100): the share of the audience in the target ages, genders or countries, of the target interests matched, or 100 when on a target platform.',
  })
  percent: number;
  @Field(() => Float, { description: 'The same as a fraction 0–1.', deprecationReason: 'Use `percent`.' }) value: number;
  @Field(() => String) explanation: string;
}

@ObjectType({ description: "How well a creator's audience fits a target: a 0–100 score and its parts." })
export class AudienceMatch {
  @Field(() => Int) score: number;
  @Field(() => [AudienceMatchPart]) parts: AudienceMatchPart[];
}

@ObjectType()
export class CreatorSearchEdge {
  @Field(() => Creator) node: Creator;
  @Field() cursor: string;
  @Field(() => AudienceMatch, { nullable: true, description: 'Given a target.' }) audienceMatch: AudienceMatch | null;
}

@ObjectType()
export class FacetCount {
  @Field(() => String) value: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many matching creators have each value (top 20 per facet).' })
export class CreatorFacets {
  @Field(() => [FacetCount]) niches: FacetCount[];
  @Field(() => [FacetCount]) platforms: FacetCount[];
  @Field(() => [FacetCount]) tiers: FacetCount[];
  @Field(() => [FacetCount], { description: "Creators' own countries." }) countries: FacetCount[];
}

@ObjectType()
export class CreatorSearchConnection {
  @Field(() => [CreatorSearchEdge]) edges: CreatorSearchEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  /** The validated query, kept so totalCount and facets are computed only when asked for. */
  query: { where: string; params: unknown[] };
}
