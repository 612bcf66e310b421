import 'reflect-metadata';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import type { ValueTransformer } from 'typeorm';
import { badInput } from '../errors/app-error';
import { InputProblems } from '../errors/input-problems';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 alphabetic code known to this runtime's ICU data (e.g. "USD", "EUR"). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

export function assertCurrency(code: string, field = 'currency'): string {
  if (!isCurrencyCode(code)) throw badInput(field, 'must be an ISO 4217 currency code (e.g. USD, EUR)');
  return code;
}

/** Digits after the decimal point of a currency (2 for USD, 0 for JPY). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amountMinor: number, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** digits);
}

/**
 * Money is integer minor units in a `bigint` column. pg returns bigint as a string; amounts beyond
 * 2^53 would lose precision as JS numbers, so they are refused instead of rounded.
 */
export const minorUnitsTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`amount ${value} exceeds the safe integer range`);
    return n;
  },
};

@ObjectType({ description: 'An amount of money in integer minor units (cents) of an ISO 4217 currency.' })
@Directive('@shareable')
export class Money {
  @Field(() => GraphQLSafeInt) amountMinor: number;
  @Field(() => String) currency: string;
  @Field(() => String, { description: 'Human-readable, e.g. "$1,250.00".' })
  get formatted(): string {
    return formatMoney(this.amountMinor, this.currency);
  }

  static of(amountMinor: number, currency: string): Money {
    return Object.assign(new Money(), { amountMinor, currency });
  }
}

@InputType()
export class MoneyInput {
  @Field(() => GraphQLSafeInt) amountMinor: number;
  @Field(() => String) currency: string;
}

/** Validates a money input: ISO 4217 currency and a non-negative whole amount. */
export function parseMoneyInput(input: MoneyInput, field: string): Money {
  const problems = new InputProblems();
  problems.check(() => assertCurrency(input.currency, `${field}.currency`));
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 0) {
    problems.add(`${field}.amountMinor`, 'must be a whole, non-negative number of minor units');
  }
  problems.throwIfAny();
  return Money.of(input.amountMinor, input.currency);
}
