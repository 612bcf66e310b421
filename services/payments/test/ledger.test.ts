import { Money } from '@influenceflow/kit';
import { startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { EntityManager } from 'typeorm';
import { PROTECTED_ACCOUNT_TYPES } from '../src/ledger/ledger-rules';
import type { PartnershipParties } from '../src/ledger/postings';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices } from '../src/services';

// Ids of this file only.
let n = 0;
const uuid = () => `00000000-0000-4000-8e14-${String(++n).padStart(12, '0')}`;
const usd = (minor: number) => Money.of(minor, 'USD');

/** The ledger's postings on the real database: flows, idempotency, refusals, the database's own invariants, concurrency. */
describe('ledger postings', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const ledger = () => sub.services.ledger;
  const tx = <T>(work: (tx: EntityManager) => Promise<T>) => sub.runtime.dataSource.transaction(work);
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await sub.runtime.dataSource.query(text, params)) as T[];
  const entries = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`))[0].n;
  const balance = (type: string, ownerId: string, currency = 'USD') => tx((t) => ledger().balanceOf(t, { type, ownerId, currency }));

  function parties(): PartnershipParties {
    return { partnershipId: uuid(), campaignId: uuid(), brandId: uuid(), creatorId: uuid() };
  }
  async function funded(p: PartnershipParties, minor: number, currency = 'USD') {
    await tx((t) =>
      ledger().fundCampaign(t, {
        key: `fund:${p.campaignId}`,
        brandId: p.brandId,
        campaignId: p.campaignId,
        amount: Money.of(minor, currency),
      }),
    );
  }

  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(() => sub?.close());

  it('funds a campaign from its brand, and replays the same key without moving money again', async () => {
    const p = parties();
    const first = await tx((t) =>
      ledger().fundCampaign(t, { key: 'fund:once', brandId: p.brandId, campaignId: p.campaignId, amount: usd(50_000) }),
    );
    const count = await entries();
    const again = await tx((t) =>
      ledger().fundCampaign(t, { key: 'fund:once', brandId: p.brandId, campaignId: p.campaignId, amount: usd(50_000) }),
    );
    expect(again).toEqual({ transferId: first.transferId, replayed: true });
    expect(first.replayed).toBe(false);
    expect(await entries()).toBe(count);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(50_000);
    expect(await balance('BRAND_FUNDING', p.brandId)).toBe(-50_000);

    await expect(
      tx((t) => ledger().fundCampaign(t, { key: 'fund:once', brandId: p.brandId, campaignId: p.campaignId, amount: usd(50_001) })),
    ).rejects.toMatchObject({ code: 'CONFLICT', field: 'key' });
    expect(await entries()).toBe(count);
  });

  it('moves a payout through every step, each balance where the design says', async () => {
    const p = parties();
    await funded(p, 10_000);
    const payoutId = uuid();
    const pay = { ...p, payoutId, provider: 'simulated', amount: usd(3_000) };
    await tx(async (t) => {
      await ledger().accrue(t, { ...p, key: `m:${payoutId}`, amount: usd(3_000), kind: 'MILESTONE' });
      await ledger().startPayout(t, { ...pay, key: `payout:${payoutId}:start:1` });
    });
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(7_000);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(0);
    const clearing0 = await balance('PROVIDER_CLEARING', 'simulated');
    await tx((t) => ledger().failPayout(t, { ...pay, key: `payout:${payoutId}:fail:1` }));
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(3_000);
    expect(await balance('PROVIDER_CLEARING', 'simulated')).toBe(clearing0 - 3_000);
    await tx((t) => ledger().startPayout(t, { ...pay, key: `payout:${payoutId}:start:2` }));
    await tx((t) => ledger().settlePayout(t, { ...pay, key: `payout:${payoutId}:settle:2` }));
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(3_000);
    await tx((t) => ledger().reversePayout(t, { ...p, payoutId, key: `payout:${payoutId}:reverse`, amount: usd(1_000) }));
    expect(await balance('CREATOR_PAID', p.creatorId)).toBe(2_000);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(1_000);
    // A reversal of more than was paid would take CREATOR_PAID below zero.
    await expect(
      tx((t) => ledger().reversePayout(t, { ...p, payoutId, key: `payout:${payoutId}:reverse:2`, amount: usd(2_001) })),
    ).rejects.toMatchObject({ code: 'INVALID_STATE', details: { reason: 'INSUFFICIENT_BALANCE', account: 'CREATOR_PAID' } });

    // Commission refund: back to the escrow, up to what is unpaid.
    await tx((t) => ledger().accrue(t, { ...p, key: `order:${payoutId}:commission`, amount: usd(500), kind: 'COMMISSION' }));
    await tx((t) => ledger().reverseAccrual(t, { ...p, key: `refund:${payoutId}`, amount: usd(1_500), kind: 'COMMISSION_REFUND' }));
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(0);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(8_000);

    const back = await tx((t) =>
      ledger().returnEscrow(t, { key: `campaign:${p.campaignId}:return`, brandId: p.brandId, campaignId: p.campaignId }),
    );
    expect(back?.replayed).toBe(false);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    expect(await balance('BRAND_FUNDING', p.brandId)).toBe(-2_000);
    const again = await tx((t) =>
      ledger().returnEscrow(t, { key: `campaign:${p.campaignId}:return`, brandId: p.brandId, campaignId: p.campaignId }),
    );
    expect(again).toEqual({ transferId: back!.transferId, replayed: true });
    expect(
      await tx((t) => ledger().returnEscrow(t, { key: `campaign:${p.campaignId}:other`, brandId: p.brandId, campaignId: p.campaignId })),
    ).toBeNull();
  });

  it('records spend.accrued in the outbox with every accrual and refund, in its transaction', async () => {
    const p = parties();
    await funded(p, 1_000);
    const accrued = await tx((t) => ledger().accrue(t, { ...p, key: `bonus:${p.partnershipId}`, amount: usd(400), kind: 'BONUS' }));
    await tx((t) => ledger().accrue(t, { ...p, key: `bonus:${p.partnershipId}`, amount: usd(400), kind: 'BONUS' }));
    await tx((t) => ledger().reverseAccrual(t, { ...p, key: `refund:${p.partnershipId}`, amount: usd(100), kind: 'COMMISSION_REFUND' }));
    const events = await sql<{ type: string; data: Record<string, unknown>; brandid: string }>(
      `SELECT type, envelope->'data' AS data, envelope->>'brandid' AS brandid FROM outbox WHERE key = $1 ORDER BY seq`,
      [p.campaignId],
    );
    expect(events).toEqual([
      {
        type: 'spend.accrued',
        brandid: p.brandId,
        data: expect.objectContaining({
          transferId: accrued.transferId,
          kind: 'BONUS',
          amount: { amountMinor: 400, currency: 'USD' },
          feeMinor: 0,
          ...p,
        }),
      },
      {
        type: 'spend.accrued',
        brandid: p.brandId,
        data: expect.objectContaining({ kind: 'COMMISSION_REFUND', amount: { amountMinor: 100, currency: 'USD' } }),
      },
    ]);
  });

  it('refuses what the escrow cannot pay, a currency mismatch and bad input, writing nothing', async () => {
    const p = parties();
    await funded(p, 1_000, 'JPY');
    const before = await entries();
    const outbox = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`))[0].n;
    const outboxBefore = await outbox();
    const accrue = (over: Record<string, unknown>) =>
      tx((t) =>
        ledger().accrue(t, { ...p, key: `k:${p.partnershipId}`, amount: Money.of(100, 'JPY'), kind: 'MILESTONE', ...over } as never),
      );

    await expect(accrue({ amount: Money.of(1_001, 'JPY') })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'INSUFFICIENT_FUNDS', balanceMinor: 1_000, neededMinor: 1_001 },
    });
    await expect(accrue({ amount: Money.of(100, 'USD') })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });
    for (const [over, field] of [
      [{ amount: Money.of(-5, 'JPY') }, 'amount.amountMinor'],
      [{ amount: Money.of(0, 'JPY') }, 'amount.amountMinor'],
      [{ amount: Money.of(1.5, 'JPY') }, 'amount.amountMinor'],
      [{ amount: Money.of(2 ** 53, 'JPY') }, 'amount.amountMinor'],
      [{ amount: Money.of(10, 'XXX') }, 'amount.currency'],
      [{ amount: Money.of(10, 'jpy') }, 'amount.currency'],
      [{ campaignId: 'not-a-uuid' }, 'campaignId'],
      [{ partnershipId: `${p.partnershipId}\u0000` }, 'partnershipId'],
      [{ key: '' }, 'key'],
      [{ key: 'x'.repeat(201) }, 'key'],
      [{ key: 'with space' }, 'key'],
      [{ kind: 'GIFT' }, 'kind'],
    ] as const) {
      await expect(accrue(over)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // An escrow that was never funded.
    const unfunded = parties();
    await expect(
      tx((t) => ledger().accrue(t, { ...unfunded, key: `k:${unfunded.partnershipId}`, amount: usd(1), kind: 'AD_HOC' })),
    ).rejects.toMatchObject({ code: 'INVALID_STATE', details: { reason: 'INSUFFICIENT_FUNDS' } });
    // The same partnership claimed by another campaign.
    await tx((t) => ledger().accrue(t, { ...p, key: `ok:${p.partnershipId}`, amount: Money.of(10, 'JPY'), kind: 'MILESTONE' }));
    const okEntries = await entries();
    const other = parties();
    await funded({ ...other, partnershipId: p.partnershipId }, 100, 'JPY');
    await expect(
      tx((t) =>
        ledger().accrue(t, {
          ...other,
          partnershipId: p.partnershipId,
          key: `x:${other.campaignId}`,
          amount: Money.of(10, 'JPY'),
          kind: 'MILESTONE',
        }),
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'partnershipId' });
    expect(await entries()).toBe(okEntries + 2);
    expect(okEntries).toBe(before + 2);
    expect(await outbox()).toBe(outboxBefore + 1);
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId, 'JPY')).toBe(990);
  });

  it('replays a key whose posting would now overdraw (the money was there the first time)', async () => {
    const p = parties();
    await funded(p, 100);
    const first = await tx((t) => ledger().accrue(t, { ...p, key: `all:${p.partnershipId}`, amount: usd(100), kind: 'MILESTONE' }));
    const again = await tx((t) => ledger().accrue(t, { ...p, key: `all:${p.partnershipId}`, amount: usd(100), kind: 'MILESTONE' }));
    expect(again).toEqual({ transferId: first.transferId, replayed: true });
    await expect(
      tx((t) => ledger().accrue(t, { ...p, key: `all:${p.partnershipId}`, amount: usd(99), kind: 'MILESTONE' })),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('posts each key once under concurrency, and never overdraws an escrow', async () => {
    const p = parties();
    await funded(p, 1_000);
    // allSettled: a failure must not leave the others running into the next test.
    const settled = await Promise.allSettled(
      Array.from({ length: 25 }, () =>
        tx((t) => ledger().accrue(t, { ...p, key: `dup:${p.partnershipId}`, amount: usd(100), kind: 'MILESTONE' })),
      ),
    );
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const same = settled.map((r) => (r as PromiseFulfilledResult<{ transferId: string; replayed: boolean }>).value);
    expect(new Set(same.map((s) => s.transferId)).size).toBe(1);
    expect(same.filter((s) => !s.replayed)).toHaveLength(1);

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        tx((t) => ledger().accrue(t, { ...p, key: `many:${p.partnershipId}:${i}`, amount: usd(100), kind: 'AD_HOC' })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.details?.reason)).toEqual(
      Array(11).fill('INSUFFICIENT_FUNDS'),
    );
    expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(0);
    expect(await balance('CREATOR_PAYABLE', p.partnershipId)).toBe(1_000);
  });

  describe('the database holds the invariants on its own', () => {
    async function account(type: string, ownerId: string, currency = 'USD'): Promise<string> {
      return (
        await sql<{ id: string }>(`SELECT id FROM ledger_accounts WHERE type = $1 AND owner_id = $2 AND currency = $3`, [
          type,
          ownerId,
          currency,
        ])
      )[0].id;
    }
    const refused = async (statements: [string, unknown[]][]) => {
      const q = sub.runtime.dataSource.createQueryRunner();
      await q.connect();
      try {
        await q.startTransaction();
        for (const [text, params] of statements) await q.query(text, params);
        await q.commitTransaction();
        return null;
      } catch (err) {
        if (q.isTransactionActive) await q.rollbackTransaction();
        return err as { code?: string; message: string };
      } finally {
        await q.release();
      }
    };
    const transfer = (id: string, key: string, currency = 'USD') =>
      [
        `INSERT INTO ledger_transfers (id, key, kind, currency, amount, request_hash) VALUES ($1, $2, 'FUND', $3, 1, 'x')`,
        [id, key, currency],
      ] as [string, unknown[]];
    const entry = (transferId: string, accountId: string, amount: number, currency = 'USD') =>
      [
        `INSERT INTO ledger_entries (transfer_id, account_id, currency, amount) VALUES ($1, $2, $3, $4)`,
        [transferId, accountId, currency, amount],
      ] as [string, unknown[]];

    it('refuses, at commit, a transfer whose entries do not sum to zero or that has fewer than two', async () => {
      const p = parties();
      await funded(p, 500);
      const escrow = await account('CAMPAIGN_ESCROW', p.campaignId);
      const brand = await account('BRAND_FUNDING', p.brandId);
      const q = parties();
      await funded(q, 1);
      const otherBrand = await account('BRAND_FUNDING', q.brandId);
      const before = await entries();
      const t1 = uuid();
      expect(await refused([transfer(t1, `raw:${t1}`), entry(t1, brand, -10), entry(t1, escrow, 9)])).toMatchObject({ code: '23514' });
      const t2 = uuid();
      expect(await refused([transfer(t2, `raw:${t2}`)])).toMatchObject({ code: '23514' });
      const t3 = uuid();
      expect(await refused([transfer(t3, `raw:${t3}`), entry(t3, brand, -10), entry(t3, escrow, 10)])).toBeNull();
      expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(510);
      // Entries added to a posted transfer later unbalance it: refused too.
      expect(await refused([entry(t3, otherBrand, 1)])).toMatchObject({ code: '23514' });
      expect(await entries()).toBe(before + 2);
    });

    it('keeps protected balances at zero or above, one currency per transfer, no zero entries', async () => {
      const p = parties();
      await funded(p, 500);
      const escrow = await account('CAMPAIGN_ESCROW', p.campaignId);
      const brand = await account('BRAND_FUNDING', p.brandId);
      const t1 = uuid();
      expect(await refused([transfer(t1, `raw:${t1}`), entry(t1, escrow, -501), entry(t1, brand, 501)])).toMatchObject({
        code: '23514',
        constraint: 'ledger_accounts_protected_not_negative',
      });
      const t2 = uuid();
      expect(await refused([transfer(t2, `raw:${t2}`, 'EUR'), entry(t2, escrow, -1, 'EUR'), entry(t2, brand, 1, 'EUR')])).toMatchObject({
        code: '23503',
      });
      const t3 = uuid();
      expect(await refused([transfer(t3, `raw:${t3}`), entry(t3, escrow, 0), entry(t3, brand, 0)])).toMatchObject({ code: '23514' });
      expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(500);
    });

    it('is append-only: entries and transfers are never changed or deleted, balances move only with entries', async () => {
      const p = parties();
      await funded(p, 500);
      const escrow = await account('CAMPAIGN_ESCROW', p.campaignId);
      for (const statement of [
        `UPDATE ledger_entries SET amount = amount * 2 WHERE account_id = '${escrow}'`,
        `DELETE FROM ledger_entries WHERE account_id = '${escrow}'`,
        `UPDATE ledger_transfers SET amount = 1 WHERE campaign_id = '${p.campaignId}'`,
        `DELETE FROM ledger_transfers WHERE campaign_id = '${p.campaignId}'`,
        `TRUNCATE ledger_entries, ledger_transfers, ledger_accounts`,
        `UPDATE ledger_accounts SET balance = 1000000 WHERE id = '${escrow}'`,
        `UPDATE ledger_accounts SET currency = 'EUR' WHERE id = '${escrow}'`,
        `DELETE FROM ledger_accounts WHERE id = '${escrow}'`,
      ]) {
        expect(await refused([[statement, []]])).toMatchObject({ code: expect.stringMatching(/^23/) });
      }
      expect(await balance('CAMPAIGN_ESCROW', p.campaignId)).toBe(500);
    });

    it('protects the same account types as the code', async () => {
      const [{ def }] = await sql<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ledger_accounts_protected_not_negative'`,
      );
      const listed = [...def.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort();
      expect(listed).toEqual([...PROTECTED_ACCOUNT_TYPES].sort());
    });
  });
});
