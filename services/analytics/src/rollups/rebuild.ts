import type { DataSource, EntityManager } from 'typeorm';
import { customerStanding, CustomerOrder } from '../orders/customers';
import {
  clickContribution,
  commentContribution,
  Contribution,
  conversionContribution,
  customerContribution,
  orderContribution,
  spendContribution,
  sumContributions,
} from './contributions';
import { addToDays, keepLatestOfDay, ROLLUP_LOCK_KEY } from './rollup-store';

type Row = Record<string, unknown>;

/**
 * One kind of raw fact: a keyset-paged query over its table (`$1…$k` the last key read, `$k+1` the page
 * size; the key columns come first in the select list) and what each row adds. A new kind is one entry.
 */
export interface FactSource {
  name: string;
  /** The key columns (qualified if the query joins), in the order the query sorts by. */
  key: string[];
  /** The query; `after` is the condition on the key ("true" for the first page). */
  sql: (after: string, limit: string) => string;
  contribution: (row: Row) => Contribution[];
}

const at = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

export const FACT_SOURCES: readonly FactSource[] = [
  {
    name: 'clicks',
    key: ['click_id'],
    sql: (after, limit) => `SELECT click_id, partnership_id, at, traffic FROM clicks WHERE ${after} ORDER BY click_id LIMIT ${limit}`,
    contribution: (r) =>
      clickContribution({ partnershipId: String(r.partnership_id), at: at(r.at), traffic: r.traffic as 'human' | 'bot' | 'preview' }),
  },
  {
    name: 'orders',
    key: ['o.id'],
    sql: (after, limit) =>
      `SELECT o.id, o.partnership_id, o.excluded, o.ordered_at, o.amount_minor, o.customer_new,
              COALESCE(json_agg(json_build_object('amountMinor', r.amount_minor, 'refundedAt', r.refunded_at)) FILTER (WHERE r.id IS NOT NULL), '[]') AS refunds
         FROM orders o LEFT JOIN refunds r ON r.order_id = o.id WHERE ${after} GROUP BY o.id ORDER BY o.id LIMIT ${limit}`,
    contribution: (r) =>
      orderContribution({
        partnershipId: (r.partnership_id as string | null) ?? null,
        excluded: (r.excluded as string | null) ?? null,
        orderedAt: at(r.ordered_at),
        amountMinor: Number(r.amount_minor),
        customerNew: (r.customer_new as boolean | null) ?? null,
        refunds: (r.refunds as { amountMinor: number; refundedAt: string }[]).map((x) => ({
          amountMinor: Number(x.amountMinor),
          refundedAt: at(x.refundedAt),
        })),
      }),
  },
  {
    name: 'brand_customers',
    key: ['brand_id', 'customer_key'],
    sql: (after, limit) =>
      `SELECT brand_id, customer_key, partnership_id, first_at, ordered_again FROM brand_customers WHERE ${after}
        ORDER BY brand_id, customer_key LIMIT ${limit}`,
    contribution: (r) =>
      customerContribution({ partnershipId: String(r.partnership_id), firstAt: at(r.first_at), orderedAgain: Boolean(r.ordered_again) }),
  },
  {
    name: 'conversions',
    key: ['id'],
    sql: (after, limit) => `SELECT id, partnership_id, occurred_at FROM conversions WHERE ${after} ORDER BY id LIMIT ${limit}`,
    contribution: (r) => conversionContribution({ partnershipId: (r.partnership_id as string | null) ?? null, occurredAt: at(r.occurred_at) }),
  },
  {
    name: 'spend_entries',
    key: ['entry_key'],
    sql: (after, limit) => `SELECT entry_key, partnership_id, amount_minor, at, excluded FROM spend_entries WHERE ${after} ORDER BY entry_key LIMIT ${limit}`,
    contribution: (r) =>
      spendContribution({
        partnershipId: String(r.partnership_id),
        amountMinor: Number(r.amount_minor),
        at: at(r.at),
        excluded: (r.excluded as string | null) ?? null,
      }),
  },
  {
    name: 'post_comments',
    key: ['c.id'],
    sql: (after, limit) =>
      `SELECT c.id, d.partnership_id, c.kind, c.posted_at, c.sentiment, jsonb_array_length(c.mentions) AS mentions
         FROM post_comments c JOIN deliverable_facts d ON d.deliverable_id = c.deliverable_id
        WHERE ${after} ORDER BY c.id LIMIT ${limit}`,
    contribution: (r) =>
      commentContribution({
        partnershipId: String(r.partnership_id),
        kind: r.kind === 'caption' ? 'caption' : 'comment',
        postedAt: at(r.posted_at),
        sentiment: r.sentiment as 'positive' | 'neutral' | 'negative',
        mentions: Number(r.mentions),
      }),
  },
];

/** Reads a query page by page on its key, handing each page to `each`; returns the rows read. */
async function pages(db: EntityManager, key: string[], sql: FactSource['sql'], batchSize: number, each: (rows: Row[]) => Promise<void>) {
  let last: unknown[] | null = null;
  let read = 0;
  for (;;) {
    const after = last ? `(${key.join(', ')}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})` : 'true';
    const params = [...(last ?? []), batchSize];
    const rows = (await db.query(sql(after, `$${params.length}`), params)) as Row[];
    if (rows.length === 0) return read;
    read += rows.length;
    await each(rows);
    const tail = rows[rows.length - 1];
    last = key.map((k) => tail[k.replace(/^\w+\./, '')]); // a qualified key column is selected by its name
    if (rows.length < batchSize) return read;
  }
}

/** What every fact of `sources` adds, summed in memory (for tests: the same sum `rebuild` writes). */
export function sumOfFacts(source: FactSource, rows: Row[], into?: Map<string, Contribution>): Map<string, Contribution> {
  return sumContributions(rows.flatMap(source.contribution), 1, into);
}

export interface RebuildSummary {
  read: Record<string, number>;
  written: { partnership_days: number; post_days: number; brand_customers: number };
  elapsedMs: number;
}

/**
 * Each customer's new order and referral recomputed from their orders (the intake's `customerStanding`),
 * into orders.customer_new and brand_customers (emptied first).
 */
async function rebuildCustomers(db: EntityManager, batchSize: number): Promise<number> {
  await db.query(`UPDATE orders SET customer_new = NULL WHERE customer_key IS NULL AND customer_new IS NOT NULL`);
  return pages(
    db,
    ['brand_id', 'customer_key'],
    (after, limit) =>
      `SELECT brand_id, customer_key FROM orders WHERE customer_key IS NOT NULL AND ${after} GROUP BY brand_id, customer_key
        ORDER BY brand_id, customer_key LIMIT ${limit}`,
    batchSize,
    async (customers) => {
      const orders = (await db.query(
        `SELECT o.brand_id, o.customer_key, o.id, o.partnership_id, o.excluded, o.ordered_at FROM orders o
           JOIN unnest($1::uuid[], $2::text[]) AS c(brand_id, customer_key) ON c.brand_id = o.brand_id AND c.customer_key = o.customer_key
          ORDER BY o.brand_id, o.customer_key, o.ordered_at, o.id`,
        [customers.map((c) => c.brand_id), customers.map((c) => c.customer_key)],
      )) as (CustomerOrder & { brand_id: string; customer_key: string })[];
      const byCustomer = new Map<string, typeof orders>();
      for (const o of orders) {
        const k = `${o.brand_id}|${o.customer_key}`;
        byCustomer.set(k, [...(byCustomer.get(k) ?? []), o]);
      }
      const newOrders: string[] = [];
      const referred: { brand: string; key: string; order: string; partnership: string; at: Date; again: boolean }[] = [];
      for (const list of byCustomer.values()) {
        const s = customerStanding(list);
        newOrders.push(s.newOrderId);
        if (s.referral)
          referred.push({
            brand: list[0].brand_id,
            key: list[0].customer_key,
            order: s.referral.firstOrderId,
            partnership: s.referral.partnershipId,
            at: s.referral.firstAt,
            again: s.referral.orderedAgain,
          });
      }
      await db.query(`UPDATE orders SET customer_new = (id = ANY($2::uuid[])) WHERE id = ANY($1::uuid[])`, [
        orders.map((o) => o.id),
        newOrders,
      ]);
      if (referred.length > 0)
        await db.query(
          `INSERT INTO brand_customers (brand_id, customer_key, first_order_id, partnership_id, first_at, ordered_again)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::boolean[])`,
          [
            referred.map((r) => r.brand),
            referred.map((r) => r.key),
            referred.map((r) => r.order),
            referred.map((r) => r.partnership),
            referred.map((r) => r.at.toISOString()),
            referred.map((r) => r.again),
          ],
        );
    },
  );
}

const POST_METRICS = ['reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'views'] as const;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Empties the roll-ups and recomputes them from the raw facts, in one transaction holding the roll-up lock
 * exclusive (every roll-up writer takes it shared, so consumers and the intake wait until it commits).
 */
export async function rebuildRollups(dataSource: DataSource, { batchSize = 1000 }: { batchSize?: number } = {}): Promise<RebuildSummary> {
  const started = Date.now();
  const read: Record<string, number> = {};
  return dataSource.transaction(async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [ROLLUP_LOCK_KEY]);
    await db.query(`TRUNCATE partnership_days, post_days, brand_customers`);
    read.customers = await rebuildCustomers(db, batchSize);
    for (const source of FACT_SOURCES) {
      read[source.name] = await pages(db, source.key, source.sql, batchSize, (rows) => addToDays(db, [...sumOfFacts(source, rows).values()]));
    }
    read.post_snapshots = await pages(
      db,
      ['s.id'],
      (after, limit) =>
        `SELECT s.id, s.deliverable_id, d.partnership_id, s.taken_at, ${POST_METRICS.map((m) => `s.${m}`).join(', ')}
           FROM post_snapshots s JOIN deliverable_facts d ON d.deliverable_id = s.deliverable_id
          WHERE ${after} ORDER BY s.id LIMIT ${limit}`,
      batchSize,
      (rows) =>
        keepLatestOfDay(
          db,
          rows.map((r) => ({
            deliverableId: String(r.deliverable_id),
            partnershipId: String(r.partnership_id),
            takenAt: at(r.taken_at),
            reach: num(r.reach),
            impressions: num(r.impressions),
            likes: num(r.likes),
            comments: num(r.comments),
            shares: num(r.shares),
            saves: num(r.saves),
            views: num(r.views),
          })),
        ),
    );
    const [w] = (await db.query(
      `SELECT (SELECT count(*) FROM partnership_days)::int AS pd, (SELECT count(*) FROM post_days)::int AS po, (SELECT count(*) FROM brand_customers)::int AS bc`,
    )) as { pd: number; po: number; bc: number }[];
    return { read, written: { partnership_days: w.pd, post_days: w.po, brand_customers: w.bc }, elapsedMs: Date.now() - started };
  });
}
