import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Money, minorUnitsTransformer, Timestamped } from '@influenceflow/kit';
import { DeliverableSpec } from '../briefs/deliverable-spec';
import { PartnershipStatus } from './partnership-status';

registerEnumType(PartnershipStatus, { name: 'PartnershipStatus' });

/** A creator working on a brand's campaign: the invitation, its terms, and where it stands. */
@ObjectType({ description: 'A campaign × creator partnership: the invitation, its terms, and where it stands.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'partnerships' })
export class Partnership extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => PartnershipStatus)
  @Column({ type: 'text' })
  status: PartnershipStatus;

  @Field(() => Int, { nullable: true, description: 'A long-term partnership runs 3 or 6 months; null for one campaign.' })
  @Column({ name: 'length_months', type: 'smallint', nullable: true })
  lengthMonths: number | null;

  @Field(() => [DeliverableSpec], { description: 'What the creator delivers under these terms.' })
  @Column({ name: 'deliverables', type: 'jsonb' })
  deliverableTerms: DeliverableSpec[];

  @Column({ name: 'fee_minor', type: 'bigint', transformer: minorUnitsTransformer })
  feeMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Field(() => Float, { nullable: true, description: 'Commission on attributed sales, in percent, on top of the fee.' })
  @Column({ name: 'commission_percent', type: 'real', nullable: true })
  commissionPercent: number | null;

  @Field({ description: "The brand's note with the invitation." })
  @Column({ type: 'text', default: '' })
  message: string;

  @Field(() => Int, { nullable: true, description: 'The brief version the creator accepted.' })
  @Column({ name: 'brief_version', type: 'integer', nullable: true })
  briefVersion: number | null;

  @Field(() => String, { nullable: true, description: 'Why it was declined, paused or terminated.' })
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'invited_by', type: 'text' })
  invitedBy: string;

  @Field(() => String, {
    nullable: true,
    description: 'The creator’s discount code (upper case, unique in the brand), from acceptance on.',
  })
  @Column({ name: 'discount_code', type: 'text', nullable: true })
  discountCode: string | null;

  @Column({ name: 'link_slug', type: 'text', nullable: true })
  linkSlug: string | null;

  @Column({ name: 'link_target', type: 'text', nullable: true })
  linkTarget: string | null;

  @Field(() => Money, { description: 'The flat fee offered.' })
  get fee(): Money {
    return Money.of(this.feeMinor, this.currency);
  }
}
