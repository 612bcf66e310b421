import { Field, InputType } from 'type-graphql';
import { DeliverableSpecInput } from './deliverable-spec';

@InputType({ description: 'Every field of a brief; publishing it makes the next version.' })
export class PublishBriefInput {
  @Field({ description: 'Brand story and mission (required).' }) brandStory: string;
  @Field({ nullable: true }) targetAudience?: string;
  @Field(() => [String], { nullable: true }) keyMessages?: string[];
  @Field({ nullable: true }) productDetails?: string;
  @Field({ nullable: true }) tone?: string;
  @Field(() => [String], { nullable: true }) dos?: string[];
  @Field(() => [String], { nullable: true }) donts?: string[];
  @Field(() => [String], { nullable: true }) examples?: string[];
  @Field(() => [String], { nullable: true, description: 'With or without "#".' }) requiredHashtags?: string[];
  @Field(() => [String], { nullable: true, description: 'http(s) URLs.' }) requiredLinks?: string[];
  @Field(() => [DeliverableSpecInput], { description: 'At least one.' }) deliverables: DeliverableSpecInput[];
  @Field({ nullable: true }) creativeFreedom?: string;
}
