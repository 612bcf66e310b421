import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { minorUnitsTransformer } from '@influenceflow/kit';
import { BonusMetric, DeliverableTerm, MILESTONE_STATUSES, MILESTONE_TRIGGERS, MilestoneStatus, MilestoneTrigger } from './plan-rules';

/** `{ A: 'A', … }` for a GraphQL enum whose names are its values. */
const enumOf = <V extends string>(values: readonly V[]) => Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { [K in V]: K };

// The same enum (name and values) as contracts' MilestoneTrigger: federation merges the two.
export const MilestoneTriggerValue = enumOf(MILESTONE_TRIGGERS);
registerEnumType(MilestoneTriggerValue, { name: 'MilestoneTrigger', description: 'When a payment milestone becomes due.' });
export const MilestoneStatusValue = enumOf(MILESTONE_STATUSES);
registerEnumType(MilestoneStatusValue, {
  name: 'PaymentMilestoneStatus',
  description:
    'PENDING: waiting for its trigger; DUE: its trigger came, its payout waits for the escrow; PAID: accrued to the creator and its payout requested (or nothing left to pay); CANCELLED: the contract ended first; REPLACED: an amendment replaced it.',
});
export const PLAN_STATUSES = ['ACTIVE', 'SUPERSEDED', 'TERMINATED'] as const;
export const PlanStatusValue = enumOf(PLAN_STATUSES);
registerEnumType(PlanStatusValue, {
  name: 'CompensationPlanStatus',
  description: 'ACTIVE: in force; SUPERSEDED: an executed amendment replaced it; TERMINATED: the contract ended.',
});

/** What payments copies of a partnership (from campaign's partnership events and the contracts), with its running commission. */
@Entity({ name: 'comp_partnerships' })
export class CompPartnership {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'brand_id', type: 'uuid' }) brandId: string;
  @Column({ name: 'creator_id', type: 'uuid' }) creatorId: string;
  @Column({ type: 'text', nullable: true }) status: string | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column({ name: 'length_months', type: 'smallint', nullable: true }) lengthMonths: number | null;
  /** The partnership's deliverable terms: what campaign numbers its posting schedule from. */
  @Column({ name: 'schedule_terms', type: 'jsonb', nullable: true }) scheduleTerms: DeliverableTerm[] | null;
  @Column({ name: 'campaign_ended_at', type: 'timestamptz', nullable: true }) campaignEndedAt: Date | null;
  /** The parties' names, from the `parties` of partnership.* events (null until one carries them: older producers). */
  @Column({ name: 'brand_name', type: 'text', nullable: true }) brandName: string | null;
  @Column({ name: 'creator_name', type: 'text', nullable: true }) creatorName: string | null;
  @Column({ name: 'creator_handle', type: 'text', nullable: true }) creatorHandle: string | null;
  @Column({ name: 'campaign_name', type: 'text', nullable: true }) campaignName: string | null;
  @Column({ name: 'campaign_starts_on', type: 'date', nullable: true }) campaignStartsOn: string | null;
  @Column({ name: 'campaign_ends_on', type: 'date', nullable: true }) campaignEndsOn: string | null;
  /** When the names were set: the time of the event that carried them (the latest names are the latest by this). */
  @Column({ name: 'names_at', type: 'timestamptz', nullable: true }) namesAt: Date | null;
  @Column({ name: 'orders_count', type: 'integer' }) ordersCount: number;
  @Column({ name: 'sales_minor', type: 'bigint', transformer: minorUnitsTransformer }) salesMinor: number;
  @Column({ name: 'commission_earned_minor', type: 'bigint', transformer: minorUnitsTransformer }) commissionEarnedMinor: number;
  @Column({ name: 'commission_accrued_minor', type: 'bigint', transformer: minorUnitsTransformer }) commissionAccruedMinor: number;
  @Column({ name: 'commission_paid_out_minor', type: 'bigint', transformer: minorUnitsTransformer }) commissionPaidOutMinor: number;
  @Column({ name: 'commission_payouts', type: 'integer' }) commissionPayouts: number;
  @Column({ name: 'commission_postings', type: 'integer' }) commissionPostings: number;
  @Column({ name: 'product_value_recorded_minor', type: 'bigint', transformer: minorUnitsTransformer }) productValueRecordedMinor: number;
}

export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A compensation plan: one per executed contract version. */
@ObjectType('CompensationPlan', { description: 'What an executed contract version pays the creator, and how far it has come.' })
@Entity({ name: 'comp_plans' })
export class CompPlan {
  @Field(() => ID) @PrimaryGeneratedColumn('uuid') id: string;
  @Field(() => ID, { description: 'The contract version it is made from.' })
  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;
  @Field(() => ID) @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'brand_id', type: 'uuid' }) brandId: string;
  @Column({ name: 'creator_id', type: 'uuid' }) creatorId: string;
  @Field(() => Int) @Column({ type: 'integer' }) version: number;
  @Column({ name: 'amends_contract_id', type: 'uuid', nullable: true }) amendsContractId: string | null;
  @Field(() => String) @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ name: 'flat_fee_minor', type: 'bigint', nullable: true, transformer: minorUnitsTransformer }) flatFeeMinor: number | null;
  @Column({ name: 'commission_ppm', type: 'integer', nullable: true }) commissionPpm: number | null;
  @Column({ name: 'bonus_metric', type: 'text', nullable: true }) bonusMetric: string | null;
  @Column({ name: 'bonus_measured_as', type: 'text', nullable: true }) bonusMeasuredAs: BonusMetric | null;
  @Column({ name: 'bonus_threshold', type: 'double precision', nullable: true }) bonusThreshold: number | null;
  @Column({ name: 'bonus_amount_minor', type: 'bigint', nullable: true, transformer: minorUnitsTransformer }) bonusAmountMinor:
    number | null;
  @Column({ name: 'product_description', type: 'text', nullable: true }) productDescription: string | null;
  @Column({ name: 'product_value_minor', type: 'bigint', nullable: true, transformer: minorUnitsTransformer }) productValueMinor:
    number | null;
  /** The contract's deliverables, in its order: what milestones' deliverableIndex points into. */
  @Column({ type: 'jsonb' }) deliverables: DeliverableTerm[];
  @Column({ name: 'length_months', type: 'smallint', nullable: true }) lengthMonths: number | null;
  /** Credit from amended versions no milestone of this one could use (the new total was lower), per milestone key. */
  @Column({ name: 'carried_credits', type: 'jsonb' }) carriedCredits: Record<string, number>;
  @Field(() => PlanStatusValue) @Column({ type: 'text' }) status: PlanStatus;
  @Field(() => Date) @Column({ name: 'executed_at', type: 'timestamptz' }) executedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it was superseded or terminated.' })
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}

/** One payment milestone of a plan. */
@ObjectType('PaymentMilestone', { description: "One payment of a contract's plan and where it stands." })
@Entity({ name: 'comp_milestones' })
export class CompMilestone {
  @Field(() => ID) @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId: string;
  @Field(() => ID) @Column({ name: 'contract_id', type: 'uuid' }) contractId: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId: string;
  @Field(() => Int, { description: 'Its position in the contract (0-based).' }) @Column({ name: 'idx', type: 'smallint' }) index: number;
  @Field(() => String) @Column({ type: 'text' }) label: string;
  @Field(() => MilestoneTriggerValue) @Column({ type: 'text' }) trigger: MilestoneTrigger;
  @Field(() => Int, { nullable: true, description: "ON_DELIVERABLE_POSTED: which of the contract's deliverables (0-based)." })
  @Column({ name: 'deliverable_index', type: 'smallint', nullable: true })
  deliverableIndex: number | null;
  /** What the contract says it pays. */
  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnitsTransformer }) amountMinor: number;
  /** What an amended version already paid of it. */
  @Column({ name: 'credit_minor', type: 'bigint', transformer: minorUnitsTransformer }) creditMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Field(() => MilestoneStatusValue) @Column({ type: 'text' }) status: MilestoneStatus;
  @Column({ type: 'text', nullable: true }) awaiting: 'INSUFFICIENT_FUNDS' | null;
  @Field(() => Date, { nullable: true }) @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  @Field(() => Date, { nullable: true }) @Column({ name: 'paid_at', type: 'timestamptz', nullable: true }) paidAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was cancelled or replaced.' })
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
  @Column({ name: 'payout_id', type: 'uuid', nullable: true }) payoutId: string | null;

  /** What this milestone pays itself: its amount less the credit. */
  get payableMinor(): number {
    return this.amountMinor - this.creditMinor;
  }
}
