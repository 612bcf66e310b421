import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { minorUnitsTransformer, Money } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';

/** One line of a creator's rate card: their price for a format on a platform. */
@ObjectType()
@Entity({ name: 'rate_card_entries' })
@Index(['creatorId', 'platform', 'format'], { unique: true })
export class RateCardEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

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

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Field(() => Money)
  get price(): Money {
    return Money.of(this.priceMinor, this.currency);
  }
}
