import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

/** The campaign subgraph's entity, extended here with its analytics. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Campaign {
  @Field(() => ID) id: string;
}

@ObjectType({ description: "A campaign's measured results, from the events analytics has received." })
export class CampaignMetrics {
  @Field(() => String, { description: 'The campaign status as analytics last saw it.' }) status: string;
  @Field(() => Date, { nullable: true, description: 'When the campaign first went active.' }) launchedAt: Date | null;
  @Field(() => Int, { description: 'Status changes received so far.' }) statusChanges: number;
  @Field(() => Date) updatedAt: Date;
}
