import { Field, InputType } from 'type-graphql';
import { DeliverableSpecInput } from './deliverable-spec';

/**
 * A brief's next version, as a partial update (docs/saves.md): the first version starts empty,
 * each later one from the version before; an omitted field stays as it was, an explicit null clears it.
 */
@InputType({
  description:
    "The next version of a brief: fields left out keep the previous version's value, null clears one. The first version needs brandStory and deliverables.",
})
export class PublishBriefInput {
  @Field(() => String, { nullable: true, description: 'Brand story and mission (a brief always has one).' }) brandStory?: string | null;
  @Field(() => String, { nullable: true }) targetAudience?: string | null;
  @Field(() => [String], { nullable: true }) keyMessages?: string[] | null;
  @Field(() => String, { nullable: true }) productDetails?: string | null;
  @Field(() => String, { nullable: true }) tone?: string | null;
  @Field(() => [String], { nullable: true }) dos?: string[] | null;
  @Field(() => [String], { nullable: true }) donts?: string[] | null;
  @Field(() => [String], { nullable: true }) examples?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'With or without "#".' }) requiredHashtags?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'http(s) URLs.' }) requiredLinks?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Handles to mention, with or without "@" (letters, digits, "_" and ".").' })
  requiredMentions?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Words or phrases a caption must not use (letters, digits, spaces, "-" and "\'").',
  })
  forbiddenWords?: string[] | null;
  @Field(() => [DeliverableSpecInput], { nullable: true, description: 'At least one (a brief always has some).' })
  deliverables?: DeliverableSpecInput[] | null;
  @Field(() => String, { nullable: true }) creativeFreedom?: string | null;
}
