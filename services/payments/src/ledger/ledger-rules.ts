import { AMOUNT_RULE_MESSAGES, AppError, badInput, ErrorCode, formatMoney, isCurrencyCode, isUuid } from '@influenceflow/kit';

/**
 * The ledger's rules, pure: which accounts a posting moves money between, and what makes one refused.
 * The database enforces the same invariants again (migration 1767100000000-Ledger); docs/payments.md,
 * "Ledger", lists both.
 */

export const ACCOUNT_TYPES = [
  'BRAND_FUNDING',
  'CAMPAIGN_ESCROW',
  'CREATOR_PAYABLE',
  'PROVIDER_CLEARING',
  'CREATOR_PAID',
  'PLATFORM_FEE',
  'PRODUCT_VALUE_MEMO',
  'PRODUCT_VALUE_GIVEN',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Accounts whose balance may never go below zero (`CHECK (balance >= 0)` in the database too). */
export const PROTECTED_ACCOUNT_TYPES: ReadonlySet<AccountType> = new Set<AccountType>([
  'CAMPAIGN_ESCROW',
  'CREATOR_PAYABLE',
  'PROVIDER_CLEARING',
  'CREATOR_PAID',
  'PLATFORM_FEE',
  'PRODUCT_VALUE_MEMO',
]);

/** The platform's own account owner (PLATFORM_FEE). */
export const PLATFORM_OWNER = 'platform';

export const TRANSFER_KINDS = [
  'FUND',
  'ACCRUE_MILESTONE',
  'ACCRUE_COMMISSION',
  'ACCRUE_BONUS',
  'ACCRUE_AD_HOC',
  'COMMISSION_REFUND',
  'PAYOUT_START',
  'PAYOUT_SETTLE',
  'PAYOUT_FAIL',
  'PAYOUT_REVERSE',
  'PRODUCT_VALUE',
  'ESCROW_RETURN',
  'CLEARING_SPLIT',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export type AccrualKind = 'MILESTONE' | 'COMMISSION' | 'BONUS' | 'AD_HOC';
export const ACCRUAL_KINDS: readonly AccrualKind[] = ['MILESTONE', 'COMMISSION', 'BONUS', 'AD_HOC'];

/** An account as a posting names it: its type, its owner (a UUID, a provider's name, or `platform`) and currency. */
export interface AccountRef {
  type: AccountType;
  ownerId: string;
  currency: string;
  /** Copies kept on the account for statements and reports. */
  brandId?: string | null;
  campaignId?: string | null;
  partnershipId?: string | null;
  creatorId?: string | null;
}

export interface PlannedEntry {
  account: AccountRef;
  /** Signed minor units: negative takes money out of the account, positive puts it in. */
  amount: number;
}

/** Account types that hold one currency for their owner (a campaign's escrow is in the campaign's currency). */
export const SINGLE_CURRENCY_TYPES: ReadonlySet<AccountType> = new Set<AccountType>(['CAMPAIGN_ESCROW', 'CREATOR_PAYABLE']);

export const MAX_KEY_LENGTH = 200;
export const MAX_PROVIDER_LENGTH = 40;

/** A transfer's amount: a whole, positive, safe number of minor units. */
export function assertAmount(amountMinor: unknown, field = 'amount.amountMinor'): number {
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw badInput(field, AMOUNT_RULE_MESSAGES.positive);
  }
  return amountMinor;
}

export function assertLedgerCurrency(currency: unknown, field = 'amount.currency'): string {
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) {
    throw badInput(field, 'must be an ISO 4217 currency code with a minor unit (e.g. USD, EUR, JPY)');
  }
  return currency;
}

export function assertKey(key: unknown, field = 'key'): string {
  // Keys are built by code from ids; anything else (control characters, huge strings) is a bug or an attack.
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw badInput(field, `must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces`);
  }
  return key;
}

export function assertId(id: unknown, field: string): string {
  if (!isUuid(id)) throw badInput(field, 'must be a UUID');
  return (id as string).toLowerCase();
}

export function assertProvider(provider: unknown, field = 'provider'): string {
  if (typeof provider !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(provider) || provider.length > MAX_PROVIDER_LENGTH) {
    throw badInput(field, `must be a provider name (lowercase letters, digits, - or _; at most ${MAX_PROVIDER_LENGTH})`);
  }
  return provider;
}

/** The platform fee on an accrual, charged to the campaign's escrow on top of what the creator is owed. */
export function platformFee(amountMinor: number, feeBasisPoints: number): number {
  return Math.floor((amountMinor * feeBasisPoints) / 10_000);
}

/**
 * What an accrual of `amountMinor` draws from the campaign's escrow: the amount and its platform fee. The
 * one rule the ledger's accrual posts by and what a closed campaign's shortfall asks for (Ledger.accrualCost).
 */
export function accrualDraw(amountMinor: number, feeBasisPoints: number): { fee: number; total: number } {
  const fee = platformFee(amountMinor, feeBasisPoints);
  return { fee, total: amountMinor + fee };
}

/**
 * A provider's clearing account is split in shards (one account each, `<shard>-<provider>`; provider
 * names start with a letter, so no shard is ever a provider's own name): a payout's start, settlement and
 * failure all use the shard of its id, so concurrent payouts of one provider do not queue on one row. The
 * provider's clearing balance is the sum of its shards (and of the unsharded account of before, if any).
 * Migration 1767600000001-ClearingShards uses the same count and the same choice (the id's last byte).
 */
export const CLEARING_SHARDS = 8;

export function clearingShard(payoutId: string): number {
  return parseInt(payoutId.slice(-2), 16) % CLEARING_SHARDS;
}

export const clearingOwner = (provider: string, payoutId: string) => `${clearingShard(payoutId)}-${provider}`;

/** Every owner a provider's clearing balance is held under: its shards and its unsharded account of before. */
export const clearingOwners = (provider: string) => [provider, ...Array.from({ length: CLEARING_SHARDS }, (_, n) => `${n}-${provider}`)];

/** A transfer from one account to another (two entries). */
export function move(from: AccountRef, to: AccountRef, amount: number): PlannedEntry[] {
  return [
    { account: from, amount: -amount },
    { account: to, amount },
  ];
}

/** Entries of one transfer merged per account, zero entries dropped (an entry is never zero). */
export function normalise(entries: PlannedEntry[]): PlannedEntry[] {
  const byAccount = new Map<string, PlannedEntry>();
  for (const e of entries) {
    const id = accountKey(e.account);
    const seen = byAccount.get(id);
    if (seen) seen.amount += e.amount;
    else byAccount.set(id, { account: e.account, amount: e.amount });
  }
  return [...byAccount.values()].filter((e) => e.amount !== 0);
}

export function accountKey(a: Pick<AccountRef, 'type' | 'ownerId' | 'currency'>): string {
  return `${a.type}/${a.ownerId}/${a.currency}`;
}

/** The invariants of one transfer's entries, checked before the database is reached. */
export function assertBalanced(entries: PlannedEntry[]): void {
  const currencies = new Set(entries.map((e) => e.account.currency));
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  if (entries.length < 2 || currencies.size !== 1 || sum !== 0 || entries.some((e) => !Number.isSafeInteger(e.amount) || e.amount === 0)) {
    // A planning bug, never the client's input.
    throw new Error(`unbalanced transfer: ${entries.map((e) => `${accountKey(e.account)} ${e.amount}`).join(', ')}`);
  }
}

/** Why a posting would take a protected account below zero: the first such account, or null. */
export function overdrawn(
  entries: PlannedEntry[],
  balanceOf: (account: AccountRef) => number,
): { account: AccountRef; balance: number; amount: number } | null {
  for (const e of entries) {
    if (e.amount < 0 && PROTECTED_ACCOUNT_TYPES.has(e.account.type)) {
      const balance = balanceOf(e.account);
      if (balance + e.amount < 0) return { account: e.account, balance, amount: -e.amount };
    }
  }
  return null;
}

/**
 * The refusal for an overdrawn protected account: escrow is "funds", anything else a "balance". The message
 * says what the account has available, never the amount asked for (the client sent it: docs/errors.md); both
 * are in the extensions (`balanceMinor`, `neededMinor`: the amount with its fee). docs/payments.md, "Bad input".
 */
export function insufficient(o: { account: AccountRef; balance: number; amount: number }): AppError {
  const escrow = o.account.type === 'CAMPAIGN_ESCROW';
  const available = formatMoney(o.balance, o.account.currency);
  return new AppError(
    ErrorCode.INVALID_STATE,
    escrow
      ? `The campaign's escrow has ${available} available, less than this needs: fund the campaign first`
      : `The ${o.account.type.toLowerCase().replace(/_/g, ' ')} account has ${available} available, less than this needs`,
    {
      details: {
        reason: escrow ? 'INSUFFICIENT_FUNDS' : 'INSUFFICIENT_BALANCE',
        account: o.account.type,
        currency: o.account.currency,
        balanceMinor: o.balance,
        neededMinor: o.amount,
      },
    },
  );
}

/**
 * The first account a posting would take beyond the amounts held exactly (±(2^53 − 1) minor units: what
 * JavaScript's numbers and the API's SafeInt carry), or null. A balance past it could not be read back.
 */
export function beyondSafe(entries: PlannedEntry[], balanceOf: (account: AccountRef) => number): AccountRef | null {
  for (const e of entries) {
    if (!Number.isSafeInteger(balanceOf(e.account) + e.amount)) return e.account;
  }
  return null;
}

/** The refusal of a posting that would take an account beyond the amounts held exactly. */
export function tooLarge(account: AccountRef, field = 'amount.amountMinor'): AppError {
  return badInput(
    field,
    `is too large: the ${account.type.toLowerCase().replace(/_/g, ' ')} account would pass the largest amount held exactly (2^53 − 1 minor units)`,
  );
}
