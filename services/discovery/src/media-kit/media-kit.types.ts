import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Money } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';
import { ShareOf, SponsoredPerformance } from '../accounts/account.types';
import { Tier } from '../rules/tier';

export enum MediaKitSectionValue {
  STATS = 'stats',
  AUDIENCE = 'audience',
  RATES = 'rates',
  BEST_POSTS = 'best_posts',
}
registerEnumType(MediaKitSectionValue, { name: 'MediaKitSection' });

@ObjectType()
export class MediaKitAccount {
  @Field(() => Platform) platform: string;
  @Field(() => String) handle: string;
  @Field(() => Int) followers: number;
  @Field(() => Tier) tier: Tier;
  @Field(() => Float, { nullable: true, description: 'Percent, by followers.' }) engagementRate: number | null;
}

@ObjectType()
export class MediaKitStats {
  @Field(() => Int, { description: 'Of the headline account.' }) followers: number;
  @Field(() => Tier) tier: Tier;
  @Field(() => Float, { nullable: true }) engagementRate: number | null;
  @Field(() => Int, { nullable: true }) authenticityScore: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "How far the authenticity score can be trusted, 0–1: the confidence of the headline account's latest report (the evidence measured × the trust in where the figures come from).",
  })
  authenticityConfidence: number | null;
  @Field(() => SponsoredPerformance, {
    nullable: true,
    description: "Of the headline account: whether the creator's sponsored posts engage like their own; null without accounts.",
  })
  sponsoredPerformance: SponsoredPerformance | null;
  @Field(() => [MediaKitAccount]) accounts: MediaKitAccount[];
}

@ObjectType({ description: "The headline account's audience." })
export class MediaKitAudience {
  @Field(() => [ShareOf]) ages: ShareOf[];
  @Field(() => [ShareOf]) genders: ShareOf[];
  @Field(() => [ShareOf]) countries: ShareOf[];
  @Field(() => [String]) interests: string[];
}

@ObjectType()
export class MediaKitRate {
  @Field(() => Platform) platform: string;
  @Field(() => ContentFormat) format: string;
  @Field(() => Money) price: Money;
}

@ObjectType()
export class MediaKitPost {
  @Field(() => Platform) platform: string;
  @Field(() => ContentFormat) format: string;
  @Field(() => GraphQLDateTimeISO) postedAt: Date;
  @Field(() => String) caption: string;
  @Field(() => String, { nullable: true, description: "The post's permalink (https), when the creator gave one." }) url: string | null;
  @Field(() => Int, { description: 'likes + comments + shares' }) engagements: number;
  @Field(() => Float, { nullable: true }) engagementRate: number | null;
}

@ObjectType({ description: "A creator's public card. Sections the creator did not publish are null." })
export class MediaKit {
  @Field(() => String) handle: string;
  @Field(() => String) displayName: string;
  @Field(() => String) bio: string;
  @Field(() => String, { nullable: true, description: "An https URL of the creator's photo." }) avatarUrl: string | null;
  @Field(() => [String]) niches: string[];
  @Field(() => [String]) languages: string[];
  @Field(() => String, { nullable: true }) country: string | null;
  @Field(() => String, { nullable: true }) region: string | null;
  @Field(() => String, { nullable: true }) city: string | null;
  @Field(() => Boolean, { description: 'False: only the creator (and admins) can see this preview.' }) published: boolean;
  @Field(() => [MediaKitSectionValue]) sections: MediaKitSectionValue[];
  @Field(() => String, { description: 'Where the shareable page lives on the gateway (HTML; add ".json" for JSON).' }) path: string;
  @Field(() => MediaKitStats, { nullable: true }) stats: MediaKitStats | null;
  @Field(() => MediaKitAudience, { nullable: true }) audience: MediaKitAudience | null;
  @Field(() => [MediaKitRate], { nullable: true, description: 'From the rate card the creator published in payments.' }) rates:
    MediaKitRate[] | null;
  @Field(() => [MediaKitPost], { nullable: true, description: 'The three recent posts with the most engagement.' }) bestPosts:
    MediaKitPost[] | null;
}

@InputType()
export class MediaKitSettingsInput {
  @Field(() => Boolean) published: boolean;
  @Field(() => [MediaKitSectionValue], { description: 'What the public card shows.' }) sections: MediaKitSectionValue[];
}
