import { Timestamped } from '@influenceflow/kit';
import { Platform } from '@influenceflow/vocabulary';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AudienceRecord, PostRecord } from '../creators/creator-record';
import type { SponsoredPerformance } from '../rules/sponsored-performance';
import type { Platform as PlatformName, Provenance } from '../rules/types';
import { ProvenanceValue } from './provenance';
import { Tier, tierOf } from '../rules/tier';

/** A post sample as stored in `recent_posts` (JSON: dates as ISO strings). */
export type StoredPost = Omit<PostRecord, 'postedAt'> & { postedAt: string };
/** A follower count as stored in `follower_history`. */
export interface StoredFollowerCount {
  date: string;
  followers: number;
}

/**
 * A creator's account on one platform, with the raw stats the creator, an import or the platform's API
 * (a connected account) gave, where they came from (`provenance`), and what discovery computed from them. Post samples and follower history are bounded (MAX_POSTS, MAX_HISTORY)
 * and always read with the account, so they are JSON columns rather than tables.
 */
@ObjectType({ description: "A creator's account on one platform." })
@Entity({ name: 'platform_accounts' })
@Index(['creatorId'])
export class PlatformAccount extends Timestamped {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => Platform)
  @Column({ type: 'text' })
  platform: PlatformName;

  @Field(() => String)
  @Column({ type: 'text' })
  handle: string;

  @Field(() => Int)
  @Column({ type: 'integer' })
  followers: number;

  @Field(() => Int)
  @Column({ type: 'integer', default: 0 })
  following: number;

  @Field(() => Int)
  @Column({ name: 'post_count', type: 'integer', default: 0 })
  postCount: number;

  @Column({ name: 'engagement_rate', type: 'real', nullable: true })
  engagementRate: number | null;

  @Column({ name: 'reach_rate', type: 'real', nullable: true })
  reachRate: number | null;

  @Column({ name: 'posts_counted', type: 'smallint', default: 0 })
  postsCounted: number;

  @Field(() => Int, { nullable: true, description: 'Latest authenticity score (0–100); `authenticity` explains it.' })
  @Column({ name: 'authenticity_score', type: 'smallint', nullable: true })
  authenticityScore: number | null;

  @Column({ type: 'jsonb', nullable: true })
  audience: AudienceRecord | null;

  @Column({ name: 'follower_history', type: 'jsonb', default: () => "'[]'" })
  followerHistory: StoredFollowerCount[];

  @Column({ name: 'recent_posts', type: 'jsonb', default: () => "'[]'" })
  recentPosts: StoredPost[];

  @Field(() => ProvenanceValue, { description: "Where the account's figures come from (docs/connectors.md)." })
  @Column({ type: 'text', default: 'self_reported' })
  provenance: Provenance;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When the figures were fetched from the platform's API (FETCHED only)." })
  @Column({ name: 'fetched_at', type: 'timestamptz', nullable: true })
  fetchedAt: Date | null;

  /** Sponsored versus organic engagement, computed with the other metrics at every write. */
  @Column({ name: 'sponsored_performance', type: 'jsonb', nullable: true })
  sponsoredPerformance: SponsoredPerformance | null;

  @Field(() => Tier)
  get tier(): Tier {
    return tierOf(this.followers);
  }
}
