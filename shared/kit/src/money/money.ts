import 'reflect-metadata';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import type { ValueTransformer } from 'typeorm';
import { badInput } from '../errors/app-error';
import { InputProblems } from '../errors/input-problems';
import currencyCodes from 'currency-codes';

/**
 * ISO 4217 codes whose minor unit is "N.A." in the standard (precious metals, SDR, bond-market units,
 * testing, "no currency"): not money this platform holds. `currency-codes` records them with 0 digits;
 * money.test.ts checks this list against the ISO list the package ships.
 */
export const ISO_4217_WITHOUT_MINOR_UNIT: ReadonlySet<string> = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/** Current ISO 4217 currencies and their exponent (digits of the minor unit): JPY 0, USD 2, KWD 3. */
const EXPONENTS: ReadonlyMap<string, number> = new Map(
  currencyCodes.data.filter((c) => !ISO_4217_WITHOUT_MINOR_UNIT.has(c.code)).map((c) => [c.code, c.digits]),
);

/** A current ISO 4217 alphabetic code with a minor unit (e.g. "USD", "EUR"; not "XXX" or "XAU"). */
export function isCurrencyCode(code: string): boolean {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && EXPONENTS.has(code);
}

export function assertCurrency(code: string, field = 'currency'): string {
  if (!isCurrencyCode(code)) throw badInput(field, 'must be an ISO 4217 currency code with a minor unit (e.g. USD, EUR, JPY)');
  return code;
}

/**
 * Digits of a currency's minor unit, its ISO 4217 exponent (2 for USD, 0 for JPY and ISK, 3 for KWD):
 * an amount of `amountMinor` is `amountMinor / 10^digits` units. Throws for a code that is not one.
 */
export function minorDigits(currency: string): number {
  const digits = EXPONENTS.get(currency);
  if (digits === undefined) throw new Error(`${currency} is not an ISO 4217 currency with a minor unit`);
  return digits;
}

/** The exact decimal of an amount in minor units ("-1234.56" for -123456 USD), without floating point. */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** A decimal amount as shops and files write it: "1250", "1250.5", "-0.75" (no exponent, no grouping). */
const DECIMAL = /^(-?)(\d{1,20})(?:\.(\d{1,20}))?$/;

/**
 * The integer minor units of a decimal amount ("199.95" USD → 19995, "5000" JPY → 5000), exactly,
 * without floating point. Digits beyond the currency's exponent must be zeros ("1000.00" JPY is 1000;
 * "10.005" USD is refused, not rounded). BAD_USER_INPUT on `field` for anything else, or an amount
 * beyond the safe integer range. The currency must be one (assertCurrency first).
 */
export function decimalToMinor(decimal: string, currency: string, field: string): number {
  const digits = minorDigits(currency);
  const match = typeof decimal === 'string' ? DECIMAL.exec(decimal.trim()) : null;
  if (!match) throw badInput(field, 'must be a decimal amount, e.g. "199.95"');
  const [, sign, whole, fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(digits))) {
    throw badInput(field, `has more decimals than ${currency} has (${digits})`);
  }
  const minor = BigInt(whole + fraction.slice(0, digits).padEnd(digits, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw badInput(field, 'is too large');
  const n = Number(minor);
  return sign === '-' && n !== 0 ? -n : n;
}

/**
 * An amount for people, with the ISO 4217 number of decimals (ICU's own idea of a currency's digits
 * differs for some, e.g. IQD or RSD): "$1,250.00", "¥5,000", "KWD 1.250".
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats a decimal string exactly (no division in floating point).
  return format.format(minorToDecimal(amountMinor, currency) as unknown as number);
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

@ObjectType({
  description: 'An amount of money in integer minor units of an ISO 4217 currency, by its exponent (USD cents, whole JPY, KWD fils).',
})
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

/** What an amount may be: `non-negative` (a price, 0 allowed) or `positive` (money moved: more than 0). */
export type AmountRule = 'non-negative' | 'positive';

/** What a refused amount hears, by its rule. */
export const AMOUNT_RULE_MESSAGES: Readonly<Record<AmountRule, string>> = {
  'non-negative': 'must be 0 or more, in whole minor units',
  positive: 'must be more than 0, in whole minor units',
};

/**
 * Validates a money input: an ISO 4217 currency with a minor unit, and a whole, safe number of that
 * currency's minor units (cents for USD, yen for JPY, fils for KWD), 0 or more, or more than 0 for money
 * that moves (`positive`: a funding, a payout), each refusal saying the rule it breaks.
 */
export function parseMoneyInput(input: MoneyInput, field: string, rule: AmountRule = 'non-negative'): Money {
  const problems = new InputProblems();
  problems.check(() => assertCurrency(input.currency, `${field}.currency`));
  const min = rule === 'positive' ? 1 : 0;
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < min) {
    problems.add(`${field}.amountMinor`, AMOUNT_RULE_MESSAGES[rule]);
  }
  problems.throwIfAny();
  return Money.of(input.amountMinor, input.currency);
}
