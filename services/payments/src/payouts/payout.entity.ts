import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { minorUnitsTransformer, Money } from '@influenceflow/kit';
import { AttemptStatus, PayoutStatus } from './payout-status';

/** Why a payout is made (the design's seam: `PayoutRequest.reason`). */
export enum PayoutReason {
  MILESTONE = 'MILESTONE',
  COMMISSION = 'COMMISSION',
  BONUS = 'BONUS',
  AD_HOC = 'AD_HOC',
}

registerEnumType(PayoutStatus, {
  name: 'PayoutStatus',
  description: 'PENDING → SUCCEEDED / FAILED → (retry) PENDING …; SUCCEEDED → REVERSED.',
});
registerEnumType(AttemptStatus, { name: 'PayoutAttemptStatus' });
registerEnumType(PayoutReason, {
  name: 'PayoutReason',
  description: 'What a payout pays: a milestone, accrued commission, a bonus, or an amount the brand chose (AD_HOC).',
});

/** Money sent to a partnership's creator through a provider, in one or more attempts. */
@ObjectType({ description: "Money sent to a partnership's creator through a payout provider, in one or more attempts." })
@Entity({ name: 'payouts' })
export class Payout {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  /** The request's key (`milestone:<id>`, `adhoc:<key id>`): one payout per key. Not shown: the brand's key is in the key table. */
  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey: string;

  @Column({ type: 'text' })
  fingerprint: string;

  @Field(() => ID) @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId: string;
  @Field(() => ID) @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Field(() => ID) @Column({ name: 'brand_id', type: 'uuid' }) brandId: string;
  @Field(() => ID) @Column({ name: 'creator_id', type: 'uuid' }) creatorId: string;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: minorUnitsTransformer })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Field(() => PayoutReason) @Column({ type: 'text' }) reason: PayoutReason;

  @Field(() => String, {
    nullable: true,
    description: "What it pays for: a milestone's id, or the brand's reason for an ad hoc payout; null when it does not say.",
  })
  @Column({ type: 'text', nullable: true })
  reference: string | null;

  @Field(() => String, { description: 'The provider it goes through: manual or simulated.' })
  @Column({ type: 'text' })
  provider: string;

  @Field(() => PayoutStatus) @Column({ type: 'text' }) status: PayoutStatus;

  @Field(() => Int, { description: 'Attempts so far (1, then one more per retry).' })
  @Column({ name: 'attempt_count', type: 'int' })
  attemptCount: number;

  @Field(() => Date, { nullable: true, description: 'FAILED and retryable: when the next attempt starts.' })
  @Column({ name: 'next_retry_at', type: 'timestamptz', nullable: true })
  nextRetryAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the latest attempt failed.' })
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Field(() => Boolean, { description: 'FAILED with no retry to follow.' })
  @Column({ name: 'final_failure', type: 'boolean', default: false })
  finalFailure: boolean;

  @Field(() => Date, { nullable: true }) @Column({ name: 'succeeded_at', type: 'timestamptz', nullable: true }) succeededAt: Date | null;
  @Field(() => Date, { nullable: true }) @Column({ name: 'reversed_at', type: 'timestamptz', nullable: true }) reversedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'reversal_reason', type: 'text', nullable: true })
  reversalReason: string | null;

  @Field(() => Date) @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Field(() => Date) @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;

  @Field(() => Money)
  get amount(): Money {
    return Money.of(this.amountMinor, this.currency);
  }
}

/** One try at sending a payout through its provider. */
@ObjectType({ description: 'One try at sending a payout through its provider.' })
@Entity({ name: 'payout_attempts' })
export class PayoutAttempt {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column({ name: 'payout_id', type: 'uuid' }) payoutId: string;
  @Field(() => Int) @Column({ type: 'int' }) number: number;
  @Field(() => AttemptStatus) @Column({ type: 'text' }) status: AttemptStatus;
  @Column({ type: 'text' }) provider: string;
  /** The provider-side idempotency key of this attempt. */
  @Column({ name: 'provider_key', type: 'text', unique: true }) providerKey: string;

  @Field(() => String, { nullable: true, description: "The provider's reference (a bank transfer's, for manual ones)." })
  @Column({ name: 'provider_ref', type: 'text', nullable: true })
  providerRef: string | null;

  @Field(() => String, { nullable: true }) @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason: string | null;
  @Column({ type: 'boolean', nullable: true }) retryable: boolean | null;
  @Field(() => Date) @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When a worker took it to the provider.' })
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
  @Field(() => Date, { nullable: true }) @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}

/** A client's idempotency key (createPayout): scope (the brand), key, the request's fingerprint, the result. */
@Entity({ name: 'payout_idempotency_keys' })
export class PayoutIdempotencyKey {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) scope: string;
  @Column({ type: 'text' }) key: string;
  @Column({ type: 'text' }) fingerprint: string;
  @Column({ name: 'payout_id', type: 'uuid', nullable: true }) payoutId: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
}
