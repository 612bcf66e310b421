import { ArgsType, Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { RateCardLineInput } from './rate-card-line';

/** The discovery subgraph's entity, extended here with the rate card. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Creator {
  @Field(() => ID) id: string;
}

@InputType()
export class RateCardEntryInput extends RateCardLineInput {
  @Field(() => ID, { nullable: true, description: 'Admins only: the creator to set it for. Creators always set their own.' })
  @IsOptional()
  @IsUUID()
  creatorId?: string;
}

@ArgsType()
export class MyRateCardArgs {
  @Field(() => String, { nullable: true, description: 'ISO date: only the prices valid that day (default: every line).' })
  @IsOptional()
  on?: string | null;
}

@ArgsType()
export class CreatorRateCardArgs {
  @Field(() => String, { nullable: true, description: 'ISO date: the prices valid that day (default: today, UTC).' })
  @IsOptional()
  on?: string | null;
}
