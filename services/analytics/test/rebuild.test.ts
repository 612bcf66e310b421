import { CloudEvent, ensureEventTopics } from '@influenceflow/kit';
import { identities, startTestSubgraph, TEST_KAFKA_BROKERS, TestSubgraph, testTopicPrefix } from '@influenceflow/kit/testing';
import { rebuildRollups } from '../src/rollups/rebuild';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import {
  applyGoldenEvents,
  BRAND,
  CAMPAIGN,
  ELLA,
  GOLDEN_COMMENTS,
  GOLDEN_ORDERS,
  GOLDEN_REFUNDS,
  GOLDEN_SNAPSHOTS,
  goldenEvents,
  NOAH,
  P_ELLA,
  P_NOAH,
} from './golden-data';
import { count, ok } from './support';

const RECORD_ORDERS = `mutation($brandId: ID!, $orders: [OrderInput!]!) { recordOrders(brandId: $brandId, orders: $orders) { externalId } }`;
const RECORD_REFUNDS = `mutation($brandId: ID!, $refunds: [RefundInput!]!) { recordRefunds(brandId: $brandId, refunds: $refunds) { externalId } }`;
const RECORD_POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const RECORD_COMMENTS = `mutation($deliverableId: ID!, $comments: [PostCommentInput!]!, $caption: String, $captionPostedAt: DateTimeISO) {
  recordPostComments(deliverableId: $deliverableId, comments: $comments, caption: $caption, captionPostedAt: $captionPostedAt) }`;
const RESULTS = `reach impressions engagements engagementRateByReach clicks uncountedClicks ctr orders revenue { amountMinor currency }
  refunds { amountMinor } conversionRate spend { amountMinor } cpa { amountMinor } roi costPerEngagement { amountMinor } conversions
  newCustomerOrders returningCustomerOrders referredCustomers repeatPurchaseRate mentions approvedDeliverables
  sentiment { positive neutral negative positivePercent }`;
const GROUP = `key label partnerships results { ${RESULTS} }`;
const REPORT = `query($id: ID!, $interval: ReportInterval) { campaignReport(campaignId: $id, interval: $interval) {
  campaignId name currency status attributionWindowDays results { ${RESULTS} } goal { goalType target value percent }
  series { period clicks orders revenue { amountMinor } spend { amountMinor } conversions sentiment { positive } }
  creators { ${GROUP} } platforms { ${GROUP} } tiers { ${GROUP} } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Partnership { metrics { ${RESULTS} } } ... on Creator { performance { currency partnerships results { ${RESULTS} } } } } }`;
const LEADERBOARD = `query($b: ID!) { creatorLeaderboard(brandId: $b) { ${GROUP} } }`;
const COMPARISON = `query($b: ID!, $by: ComparisonDimension!) { performanceComparison(brandId: $b, by: $by) { ${GROUP} } }`;

const RAW_TABLES = ['clicks', 'orders', 'refunds', 'conversions', 'post_snapshots', 'post_comments', 'spend_entries'];

/** Every report the roll-ups feed, as one JSON text. */
async function reports(sub: TestSubgraph): Promise<string> {
  const analyst = identities.analyst(BRAND);
  const all = [
    ok(await sub.query(REPORT, { id: CAMPAIGN, interval: 'DAY' }, analyst)),
    ok(await sub.query(REPORT, { id: CAMPAIGN, interval: 'WEEK' }, analyst)),
    ok(
      await sub.query(
        ENTITIES,
        {
          r: [
            { __typename: 'Partnership', id: P_ELLA },
            { __typename: 'Partnership', id: P_NOAH },
            { __typename: 'Creator', id: ELLA },
            { __typename: 'Creator', id: NOAH },
          ],
        },
        analyst,
      ),
    ),
    ok(await sub.query(LEADERBOARD, { b: BRAND }, analyst)),
    ok(await sub.query(COMPARISON, { b: BRAND, by: 'PLATFORM' }, analyst)),
    ok(await sub.query(COMPARISON, { b: BRAND, by: 'TIER' }, analyst)),
  ];
  return JSON.stringify(all);
}

/** Row counts and an md5 of every raw table's rows (in key order), to show rebuild leaves them as they were. */
async function rawState(sub: TestSubgraph): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of RAW_TABLES) {
    const [row] = (await sub.runtime.dataSource.query(
      `SELECT count(*)::text || ':' || COALESCE(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS s FROM ${t} x`,
    )) as { s: string }[];
    out[t] = row.s;
  }
  return out;
}

/** A fixed-seed shuffle (mulberry32), so a failure replays. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface Delivery {
  events: CloudEvent[];
  orders: typeof GOLDEN_ORDERS;
  refunds: typeof GOLDEN_REFUNDS;
  snapshots: typeof GOLDEN_SNAPSHOTS;
}

/**
 * Feeds a subgraph the golden data in the order given. Every event (clicks among them) is applied before
 * any order is recorded: an order's attribution depends on the clicks known when it arrives, so both runs
 * deliver the clicks first and reorder only within each group.
 */
async function load(sub: TestSubgraph, d: Delivery, topicPrefix?: string): Promise<void> {
  await applyGoldenEvents(sub, d.events, topicPrefix);
  const member = identities.brandMember(BRAND);
  for (const o of d.orders) ok(await sub.query(RECORD_ORDERS, { brandId: BRAND, orders: [o] }, member));
  for (const r of d.refunds) ok(await sub.query(RECORD_REFUNDS, { brandId: BRAND, refunds: [r] }, member));
  for (const [id, s] of d.snapshots) ok(await sub.query(RECORD_POST, { id, s }, member));
  ok(await sub.query(RECORD_COMMENTS, GOLDEN_COMMENTS, member));
}

describe('rebuilding the roll-ups', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  let before: string;

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    await load(sub, { events: goldenEvents(), orders: GOLDEN_ORDERS, refunds: GOLDEN_REFUNDS, snapshots: GOLDEN_SNAPSHOTS });
    before = await reports(sub);
  }, 120_000);
  afterAll(() => sub?.close());

  it('gives byte-identical reports and leaves the raw tables as they were', async () => {
    expect(JSON.parse(before)[0].campaignReport.results).toMatchObject({ orders: 3, revenue: { amountMinor: 19_000 }, clicks: 4 });
    const raw = await rawState(sub);
    const days = await count(sub, `SELECT count(*) AS n FROM partnership_days`);
    const summary = await rebuildRollups(sub.runtime.dataSource, { batchSize: 2 }); // small pages: the keyset paging is exercised
    expect(summary.read).toMatchObject({ clicks: 6, orders: 9, spend_entries: 6, post_snapshots: 4, brand_customers: 3 });
    expect(summary.written.brand_customers).toBe(3);
    expect(await count(sub, `SELECT count(*) AS n FROM partnership_days`)).toBeLessThanOrEqual(days);
    const after = await reports(sub);
    expect(JSON.parse(after)).toEqual(JSON.parse(before)); // a readable difference first
    expect(after).toBe(before);
    expect(await rawState(sub)).toEqual(raw);
  });

  it('gives the same reports when a fresh subgraph hears the same facts in other orders, some twice', async () => {
    const events = goldenEvents();
    const clicks = events.filter((e) => e.type === 'click.recorded');
    const others = events.filter((e) => e.type !== 'click.recorded');
    const runs: Delivery[] = [
      {
        events: [...[...clicks].reverse(), ...[...others].reverse()],
        orders: [...GOLDEN_ORDERS].reverse(),
        refunds: [...GOLDEN_REFUNDS].reverse(),
        snapshots: [...GOLDEN_SNAPSHOTS].reverse(),
      },
      {
        events: shuffled([...clicks, ...others, ...shuffled(events, 7).slice(0, 8)], 42),
        orders: shuffled(GOLDEN_ORDERS, 42),
        refunds: shuffled(GOLDEN_REFUNDS, 43),
        snapshots: shuffled(GOLDEN_SNAPSHOTS, 44),
      },
    ];
    for (const [i, run] of runs.entries()) {
      // its own topics, so it hears only this run's deliveries
      const prefix = `${testTopicPrefix()}run${i}.`;
      await ensureEventTopics(TEST_KAFKA_BROKERS, prefix, analyticsSubgraph.eventTopics);
      const fresh = await startTestSubgraph(analyticsSubgraph, {
        kafka: { brokers: TEST_KAFKA_BROKERS, topicPrefix: prefix, groupPrefix: `${prefix}g.` },
      });
      try {
        await load(fresh, run, prefix);
        const theirs = await reports(fresh);
        expect(JSON.parse(theirs)).toEqual(JSON.parse(before));
        expect(theirs).toBe(before);
      } finally {
        await fresh.close();
      }
    }
  }, 180_000);
});
