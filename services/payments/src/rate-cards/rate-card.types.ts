import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { MoneyInput } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';

/** The discovery subgraph's entity, extended here with the rate card. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Creator {
  @Field(() => ID) id: string;
}

@InputType()
export class RateCardEntryInput {
  @Field(() => ID, { nullable: true, description: 'Admins only: the creator to set it for. Creators always set their own.' })
  @IsOptional()
  @IsUUID()
  creatorId?: string;

  @Field(() => Platform) platform: Platform;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => MoneyInput) price: MoneyInput;
}
