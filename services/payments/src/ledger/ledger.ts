import { createHash } from 'node:crypto';
import { AppError, badInput, ErrorCode, Money, NewEvent, Outbox, uuidv7 } from '@influenceflow/kit';
import { EVENT_TYPES, SpendAccruedData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import {
  AccountRef,
  AccountType,
  accountKey,
  ACCRUAL_KINDS,
  AccrualKind,
  accrualDraw,
  clearingOwner,
  clearingOwners,
  assertAmount,
  assertBalanced,
  assertId,
  assertKey,
  assertLedgerCurrency,
  assertProvider,
  beyondSafe,
  insufficient,
  move,
  normalise,
  overdrawn,
  tooLarge,
  PLATFORM_OWNER,
  PlannedEntry,
  PROTECTED_ACCOUNT_TYPES,
  SINGLE_CURRENCY_TYPES,
  TransferKind,
} from './ledger-rules';
import type { LedgerPostings, PartnershipParties, PostedTransfer } from './postings';

/** What a transfer records besides its entries; the idempotency key compares all of it. */
interface TransferSpec {
  key: string;
  kind: TransferKind;
  currency: string;
  /** The amount asked for; null: decided by the ledger (an escrow return, of what is left). */
  requestedAmount: number | null;
  /** The platform fee moved with an accrual (or back with its refund), beside the amount. */
  fee?: number;
  entries: PlannedEntry[];
  brandId?: string | null;
  campaignId?: string | null;
  partnershipId?: string | null;
  creatorId?: string | null;
  payoutId?: string | null;
  provider?: string | null;
  description?: string | null;
}

interface AccountRow {
  id: string;
  type: AccountType;
  owner_id: string;
  currency: string;
  balance: string;
  brand_id: string | null;
  campaign_id: string | null;
  creator_id: string | null;
}

/** An account's advisory lock: by type and owner, whatever the currency (a currency mismatch is found under it). */
const lockKey = (a: Pick<AccountRef, 'type' | 'ownerId'>) => `ledger:${a.type}/${a.ownerId}`;
/** SQL taking the advisory locks of the keys in the text[] parameter `param`, in one stable order (`ledger_lock`). */
const ADVISORY_LOCKS = (param: string) => `SELECT ledger_lock(${param}::text[]) AS n`;

export interface LedgerOptions {
  /** Platform fee in basis points of each accrual, charged to the escrow on top (default 0: no fee). */
  platformFeeBasisPoints?: number;
}

/**
 * The double-entry ledger on PostgreSQL: the one implementation of `LedgerPostings`. Each posting, in the
 * caller's transaction: validates its input, locks the accounts it touches in one stable order (no
 * deadlocks between postings), refuses an overdraft of a protected account before writing, and writes the transfer
 * and its entries in one statement (the database then moves the balances and checks every invariant
 * again). The key makes it idempotent: a unique index, so a concurrent duplicate waits for the first and
 * gets its transfer, replayed.
 */
export class Ledger implements LedgerPostings {
  readonly feeBasisPoints: number;

  constructor(
    private readonly outbox: Outbox,
    options: LedgerOptions = {},
  ) {
    this.feeBasisPoints = options.platformFeeBasisPoints ?? 0;
    if (!Number.isInteger(this.feeBasisPoints) || this.feeBasisPoints < 0 || this.feeBasisPoints > 5_000) {
      throw new Error('platformFeeBasisPoints must be an integer from 0 to 5000');
    }
  }

  /** What accruing `amountMinor` draws from the escrow (the amount and its fee): the rule accrue posts by. */
  accrualCost(amountMinor: number): number {
    return accrualDraw(amountMinor, this.feeBasisPoints).total;
  }

  /**
   * Takes the advisory locks a funding of the campaign takes (its escrow's and its brand's funding account's,
   * in the ledger's one order) until the transaction ends: every posting that moves the escrow (accruals,
   * their refunds, fundings, the escrow's return) waits for this transaction, and what this transaction
   * reads after it (the escrow, what committed with the escrow's last posting) is one consistent state.
   */
  async lockCampaignFunding(tx: EntityManager, p: { brandId: string; campaignId: string }): Promise<void> {
    const brandId = assertId(p.brandId, 'brandId');
    const campaignId = assertId(p.campaignId, 'campaignId');
    await tx.query(ADVISORY_LOCKS('$1'), [
      [lockKey({ type: 'CAMPAIGN_ESCROW', ownerId: campaignId }), lockKey({ type: 'BRAND_FUNDING', ownerId: brandId })],
    ]);
  }

  fundCampaign(tx: EntityManager, p: { key: string; brandId: string; campaignId: string; amount: Money }): Promise<PostedTransfer> {
    const key = assertKey(p.key);
    const brandId = assertId(p.brandId, 'brandId');
    const campaignId = assertId(p.campaignId, 'campaignId');
    const { amountMinor, currency } = money(p.amount);
    const refs = { brandId, campaignId };
    return this.post(tx, {
      key,
      kind: 'FUND',
      currency,
      requestedAmount: amountMinor,
      ...refs,
      entries: move(
        { type: 'BRAND_FUNDING', ownerId: brandId, currency, brandId },
        { type: 'CAMPAIGN_ESCROW', ownerId: campaignId, currency, ...refs },
        amountMinor,
      ),
    });
  }

  async accrue(tx: EntityManager, p: PartnershipParties & { key: string; amount: Money; kind: AccrualKind }): Promise<PostedTransfer> {
    const key = assertKey(p.key);
    const parties = partiesOf(p);
    if (!ACCRUAL_KINDS.includes(p.kind)) throw badInput('kind', `must be one of ${ACCRUAL_KINDS.join(', ')}`);
    const { amountMinor, currency } = money(p.amount);
    const { fee, total } = accrualDraw(amountMinor, this.feeBasisPoints);
    const entries: PlannedEntry[] = [
      { account: escrowOf(parties, currency), amount: -total },
      { account: payableOf(parties, currency), amount: amountMinor },
      { account: feeAccount(currency), amount: fee },
    ];
    return this.post(
      tx,
      { key, kind: `ACCRUE_${p.kind}`, currency, requestedAmount: amountMinor, fee, ...parties, entries },
      (transferId) => spendAccrued(transferId, parties, p.kind, amountMinor, currency, fee),
    );
  }

  async reverseAccrual(
    tx: EntityManager,
    p: PartnershipParties & { key: string; amount: Money; kind: 'COMMISSION_REFUND' },
  ): Promise<PostedTransfer> {
    const key = assertKey(p.key);
    const parties = partiesOf(p);
    if (p.kind !== 'COMMISSION_REFUND') throw badInput('kind', 'must be COMMISSION_REFUND');
    const { amountMinor, currency } = money(p.amount);
    // What its accrual drew comes back: the amount and the fee on it.
    const { fee, total } = accrualDraw(amountMinor, this.feeBasisPoints);
    return this.post(
      tx,
      {
        key,
        kind: 'COMMISSION_REFUND',
        currency,
        requestedAmount: amountMinor,
        fee,
        ...parties,
        entries: [
          { account: payableOf(parties, currency), amount: -amountMinor },
          { account: feeAccount(currency), amount: -fee },
          { account: escrowOf(parties, currency), amount: total },
        ],
      },
      (transferId) => spendAccrued(transferId, parties, 'COMMISSION_REFUND', amountMinor, currency, fee),
    );
  }

  startPayout(tx: EntityManager, p: PayoutPosting): Promise<PostedTransfer> {
    return this.payoutMove(tx, p, 'PAYOUT_START', (parties, clearing, currency) => [payableOf(parties, currency), clearing]);
  }

  settlePayout(tx: EntityManager, p: PayoutPosting): Promise<PostedTransfer> {
    return this.payoutMove(tx, p, 'PAYOUT_SETTLE', (parties, clearing, currency) => [clearing, paidOf(parties, currency)]);
  }

  failPayout(tx: EntityManager, p: PayoutPosting): Promise<PostedTransfer> {
    return this.payoutMove(tx, p, 'PAYOUT_FAIL', (parties, clearing, currency) => [clearing, payableOf(parties, currency)]);
  }

  /**
   * A payout's money moving between the creator's payable, the provider's clearing (the payout's shard of
   * it) and what reached the creator.
   */
  private payoutMove(
    tx: EntityManager,
    p: PayoutPosting,
    kind: 'PAYOUT_START' | 'PAYOUT_SETTLE' | 'PAYOUT_FAIL',
    accounts: (parties: PartnershipParties, clearing: AccountRef, currency: string) => [AccountRef, AccountRef],
  ): Promise<PostedTransfer> {
    const { parties, payoutId, provider, amountMinor, currency, key } = payoutInput(p);
    const [from, to] = accounts(parties, clearingOf(provider, payoutId, currency), currency);
    return this.post(tx, {
      key,
      kind,
      currency,
      requestedAmount: amountMinor,
      ...parties,
      payoutId,
      provider,
      entries: move(from, to, amountMinor),
    });
  }

  reversePayout(tx: EntityManager, p: PartnershipParties & { key: string; payoutId: string; amount: Money }): Promise<PostedTransfer> {
    const key = assertKey(p.key);
    const parties = partiesOf(p);
    const payoutId = assertId(p.payoutId, 'payoutId');
    const { amountMinor, currency } = money(p.amount);
    return this.post(tx, {
      key,
      kind: 'PAYOUT_REVERSE',
      currency,
      requestedAmount: amountMinor,
      ...parties,
      payoutId,
      entries: move(paidOf(parties, currency), payableOf(parties, currency), amountMinor),
    });
  }

  recordProductValue(
    tx: EntityManager,
    p: PartnershipParties & { key: string; amount: Money; description: string },
  ): Promise<PostedTransfer> {
    const key = assertKey(p.key);
    const parties = partiesOf(p);
    const { amountMinor, currency } = money(p.amount);
    const description = typeof p.description === 'string' ? p.description.trim() : '';
    if (
      description.length === 0 ||
      description.length > 500 ||
      [...description].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)
    ) {
      throw badInput('description', 'must be 1 to 500 characters without control characters');
    }
    return this.post(tx, {
      key,
      kind: 'PRODUCT_VALUE',
      currency,
      requestedAmount: amountMinor,
      ...parties,
      description,
      entries: move(
        { type: 'PRODUCT_VALUE_GIVEN', ownerId: parties.brandId, currency, brandId: parties.brandId },
        { type: 'PRODUCT_VALUE_MEMO', ownerId: parties.partnershipId, currency, ...parties },
        amountMinor,
      ),
    });
  }

  /** Moves all that is left in a campaign's escrow back to its brand; null when there was nothing to return. */
  async returnEscrow(tx: EntityManager, p: { key: string; brandId: string; campaignId: string }): Promise<PostedTransfer | null> {
    const key = assertKey(p.key);
    const brandId = assertId(p.brandId, 'brandId');
    const campaignId = assertId(p.campaignId, 'campaignId');
    // The same advisory locks as the posting below takes, taken together (in order) before the escrow is read.
    const rows: AccountRow[] = await tx.query(
      `WITH locks AS MATERIALIZED (${ADVISORY_LOCKS('$2')})
       SELECT id, type, owner_id, currency, balance, brand_id, campaign_id, creator_id FROM ledger_accounts
        WHERE (SELECT n FROM locks) >= 0 AND type = 'CAMPAIGN_ESCROW' AND owner_id = $1 FOR UPDATE`,
      [campaignId, [lockKey({ type: 'CAMPAIGN_ESCROW', ownerId: campaignId }), lockKey({ type: 'BRAND_FUNDING', ownerId: brandId })]],
    );
    const escrow = rows[0];
    if (escrow && escrow.brand_id !== brandId) throw badInput('campaignId', "is another brand's campaign");
    const spec = (currency: string, amount: number): TransferSpec => ({
      key,
      kind: 'ESCROW_RETURN',
      currency,
      requestedAmount: null,
      brandId,
      campaignId,
      entries: move(
        { type: 'CAMPAIGN_ESCROW', ownerId: campaignId, currency, brandId, campaignId },
        { type: 'BRAND_FUNDING', ownerId: brandId, currency, brandId },
        amount,
      ),
    });
    const balance = escrow ? Number(escrow.balance) : 0;
    if (balance === 0) {
      const existing = await this.existing(tx, key);
      if (!existing) return null;
      return this.replay(existing, spec(existing.currency, 1));
    }
    return this.post(tx, spec(escrow!.currency, balance));
  }

  /** The balances of accounts of one type (not PROVIDER_CLEARING: sharded) for many owners, in one query; owners without an account are left out. */
  async balancesOf(
    tx: EntityManager,
    type: Exclude<AccountType, 'PROVIDER_CLEARING'>,
    ownerIds: readonly string[],
  ): Promise<{ ownerId: string; currency: string; balance: number }[]> {
    const rows: { owner_id: string; currency: string; balance: string }[] = await tx.query(
      `SELECT owner_id, currency, balance::text AS balance FROM ledger_accounts WHERE type = $1 AND owner_id = ANY($2::text[])`,
      [type, [...ownerIds]],
    );
    return rows.map((r) => ({ ownerId: r.owner_id, currency: r.currency.trim(), balance: Number(r.balance) }));
  }

  /** An account's balance; a provider's clearing (`ownerId` the provider) is the sum of its shards. */
  async balanceOf(tx: EntityManager, account: { type: string; ownerId: string; currency: string }): Promise<number> {
    const owners = account.type === 'PROVIDER_CLEARING' ? clearingOwners(account.ownerId) : [account.ownerId];
    const rows: { balance: string | null }[] = await tx.query(
      `SELECT sum(balance)::text AS balance FROM ledger_accounts WHERE type = $1 AND owner_id = ANY($2::text[]) AND currency = $3`,
      [account.type, owners, account.currency],
    );
    return Number(rows[0]?.balance ?? 0);
  }

  /**
   * Records a posting: see the class comment for the steps. The common case is one round trip:
   * `ledger_post` (migration 1767600000000-LedgerPost) locks and reads the accounts and writes the
   * transfer and its entries when nothing stands in the way. When something does, it writes nothing and
   * returns the locked accounts; the rules below then say why (a refusal, a replay, or accounts to open
   * first, after which it is called again). A posting with an event (`spend.accrued`) records it in the
   * same statement, through the outbox, when the transfer is written.
   */
  private async post(
    tx: EntityManager,
    spec: TransferSpec,
    event?: (transferId: string) => NewEvent<SpendAccruedData>,
  ): Promise<PostedTransfer> {
    const entries = normalise(spec.entries);
    assertBalanced(entries);
    const wanted = entries.map((e) => e.account);
    const transferId = uuidv7();
    const values = [
      wanted.map(lockKey),
      wanted.map((a) => a.type),
      wanted.map((a) => a.ownerId),
      entries.map((e) => e.amount),
      wanted.map((a) => a.brandId ?? null),
      wanted.map((a) => a.campaignId ?? null),
      wanted.map((a) => a.creatorId ?? null),
      [...SINGLE_CURRENCY_TYPES],
      [...PROTECTED_ACCOUNT_TYPES],
      transferId,
      spec.key,
      spec.kind,
      spec.currency,
      spec.requestedAmount ?? transferAmount(entries),
      spec.fee ?? 0,
      requestHash(spec),
      ...referencesOf(spec),
    ];
    const call = `ledger_post(${values.map((_, i) => `$${i + 1}`).join(', ')})`;
    if (event) {
      const envelope = this.outbox.envelope(event(transferId));
      const n = values.length;
      // Through a named prepared statement, like the posting alone (the text is the same every time).
      const runner = { query: (text: string, params?: unknown[]) => prepared(tx, 'ledger-post-spend', text, params ?? []) };
      const recorded = await this.outbox.enqueueStaged(runner, TOPICS.payment, {
        from: `(SELECT posted FROM ${call}) AS p`,
        where: 'p.posted',
        id: `$${n + 1}::uuid`,
        key: `$${n + 2}::text`,
        type: `$${n + 3}::text`,
        envelope: `$${n + 4}::jsonb`,
        params: [...values, envelope.id, envelope.subject, envelope.type, JSON.stringify(envelope)],
      });
      if (recorded > 0) return { transferId, replayed: false };
    }
    for (let opened = false; ; opened = true) {
      const rows = await prepared<AccountRow & { posted: boolean }>(tx, 'ledger-post', `SELECT * FROM ${call}`, values);
      if (rows[0]?.posted) {
        if (event) await this.outbox.enqueue(tx, TOPICS.payment, event(transferId));
        return { transferId, replayed: false };
      }

      const accounts = this.check(rows, wanted, spec.currency);
      const balanceOf = (a: AccountRef) => Number(accounts.get(accountKey(a))?.balance ?? 0);
      const short = overdrawn(entries, balanceOf);
      const huge = beyondSafe(entries, balanceOf);
      // A replay of a posting made when the money was there is still a replay; a replayed or conflicting
      // key opens no account (an empty escrow would fix the campaign's currency).
      const missing = wanted.filter((a) => !accounts.has(accountKey(a)));
      const existing = await this.existing(tx, spec.key);
      if (existing) return this.replay(existing, spec);
      if (short) throw insufficient(short);
      if (huge) throw tooLarge(huge);
      if (missing.length === 0 || opened) throw new Error(`ledger transfer ${spec.key} not posted`);
      await this.create(tx, missing);
    }
  }

  /**
   * Opens the accounts a posting needs that do not exist yet. The posting's advisory locks are held
   * already: a concurrent posting that opened one has committed, none is opening one now.
   */
  private async create(tx: EntityManager, missing: AccountRef[]): Promise<void> {
    await tx.query(
      `INSERT INTO ledger_accounts (type, owner_id, currency, brand_id, campaign_id, partnership_id, creator_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[])
       ORDER BY 1, 2
       ON CONFLICT DO NOTHING`,
      [
        missing.map((a) => a.type),
        missing.map((a) => a.ownerId),
        missing.map((a) => a.currency),
        missing.map((a) => a.brandId ?? null),
        missing.map((a) => a.campaignId ?? null),
        missing.map((a) => a.partnershipId ?? null),
        missing.map((a) => a.creatorId ?? null),
      ],
    );
  }

  /** The rows found, by account key; refuses a currency mismatch and an account of other parties. */
  private check(rows: AccountRow[], wanted: AccountRef[], currency: string): Map<string, AccountRow> {
    const byKey = new Map<string, AccountRow>();
    for (const row of rows) {
      const ref = wanted.find((a) => a.type === row.type && a.ownerId === row.owner_id);
      if (!ref) continue;
      if (row.currency !== currency) {
        throw badInput(
          'currency',
          `The ${row.type === 'CAMPAIGN_ESCROW' ? "campaign's escrow" : "partnership's payable"} is in ${row.currency}, not ${currency}: amounts are never converted`,
          { expected: row.currency },
        );
      }
      const parties = (['brandId', 'campaignId', 'creatorId'] as const).filter((k) => {
        const column = { brandId: row.brand_id, campaignId: row.campaign_id, creatorId: row.creator_id }[k];
        return ref[k] && column && ref[k] !== column;
      });
      if (parties.length > 0)
        throw badInput(
          ref.type === 'CAMPAIGN_ESCROW' ? 'campaignId' : 'partnershipId',
          `belongs to another ${parties[0].replace('Id', '')}`,
        );
      byKey.set(accountKey(ref), row);
    }
    return byKey;
  }

  private async existing(tx: EntityManager, key: string): Promise<{ id: string; request_hash: string; currency: string } | null> {
    const rows: { id: string; request_hash: string; currency: string }[] = await tx.query(
      `SELECT id, request_hash, currency FROM ledger_transfers WHERE key = $1`,
      [key],
    );
    return rows[0] ?? null;
  }

  private replay(existing: { id: string; request_hash: string }, spec: TransferSpec): PostedTransfer {
    if (existing.request_hash !== requestHash(spec)) {
      throw new AppError(ErrorCode.CONFLICT, 'This key was used for another posting: use a new key for a new request', {
        field: 'key',
        details: { reason: 'KEY_REUSED', transferId: existing.id },
      });
    }
    return { transferId: existing.id, replayed: true };
  }
}

/**
 * Runs one of the postings' hot statements as a named prepared statement on the transaction's
 * connection: PostgreSQL plans it once per connection instead of at every posting (planning the lock
 * and insert statements cost more than running them).
 */
async function prepared<T>(tx: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = tx.queryRunner;
  if (!runner || runner.isReleased || !runner.isTransactionActive) return (await tx.query(text, values)) as T[];
  const client = (await runner.connect()) as { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
  return (await client.query({ name, text, values })).rows;
}

function money(amount: Money | null | undefined): { amountMinor: number; currency: string } {
  if (!amount || typeof amount !== 'object') throw badInput('amount', 'is required');
  const currency = assertLedgerCurrency(amount.currency);
  return { amountMinor: assertAmount(amount.amountMinor), currency };
}

function partiesOf(p: PartnershipParties): PartnershipParties {
  return {
    partnershipId: assertId(p.partnershipId, 'partnershipId'),
    campaignId: assertId(p.campaignId, 'campaignId'),
    brandId: assertId(p.brandId, 'brandId'),
    creatorId: assertId(p.creatorId, 'creatorId'),
  };
}

/** spend.accrued, recorded with the accrual or refund it reports (the ledger emits the spend). */
function spendAccrued(
  transferId: string,
  parties: PartnershipParties,
  kind: SpendAccruedData['kind'],
  amountMinor: number,
  currency: string,
  feeMinor: number,
): NewEvent<SpendAccruedData> {
  const data: SpendAccruedData = {
    transferId,
    ...parties,
    kind,
    amount: { amountMinor, currency },
    feeMinor,
    accruedAt: new Date().toISOString(),
  };
  return { type: EVENT_TYPES.spendAccrued, subject: parties.campaignId, brandid: parties.brandId, data };
}

/** What a payout's postings (start, settle, fail) are given. */
type PayoutPosting = PartnershipParties & { key: string; payoutId: string; provider: string; amount: Money };

function payoutInput(p: PayoutPosting) {
  return {
    key: assertKey(p.key),
    parties: partiesOf(p),
    payoutId: assertId(p.payoutId, 'payoutId'),
    provider: assertProvider(p.provider),
    ...money(p.amount),
  };
}

const escrowOf = (p: PartnershipParties, currency: string): AccountRef => ({
  type: 'CAMPAIGN_ESCROW',
  ownerId: p.campaignId,
  currency,
  brandId: p.brandId,
  campaignId: p.campaignId,
});
const payableOf = (p: PartnershipParties, currency: string): AccountRef => ({
  type: 'CREATOR_PAYABLE',
  ownerId: p.partnershipId,
  currency,
  ...p,
});
const paidOf = (p: PartnershipParties, currency: string): AccountRef => ({
  type: 'CREATOR_PAID',
  ownerId: p.creatorId,
  currency,
  creatorId: p.creatorId,
});
const clearingOf = (provider: string, payoutId: string, currency: string): AccountRef => ({
  type: 'PROVIDER_CLEARING',
  ownerId: clearingOwner(provider, payoutId),
  currency,
});
const feeAccount = (currency: string): AccountRef => ({ type: 'PLATFORM_FEE', ownerId: PLATFORM_OWNER, currency });

/** What left the transfer's sources: the sum of its positive entries. */
function transferAmount(entries: PlannedEntry[]): number {
  return entries.reduce((s, e) => s + (e.amount > 0 ? e.amount : 0), 0);
}

/** Whom and what a transfer is about, in the order of `ledger_post`'s parameters and of the request hash. */
function referencesOf(spec: TransferSpec): (string | null)[] {
  return [
    spec.brandId ?? null,
    spec.campaignId ?? null,
    spec.partnershipId ?? null,
    spec.creatorId ?? null,
    spec.payoutId ?? null,
    spec.provider ?? null,
    spec.description ?? null,
  ];
}

/** The request a key stands for: the same key with anything else in it is another request (CONFLICT). */
function requestHash(spec: TransferSpec): string {
  const request = [spec.kind, spec.currency, spec.requestedAmount, ...referencesOf(spec)];
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url');
}
