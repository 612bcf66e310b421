import {
  assertAmount,
  assertBalanced,
  assertKey,
  assertLedgerCurrency,
  beyondSafe,
  insufficient,
  tooLarge,
  move,
  normalise,
  overdrawn,
  platformFee,
  accrualDraw,
} from './ledger-rules';

const escrow = { type: 'CAMPAIGN_ESCROW' as const, ownerId: 'c1', currency: 'USD' };
const payable = { type: 'CREATOR_PAYABLE' as const, ownerId: 'p1', currency: 'USD' };
const brand = { type: 'BRAND_FUNDING' as const, ownerId: 'b1', currency: 'USD' };

describe('ledger rules', () => {
  it('takes whole, positive, safe minor units only', () => {
    expect(assertAmount(1)).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '100', null]) {
      expect(() => assertAmount(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'amount.amountMinor' }));
    }
  });

  it('takes ISO 4217 currencies with a minor unit only', () => {
    expect(assertLedgerCurrency('KWD')).toBe('KWD');
    for (const bad of ['XXX', 'XAU', 'usd', 'EURO', '', 42]) {
      expect(() => assertLedgerCurrency(bad)).toThrow(expect.objectContaining({ field: 'amount.currency' }));
    }
  });

  it('takes printable keys of at most 200 characters', () => {
    expect(assertKey('payout:1:start:2')).toBe('payout:1:start:2');
    for (const bad of ['', 'a b', 'x'.repeat(201), 'k\u0000', 'ké'])
      expect(() => assertKey(bad)).toThrow(expect.objectContaining({ field: 'key' }));
  });

  it('merges entries per account and drops zero ones (a fee of 0 adds no entry)', () => {
    const fee = { type: 'PLATFORM_FEE' as const, ownerId: 'platform', currency: 'USD' };
    expect(normalise([...move(escrow, payable, 100), { account: fee, amount: 0 }])).toEqual(move(escrow, payable, 100));
    expect(normalise([...move(escrow, payable, 100), ...move(payable, escrow, 40)])).toEqual(move(escrow, payable, 60));
  });

  it('refuses an unbalanced plan, a mixed currency or fewer than two entries (a bug, not input)', () => {
    expect(() => assertBalanced(move(escrow, payable, 5))).not.toThrow();
    expect(() =>
      assertBalanced([
        { account: escrow, amount: -5 },
        { account: payable, amount: 4 },
      ]),
    ).toThrow(/unbalanced/);
    expect(() =>
      assertBalanced([
        { account: escrow, amount: -5 },
        { account: { ...payable, currency: 'EUR' }, amount: 5 },
      ]),
    ).toThrow(/unbalanced/);
    expect(() => assertBalanced([])).toThrow(/unbalanced/);
  });

  it('finds the protected account a plan would overdraw; a source like brand funding may go negative', () => {
    const balances = new Map([
      ['CAMPAIGN_ESCROW', 99],
      ['BRAND_FUNDING', 0],
    ]);
    const of = (a: { type: string }) => balances.get(a.type) ?? 0;
    expect(overdrawn(move(escrow, payable, 100), of)).toEqual({ account: escrow, balance: 99, amount: 100 });
    expect(overdrawn(move(escrow, payable, 99), of)).toBeNull();
    expect(overdrawn(move(brand, escrow, 1_000_000), of)).toBeNull();
    expect(insufficient({ account: escrow, balance: 99, amount: 100 })).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'INSUFFICIENT_FUNDS' },
    });
    expect(insufficient({ account: payable, balance: 0, amount: 1 })).toMatchObject({
      details: { reason: 'INSUFFICIENT_BALANCE', account: 'CREATOR_PAYABLE' },
    });
  });

  it('says what the account has available, never the amount asked for (it is in the extensions)', () => {
    const short = insufficient({ account: escrow, balance: 75_000, amount: 75_001 });
    expect(short.message).toBe("The campaign's escrow has $750.00 available, less than this needs: fund the campaign first");
    expect(short.details).toMatchObject({ balanceMinor: 75_000, neededMinor: 75_001, currency: 'USD' });
    expect(short.message).not.toMatch(/750\.01|75001|75,001/);
    const yen = insufficient({ account: { ...payable, currency: 'JPY' }, balance: 0, amount: 5_000 });
    expect(yen.message).toBe('The creator payable account has ¥0 available, less than this needs');
    expect(yen.message).not.toMatch(/5,?000/);
  });

  it('finds an account a posting would take beyond the amounts held exactly (2^53 − 1 minor units)', () => {
    const near = (a: { type: string }) => (a.type === 'CAMPAIGN_ESCROW' ? Number.MAX_SAFE_INTEGER - 10 : -(Number.MAX_SAFE_INTEGER - 10));
    expect(beyondSafe(move(brand, escrow, 10), near)).toBeNull();
    expect(beyondSafe(move(brand, escrow, 11), near)).toEqual(brand);
    expect(beyondSafe(move(escrow, payable, 11), near)).toBeNull();
    expect(tooLarge(escrow, 'input.amount.amountMinor')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount.amountMinor' });
  });

  it('charges the platform fee in whole minor units, rounded down (0 by default)', () => {
    expect(platformFee(10_000, 0)).toBe(0);
    expect(platformFee(10_000, 250)).toBe(250);
    expect(platformFee(999, 250)).toBe(24);
  });

  it('an accrual draws its amount and the fee on it from the escrow (what a closed campaign’s shortfall asks for)', () => {
    expect(accrualDraw(10_000, 0)).toEqual({ fee: 0, total: 10_000 });
    expect(accrualDraw(999, 250)).toEqual({ fee: 24, total: 1_023 });
    // Per accrual, not on a sum: two accruals of 999 draw 2 × 1,023, one less than one of 1,998 (fee 49).
    expect(2 * accrualDraw(999, 250).total).toBe(accrualDraw(1_998, 250).total - 1);
  });
});
