import { ArgsType, Field, InputType } from 'type-graphql';
import { ConnectionType, PageArgs } from '@influenceflow/kit';
import { Creator } from './creator.entity';

// No validation decorators: ingest/creator-record.ts checks every write (imports use the same rules).

@InputType({
  description:
    'Your profile, as a partial update: a field left out keeps its value, null clears it (docs/discovery.md, "Saving a profile and an account"). The first save needs handle, displayName and niches.',
})
export class CreatorProfileInput {
  @Field(() => String, {
    nullable: true,
    description: '2–40 characters: lowercase letters, digits, "." and "_". Needed in the first save; a profile always has one.',
  })
  handle?: string | null;

  @Field(() => String, { nullable: true, description: 'Needed in the first save; a profile always has one.' })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  bio?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: '1–5 niches, lowercase words (e.g. "outdoors", "food"). Needed in the first save; a profile always has one.',
  })
  niches?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Up to 10, e.g. "tutorial", "vlog", "review".' })
  contentStyles?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes, e.g. "en".' })
  languages?: string[] | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, e.g. "US".' })
  country?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => [String], { nullable: true, description: 'Other countries you work for (ISO 3166-1 alpha-2).' })
  markets?: string[] | null;

  @Field(() => String, { nullable: true, description: 'An https URL of your photo on a public host, shown on your media kit.' })
  avatarUrl?: string | null;
}

@ArgsType()
export class CreatorsArgs extends PageArgs {}

export const CreatorConnection = ConnectionType(Creator);
