import { AppError, Money } from '@influenceflow/kit';
import { startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { EntityManager, QueryRunner } from 'typeorm';
import { clearingOwner, clearingShard } from '../src/ledger/ledger-rules';
import { ClearingShards1767600000001 } from '../src/migrations/1767600000001-ClearingShards';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices } from '../src/services';

// Ids of this file only; the payouts' last bytes put them in shards 1, 2 and 3.
const id = (n: number) => `00000000-0000-4000-8e15-${String(n).padStart(12, '0')}`;
const PAYOUTS = [id(901), id(902), id(903)];
const usd = (minor: number) => Money.of(minor, 'USD');

/** The clearing shards: payouts of before (in the unsharded account) are split to their shards by the migration. */
describe('provider clearing shards', () => {
  let sub: TestSubgraph<PaymentsServices>;
  const tx = <T>(work: (tx: EntityManager) => Promise<T>) => sub.runtime.dataSource.transaction(work);
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await sub.runtime.dataSource.query(text, params)) as T[];
  const stored = async (ownerId: string) =>
    Number(
      (
        await sql<{ balance: string }>(
          `SELECT balance FROM ledger_accounts WHERE type = 'PROVIDER_CLEARING' AND owner_id = $1 AND currency = 'USD'`,
          [ownerId],
        )
      )[0]?.balance ?? 0,
    );
  const p = { partnershipId: id(1), campaignId: id(2), brandId: id(3), creatorId: id(4) };

  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(async () => {
    await sub?.close();
  });

  it('moves the unsharded money of each payout to its shard, and settles it from there', async () => {
    expect(PAYOUTS.map(clearingShard)).toEqual([1, 2, 3]);
    const ledger = sub.services.ledger;
    await tx((t) => ledger.fundCampaign(t, { ...p, key: 'fund:shards', amount: usd(10_000) }));
    await tx((t) => ledger.accrue(t, { ...p, key: 'accrue:shards', amount: usd(6_000), kind: 'MILESTONE' }));
    // Payouts started before the shards: into the provider's one account (as the ledger posted them then).
    await sql(`INSERT INTO ledger_accounts (type, owner_id, currency) VALUES ('PROVIDER_CLEARING', 'simulated', 'USD')`);
    const legacy = async (key: string, kind: string, payoutId: string, amount: number) => {
      const [from, to] = kind === 'PAYOUT_START' ? [p.partnershipId, 'simulated'] : ['simulated', p.partnershipId];
      const [fromType, toType] =
        kind === 'PAYOUT_START' ? ['CREATOR_PAYABLE', 'PROVIDER_CLEARING'] : ['PROVIDER_CLEARING', 'CREATOR_PAYABLE'];
      const rows = await sql<{ posted: boolean }>(
        `SELECT posted FROM ledger_post($1, $2, $3, $4, $5, $6, $7, $8, $9, gen_random_uuid(), $10, $11, 'USD', $12, 0, 'legacy',
                                        $13, $14, $15, $16, $17, 'simulated', NULL)`,
        [
          [`ledger:${fromType}/${from}`, `ledger:${toType}/${to}`],
          [fromType, toType],
          [from, to],
          [-amount, amount],
          [null, null],
          [null, null],
          [null, null],
          ['CAMPAIGN_ESCROW', 'CREATOR_PAYABLE'],
          ['CREATOR_PAYABLE', 'PROVIDER_CLEARING'],
          key,
          kind,
          amount,
          p.brandId,
          p.campaignId,
          p.partnershipId,
          p.creatorId,
          payoutId,
        ],
      );
      expect(rows[0].posted).toBe(true);
    };
    await legacy('legacy:1', 'PAYOUT_START', PAYOUTS[0], 1_000);
    await legacy('legacy:2', 'PAYOUT_START', PAYOUTS[1], 2_000);
    await legacy('legacy:3', 'PAYOUT_START', PAYOUTS[2], 3_000);
    await legacy('legacy:3:fail', 'PAYOUT_FAIL', PAYOUTS[2], 3_000);
    expect(await stored('simulated')).toBe(3_000);

    await new ClearingShards1767600000001().up({ query: (text: string) => sub.runtime.dataSource.query(text) } as unknown as QueryRunner);

    expect(await stored('simulated')).toBe(0);
    expect(await stored(clearingOwner('simulated', PAYOUTS[0]))).toBe(1_000);
    expect(await stored(clearingOwner('simulated', PAYOUTS[1]))).toBe(2_000);
    expect(await stored(clearingOwner('simulated', PAYOUTS[2]))).toBe(0);
    expect(await tx((t) => ledger.balanceOf(t, { type: 'PROVIDER_CLEARING', ownerId: 'simulated', currency: 'USD' }))).toBe(3_000);
    const [split] = await sql<{ amount: string; n: number }>(
      `SELECT t.amount::text AS amount, (SELECT count(*)::int FROM ledger_entries e WHERE e.transfer_id = t.id) AS n
         FROM ledger_transfers t WHERE kind = 'CLEARING_SPLIT'`,
    );
    expect(split).toEqual({ amount: '3000', n: 3 });
    const [{ unbalanced }] = await sql<{ unbalanced: number }>(
      `SELECT count(*)::int AS unbalanced FROM (SELECT transfer_id FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0) x`,
    );
    expect(unbalanced).toBe(0);

    // A payout of before settles from its shard; one whose money went back has nothing there to settle.
    const pay = (payoutId: string, amount: number) => ({ ...p, payoutId, provider: 'simulated', amount: usd(amount) });
    await tx((t) => ledger.settlePayout(t, { ...pay(PAYOUTS[0], 1_000), key: 'settle:1' }));
    expect(await stored(clearingOwner('simulated', PAYOUTS[0]))).toBe(0);
    expect(await tx((t) => ledger.balanceOf(t, { type: 'CREATOR_PAID', ownerId: p.creatorId, currency: 'USD' }))).toBe(1_000);
    const transfers = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transfers`))[0].n;
    const before = await transfers();
    const refused = await tx((t) => ledger.settlePayout(t, { ...pay(PAYOUTS[2], 3_000), key: 'settle:3' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ details: { reason: 'INSUFFICIENT_BALANCE', account: 'PROVIDER_CLEARING' } });
    expect(await transfers()).toBe(before);
  });
});
