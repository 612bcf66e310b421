import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { MoneyInput } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';

@InputType()
export class BrandRateCardEntryInput {
  @Field(() => ID) @IsUUID() brandId: string;
  @Field(() => Platform) platform: Platform;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => MoneyInput) price: MoneyInput;
  @Field(() => String, { description: 'ISO date: the first day the price applies.' }) validFrom: string;
  @Field(() => String, { nullable: true, description: 'ISO date: the last day (inclusive); null: open-ended.' })
  @IsOptional()
  validUntil?: string | null;
}

@ArgsType()
export class BrandRateCardArgs {
  @Field(() => ID) @IsUUID() brandId: string;
  @Field(() => String, { nullable: true, description: 'ISO date: only the prices valid that day (default: every line).' })
  @IsOptional()
  on?: string | null;
}
