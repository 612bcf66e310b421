import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';

import { ConnectionType, PageArgs } from '@influenceflow/kit';
import { Deliverable, ReviewDecision } from './deliverable.entity';
import { DeliverableStatus } from './deliverable-status';
import { ComplianceOverrideInput } from '../compliance/compliance.types';

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
  @Field(() => ComplianceOverrideInput, {
    nullable: true,
    description: 'Required to approve a draft that fails its compliance check (and refused otherwise): why it may go out.',
  })
  overrideCompliance?: ComplianceOverrideInput | null;
}

@ArgsType()
export class FlaggedContentArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

export const DeliverableConnection = ConnectionType(Deliverable);
export type DeliverableConnection = InstanceType<typeof DeliverableConnection>;

@ArgsType()
export class BrandDeliverablesArgs extends PageArgs {
  @Field(() => ID) brandId: string;

  @Field(() => [DeliverableStatus], { nullable: true, description: 'Only these statuses.' })
  @IsOptional()
  statuses?: DeliverableStatus[];

  @Field(() => Boolean, { nullable: true, description: 'true: only overdue ones; false: only those not overdue.' })
  @IsOptional()
  overdue?: boolean;
}

@ArgsType()
export class ReviewQueueArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

/** Why a deliverable waits for the brand. */
export enum ReviewReason {
  AWAITING_REVIEW = 'awaiting_review',
  OVERDUE = 'overdue',
  FLAGGED = 'flagged',
}
registerEnumType(ReviewReason, {
  name: 'ReviewReason',
  description: 'Why a deliverable is in the review queue.',
  valuesConfig: {
    AWAITING_REVIEW: { description: 'A draft was submitted (or resubmitted) and waits for the brand’s review.' },
    OVERDUE: { description: 'Its due date has passed and it is not posted.' },
    FLAGGED: { description: 'The brand flagged the content.' },
  },
});

@ObjectType({ description: 'A deliverable waiting for the brand, and why.' })
export class ReviewQueueItem {
  @Field(() => Deliverable) deliverable: Deliverable;
  @Field(() => [ReviewReason], { description: 'Every reason it is here, at least one.' }) reasons: ReviewReason[];
  /** The queue's order: due date, then id. */
  dueOn: string;
  id: string;
}

export const ReviewQueueConnection = ConnectionType(ReviewQueueItem, 'ReviewQueue');
export type ReviewQueueConnection = InstanceType<typeof ReviewQueueConnection>;

@ArgsType()
export class ContentLibraryArgs extends PageArgs {
  @Field(() => ID) brandId: string;
  @Field(() => Boolean, { nullable: true, description: 'Only content the brand may reuse today (allowed and not expired).' })
  reusableOnly?: boolean | null;
}
