import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The discovery subgraph's `Creator` entity, as payments sees it: only its key. Payments adds fields to
 * it (`rateCard`, later `earnings`) with `@Resolver(() => Creator)` field resolvers in each feature's
 * folder; the gateway turns a `{ __typename: "Creator", id }` representation into this stub (see
 * `references` in schema.ts), so no payments table of creators is needed.
 */
@ObjectType()
@Directive('@key(fields: "id")')
export class Creator {
  @Field(() => ID)
  id: string;
}

/** `__resolveReference` for Creator: discovery owns creators; payments only needs the id. */
export function resolveCreatorReference(ref: { id: string }): Creator {
  return Object.assign(new Creator(), { id: ref.id });
}
