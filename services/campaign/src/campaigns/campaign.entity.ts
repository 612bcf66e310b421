import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Money, minorUnitsTransformer, Timestamped } from '@influenceflow/kit';
import { AgeBucketValue, GenderValue, Platform } from '@influenceflow/vocabulary';
import { CampaignStatus } from './campaign-status';

export enum GoalType {
  AWARENESS = 'awareness',
  TRAFFIC = 'traffic',
  SALES = 'sales',
  ENGAGEMENT = 'engagement',
  CONTENT = 'content',
}

registerEnumType(GoalType, { name: 'GoalType', description: 'What the campaign is measured against.' });

@ObjectType({ description: 'A measurable goal, e.g. traffic with target 500 ("drive 500 clicks").' })
export class CampaignGoal {
  @Field(() => GoalType) type: GoalType;
  @Field(() => Float) target: number;
}

@ObjectType({ description: "Who the campaign wants to reach; the same shape as discovery's audience-match target." })
export class CampaignAudience {
  @Field(() => [AgeBucketValue]) ages: AgeBucketValue[];
  @Field(() => [GenderValue]) genders: GenderValue[];
  @Field(() => [String], { description: 'ISO 3166-1 alpha-2' }) countries: string[];
  @Field(() => [String]) interests: string[];
}

@ObjectType()
@Directive('@key(fields: "id")')
@Entity({ name: 'campaigns' })
@Index(['brandId', 'createdAt', 'id'])
export class Campaign extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field()
  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'goal_type', type: 'text' })
  goalType: GoalType;

  @Column({ name: 'goal_target', type: 'double precision' })
  goalTarget: number;

  @Column({ name: 'budget_minor', type: 'bigint', transformer: minorUnitsTransformer })
  budgetMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Field({ description: 'First day (ISO date).' })
  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Field({ description: 'Last day (ISO date).' })
  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Field(() => CampaignStatus)
  @Column({ type: 'text', default: CampaignStatus.DRAFT })
  status: CampaignStatus;

  @Field(() => [Platform])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  platforms: Platform[];

  @Field(() => String, { nullable: true, description: "Where tracking links send people (else the brand's website)." })
  @Column({ name: 'landing_url', type: 'text', nullable: true })
  landingUrl: string | null;

  @Field(() => CampaignAudience, { nullable: true })
  @Column({ name: 'target_audience', type: 'jsonb', nullable: true })
  targetAudience: CampaignAudience | null;

  @Field(() => CampaignGoal)
  get goal(): CampaignGoal {
    return { type: this.goalType, target: this.goalTarget };
  }

  @Field(() => Money)
  get budget(): Money {
    return Money.of(this.budgetMinor, this.currency);
  }
}
