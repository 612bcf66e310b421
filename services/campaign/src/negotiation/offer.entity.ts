import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Money, minorUnitsTransformer, Timestamped } from '@influenceflow/kit';
import { DeliverableSpec } from '../briefs/deliverable-spec';
import type { Side } from './negotiation-rules';

export enum OfferAnswer {
  ACCEPTED = 'accepted',
  DECLINED = 'declined',
  COUNTERED = 'countered',
  WITHDRAWN = 'withdrawn',
}
registerEnumType(OfferAnswer, {
  name: 'OfferAnswer',
  description: 'How an offer was answered: accepted, declined, countered, or withdrawn (the invitation was ended).',
});

export enum OfferSide {
  BRAND = 'brand',
  CREATOR = 'creator',
}
registerEnumType(OfferSide, { name: 'OfferSide', description: 'Which side of a partnership made an offer.' });

/** One round of terms: the invitation is round 1, every counter-offer the next one. */
@ObjectType({ description: 'One round of terms in a negotiation: the invitation is round 1, each counter-offer the next.' })
@Entity({ name: 'partnership_offers' })
export class PartnershipOffer extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Field(() => Int, { description: '1 for the invitation, then one more per counter-offer.' })
  @Column({ type: 'integer' })
  round: number;

  @Field(() => OfferSide, { description: 'Who proposed these terms.' })
  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy: Side;

  @Column({ name: 'fee_minor', type: 'bigint', transformer: minorUnitsTransformer })
  feeMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Field(() => Float, { nullable: true, description: 'Commission on attributed sales, in percent.' })
  @Column({ name: 'commission_percent', type: 'real', nullable: true })
  commissionPercent: number | null;

  @Field(() => [DeliverableSpec])
  @Column({ name: 'deliverables', type: 'jsonb' })
  deliverableTerms: DeliverableSpec[];

  @Field(() => Int, { nullable: true, description: '3 or 6 months; null for one campaign.' })
  @Column({ name: 'length_months', type: 'smallint', nullable: true })
  lengthMonths: number | null;

  @Field({ description: "The proposer's note." })
  @Column({ type: 'text', default: '' })
  note: string;

  @Field(() => OfferAnswer, { nullable: true, description: 'Null while the offer awaits its answer.' })
  @Column({ type: 'text', nullable: true })
  answer: OfferAnswer | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'answered_at', type: 'timestamptz', precision: 3, nullable: true })
  answeredAt: Date | null;

  @Field(() => Money, { description: 'The flat fee proposed.' })
  get fee(): Money {
    return Money.of(this.feeMinor, this.currency);
  }
}
