import type { EntityManager } from 'typeorm';
import type { ClickRecordedData } from '@influenceflow/vocabulary';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, identities, startTestSubgraph, TEST_KAFKA_BROKERS, TestSubgraph, testTopicPrefix } from '@influenceflow/kit/testing';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { applyGoldenEvents, BRAND, CLICK, clickData, OTHER_BRAND, P_ELLA, P_NOAH } from './golden-data';
import { count, eventOf, ok } from './support';

/**
 * The clicks consumer applies a fetched batch of click.recorded with `ClicksService.recordMany`: the same
 * clicks must leave every table exactly as `record` one by one does. Both run on the same database, each in
 * a transaction rolled back afterwards, from the same starting point: the golden facts, and orders and a
 * sign-up that wait for clicks not heard of yet.
 */
const RECORD_ORDERS = `mutation($brandId: ID!, $orders: [OrderInput!]!) { recordOrders(brandId: $brandId, orders: $orders) { externalId partnershipId reason } }`;
const RECORD_CONVERSIONS = `mutation($brandId: ID!, $conversions: [ConversionInput!]!) { recordConversions(brandId: $brandId, conversions: $conversions) { externalId reason } }`;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const AWAITED = { a1: id(901), a2: id(902), a3: id(903), bot: id(904), foreign: id(905) };

const click = clickData;

/** 42 clicks (40 new) over both partnerships and five days, every kind of traffic, with the awaited ones among them. */
function batch(): ClickRecordedData[] {
  const traffic: ClickRecordedData['traffic'][] = ['human', 'human', 'bot', 'human', 'preview'];
  const out: ClickRecordedData[] = [];
  for (let i = 0; i < 36; i++) {
    const day = 10 + (i % 5);
    out.push(
      click(id(1000 + i), i % 3 === 0 ? P_NOAH : P_ELLA, `2026-03-${day}T${String(8 + (i % 12)).padStart(2, '0')}:00:00Z`, traffic[i % 5]),
    );
  }
  out.splice(5, 0, click(AWAITED.a1, P_ELLA, '2026-03-12T08:00:00Z', 'human'));
  out.splice(12, 0, click(AWAITED.a2, P_NOAH, '2026-03-12T09:00:00Z', 'human'));
  out.splice(20, 0, click(AWAITED.bot, P_NOAH, '2026-03-12T09:30:00Z', 'bot')); // a bot's click credits nothing
  out.push(click(AWAITED.a3, P_ELLA, '2026-03-13T10:00:00Z', 'human'));
  out.push(click(id(1003), P_NOAH, '2026-03-20T00:00:00Z', 'human')); // the same click id again: the first counts
  out.push(click(CLICK.k1, P_ELLA, '2026-03-01T10:00:00Z', 'human')); // known before the batch: nothing changes
  return out;
}

/**
 * Every table a click can change, as text (rows in a stable order), but for the time an order was credited
 * (the clock's, not the facts').
 */
async function state(db: EntityManager): Promise<Record<string, unknown>> {
  const rows = async (sql: string) => ((await db.query(sql)) as { r: string }[]).map((x) => x.r);
  return {
    partnership_days: await rows(`SELECT x::text AS r FROM partnership_days x ORDER BY partnership_id, day`),
    clicks: await rows(`SELECT x::text AS r FROM clicks x ORDER BY click_id`),
    orders: await rows(`SELECT (to_jsonb(x) - 'attributed_at')::text AS r FROM orders x ORDER BY id`),
    conversions: await rows(`SELECT x::text AS r FROM conversions x ORDER BY id`),
    brand_customers: await rows(`SELECT x::text AS r FROM brand_customers x ORDER BY x::text`),
    outbox: await rows(
      `SELECT type || ' ' || key || ' ' || topic || ' ' || ((envelope -> 'data') - 'attributedAt')::text AS r FROM outbox ORDER BY 1`,
    ),
  };
}

describe('clicks in a batch', () => {
  let sub: TestSubgraph<AnalyticsServices>;

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await applyGoldenEvents(sub); // through Kafka: the batched clicks consumer
    const member = identities.brandMember(BRAND);
    const landing = (clickId: string) => `https://shop.example/?ifclid=${clickId}`;
    const orders = ok(
      await sub.query<{ recordOrders: { reason: string }[] }>(
        RECORD_ORDERS,
        {
          brandId: BRAND,
          orders: [
            {
              externalId: 'w1',
              orderedAt: '2026-03-12T12:00:00Z',
              amount: { amountMinor: 4_000, currency: 'USD' },
              customerEmail: 'a@example.com',
              landingUrl: landing(AWAITED.a1),
            },
            {
              externalId: 'w2',
              orderedAt: '2026-03-12T13:00:00Z',
              amount: { amountMinor: 3_000, currency: 'USD' },
              customerEmail: 'b@example.com',
              clickId: AWAITED.a2,
            },
            {
              externalId: 'w3',
              orderedAt: '2026-03-14T13:00:00Z',
              amount: { amountMinor: 2_000, currency: 'USD' },
              customerEmail: 'a@example.com',
              clickId: AWAITED.a3,
            },
            {
              externalId: 'w4',
              orderedAt: '2026-03-12T14:00:00Z',
              amount: { amountMinor: 1_000, currency: 'USD' },
              customerEmail: 'c@example.com',
              clickId: AWAITED.bot,
            },
            {
              externalId: 'w5',
              orderedAt: '2026-03-12T15:00:00Z',
              amount: { amountMinor: 1_500, currency: 'USD' },
              customerEmail: 'd@example.com',
              clickId: AWAITED.foreign,
            },
          ],
        },
        member,
      ),
    );
    expect(orders.recordOrders.map((o) => o.reason)).toEqual(Array(5).fill('AWAITING_CLICK'));
    const conversions = ok(
      await sub.query<{ recordConversions: { reason: string }[] }>(
        RECORD_CONVERSIONS,
        { brandId: BRAND, conversions: [{ kind: 'SIGNUP', externalId: 's1', occurredAt: '2026-03-12T15:00:00Z', clickId: AWAITED.a2 }] },
        member,
      ),
    );
    expect(conversions.recordConversions.map((c) => c.reason)).toEqual(['AWAITING_CLICK']);
  }, 120_000);
  afterAll(() => sub?.close());

  /** Applies the clicks in a transaction, reads the state and rolls it all back. */
  async function rolledBack(apply: (tx: EntityManager) => Promise<void>): Promise<Record<string, unknown>> {
    const runner = sub.runtime.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await apply(runner.manager);
      return await state(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('leaves the roll-ups, clicks, orders, conversions and outbox as the same clicks one by one', async () => {
    const clicks = batch();
    const start = await state(sub.runtime.dataSource.manager);
    const oneByOne = await rolledBack(async (tx) => {
      for (const c of clicks) await sub.services.clicks.record(tx, c);
    });
    const together = await rolledBack((tx) => sub.services.clicks.recordMany(tx, clicks));
    expect(together).toEqual(oneByOne);
    // and the comparison compares something: the batch changed what it should have
    expect(await state(sub.runtime.dataSource.manager)).toEqual(start);
    expect((together.clicks as string[]).length).toBe((start.clicks as string[]).length + 40);
    expect(together.partnership_days).not.toEqual(start.partnership_days);
    const [{ clicks: humanAdded, uncounted }] = (await sub.runtime.dataSource.query(
      `SELECT COALESCE(sum(clicks), 0)::int AS clicks, COALESCE(sum(uncounted_clicks), 0)::int AS uncounted FROM partnership_days`,
    )) as { clicks: number; uncounted: number }[];
    expect([humanAdded, uncounted]).toEqual([4, 2]); // the golden clicks only, after the rollback
    const having = (s: Record<string, unknown>, table: string, text: string) =>
      (s[table] as string[]).filter((o) => o.includes(text)).length;
    expect(having(start, 'orders', 'AWAITING_CLICK')).toBe(5);
    // w1–w3 credited by their clicks; w4 names a bot's click (credits nothing), w5 a click not in the batch
    expect(having(together, 'orders', 'AWAITING_CLICK')).toBe(2);
    expect(having(together, 'orders', 'CLICK_ID') - having(start, 'orders', 'CLICK_ID')).toBe(3);
    expect(having(start, 'conversions', 'AWAITING_CLICK')).toBe(1);
    expect(having(together, 'conversions', 'AWAITING_CLICK')).toBe(0);
    expect(having(together, 'outbox', 'order.attributed') - having(start, 'outbox', 'order.attributed')).toBe(3);
  });

  it('counts a batch of clicks only once when it comes again, and nothing of clicks already known', async () => {
    const clicks = batch();
    const twice = await rolledBack(async (tx) => {
      await sub.services.clicks.recordMany(tx, clicks);
      await sub.services.clicks.recordMany(tx, clicks);
    });
    const once = await rolledBack((tx) => sub.services.clicks.recordMany(tx, clicks));
    expect(twice).toEqual(once);
    const known = await rolledBack((tx) => sub.services.clicks.recordMany(tx, [click(CLICK.k1, P_ELLA, '2026-03-01T10:00:00Z', 'human')]));
    expect(known).toEqual(await state(sub.runtime.dataSource.manager));
  });

  it("credits nothing to another brand's click that an order named, in a batch as one by one", async () => {
    const foreign = { ...click(AWAITED.foreign, P_ELLA, '2026-03-12T08:00:00Z', 'human'), brandId: OTHER_BRAND };
    const before = await state(sub.runtime.dataSource.manager);
    const oneByOne = await rolledBack((tx) => sub.services.clicks.record(tx, foreign));
    const together = await rolledBack((tx) => sub.services.clicks.recordMany(tx, [foreign]));
    expect(together).toEqual(oneByOne);
    const w5 = (s: Record<string, unknown>) => (s.orders as string[]).filter((o) => o.includes(AWAITED.foreign));
    expect(w5(before)).toHaveLength(1);
    expect(w5(together)).toHaveLength(1);
    expect(w5(together)[0]).not.toContain(P_ELLA); // no partnership credited
    expect(w5(together)[0]).not.toContain('CLICK_ID');
    expect(together.outbox).toEqual(before.outbox);
  });

  it('applies a batch from Kafka with a click the database refuses: that one dead-lettered, the others once each', async () => {
    // produced in one go, so the consumer fetches them together: the batch fails on the bad one, then each
    // click is applied alone and the bad one goes to the dead-letter topic after its retries
    const good = Array.from({ length: 12 }, (_, i) =>
      click(id(2000 + i), P_ELLA, `2026-03-20T${String(8 + i).padStart(2, '0')}:00:00Z`, 'human'),
    );
    const bad = { ...click(id(2100), P_ELLA, '2026-03-20T07:00:00Z', 'human'), traffic: 'robot' } as unknown as ClickRecordedData;
    const events = [...good.slice(0, 6), bad, ...good.slice(6)].map((d) => eventOf('click.recorded', P_ELLA, BRAND, d, d.at));
    const kafka = new Kafka({ clientId: 'click-batches-test', brokers: TEST_KAFKA_BROKERS, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const dlqTopic = `${testTopicPrefix()}conversion.events.dlq`;
    const dlqSize = async () => (await admin.fetchTopicOffsets(dlqTopic)).reduce((n, p) => n + Number(p.high), 0);
    try {
      const deadBefore = await dlqSize();
      const clicksBefore = await count(sub, `SELECT count(*) AS n FROM clicks`);
      const [{ n: daysBefore }] = (await sub.runtime.dataSource.query(
        `SELECT COALESCE(sum(clicks), 0)::int AS n FROM partnership_days WHERE partnership_id = $1 AND day = '2026-03-20'`,
        [P_ELLA],
      )) as { n: number }[];
      // one send: the 13 events land together on the partnership's partition
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      await producer.send({
        topic: `${testTopicPrefix()}conversion.events`,
        acks: -1,
        messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      });
      await producer.disconnect();
      await eventually(async () => (await dlqSize()) === deadBefore + 1, 60_000, 'the bad click in the dead-letter topic');
      await eventually(
        async () => (await count(sub, `SELECT count(*) AS n FROM clicks`)) === clicksBefore + 12,
        30_000,
        'the twelve good clicks',
      );
      const [{ n: daysAfter }] = (await sub.runtime.dataSource.query(
        `SELECT COALESCE(sum(clicks), 0)::int AS n FROM partnership_days WHERE partnership_id = $1 AND day = '2026-03-20'`,
        [P_ELLA],
      )) as { n: number }[];
      expect(daysAfter - daysBefore).toBe(12); // each good click counted once
      expect(await count(sub, `SELECT count(*) AS n FROM clicks WHERE click_id = $1`, [bad.clickId])).toBe(0);
      const inbox = (await sub.runtime.dataSource.query(`SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[])`, [
        events.map((e) => e.id),
      ])) as { event_id: string }[];
      expect(inbox.map((r) => r.event_id).sort()).toEqual(
        events
          .filter((e) => e.data !== bad)
          .map((e) => e.id)
          .sort(),
      );
    } finally {
      await admin.disconnect();
    }
  }, 120_000);
});
