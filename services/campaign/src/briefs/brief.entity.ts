import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '@influenceflow/kit';
import { DeliverableSpec } from './deliverable-spec';

/** One published version of a campaign's brief. Versions are never changed: publishing adds the next. */
@ObjectType({ description: 'A version of a campaign brief. Published versions never change: publishing again adds the next version.' })
@Entity({ name: 'campaign_briefs' })
export class CampaignBrief extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => Int, { description: '1 for the first version, then 2, 3, …' })
  @Column({ type: 'integer' })
  version: number;

  @Field({ description: 'Brand story and mission.' })
  @Column({ name: 'brand_story', type: 'text' })
  brandStory: string;

  @Field({ description: 'Who the content is for, in words.' })
  @Column({ name: 'target_audience', type: 'text', default: '' })
  targetAudience: string;

  @Field(() => [String])
  @Column({ name: 'key_messages', type: 'text', array: true, default: () => "'{}'" })
  keyMessages: string[];

  @Field({ description: 'Product details and benefits.' })
  @Column({ name: 'product_details', type: 'text', default: '' })
  productDetails: string;

  @Field({ description: 'Tone and style.' })
  @Column({ type: 'text', default: '' })
  tone: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  dos: string[];

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  donts: string[];

  @Field(() => [String], { description: 'Examples of content the brand likes (links or descriptions).' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  examples: string[];

  @Field(() => [String], { description: 'Without "#", lower case.' })
  @Column({ name: 'required_hashtags', type: 'text', array: true, default: () => "'{}'" })
  requiredHashtags: string[];

  @Field(() => [String], { description: 'Handles every post must mention: without "@", lower case.' })
  @Column({ name: 'required_mentions', type: 'text', array: true, default: () => "'{}'" })
  requiredMentions: string[];

  @Field(() => [String], {
    description: "Words or phrases a caption must not use (whole words, case- and accent-insensitive); the don'ts stay prose.",
  })
  @Column({ name: 'forbidden_words', type: 'text', array: true, default: () => "'{}'" })
  forbiddenWords: string[];

  @Field(() => [String], { description: 'http(s) URLs every post must carry.' })
  @Column({ name: 'required_links', type: 'text', array: true, default: () => "'{}'" })
  requiredLinks: string[];

  @Field(() => [DeliverableSpec])
  @Column({ type: 'jsonb' })
  deliverables: DeliverableSpec[];

  @Field({ description: 'How much freedom the creator has.' })
  @Column({ name: 'creative_freedom', type: 'text', default: '' })
  creativeFreedom: string;

  @Column({ name: 'published_by', type: 'text' })
  publishedBy: string;

  @Field({ description: 'When this version was published.' })
  get publishedAt(): Date {
    return this.createdAt;
  }
}
