import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { ConnectionType } from '@influenceflow/kit';
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
export class FlaggedContentArgs {
  @Field(() => ID) brandId: string;

  @Field(() => Int, { nullable: true, defaultValue: 20 })
  @IsOptional()
  first?: number;

  @Field({ nullable: true })
  @IsOptional()
  after?: string;
}

export const DeliverableConnection = ConnectionType(Deliverable);
export type DeliverableConnection = InstanceType<typeof DeliverableConnection>;
