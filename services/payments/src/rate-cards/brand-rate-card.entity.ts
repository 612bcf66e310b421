import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { RateCardLine } from './rate-card-line';

/** One line of a brand's standard pricing: what it offers for a format on a platform, over a period. */
@ObjectType({ implements: RateCardLine, description: "A line of a brand's standard pricing (its own rate card for offers)." })
@Entity({ name: 'brand_rate_card_entries' })
@Index(['brandId', 'platform', 'format', 'validFrom'], { unique: true })
export class BrandRateCardEntry extends RateCardLine {
  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;
}
