import { ArgsType, Field, Float, ID, InputType } from 'type-graphql';
import { Length, Max, Min, ValidateNested } from 'class-validator';
import { ConnectionType, MoneyInput, NotBlank, PageArgs } from '@influenceflow/kit';
import { AgeBucketValue, GenderValue, Platform } from '@influenceflow/vocabulary';
import { Campaign, GoalType } from './campaign.entity';

@InputType()
export class CampaignGoalInput {
  @Field(() => GoalType) type: GoalType;

  @Field(() => Float, { description: 'The numeric target, e.g. 500 clicks or 25 (% awareness lift).' })
  @Min(0.000001, { message: 'target must be greater than 0' })
  @Max(1e12)
  target: number;
}

@InputType()
export class CampaignAudienceInput {
  @Field(() => [AgeBucketValue], { nullable: true }) ages?: AgeBucketValue[];
  @Field(() => [GenderValue], { nullable: true }) genders?: GenderValue[];
  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2' }) countries?: string[];
  @Field(() => [String], { nullable: true }) interests?: string[];
}

@InputType()
export class CreateCampaignInput {
  @Field(() => ID) brandId: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => CampaignGoalInput)
  @ValidateNested()
  goal: CampaignGoalInput;

  @Field(() => MoneyInput) budget: MoneyInput;

  // Calendar dates are checked by the service (isoDate), with the other rules of the dates.
  @Field({ description: 'ISO date, e.g. 2026-03-01' })
  startsOn: string;

  @Field({ description: 'ISO date, on or after startsOn' })
  endsOn: string;

  @Field(() => [Platform], { nullable: true, description: 'Where the content runs.' })
  platforms?: Platform[];

  @Field(() => CampaignAudienceInput, { nullable: true })
  targetAudience?: CampaignAudienceInput;

  @Field({ nullable: true, description: "An http(s) page tracking links send people to (default: the brand's website)." })
  landingUrl?: string;
}

@ArgsType()
export class CampaignsArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

export const CampaignConnection = ConnectionType(Campaign);
export type CampaignConnection = InstanceType<typeof CampaignConnection>;
