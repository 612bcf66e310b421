import { REASONS_DESCRIPTION } from './attribution';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO, GraphQLSafeInt } from 'graphql-scalars';
import { AMOUNT_RULE_MESSAGES, assertCurrency, InputProblems, MoneyInput } from '@influenceflow/kit';
import type { OrderLineReceived, OrderReceived, RefundReceived } from './order-input';
import { customerKey } from './customer-key';

/** Bounds of what a shop hands in (a webhook is held to the same). */
export const ORDER_LIMITS = { externalId: 200, codes: 20, code: 100, url: 4000, lineItems: 500, title: 500, batch: 500 } as const;

@InputType({ description: 'A line of an order.' })
export class OrderLineInput {
  @Field(() => String, { nullable: true }) sku?: string | null;
  @Field(() => String) title: string;
  @Field(() => Int) quantity: number;
  @Field(() => GraphQLSafeInt, { description: 'Price of one unit, in minor units of the order currency.' }) unitPriceMinor: number;
}

@InputType({ description: 'An order from any shop. The same externalId again is the same order (answered as a duplicate).' })
export class OrderInput {
  @Field(() => String, { description: "The shop's own id of the order (1–200 characters)." }) externalId: string;
  @Field(() => GraphQLDateTimeISO) orderedAt: Date;
  @Field(() => MoneyInput, { description: 'Net of tax and shipping: what commission is paid on.' }) amount: MoneyInput;
  @Field(() => String, {
    nullable: true,
    description:
      'Your own id of the customer (one id space for all your API and file orders): tells new from returning customers (stored only as a hash).',
  })
  customerId?: string | null;
  @Field(() => String, { nullable: true, description: "The customer's e-mail, when there is no customer id (stored only as a hash)." })
  customerEmail?: string | null;
  @Field(() => [String], { defaultValue: [], description: 'Discount codes used (compared case-insensitively).' }) discountCodes: string[];
  @Field(() => String, { nullable: true, description: 'The URL the customer landed on, with its UTM parameters and ifclid.' })
  landingUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'The click id the landing script kept (InfluenceFlow.clickId()).' }) clickId?:
    string | null;
  @Field(() => [OrderLineInput], { defaultValue: [] }) lineItems: OrderLineInput[];
}

@InputType({ description: 'A refund of part or all of an order recorded before.' })
export class RefundInput {
  @Field(() => String, { description: "The shop's own id of the refund." }) externalId: string;
  @Field(() => String, { description: 'The externalId of the order refunded.' }) orderExternalId: string;
  @Field(() => GraphQLDateTimeISO) refundedAt: Date;
  @Field(() => MoneyInput, { description: "Net of tax and shipping, in the order's currency; more than 0." }) amount: MoneyInput;
}

@ObjectType({ description: 'What became of an order handed in.' })
export class OrderResult {
  @Field(() => ID) orderId: string;
  @Field(() => String) externalId: string;
  @Field(() => Boolean, { description: 'The same order was handed in before: nothing changed.' }) duplicate: boolean;
  @Field(() => ID, { nullable: true, description: 'The partnership credited; null: kept as unattributed.' }) partnershipId: string | null;
  @Field(() => String, {
    description: REASONS_DESCRIPTION,
  })
  reason: string;
  @Field(() => String, {
    nullable: true,
    description: "Why a credited order is left out of the figures and not announced: CURRENCY_MISMATCH (not the campaign's currency).",
  })
  excluded: string | null;
}

@ObjectType({ description: 'What became of a refund handed in.' })
export class RefundResult {
  @Field(() => ID) refundId: string;
  @Field(() => String) externalId: string;
  @Field(() => Boolean) duplicate: boolean;
}

function text(problems: InputProblems, value: string | null | undefined, field: string, max: number, required: boolean): string | null {
  const v = value?.trim() ?? '';
  if (!v) {
    if (required) problems.add(field, 'is required');
    return null;
  }
  if (v.length > max) problems.add(field, `must be at most ${max} characters`);
  return v;
}

function amount(problems: InputProblems, m: MoneyInput, field: string, min: 0 | 1): { amountMinor: number; currency: string } {
  const currency = problems.check(() => assertCurrency(m.currency, `${field}.currency`)) ?? m.currency;
  if (!Number.isSafeInteger(m.amountMinor) || m.amountMinor < min)
    problems.add(`${field}.amountMinor`, AMOUNT_RULE_MESSAGES[min ? 'positive' : 'non-negative']);
  return { amountMinor: m.amountMinor, currency };
}

/** Checks an order as the API or a CSV row gives it; every problem is added under `field`. */
export function orderReceived(
  problems: InputProblems,
  input: OrderInput,
  field: string,
  brandId: string,
  source: 'api' | 'csv',
): OrderReceived {
  const externalId = text(problems, input.externalId, `${field}.externalId`, ORDER_LIMITS.externalId, true) ?? '';
  if (!(input.orderedAt instanceof Date) || Number.isNaN(input.orderedAt.getTime()))
    problems.add(`${field}.orderedAt`, 'must be an ISO 8601 time');
  const money = amount(problems, input.amount, `${field}.amount`, 0);
  const codes = input.discountCodes ?? [];
  if (codes.length > ORDER_LIMITS.codes) problems.add(`${field}.discountCodes`, `must have at most ${ORDER_LIMITS.codes} codes`);
  codes.forEach((c, i) => text(problems, c, `${field}.discountCodes.${i}`, ORDER_LIMITS.code, false));
  const landingUrl = text(problems, input.landingUrl, `${field}.landingUrl`, ORDER_LIMITS.url, false);
  const clickId = text(problems, input.clickId, `${field}.clickId`, 100, false);
  const lines = input.lineItems ?? [];
  if (lines.length > ORDER_LIMITS.lineItems) problems.add(`${field}.lineItems`, `must have at most ${ORDER_LIMITS.lineItems} lines`);
  const lineItems: OrderLineReceived[] = lines.map((l, i) => {
    const f = `${field}.lineItems.${i}`;
    const title = text(problems, l.title, `${f}.title`, ORDER_LIMITS.title, true) ?? '';
    if (!Number.isInteger(l.quantity) || l.quantity < 1) problems.add(`${f}.quantity`, 'must be a whole number of at least 1');
    if (!Number.isSafeInteger(l.unitPriceMinor) || l.unitPriceMinor < 0)
      problems.add(`${f}.unitPriceMinor`, AMOUNT_RULE_MESSAGES['non-negative']);
    return { sku: text(problems, l.sku, `${f}.sku`, 200, false), title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor };
  });
  return {
    brandId,
    source,
    shopId: null,
    externalId,
    orderedAt: input.orderedAt,
    amountMinor: money.amountMinor,
    currency: money.currency,
    pricesIncludeTax: false,
    // the customer id is the brand's own (not a shop's), from the API and a CSV file alike
    customerKey: customerKey({
      id: text(problems, input.customerId, `${field}.customerId`, 200, false),
      scope: 'brand',
      email: text(problems, input.customerEmail, `${field}.customerEmail`, 320, false),
    }),
    discountCodes: codes.map((c) => c.trim()).filter((c) => c.length > 0),
    landingUrl,
    clickId,
    lineItems,
  };
}

export function refundReceived(
  problems: InputProblems,
  input: RefundInput,
  field: string,
  brandId: string,
  source: 'api' | 'csv',
): RefundReceived {
  const externalId = text(problems, input.externalId, `${field}.externalId`, ORDER_LIMITS.externalId, true) ?? '';
  const orderExternalId = text(problems, input.orderExternalId, `${field}.orderExternalId`, ORDER_LIMITS.externalId, true) ?? '';
  if (!(input.refundedAt instanceof Date) || Number.isNaN(input.refundedAt.getTime()))
    problems.add(`${field}.refundedAt`, 'must be an ISO 8601 time');
  const money = amount(problems, input.amount, `${field}.amount`, 1);
  return {
    brandId,
    source,
    shopId: null,
    externalId,
    orderExternalId,
    refundedAt: input.refundedAt,
    amountMinor: money.amountMinor,
    currency: money.currency,
    includedTaxMinor: 0,
  };
}
