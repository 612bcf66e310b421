import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Money, MoneyInput } from '@influenceflow/kit';

/** The campaign subgraph's entity, extended here with its spend. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Campaign {
  @Field(() => ID) id: string;
}

/** The campaign subgraph's entity, extended here with its balances. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Brand {
  @Field(() => ID) id: string;
}

@InputType()
export class FundCampaignInput {
  @Field(() => ID) campaignId: string;
  @Field(() => MoneyInput, { description: "Whole minor units of the campaign's currency (its ISO 4217 exponent: USD cents, whole JPY)." })
  amount: MoneyInput;
  @Field(() => String, {
    description:
      'Your key for this request (1–100 printable characters): the same key and request give the same funding, replayed; the same key with other parameters is a CONFLICT.',
  })
  idempotencyKey: string;
}

@ObjectType({ description: "Money a brand moved into a campaign's escrow." })
export class CampaignFunding {
  @Field(() => ID, { description: 'The ledger transfer.' }) transferId: string;
  @Field(() => Boolean, { description: 'True when this key was used before for the same request: nothing new was moved.' })
  replayed: boolean;
  @Field(() => ID) campaignId: string;
  @Field(() => Money) amount: Money;
  @Field(() => Money, { description: "The campaign's escrow after it." }) escrow: Money;
}

@ObjectType({ description: "What a campaign's budget has done in the ledger (payments). Its brand's members and analysts see it." })
export class CampaignSpend {
  @Field(() => Money, { description: 'Moved into the escrow by the brand, in all.' }) funded: Money;
  @Field(() => Money, { description: 'Returned to the brand from the escrow (when the campaign completed or was cancelled).' })
  returned: Money;
  @Field(() => Money, { description: 'In the escrow now: funded less accrued, fees and returns.' }) escrow: Money;
  @Field(() => Money, {
    description: "Spend: owed to the campaign's creators (milestones, commission, bonuses, ad hoc), less refunded commission.",
  })
  accrued: Money;
  @Field(() => Money, { description: 'Of it, what reached the creators (succeeded payouts less reversals).' }) paid: Money;
  @Field(() => Money, { description: 'Platform fees charged to the escrow (0 unless a fee is configured).' }) fees: Money;
}

@ObjectType({ description: "A brand's money in one currency (payments). Its members and analysts see it." })
export class BrandBalance {
  @Field(() => String) currency: string;
  @Field(() => Money, { description: "Moved into its campaigns' escrows, in all." }) funded: Money;
  @Field(() => Money, { description: 'Returned from escrows of completed or cancelled campaigns.' }) returned: Money;
  @Field(() => Money, { description: "In its campaigns' escrows now." }) inEscrow: Money;
  @Field(() => Money, { description: 'Spent: accrued to creators, less refunded commission, plus platform fees.' }) spent: Money;
}
