import { Field, ID, InputType, InterfaceType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { Column, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { minorUnitsTransformer, Money, MoneyInput } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';

/**
 * What every rate card line is, a creator's (`RateCardEntry`) or a brand's (`BrandRateCardEntry`): a price
 * for a format on a platform over a period of days. The columns are the same in both tables; the owner
 * column is each entity's own.
 */
@InterfaceType({
  description: 'A line of a rate card: a price for a format on a platform from validFrom to validUntil (both inclusive).',
})
export abstract class RateCardLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

/** What every rate card line's input says, whoever owns the card (each input adds its owner). */
@InputType('RateCardLineFields')
export abstract class RateCardLineInput {
  @Field(() => Platform) platform: Platform;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => MoneyInput) price: MoneyInput;

  @Field(() => String, {
    nullable: true,
    description:
      'ISO date: the first day the price applies. Left out: from today (UTC), and the line holding today ends yesterday (or, starting today, is replaced).',
  })
  @IsOptional()
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date: the last day (inclusive); null: open-ended.' })
  @IsOptional()
  validUntil?: string | null;
}
