import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "What the caller may receive of a campaign's live events (the gateway's `campaignEvents` subscription asks this when a client subscribes, and again periodically).",
})
export class CampaignLiveAccess {
  @Field(() => ID) campaignId: string;
  @Field(() => ID) brandId: string;
  @Field(() => [String], { description: 'The event types (catalogue names, e.g. `order.attributed`) the caller may receive.' })
  eventTypes: string[];
  @Field(() => [ID], {
    nullable: true,
    description: "Null: events of every partnership of the campaign. A creator: only their own partnerships' events.",
  })
  partnershipIds: string[] | null;
}
