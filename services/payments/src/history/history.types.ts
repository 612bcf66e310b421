import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, Money, PageArgs } from '@influenceflow/kit';
import { Payout } from '../payouts/payout.entity';
import { PayoutStatus } from '../payouts/payout-status';

/** A page of payouts, newest first (payment history). */
export const PayoutConnection = ConnectionType(Payout);
export type PayoutConnection = InstanceType<typeof PayoutConnection>;

@ArgsType()
export class PaymentHistoryArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this campaign's payouts." })
  campaignId?: string | null;

  @Field(() => String, { nullable: true, description: 'Payouts requested on or after this UTC date (YYYY-MM-DD).' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Payouts requested on or before this UTC date (YYYY-MM-DD), inclusive.' })
  to?: string | null;

  @Field(() => PayoutStatus, { nullable: true, description: 'Only payouts in this status.' })
  status?: PayoutStatus | null;
}

/** What a line of a statement records. */
export enum StatementLineKind {
  /** A payout that reached the creator (the provider confirmed it). */
  PAYOUT = 'PAYOUT',
  /** A succeeded payout whose money came back: subtracted. */
  REVERSAL = 'REVERSAL',
  /** Non-cash value given in kind (products), recorded for the statement. */
  PRODUCT_VALUE = 'PRODUCT_VALUE',
}
registerEnumType(StatementLineKind, {
  name: 'StatementLineKind',
  description: 'PAYOUT: cash received; REVERSAL: a payout whose money came back (subtracted); PRODUCT_VALUE: value received in kind.',
});

@ObjectType({ description: 'One money movement of a statement, from the ledger.' })
export class StatementLine {
  @Field(() => ID, { description: 'The ledger transfer.' }) id: string;
  @Field(() => Date, { description: 'When it was booked (UTC).' }) bookedAt: Date;
  @Field(() => StatementLineKind) kind: StatementLineKind;
  @Field(() => ID) brandId: string;
  @Field(() => String, { description: "The brand's name (the id with a note when no name is on record)." }) brandName: string;
  @Field(() => ID, { nullable: true }) campaignId: string | null;
  @Field(() => String, { description: "The campaign's name (the id with a note when no name is on record)." }) campaignName: string;
  @Field(() => ID, { nullable: true }) partnershipId: string | null;
  @Field(() => ID, { nullable: true, description: 'The payout (PAYOUT, REVERSAL).' }) payoutId: string | null;
  @Field(() => Money, { description: 'Positive; a REVERSAL is subtracted from the cash paid.' }) amount: Money;
  @Field(() => String, { nullable: true, description: 'What the product value was given for.' }) description: string | null;
}

@ObjectType({ description: 'Cash paid and product value received from one brand, in one currency.' })
export class StatementBrandTotal {
  @Field(() => ID) brandId: string;
  @Field(() => String, { description: "The brand's name (the id with a note when no name is on record)." }) brandName: string;
  @Field(() => String) currency: string;
  @Field(() => Money, { description: 'Succeeded payouts minus reversals.' }) cashPaid: Money;
  @Field(() => Money, { description: 'Value received in kind.' }) productValue: Money;
}

@ObjectType({ description: 'Totals of a statement in one currency (currencies are never summed together).' })
export class StatementCurrencyTotal {
  @Field(() => String) currency: string;
  @Field(() => Money) cashPaid: Money;
  @Field(() => Money) productValue: Money;
}

@ObjectType({ description: "A creator's yearly statement: a calendar year in UTC, from the ledger." })
export class CreatorStatement {
  @Field(() => ID) creatorId: string;
  @Field(() => String, {
    description: "The creator's name (and @handle) as their partnerships' events last carried it, else the id with a note.",
  })
  creatorName: string;
  @Field(() => Int) year: number;
  @Field(() => Date, { description: 'The first instant of the year, UTC.' }) periodStart: Date;
  @Field(() => Date, { description: 'The first instant of the next year, UTC (excluded).' }) periodEnd: Date;
  @Field(() => [StatementBrandTotal], { description: 'By brand and currency, ordered by brand then currency.' })
  byBrand: StatementBrandTotal[];
  @Field(() => [StatementCurrencyTotal], { description: 'Per currency, ordered by currency.' })
  totals: StatementCurrencyTotal[];
  @Field(() => [StatementLine], { description: 'Every movement of the year, oldest first.' })
  lines: StatementLine[];
}

@ObjectType({ description: "A creator's money in one currency." })
export class CreatorEarnings {
  @Field(() => String) currency: string;
  @Field(() => Money, { description: 'What reached the creator (succeeded payouts minus reversals), all time.' }) paid: Money;
  @Field(() => Money, { description: 'Accrued for the creator and not yet sent (or sent and failed, awaiting a retry).' })
  owed: Money;
  @Field(() => Money, { description: 'Handed to a payout provider, not yet confirmed (pending payouts).' }) inTransit: Money;
}
