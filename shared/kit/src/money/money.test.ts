import { readFileSync } from 'node:fs';
import { AppError } from '../errors/app-error';
import {
  assertCurrency,
  decimalToMinor,
  formatMoney,
  isCurrencyCode,
  ISO_4217_WITHOUT_MINOR_UNIT,
  minorDigits,
  minorToDecimal,
  parseMoneyInput,
  AMOUNT_RULE_MESSAGES,
} from './money';

function problemsOf(run: () => unknown): { field?: string; reason?: string }[] {
  try {
    run();
  } catch (err) {
    const e = err as AppError;
    return (e.details?.problems as { field?: string; reason?: string }[] | undefined) ?? [{ field: e.field }];
  }
  throw new Error('expected an error');
}

describe('ISO 4217 exponents', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['CLP', 0],
    ['ISK', 0],
    ['UYW', 4],
  ])('%s has %i digits', (code, digits) => {
    expect(minorDigits(code)).toBe(digits);
  });

  it('refuses codes that are not currencies with a minor unit', () => {
    for (const code of ['XXX', 'XAU', 'XTS', 'ABC', 'usd', 'US', 'USDX', '', 'US\u0000']) {
      expect(isCurrencyCode(code)).toBe(false);
      expect(() => minorDigits(code)).toThrow();
      expect(() => assertCurrency(code, 'input.currency')).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.currency' }),
      );
    }
  });

  it('lists exactly the codes whose minor unit ISO gives as N.A. (the list the package ships)', () => {
    const xml = readFileSync(require.resolve('currency-codes/iso-4217-list-one.xml'), 'utf8');
    const na = new Set<string>();
    for (const entry of xml.split('<CcyNtry>').slice(1)) {
      const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1];
      if (code && /<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/.test(entry)) na.add(code);
    }
    expect([...ISO_4217_WITHOUT_MINOR_UNIT].sort()).toEqual([...na].sort());
  });
});

describe('formatMoney', () => {
  it.each([
    [123_456, 'USD', '$1,234.56'],
    [5, 'USD', '$0.05'],
    [-5, 'USD', '-$0.05'],
    [5_000_000, 'JPY', '¥5,000,000'],
    [1_250, 'KWD', 'KWD 1.250'],
    [1, 'BHD', 'BHD 0.001'],
    [990, 'CLP', 'CLP 990'],
    [1_500, 'ISK', 'ISK 1,500'],
    [Number.MAX_SAFE_INTEGER, 'USD', '$90,071,992,547,409.91'],
  ])('%i %s → %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency).replace(/\u00a0/g, ' ')).toBe(text);
  });

  it('writes the exact decimal of minor units', () => {
    expect(minorToDecimal(7, 'KWD')).toBe('0.007');
    expect(minorToDecimal(-120, 'USD')).toBe('-1.20');
    expect(minorToDecimal(42, 'JPY')).toBe('42');
  });
});

describe('parseMoneyInput', () => {
  it('takes whole minor units of an ISO currency', () => {
    expect(parseMoneyInput({ amountMinor: 1_250, currency: 'KWD' }, 'input.amount')).toMatchObject({ amountMinor: 1_250, currency: 'KWD' });
    expect(parseMoneyInput({ amountMinor: 0, currency: 'JPY' }, 'input.amount').formatted).toBe('¥0');
  });

  it('refuses fractional and negative amounts and currencies without an ISO exponent, by field', () => {
    expect(problemsOf(() => parseMoneyInput({ amountMinor: 1.5, currency: 'USD' }, 'input.amount'))).toEqual([
      expect.objectContaining({ field: 'input.amount.amountMinor' }),
    ]);
    expect(problemsOf(() => parseMoneyInput({ amountMinor: -1, currency: 'JPY' }, 'input.amount'))).toEqual([
      expect.objectContaining({ field: 'input.amount.amountMinor' }),
    ]);
    expect(problemsOf(() => parseMoneyInput({ amountMinor: 100, currency: 'XXX' }, 'input.amount'))).toEqual([
      expect.objectContaining({ field: 'input.amount.currency' }),
    ]);
  });

  it('says the rule an amount breaks: 0 or more for a price, more than 0 for money that moves', () => {
    const reasons = (rule: 'non-negative' | 'positive', amountMinor: number) =>
      problemsOf(() => parseMoneyInput({ amountMinor, currency: 'USD' }, 'input.amount', rule)).map((p) => p.reason);
    expect(reasons('non-negative', -1)).toEqual(['must be 0 or more, in whole minor units']);
    expect(reasons('positive', 0)).toEqual(['must be more than 0, in whole minor units']);
    expect(reasons('positive', -5)).toEqual(['must be more than 0, in whole minor units']);
    expect(reasons('positive', 0.5)).toEqual(['must be more than 0, in whole minor units']);
    expect(reasons('positive', 2 ** 53)).toEqual(['must be more than 0, in whole minor units']);
    expect(parseMoneyInput({ amountMinor: 1, currency: 'JPY' }, 'input.amount', 'positive').formatted).toBe('¥1');
    expect(parseMoneyInput({ amountMinor: 0, currency: 'USD' }, 'input.amount', 'non-negative').amountMinor).toBe(0);
    expect(Object.values(AMOUNT_RULE_MESSAGES).join(' ')).not.toMatch(/non-negative/);
  });
});

describe('decimalToMinor', () => {
  it.each([
    ['199.95', 'USD', 19995],
    ['199.5', 'USD', 19950],
    ['199', 'USD', 19900],
    ['0.00', 'EUR', 0],
    ['-0.75', 'USD', -75],
    ['5000', 'JPY', 5000],
    ['5000.00', 'JPY', 5000],
    ['1.250', 'KWD', 1250],
    [' 12.30 ', 'USD', 1230],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('%s %s is %i minor units', (decimal, currency, minor) => {
    expect(decimalToMinor(decimal, currency, 'amount')).toBe(minor);
  });

  it('refuses what is not an exact decimal of the currency, naming the field', () => {
    for (const bad of [
      '',
      'abc',
      '1e3',
      '1,000.00',
      '12.',
      '.5',
      '+1',
      '10.005',
      '0x10',
      '1\u0000',
      'Infinity',
      '9'.repeat(25),
      '90071992547409.92',
    ]) {
      expect(() => decimalToMinor(bad, 'USD', 'line_items.0.price')).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'line_items.0.price' }),
      );
    }
    expect(() => decimalToMinor('1000.50', 'JPY', 'total')).toThrow(expect.objectContaining({ field: 'total' }));
    expect(() => decimalToMinor(12 as unknown as string, 'USD', 'total')).toThrow(expect.objectContaining({ field: 'total' }));
  });
});
