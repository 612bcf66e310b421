import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';
import { DeliverableStatus } from './deliverable-status';
import { todayUtc } from '../campaigns/campaign-calendar';
import { ComplianceCheck, ComplianceOverride } from '../compliance/compliance.types';
import type { ComplianceCheckData } from '../compliance/compliance-rule';

registerEnumType(DeliverableStatus, { name: 'DeliverableStatus' });

export enum ReviewDecision {
  APPROVED = 'approved',
  CHANGES_REQUESTED = 'changes_requested',
}
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });

/** One piece of content a partnership promises, from its posting date to the verified post. */
@ObjectType({ description: 'A piece of content a partnership promises, from its due date to the verified post.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'deliverables' })
export class Deliverable extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => Int, { description: 'Its place in the partnership’s posting schedule (1, 2, …).' })
  @Column({ type: 'smallint' })
  sequence: number;

  @Field(() => Int, { description: 'The month of a long-term partnership it belongs to (1, 2, …); 1 for one campaign.' })
  @Column({ type: 'smallint', default: 1 })
  cycle: number;

  @Field(() => Platform)
  @Column({ type: 'text' })
  platform: Platform;

  @Field(() => ContentFormat)
  @Column({ type: 'text' })
  format: ContentFormat;

  @Field({ description: 'When it is due to be posted (ISO date).' })
  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Field(() => DeliverableStatus)
  @Column({ type: 'text' })
  status: DeliverableStatus;

  @Field({ description: 'The creator lets the brand reuse this content (UGC) beyond the post.' })
  @Column({ name: 'ugc_reuse_allowed', type: 'boolean', default: false })
  ugcReuseAllowed: boolean;

  @Field(() => String, { nullable: true, description: 'The last day the brand may reuse it (ISO date); null: no end, while allowed.' })
  @Column({ name: 'ugc_reuse_until', type: 'date', nullable: true })
  ugcReuseUntil: string | null;

  @Field({ description: 'Whether the brand may reuse it today: allowed, and not past its last day (UTC).' })
  get ugcReusableNow(): boolean {
    return this.ugcReuseAllowed && (this.ugcReuseUntil === null || this.ugcReuseUntil >= todayUtc());
  }

  @Field(() => String, { nullable: true })
  @Column({ name: 'post_url', type: 'text', nullable: true })
  postUrl: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'posted_at', type: 'timestamptz', precision: 3, nullable: true })
  postedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'verified_at', type: 'timestamptz', precision: 3, nullable: true })
  verifiedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the brand flagged this content (crisis handling).' })
  @Column({ name: 'flag_reason', type: 'text', nullable: true })
  flagReason: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'flagged_at', type: 'timestamptz', precision: 3, nullable: true })
  flaggedAt: Date | null;

  @Column({ name: 'flagged_by', type: 'text', nullable: true })
  flaggedBy: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Overdue: the day after its due date, when it had not been posted by then (ISO date); null once posted.',
  })
  @Column({ name: 'overdue_since', type: 'date', nullable: true })
  overdueSince: string | null;
}

@ObjectType({ description: 'A draft the creator submitted for review.' })
@Entity({ name: 'deliverable_submissions' })
export class DeliverableSubmission extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId: string;

  @Field(() => Int, { description: '1 for the first draft, 2 for the first resubmission, …' })
  @Column({ type: 'integer' })
  version: number;

  @Field({ description: 'Where the brand can see the draft.' })
  @Column({ name: 'draft_url', type: 'text' })
  draftUrl: string;

  @Field()
  @Column({ type: 'text', default: '' })
  caption: string;

  @Field()
  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;

  @Field(() => ComplianceCheck, {
    nullable: true,
    description: 'Its check against the brief version the partnership accepted; null for drafts submitted before checks existed.',
  })
  @Column({ type: 'jsonb', nullable: true })
  compliance: ComplianceCheckData | null;

  @Field({ description: 'When it was submitted.' })
  get submittedAt(): Date {
    return this.createdAt;
  }
}

@ObjectType({ description: "The brand's review of a draft." })
@Entity({ name: 'deliverable_reviews' })
export class DeliverableReview extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId: string;

  @Field(() => Int, { description: 'The draft version reviewed.' })
  @Column({ name: 'submission_version', type: 'integer' })
  submissionVersion: number;

  @Field(() => ReviewDecision)
  @Column({ type: 'text' })
  decision: ReviewDecision;

  @Field()
  @Column({ type: 'text', default: '' })
  comments: string;

  @Column({ name: 'reviewed_by', type: 'text' })
  reviewedBy: string;

  @Field(() => ComplianceOverride, { nullable: true, description: 'Set when the draft was approved despite failing its compliance check.' })
  @Column({ name: 'compliance_override', type: 'jsonb', nullable: true, transformer: { to: (v) => v, from: overrideFromRow } })
  complianceOverride: ComplianceOverride | null;

  @Field({ description: 'When it was reviewed.' })
  get reviewedAt(): Date {
    return this.createdAt;
  }
}

/** jsonb keeps the override's time as a string: GraphQL's Date needs a Date. */
function overrideFromRow(v: (Omit<ComplianceOverride, 'overriddenAt'> & { overriddenAt: string }) | null): ComplianceOverride | null {
  return v ? { ...v, overriddenAt: new Date(v.overriddenAt) } : null;
}
