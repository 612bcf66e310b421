import { ArgsType, Field, ID, InputType } from 'type-graphql';

import { ConnectionType, PageArgs } from '@influenceflow/kit';
import { Deliverable, ReviewDecision } from './deliverable.entity';

@InputType()
export class SubmitDraftInput {
  @Field(() => ID) deliverableId: string;
  @Field({ description: 'An http(s) link where the brand can see the draft.' }) draftUrl: string;
  @Field({ nullable: true }) caption?: string;
  @Field({ nullable: true, description: 'A note to the reviewer.' }) note?: string;
}

@InputType()
export class ReviewDraftInput {
  @Field(() => ID) deliverableId: string;
  @Field(() => ReviewDecision) decision: ReviewDecision;
  @Field({ nullable: true, description: 'Required when asking for changes: what to change.' }) comments?: string;
}

@ArgsType()
export class FlaggedContentArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

export const DeliverableConnection = ConnectionType(Deliverable);
export type DeliverableConnection = InstanceType<typeof DeliverableConnection>;
