import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ConnectionType } from '@influenceflow/kit';
import { Creator } from './creator.entity';

@InputType()
export class CreatorProfileInput {
  @Field(() => String, { description: '2–40 characters: lowercase letters, digits, "." and "_".' })
  @Matches(/^[a-z0-9._]{2,40}$/, { message: 'handle must be 2–40 characters of a-z, 0-9, "." or "_"' })
  handle: string;

  @Field(() => String)
  @Length(1, 100)
  displayName: string;

  @Field(() => String, { nullable: true, defaultValue: '' })
  @IsOptional()
  @Length(0, 2000)
  bio?: string;

  @Field(() => [String], { description: '1–5 niches, lowercase words (e.g. "outdoors", "food").' })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @Matches(/^[a-z][a-z0-9-]{1,30}$/, { each: true, message: 'each niche must be a lowercase word (a-z, 0-9, "-")' })
  niches: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. "US".' })
  @IsOptional()
  country?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  @IsOptional()
  @Min(0)
  @Max(2_000_000_000)
  followers?: number;
}

@ArgsType()
export class CreatorsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20 })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

export const CreatorConnection = ConnectionType(Creator);
