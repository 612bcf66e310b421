/**
 * Ledger transfers per second under concurrency (docs/payments.md, "Ledger"):
 *
 *   pnpm build && node bench/dist/ledger.js [--campaigns 100] [--payouts 10000] [--payout-requests 2000] [--connections 32] [--keep]
 *
 * 1. A fresh database migrated like payments (dropped at the end unless --keep).
 * 2. `--campaigns` campaigns funded through `fundCampaign`, 10 partnerships each.
 * 3. Measured, each with `--connections` concurrent connections over `--payouts` operations:
 *      baseline   a plain single-row `UPDATE accounts SET balance = balance + $1 WHERE id = $2` (autocommit),
 *                 on a bare table of one row per campaign, each operation on a random campaign's row;
 *      accrue     `LedgerPostings.accrue` in its own transaction (escrow → creator payable, with every check,
 *                 lock, entry, balance trigger, the commit-time sum check and the spend.accrued outbox row);
 *      payout     accrue + `startPayout` in one transaction (what a payout request does), to the provider's
 *                 clearing account (the payout's shard of it: 8 per provider and currency), over
 *                 `--payout-requests` operations (fewer: it is the slow one).
 *    The baseline runs twice, before and after, and the ledger is compared with their mean.
 * 4. Checks every invariant afterwards (sums to zero, balances equal their entries, none protected below zero,
 *    every operation posted exactly once).
 * Prints the figures and a markdown table; goal: accrue ≥ 50 % of the baseline.
 */
import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, initializeDataSource, Money, Outbox } from '@influenceflow/kit';
import { paymentsSubgraph } from '@influenceflow/payments';
import { Ledger } from '@influenceflow/payments/dist/ledger/ledger';
import { PROTECTED_ACCOUNT_TYPES } from '@influenceflow/payments/dist/ledger/ledger-rules';
import { arg, flag, markdownTable, timed } from './lib';

const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const GOAL = 0.5;
const PER_CAMPAIGN = 10;

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${String(n).padStart(12, '0')}`;
const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

/** Runs `count` operations with `concurrency` workers; operations per second. */
async function throughput(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const [elapsed] = await timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < count; i = next++) await op(i);
      }),
    ),
  );
  return count / (elapsed / 1000);
}

async function main(): Promise<void> {
  const campaigns = Number(arg('campaigns', '100'));
  const payouts = Number(arg('payouts', '10000'));
  const connections = Number(arg('connections', '32'));
  const payoutRequests = Number(arg('payout-requests', '2000'));
  const database = `bench_ledger_${Date.now()}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  let ds: ReturnType<typeof createDataSource> | null = null;
  try {
    ds = createDataSource({
      url: `${SERVER}/${database}`,
      entities: paymentsSubgraph.entities,
      migrations: paymentsSubgraph.migrations,
      poolSize: connections,
    });
    await initializeDataSource(ds);
    const db = ds;
    const ledger = new Ledger(new Outbox('payments'));
    const brandId = uuid(1, 1);
    const parties = (i: number) => {
      const c = i % campaigns;
      const p = c * PER_CAMPAIGN + (Math.floor(i / campaigns) % PER_CAMPAIGN);
      return { campaignId: uuid(2, c), brandId, partnershipId: uuid(3, p), creatorId: uuid(4, p) };
    };
    const amount = (i: number) => Money.of(100 + (i % 900), 'USD');

    // Funding: enough for every accrual of both measured rounds.
    const perCampaign = Math.ceil((payouts + payoutRequests) / campaigns) * 1_000;
    for (let c = 0; c < campaigns; c++) {
      await db.transaction((tx) =>
        ledger.fundCampaign(tx, { key: `fund:${c}`, brandId, campaignId: uuid(2, c), amount: Money.of(perCampaign, 'USD') }),
      );
    }
    // Warm: every payable and the clearing account exist, as they do in a running system.
    await throughput(campaigns * PER_CAMPAIGN, connections, (i) =>
      db.transaction((tx) => {
        const p = { ...parties(i), partnershipId: uuid(3, i), creatorId: uuid(4, i), campaignId: uuid(2, Math.floor(i / PER_CAMPAIGN)) };
        return ledger.accrue(tx, { ...p, key: `warm:${i}`, amount: Money.of(1, 'USD'), kind: 'AD_HOC' });
      }),
    );
    await db.transaction((tx) =>
      ledger.startPayout(tx, {
        ...parties(0),
        key: 'warm:clearing',
        payoutId: uuid(5, 0),
        provider: 'simulated',
        amount: Money.of(1, 'USD'),
      }),
    );

    await db.query(`CREATE TABLE accounts (id uuid PRIMARY KEY, balance bigint NOT NULL DEFAULT 0)`);
    await db.query(
      `INSERT INTO accounts (id) SELECT ('00000000-0000-4000-8002-' || lpad(c::text, 12, '0'))::uuid FROM generate_series(0, $1 - 1) c`,
      [campaigns],
    );
    const baseline = () =>
      throughput(payouts, connections, () =>
        db.query(`UPDATE accounts SET balance = balance + $1 WHERE id = $2`, [randomInt(1, 1000), uuid(2, randomInt(0, campaigns))]),
      );

    console.error(`ledger bench: ${campaigns} campaigns, ${payouts} operations per measurement, ${connections} connections`);
    const base1 = await baseline();
    console.error(`  baseline (single-row UPDATE)        ${n0(base1)} ops/s`);
    const accrue = await throughput(payouts, connections, (i) =>
      db.transaction((tx) => ledger.accrue(tx, { ...parties(i), key: `accrue:${i}`, amount: amount(i), kind: 'MILESTONE' })),
    );
    console.error(`  accrue (LedgerPostings)             ${n0(accrue)} transfers/s`);
    const payout = await throughput(payoutRequests, connections, (i) =>
      db.transaction(async (tx) => {
        const p = parties(i);
        await ledger.accrue(tx, { ...p, key: `payout:${i}:accrue`, amount: amount(i), kind: 'AD_HOC' });
        await ledger.startPayout(tx, {
          ...p,
          key: `payout:${i}:start:1`,
          payoutId: uuid(5, i + 1),
          provider: 'simulated',
          amount: amount(i),
        });
      }),
    );
    console.error(`  payout (accrue + startPayout)       ${n0(payout)} payouts/s (${n0(payout * 2)} transfers/s)`);
    // For reading the figures: the same UPDATE inside a transaction, as every posting runs (BEGIN … COMMIT).
    const inTransaction = await throughput(payouts, connections, () =>
      db.transaction((tx) =>
        tx.query(`UPDATE accounts SET balance = balance + $1 WHERE id = $2`, [randomInt(1, 1000), uuid(2, randomInt(0, campaigns))]),
      ),
    );
    console.error(`  the UPDATE in a transaction         ${n0(inTransaction)} ops/s`);
    const base2 = await baseline();
    console.error(`  baseline again                      ${n0(base2)} ops/s`);

    // Every invariant, and every operation posted once.
    const [check] = (await db.query(
      `SELECT
         (SELECT count(*) FROM (SELECT transfer_id FROM ledger_entries GROUP BY transfer_id HAVING sum(amount) <> 0 OR count(*) < 2) x)::int AS unbalanced,
         (SELECT count(*) FROM ledger_accounts a WHERE a.balance <> coalesce((SELECT sum(amount) FROM ledger_entries e WHERE e.account_id = a.id), 0))::int AS drifted,
         (SELECT count(*) FROM ledger_accounts WHERE balance < 0 AND type = ANY($1::text[]))::int AS overdrawn,
         (SELECT count(*) FROM ledger_transfers WHERE key LIKE 'accrue:%')::int AS accruals,
         (SELECT count(*) FROM ledger_transfers WHERE key LIKE 'payout:%')::int AS payouts,
         (SELECT count(*) FROM outbox WHERE type = 'spend.accrued')::int AS events`,
      [[...PROTECTED_ACCOUNT_TYPES]],
    )) as Record<string, number>[];
    const expected = {
      unbalanced: 0,
      drifted: 0,
      overdrawn: 0,
      accruals: payouts,
      payouts: 2 * payoutRequests,
      events: campaigns * PER_CAMPAIGN + payouts + payoutRequests,
    };
    const intact = Object.entries(expected).every(([k, v]) => check[k] === v);

    const base = (base1 + base2) / 2;
    const pct = (x: number) => `${Math.round((100 * x) / base)} %`;
    console.log(
      `\nLedger: ${campaigns} campaigns, ${n0(payouts)} operations (payouts: ${n0(payoutRequests)}), ${connections} connections, ${new Date().toISOString().slice(0, 10)}\n`,
    );
    console.log(
      markdownTable(
        ['measurement', 'per second', 'of the baseline'],
        [
          [
            'baseline: single-row `UPDATE … SET balance = balance + $1` (mean of before / after)',
            `${n0(base)} (${n0(base1)} / ${n0(base2)})`,
            '100 %',
          ],
          [
            'for reading it: the same UPDATE in a transaction (`BEGIN; UPDATE; COMMIT`, as a posting runs)',
            n0(inTransaction),
            pct(inTransaction),
          ],
          ['accrue through LedgerPostings (escrow → payable, one transaction each)', n0(accrue), pct(accrue)],
          [
            'payout: accrue + startPayout in one transaction (clearing in 8 shards by payout id)',
            `${n0(payout)} payouts (${n0(payout * 2)} transfers)`,
            pct(payout),
          ],
        ],
      ),
    );
    console.log(
      `\n| goal | measured | |\n| --- | --- | --- |\n| accrue ≥ ${GOAL * 100} % of the baseline | ${pct(accrue)} | ${accrue >= GOAL * base ? '✔' : '✘'} |\n| every invariant after the run | ${intact ? 'intact' : JSON.stringify(check)} | ${intact ? '✔' : '✘'} |`,
    );
    if (!intact) process.exitCode = 1;
  } finally {
    await ds?.destroy();
    if (!flag('keep')) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    else console.error(`kept database ${database}`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
