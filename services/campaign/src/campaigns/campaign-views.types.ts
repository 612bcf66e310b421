import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Platform } from '@influenceflow/vocabulary';
import { CampaignStatus } from './campaign-status';

@ObjectType({
  description:
    'The campaign of a partnership as both sides see it: what it is, whose, when, and the brief version the creator accepted. ' +
    "The brand's own figures (budget, goal, target audience) are on Campaign, for the brand only.",
})
export class PartnershipCampaign {
  @Field(() => ID) id: string;
  @Field() name: string;
  brandId: string;
  @Field(() => CampaignStatus) status: CampaignStatus;
  @Field({ description: 'First day (ISO date).' }) startsOn: string;
  @Field({ description: 'Last day (ISO date).' }) endsOn: string;
  @Field(() => [Platform]) platforms: Platform[];
  @Field(() => Int, { nullable: true, description: 'The brief version the creator accepted (null before they answer).' })
  acceptedBriefVersion: number | null;
}

@ObjectType({ description: 'A campaign past its last day that is still running: completed by the scheduled task, or what holds it.' })
export class CampaignCompletion {
  @Field({ description: 'The campaign’s last day (ISO date).' }) endedOn: string;
  @Field({ description: 'True: the next run of the scheduled task completes it. False: something holds it (reason).' }) due: boolean;
  @Field(() => String, { nullable: true, description: 'The last day of the longest long-term partnership still running.' })
  waitsUntil: string | null;
  @Field() reason: string;
}
