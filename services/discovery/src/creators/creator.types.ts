import { ArgsType, Field, InputType } from 'type-graphql';
import { ConnectionType, PageArgs } from '@influenceflow/kit';
import { Creator } from './creator.entity';

// No validation decorators: ingest/creator-record.ts checks every write (imports use the same rules).

@InputType({ description: 'Your profile. Saving replaces every field given; omitted lists become empty.' })
export class CreatorProfileInput {
  @Field(() => String, { description: '2–40 characters: lowercase letters, digits, "." and "_".' })
  handle: string;

  @Field(() => String)
  displayName: string;

  @Field(() => String, { nullable: true, defaultValue: '' })
  bio?: string;

  @Field(() => [String], { description: '1–5 niches, lowercase words (e.g. "outdoors", "food").' })
  niches: string[];

  @Field(() => [String], { nullable: true, description: 'Up to 10, e.g. "tutorial", "vlog", "review".' })
  contentStyles?: string[];

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes, e.g. "en".' })
  languages?: string[];

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. "US".' })
  country?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => [String], { nullable: true, description: 'Other countries you work for (ISO 3166-1 alpha-2).' })
  markets?: string[];

  @Field(() => String, { nullable: true, description: 'An https URL of your photo on a public host, shown on your media kit.' })
  avatarUrl?: string | null;
}

@ArgsType()
export class CreatorsArgs extends PageArgs {}

export const CreatorConnection = ConnectionType(Creator);
