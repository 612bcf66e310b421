import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { createBrand, daysFromToday, dbOf, ok, RefusalCase, refuseAll as refuseEach } from './support';

/**
 * What a careless or hostile client meets at every analytics query and mutation, through the gateway with
 * real tokens: ids that are not UUIDs, NUL bytes, huge strings, negative and fractional amounts, unknown
 * currencies, batches too big or empty, future snapshots, forged cursors, other brands' campaigns, analysts
 * writing, creators and anonymous callers. Each refusal is a clear error with its stable code and field,
 * shows nothing internal, and leaves every analytics table as it was.
 */
const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(100_001);
const UNKNOWN_UUID = '00000000-0000-4000-8c15-00000000dead';
const creatorId = '00000000-0000-4000-8c15-0000000a1e01';

const ORDERS = `mutation($b: ID!, $o: [OrderInput!]!) { recordOrders(brandId: $b, orders: $o) { reason } }`;
const REFUNDS = `mutation($b: ID!, $r: [RefundInput!]!) { recordRefunds(brandId: $b, refunds: $r) { duplicate } }`;
const CONVERSIONS = `mutation($b: ID!, $c: [ConversionInput!]!) { recordConversions(brandId: $b, conversions: $c) { reason } }`;
const WINDOW = `mutation($id: ID!, $days: Int!) { setAttributionWindow(campaignId: $id, days: $days) }`;
const REPORT = `query($id: ID!, $from: String, $to: String) { campaignReport(campaignId: $id, from: $from, to: $to) { results { orders } } }`;
const LEADERBOARD = `query($b: ID!, $first: Int, $currency: String) { creatorLeaderboard(brandId: $b, first: $first, currency: $currency) { key } }`;
const COMPARISON = `query($b: ID!, $c: ID) { performanceComparison(brandId: $b, by: TIER, campaignId: $c) { key } }`;
const POST = `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`;
const COMMENTS = `mutation($id: ID!, $c: [PostCommentInput!]!) { recordPostComments(deliverableId: $id, comments: $c) }`;
const TERMS = `mutation($b: ID!, $p: [String!]!) { setBrandTerms(brandId: $b, products: $p) { products } }`;
const ORDER_LIST = `query($b: ID!, $after: String) { brandOrders(brandId: $b, after: $after) { edges { node { id } } } }`;
const MENTIONS = `query($id: ID!) { brandMentions(campaignId: $id) { edges { node { id } } } }`;

/** Names of the analytics database, and SQL, that no answer may show. */
const INTERNAL =
  /partnership_(days|facts)|post_(days|snapshots|comments)|campaign_facts|spend_entries|brand_customers|\bSELECT\b|\bINSERT\b|\bWHERE\b|duplicate key|violates/;

const TABLES = [
  'orders',
  'refunds',
  'conversions',
  'brand_customers',
  'post_snapshots',
  'post_comments',
  'partnership_days',
  'post_days',
  'brand_terms',
  'campaign_facts',
  'outbox',
];

describe('hostile requests to analytics, end to end', () => {
  let stack: TestStack;
  let brand: string;
  let analyst: string;
  let creator: string;
  let otherBrand: string;
  let brandId: string;
  let otherBrandId: string;
  let campaignId: string;
  let otherCampaignId: string;

  const state = async () => {
    const tables: Record<string, unknown> = {};
    for (const t of TABLES) {
      tables[t] = (
        await dbOf(
          stack,
          'analytics',
        )(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${t} t`)
      )[0];
    }
    return tables;
  };
  const refuseAll = (cases: RefusalCase[]) => refuseEach(stack, INTERNAL, cases, state);

  const usd = (amountMinor: unknown) => ({ amountMinor, currency: 'USD' });
  const order = (over: Record<string, unknown> = {}) => ({
    externalId: 'h-1',
    orderedAt: '2026-11-01T10:00:00Z',
    amount: usd(1_000),
    ...over,
  });
  const orders = (over: Record<string, unknown> = {}, b?: string) => ({ b: b ?? brandId, o: [order(over)] });

  async function campaignOf(token: string, ofBrand: string): Promise<string> {
    const { createCampaign } = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId: ofBrand,
          name: 'Hostile measures',
          goal: { type: 'TRAFFIC', target: 100 },
          budget: { amountMinor: 100_000, currency: 'USD' },
          startsOn: daysFromToday(5),
          endsOn: daysFromToday(30),
        },
      },
      token,
    );
    await eventually(
      async () => (await dbOf(stack, 'analytics')(`SELECT 1 FROM campaign_facts WHERE campaign_id = $1`, [createCampaign.id])).length > 0,
      60_000,
      'analytics to know the campaign',
    );
    return createCampaign.id;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    brandId = await createBrand(stack, 'Metric Raiders');
    otherBrandId = await createBrand(stack, 'Other Metrics');
    brand = await stack.token({ sub: 'an-hostile-brand', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'an-hostile-analyst', roles: ['analyst'], brandIds: [brandId] });
    creator = await stack.token({ sub: 'an-hostile-creator', roles: ['creator'], creatorId });
    otherBrand = await stack.token({ sub: 'an-hostile-other', roles: ['brand_member'], brandIds: [otherBrandId] });
    campaignId = await campaignOf(brand, brandId);
    otherCampaignId = await campaignOf(otherBrand, otherBrandId);
    // one order stands, so refunds have something to be refused against
    await ok(stack, ORDERS, { b: brandId, o: [order({ externalId: 'standing', amount: usd(5_000) })] }, brand);
  }, 180_000);
  afterAll(() => stack?.close());

  it('refuses hostile orders, refunds and conversions, writing nothing', async () => {
    await refuseAll([
      ['recordOrders: a brand id that is not a UUID', ORDERS, () => orders({}, 'b-1'), () => brand, 'BAD_USER_INPUT', 'brandId'],
      [
        'recordOrders: a NUL in the order id',
        ORDERS,
        () => orders({ externalId: NUL }),
        () => brand,
        'BAD_USER_INPUT',
        'orders.0.externalId',
      ],
      ['recordOrders: a huge order id', ORDERS, () => orders({ externalId: HUGE }), () => brand, 'BAD_USER_INPUT', 'orders.0.externalId'],
      [
        'recordOrders: a long order id',
        ORDERS,
        () => orders({ externalId: 'y'.repeat(201) }),
        () => brand,
        'BAD_USER_INPUT',
        'orders.0.externalId',
      ],
      [
        'recordOrders: a negative total',
        ORDERS,
        () => orders({ amount: usd(-1) }),
        () => brand,
        'BAD_USER_INPUT',
        'orders.0.amount.amountMinor',
      ],
      [
        'recordOrders: a fractional total',
        ORDERS,
        () => orders({ amount: usd(10.5) }),
        () => brand,
        'BAD_USER_INPUT',
        'orders.0.amount.amountMinor',
      ],
      [
        'recordOrders: an unknown currency',
        ORDERS,
        () => orders({ amount: { amountMinor: 1, currency: 'ZZZ' } }),
        () => brand,
        'BAD_USER_INPUT',
        'orders.0.amount.currency',
      ],
      ['recordOrders: not a time', ORDERS, () => orders({ orderedAt: 'yesterday' }), () => brand, 'BAD_USER_INPUT', 'orders.0.orderedAt'],
      ['recordOrders: no orders', ORDERS, () => ({ b: brandId, o: [] }), () => brand, 'BAD_USER_INPUT', 'orders'],
      [
        'recordOrders: 501 orders',
        ORDERS,
        () => ({ b: brandId, o: Array.from({ length: 501 }, (_, i) => order({ externalId: `n${i}` })) }),
        () => brand,
        'BAD_USER_INPUT',
        'orders',
      ],
      ['recordOrders: an analyst', ORDERS, () => orders(), () => analyst, 'FORBIDDEN'],
      ['recordOrders: another brand', ORDERS, () => orders(), () => otherBrand, 'FORBIDDEN'],
      ['recordOrders: a creator', ORDERS, () => orders(), () => creator, 'FORBIDDEN'],
      ['recordOrders: no token', ORDERS, () => orders(), () => undefined, 'UNAUTHENTICATED'],
      [
        'recordRefunds: an unknown order',
        REFUNDS,
        () => ({ b: brandId, r: [{ externalId: 'r', orderExternalId: 'nope', refundedAt: '2026-11-02T00:00:00Z', amount: usd(1) }] }),
        () => brand,
        'NOT_FOUND',
        'refunds.0.orderExternalId',
      ],
      [
        'recordRefunds: zero',
        REFUNDS,
        () => ({ b: brandId, r: [{ externalId: 'r', orderExternalId: 'standing', refundedAt: '2026-11-02T00:00:00Z', amount: usd(0) }] }),
        () => brand,
        'BAD_USER_INPUT',
        'refunds.0.amount.amountMinor',
      ],
      [
        'recordRefunds: above the order',
        REFUNDS,
        () => ({
          b: brandId,
          r: [{ externalId: 'r', orderExternalId: 'standing', refundedAt: '2026-11-02T00:00:00Z', amount: usd(5_001) }],
        }),
        () => brand,
        'BAD_USER_INPUT',
        'refunds.0.amountMinor',
      ],
      [
        'recordRefunds: another brand’s order',
        REFUNDS,
        () => ({
          b: otherBrandId,
          r: [{ externalId: 'r', orderExternalId: 'standing', refundedAt: '2026-11-02T00:00:00Z', amount: usd(1) }],
        }),
        () => otherBrand,
        'NOT_FOUND',
        'refunds.0.orderExternalId',
      ],
      [
        'recordConversions: an unknown kind',
        CONVERSIONS,
        () => ({ b: brandId, c: [{ kind: 'PURCHASE', externalId: 'c', occurredAt: '2026-11-01T00:00:00Z' }] }),
        () => brand,
        'BAD_USER_INPUT',
        'conversions.0.kind',
      ],
      [
        'recordConversions: a blank id',
        CONVERSIONS,
        () => ({ b: brandId, c: [{ kind: 'LEAD', externalId: '  ', occurredAt: '2026-11-01T00:00:00Z' }] }),
        () => brand,
        'BAD_USER_INPUT',
        'conversions.0.externalId',
      ],
      [
        'recordConversions: an analyst',
        CONVERSIONS,
        () => ({ b: brandId, c: [{ kind: 'LEAD', externalId: 'c', occurredAt: '2026-11-01T00:00:00Z' }] }),
        () => analyst,
        'FORBIDDEN',
      ],
    ]);
  });

  it('refuses hostile settings, posts and comments, writing nothing', async () => {
    await refuseAll([
      ['setAttributionWindow: 0 days', WINDOW, () => ({ id: campaignId, days: 0 }), () => brand, 'BAD_USER_INPUT', 'days'],
      ['setAttributionWindow: 366 days', WINDOW, () => ({ id: campaignId, days: 366 }), () => brand, 'BAD_USER_INPUT', 'days'],
      ['setAttributionWindow: not a UUID', WINDOW, () => ({ id: 'c-1', days: 7 }), () => brand, 'BAD_USER_INPUT', 'campaignId'],
      ['setAttributionWindow: another brand’s campaign', WINDOW, () => ({ id: otherCampaignId, days: 7 }), () => brand, 'NOT_FOUND'],
      ['setAttributionWindow: an analyst', WINDOW, () => ({ id: campaignId, days: 7 }), () => analyst, 'FORBIDDEN'],
      ['setAttributionWindow: a creator', WINDOW, () => ({ id: campaignId, days: 7 }), () => creator, 'NOT_FOUND'],
      [
        'recordPostMetrics: an unknown deliverable',
        POST,
        () => ({ id: UNKNOWN_UUID, s: [{ takenAt: '2026-11-01T00:00:00Z', likes: 1 }] }),
        () => brand,
        'NOT_FOUND',
      ],
      [
        'recordPostMetrics: not a UUID',
        POST,
        () => ({ id: 'd-1', s: [{ takenAt: '2026-11-01T00:00:00Z', likes: 1 }] }),
        () => brand,
        'BAD_USER_INPUT',
        'deliverableId',
      ],
      [
        'recordPostMetrics: no token',
        POST,
        () => ({ id: UNKNOWN_UUID, s: [{ takenAt: '2026-11-01T00:00:00Z', likes: 1 }] }),
        () => undefined,
        'UNAUTHENTICATED',
      ],
      [
        'recordPostComments: an unknown deliverable',
        COMMENTS,
        () => ({ id: UNKNOWN_UUID, c: [{ externalId: 'c', body: 'hi', postedAt: '2026-11-01T00:00:00Z' }] }),
        () => brand,
        'NOT_FOUND',
      ],
      [
        'recordPostComments: a NUL in a comment',
        COMMENTS,
        () => ({ id: UNKNOWN_UUID, c: [{ externalId: 'c', body: NUL, postedAt: '2026-11-01T00:00:00Z' }] }),
        () => brand,
        'BAD_USER_INPUT',
        'comments.0.body',
      ],
      ['setBrandTerms: a one-letter product', TERMS, () => ({ b: brandId, p: ['x'] }), () => brand, 'BAD_USER_INPUT', 'products.0'],
      ['setBrandTerms: an analyst', TERMS, () => ({ b: brandId, p: ['Oat milk'] }), () => analyst, 'FORBIDDEN'],
      ['setBrandTerms: another brand', TERMS, () => ({ b: brandId, p: ['Oat milk'] }), () => otherBrand, 'FORBIDDEN'],
    ]);
  });

  it('refuses hostile reads, and shows another brand nothing', async () => {
    await refuseAll([
      ['campaignReport: another brand’s campaign', REPORT, () => ({ id: otherCampaignId }), () => brand, 'NOT_FOUND'],
      ['campaignReport: a creator', REPORT, () => ({ id: campaignId }), () => creator, 'NOT_FOUND'],
      ['campaignReport: no token', REPORT, () => ({ id: campaignId }), () => undefined, 'NOT_FOUND'],
      ['campaignReport: not a UUID', REPORT, () => ({ id: `${campaignId}x` }), () => analyst, 'BAD_USER_INPUT', 'campaignId'],
      [
        'campaignReport: a day that does not exist',
        REPORT,
        () => ({ id: campaignId, from: '2026-02-30' }),
        () => analyst,
        'BAD_USER_INPUT',
        'from',
      ],
      [
        'campaignReport: to before from',
        REPORT,
        () => ({ id: campaignId, from: '2026-03-02', to: '2026-03-01' }),
        () => analyst,
        'BAD_USER_INPUT',
        'to',
      ],
      ['creatorLeaderboard: first 0', LEADERBOARD, () => ({ b: brandId, first: 0 }), () => analyst, 'BAD_USER_INPUT', 'first'],
      ['creatorLeaderboard: first 101', LEADERBOARD, () => ({ b: brandId, first: 101 }), () => analyst, 'BAD_USER_INPUT', 'first'],
      [
        'creatorLeaderboard: an unknown currency',
        LEADERBOARD,
        () => ({ b: brandId, currency: 'ABC' }),
        () => analyst,
        'BAD_USER_INPUT',
        'currency',
      ],
      ['creatorLeaderboard: another brand', LEADERBOARD, () => ({ b: brandId }), () => otherBrand, 'FORBIDDEN'],
      [
        'performanceComparison: another brand’s campaign',
        COMPARISON,
        () => ({ b: brandId, c: otherCampaignId }),
        () => analyst,
        'NOT_FOUND',
      ],
      [
        'brandOrders: a forged cursor',
        ORDER_LIST,
        () => ({ b: brandId, after: Buffer.from('["x",1]').toString('base64url') }),
        () => analyst,
        'BAD_USER_INPUT',
        'after',
      ],
      ['brandOrders: a creator', ORDER_LIST, () => ({ b: brandId }), () => creator, 'FORBIDDEN'],
      ['brandMentions: another brand’s campaign', MENTIONS, () => ({ id: otherCampaignId }), () => analyst, 'NOT_FOUND'],
    ]);
    // the entity fields answer null to whoever may not read them, as if analytics had not heard of them
    const entity = await stack.query<{ campaign: { metrics: unknown } | null }>(
      `query($id: ID!) { campaign(id: $id) { metrics { results { orders } } } }`,
      { id: otherCampaignId },
      brand,
    );
    expect(entity.data?.campaign?.metrics ?? null).toBeNull();
  });
});
