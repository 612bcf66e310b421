import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { CampaignStatus } from '@influenceflow/vocabulary';

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
}
