import { minorUnitsTransformer, Timestamped } from '@influenceflow/kit';
import { Platform } from '@influenceflow/vocabulary';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Platform as PlatformName } from '../rules/types';
import { Tier, tierOf } from '../rules/tier';

registerEnumType(Tier, { name: 'Tier', description: 'nano < 10k ≤ micro < 100k ≤ macro ≤ 1M < mega followers' });

/** Parts of a media kit a creator can choose to publish. */
export const MEDIA_KIT_SECTIONS = ['stats', 'audience', 'rates', 'best_posts'] as const;
export type MediaKitSection = (typeof MEDIA_KIT_SECTIONS)[number];

/**
 * A creator's public profile: the entity other subgraphs extend (partnerships, rate card, performance).
 * The columns after `mediaKitSections` are derived for search (search/search-profile.ts) and rewritten
 * whenever the profile, an account or the rate card changes; only some are exposed as fields.
 */
@ObjectType()
@Directive('@key(fields: "id")')
@Entity({ name: 'creators' })
export class Creator extends Timestamped {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => String)
  @Column({ type: 'text', unique: true })
  handle: string;

  @Field(() => String)
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Field(() => String)
  @Column({ type: 'text', default: '' })
  bio: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  niches: string[];

  @Field(() => [String], { description: 'e.g. "tutorial", "vlog", "review", "comedy".' })
  @Column({ name: 'content_styles', type: 'text', array: true, default: () => "'{}'" })
  contentStyles: string[];

  @Field(() => [String], { description: 'ISO 639-1 language codes, e.g. "en".' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' })
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Field(() => [String], { description: 'Countries the creator works for besides their own (ISO 3166-1 alpha-2).' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  markets: string[];

  @Field(() => String, { nullable: true, description: "An https URL of the creator's photo (the media kit shows initials without one)." })
  @Column({ name: 'avatar_url', type: 'text', nullable: true })
  avatarUrl: string | null;

  @Column({ name: 'media_kit_published', type: 'boolean', default: false })
  mediaKitPublished: boolean;

  @Column({ name: 'media_kit_sections', type: 'text', array: true })
  mediaKitSections: MediaKitSection[];

  // ---- derived for search ----

  @Field(() => Int, { description: "Followers of the creator's largest account (the headline account)." })
  @Column({ type: 'integer', default: 0 })
  followers: number;

  @Field(() => [Platform], { description: 'Platforms the creator has an account on.' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  platforms: PlatformName[];

  @Field(() => Float, { nullable: true, description: 'Percent, by followers, of the headline account (see `engagement`).' })
  @Column({ name: 'engagement_rate', type: 'real', nullable: true })
  engagementRate: number | null;

  @Field(() => Int, { nullable: true, description: 'Authenticity score (0–100) of the headline account; see `authenticity` for why.' })
  @Column({ name: 'authenticity_score', type: 'smallint', nullable: true })
  authenticityScore: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Sponsored ÷ organic engagement rate of the headline account (1: paid posts engage as well as their own); null when it has none. `PlatformAccount.sponsoredPerformance` says why.',
  })
  @Column({ name: 'sponsored_ratio', type: 'real', nullable: true })
  sponsoredRatio: number | null;

  @Column({ name: 'price_low_minor', type: 'bigint', nullable: true, transformer: minorUnitsTransformer })
  priceLowMinor: number | null;

  @Column({ name: 'price_high_minor', type: 'bigint', nullable: true, transformer: minorUnitsTransformer })
  priceHighMinor: number | null;

  @Column({ name: 'price_source', type: 'text', nullable: true })
  priceSource: 'rate_card' | 'guidance' | null;

  @Column({ name: 'cost_per_engagement_minor', type: 'real', nullable: true })
  costPerEngagementMinor: number | null;

  @Column({ name: 'audience_ages', type: 'real', array: true, nullable: true })
  audienceAges: number[] | null;

  @Column({ name: 'audience_genders', type: 'real', array: true, nullable: true })
  audienceGenders: number[] | null;

  @Column({ name: 'audience_countries', type: 'jsonb', default: () => "'{}'" })
  audienceCountries: Record<string, number>;

  @Column({ name: 'audience_interests', type: 'text', array: true, default: () => "'{}'" })
  audienceInterests: string[];

  // The keyword index is the table creator_search_text (written from SearchProfile.searchText).

  @Field(() => Tier, { description: 'From the followers of the headline account.' })
  get tier(): Tier {
    return tierOf(this.followers);
  }
}
