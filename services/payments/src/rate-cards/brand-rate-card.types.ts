import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { RateCardLineInput } from './rate-card-line';

@InputType()
export class BrandRateCardEntryInput extends RateCardLineInput {
  @Field(() => ID) @IsUUID() brandId: string;
}

@ArgsType()
export class BrandRateCardArgs {
  @Field(() => ID) @IsUUID() brandId: string;
  @Field(() => String, { nullable: true, description: 'ISO date: only the prices valid that day (default: every line).' })
  @IsOptional()
  on?: string | null;
}
