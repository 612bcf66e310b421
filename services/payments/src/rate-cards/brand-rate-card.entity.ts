import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { minorUnitsTransformer, Money } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';

/** One line of a brand's standard pricing: what it offers for a format on a platform, over a period. */
@ObjectType({ description: "A line of a brand's standard pricing (its own rate card for offers)." })
@Entity({ name: 'brand_rate_card_entries' })
export class BrandRateCardEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Field(() => Platform)
  @Column({ type: 'text' })
  platform: Platform;

  @Field(() => ContentFormat)
  @Column({ type: 'text' })
  format: ContentFormat;

  @Column({ name: 'price_minor', type: 'bigint', transformer: minorUnitsTransformer })
  priceMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Field(() => String, { description: 'ISO date: the first day the price applies.' })
  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Field(() => String, { nullable: true, description: 'ISO date: the last day it applies; null: until further notice.' })
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Field(() => Money)
  get price(): Money {
    return Money.of(this.priceMinor, this.currency);
  }
}
