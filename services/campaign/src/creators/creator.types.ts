import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The discovery subgraph's entity, extended here with the creator's partnerships. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Creator {
  @Field(() => ID) id: string;
}
