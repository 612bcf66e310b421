import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { CampaignStatus } from '@influenceflow/vocabulary';
import { GoalProgress, Results } from '../metrics/metrics.types';

/** The campaign subgraph's entity, extended here with its analytics. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Campaign {
  @Field(() => ID) id: string;
}

@ObjectType({ description: "A campaign's measured results, from the events analytics has received." })
export class CampaignMetrics {
  @Field(() => CampaignStatus, { description: 'The campaign status as analytics last saw it (the same enum as `Campaign.status`).' })
  status: CampaignStatus;
  @Field(() => Date, { nullable: true, description: 'When the campaign first went active.' }) launchedAt: Date | null;
  @Field(() => Int, { description: 'Status changes received so far.' }) statusChanges: number;
  @Field(() => Date) updatedAt: Date;
  @Field(() => Int, { description: 'Days after a click in which an order is credited to it (setAttributionWindow).' })
  attributionWindowDays: number;
  @Field(() => Results, { description: 'Everything measured so far (docs/metrics.md).' }) results: Results;
  @Field(() => GoalProgress, {
    nullable: true,
    description: "Progress against the campaign's goal; null for a goal type analytics does not know.",
  })
  goalProgress: GoalProgress | null;
}
