import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { MoneyInput } from '@influenceflow/kit';
import { Payout } from './payout.entity';

/** Campaign's entity, extended here with its payouts. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID) id: string;
}

@InputType({ description: "A payment to a partnership's creator, of an amount the brand chooses." })
export class CreatePayoutInput {
  @Field(() => ID, { description: 'A partnership of your brand under an executed contract.' })
  partnershipId: string;

  @Field(() => MoneyInput, { description: "More than 0, in whole minor units of the partnership's currency." })
  amount: MoneyInput;

  @Field(() => String, { nullable: true, description: 'Why you pay it, as the creator will read it (at most 500 characters).' })
  reason?: string | null;

  @Field(() => String, {
    description:
      'Your key for this payment (1–255 printable ASCII characters, e.g. a UUID): the same key and request within 24 h pay once and answer the same payout (replayed); the same key with other parameters is a CONFLICT.',
  })
  idempotencyKey: string;
}

@ObjectType({ description: 'What createPayout did.' })
export class CreatePayoutResult {
  @Field(() => Payout) payout: Payout;
  @Field(() => Boolean, { description: 'True when the key was used before with this request: nothing new was paid.' })
  replayed: boolean;
}
