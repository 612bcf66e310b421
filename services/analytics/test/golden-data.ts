import type { CloudEvent } from '@influenceflow/kit';
import type { ClickRecordedData, PartnershipEventData } from '@influenceflow/vocabulary';
import { eventually, TestSubgraph } from '@influenceflow/kit/testing';
import { count, eventOf, publishAll } from './support';

/**
 * The golden data set: one campaign, two partnerships, clicks, orders inside and outside the window, a code
 * and a link on the same order, refunds, repeat customers and spend, each figure worked out by hand in
 * golden.test.ts. Ids are fixed so the expectations can name them.
 */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const BRAND = id(1);
export const OTHER_BRAND = id(2);
export const CAMPAIGN = id(10);
export const ELLA = id(20);
export const NOAH = id(21);
export const P_ELLA = id(30);
export const P_NOAH = id(31);
/** Zoe was invited and never answered: no figures, and no creator of the campaign's groups. */
export const ZOE = id(22);
export const P_ZOE = id(32);
export const D_ELLA = id(40);
export const D_NOAH = id(41);
export const CLICK = { k1: id(101), k2: id(102), k3: id(103), k4: id(104), k5: id(105), k6: id(106) };

function partnership(pid: string, creatorId: string, handle: string, code: string): PartnershipEventData {
  return {
    partnershipId: pid,
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId,
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [{ platform: handle === 'ella' ? 'instagram' : 'tiktok', format: 'reel', count: 1, dueOn: '2026-03-15' }],
    fee: { amountMinor: 20_000, currency: 'USD' },
    commissionPercent: 10,
    briefVersion: 1,
    reason: null,
    parties: {
      brandName: 'Oaty',
      creatorName: handle === 'ella' ? 'Ella Runs' : handle === 'noah' ? 'Noah Lifts' : 'Zoe Cooks',
      creatorHandle: handle,
      campaignName: 'Spring',
      campaignStartsOn: '2026-03-01',
      campaignEndsOn: '2026-03-31',
    },
    tracking: { discountCode: code, linkSlug: `${handle}-slug`, utmCampaign: 'spring', utmContent: handle },
  };
}

/** A click on Ella's or Noah's link, as campaign's click recorder reports it. */
export function clickData(clickId: string, pid: string, at: string, traffic: ClickRecordedData['traffic']): ClickRecordedData {
  return {
    clickId,
    link: pid === P_ELLA ? 'ella-slug' : 'noah-slug',
    partnershipId: pid,
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId: pid === P_ELLA ? ELLA : NOAH,
    at,
    referrer: null,
    ipHash: null,
    userAgentHash: null,
    traffic,
    agent: traffic === 'human' ? null : 'Bot',
  };
}

function click(clickId: string, pid: string, at: string, traffic: ClickRecordedData['traffic']): CloudEvent {
  return eventOf('click.recorded', pid, BRAND, clickData(clickId, pid, at, traffic), at);
}

function spend(
  transfer: number,
  pid: string,
  kind: 'MILESTONE' | 'COMMISSION' | 'COMMISSION_REFUND',
  amountMinor: number,
  at: string,
  currency = 'USD',
): CloudEvent {
  return eventOf(
    'spend.accrued',
    CAMPAIGN,
    BRAND,
    {
      transferId: id(500 + transfer),
      campaignId: CAMPAIGN,
      brandId: BRAND,
      partnershipId: pid,
      creatorId: pid === P_ELLA ? ELLA : NOAH,
      kind,
      amount: { amountMinor, currency },
      feeMinor: 0,
      accruedAt: at,
    },
    at,
  );
}

function executed(version: number, declaredValueMinor: number, at: string): CloudEvent {
  return eventOf(
    'contract.executed',
    id(600 + version),
    BRAND,
    {
      contractId: id(600 + version),
      partnershipId: P_NOAH,
      brandId: BRAND,
      creatorId: NOAH,
      executedAt: at,
      campaignId: CAMPAIGN,
      version,
      amends: version > 1 ? id(600 + version - 1) : null,
      currency: 'USD',
      compensation: {
        currency: 'USD',
        flatFeeMinor: 15_000,
        commissionPercent: null,
        bonus: null,
        product: { description: 'Oat box', declaredValueMinor },
      },
      milestones: [],
    },
    at,
  );
}

/** Everything analytics hears from other services, in the order a producer would send it. */
export function goldenEvents(): CloudEvent[] {
  return [
    eventOf(
      'campaign.created',
      CAMPAIGN,
      BRAND,
      {
        campaignId: CAMPAIGN,
        brandId: BRAND,
        name: 'Spring',
        status: 'draft',
        previousStatus: null,
        goalType: 'sales',
        goalTarget: 4,
        budgetMinor: 1_000_000,
        currency: 'USD',
        startsOn: '2026-03-01',
        endsOn: '2026-03-31',
      },
      '2026-02-01T00:00:00Z',
    ),
    eventOf(
      'creator.created',
      ELLA,
      null,
      { creatorId: ELLA, handle: 'ella', displayName: 'Ella Runs', country: 'US', niches: ['running'] },
      '2026-01-01T00:00:00Z',
    ),
    eventOf(
      'creator.created',
      NOAH,
      null,
      { creatorId: NOAH, handle: 'noah', displayName: 'Noah Lifts', country: 'US', niches: ['fitness'] },
      '2026-01-01T00:00:00Z',
    ),
    eventOf(
      'creator.stats-updated',
      ELLA,
      null,
      {
        creatorId: ELLA,
        followers: 40_000,
        previousFollowers: 39_000,
        tier: 'micro',
        platforms: ['instagram'],
        engagementRate: 4,
        authenticityScore: 90,
      },
      '2026-01-02T00:00:00Z',
    ),
    eventOf(
      'creator.stats-updated',
      NOAH,
      null,
      {
        creatorId: NOAH,
        followers: 400_000,
        previousFollowers: 390_000,
        tier: 'macro',
        platforms: ['tiktok'],
        engagementRate: 2,
        authenticityScore: 80,
      },
      '2026-01-02T00:00:00Z',
    ),
    eventOf('partnership.accepted', P_ELLA, BRAND, partnership(P_ELLA, ELLA, 'ella', 'ELLA'), '2026-02-10T00:00:00Z'),
    eventOf('partnership.accepted', P_NOAH, BRAND, partnership(P_NOAH, NOAH, 'noah', 'NOAH'), '2026-02-10T00:00:00Z'),
    eventOf(
      'partnership.invited',
      P_ZOE,
      BRAND,
      { ...partnership(P_ZOE, ZOE, 'zoe', 'ZOE'), status: 'invited', previousStatus: null },
      '2026-02-11T00:00:00Z',
    ),
    eventOf('deliverable.posted', D_ELLA, BRAND, deliverable(D_ELLA, P_ELLA, ELLA, 'instagram', 'posted'), '2026-03-02T00:00:00Z'),
    eventOf('deliverable.approved', D_NOAH, BRAND, deliverable(D_NOAH, P_NOAH, NOAH, 'tiktok', 'approved'), '2026-03-02T00:00:00Z'),
    click(CLICK.k6, P_NOAH, '2026-01-01T00:00:00Z', 'human'),
    click(CLICK.k1, P_ELLA, '2026-03-01T10:00:00Z', 'human'),
    click(CLICK.k4, P_NOAH, '2026-03-01T12:00:00Z', 'human'),
    click(CLICK.k5, P_NOAH, '2026-03-01T12:01:00Z', 'preview'),
    click(CLICK.k2, P_ELLA, '2026-03-02T10:00:00Z', 'human'),
    click(CLICK.k3, P_ELLA, '2026-03-02T11:00:00Z', 'bot'),
    spend(1, P_ELLA, 'MILESTONE', 20_000, '2026-03-01T00:00:00Z'),
    spend(2, P_NOAH, 'MILESTONE', 15_000, '2026-03-01T00:00:00Z'),
    spend(3, P_ELLA, 'COMMISSION', 1_000, '2026-03-03T00:00:00Z'),
    spend(4, P_ELLA, 'COMMISSION_REFUND', 200, '2026-03-10T00:00:00Z'),
    // in euros for a campaign in dollars: kept, left out of the spend
    spend(5, P_NOAH, 'MILESTONE', 9_999, '2026-03-02T00:00:00Z', 'EUR'),
    // the amendment (a product worth 40.00) arrives before the first version (50.00): the amendment stands
    executed(2, 4_000, '2026-02-20T00:00:00Z'),
    executed(1, 5_000, '2026-02-15T00:00:00Z'),
  ];
}

function deliverable(did: string, pid: string, creatorId: string, platform: string, status: string) {
  return {
    deliverableId: did,
    partnershipId: pid,
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId,
    sequence: 1,
    platform,
    format: 'reel',
    dueOn: '2026-03-15',
    status,
    previousStatus: 'approved',
    postUrl: status === 'posted' ? 'https://instagram.example/p/1' : null,
    draftVersion: 1,
    ugcReuseAllowed: false,
    flagReason: null,
  };
}

const landing = (q: string) => `/products/oat-milk?${q}`;

/** The orders, as the brand's shop hands them in (recordOrders). */
export const GOLDEN_ORDERS = [
  // o1: Ella's code, typed in lower case → Ella (DISCOUNT_CODE); customer X's first order
  {
    externalId: 'o1',
    orderedAt: '2026-03-03T09:00:00Z',
    amount: { amountMinor: 10_000, currency: 'USD' },
    customerEmail: 'x@example.com',
    discountCodes: ['ella'],
  },
  // o2: Noah's click in the URL AND Ella's code: the code wins → Ella; customer Y's first
  {
    externalId: 'o2',
    orderedAt: '2026-03-04T09:00:00Z',
    amount: { amountMinor: 5_000, currency: 'USD' },
    customerEmail: 'y@example.com',
    discountCodes: ['ELLA'],
    landingUrl: landing(`ifclid=${CLICK.k4}`),
  },
  // o3: Noah's click k4, 4 days before → Noah (CLICK_ID); customer Z's first; refunded in full later
  {
    externalId: 'o3',
    orderedAt: '2026-03-05T09:00:00Z',
    amount: { amountMinor: 8_000, currency: 'USD' },
    customerEmail: 'z@example.com',
    landingUrl: landing(`utm_campaign=spring&utm_content=noah&ifclid=${CLICK.k4}`),
  },
  // o4: Noah's click k6 of 1 January: 63 days before, outside the 21-day window → unattributed
  {
    externalId: 'o4',
    orderedAt: '2026-03-05T10:00:00Z',
    amount: { amountMinor: 7_000, currency: 'USD' },
    customerEmail: 'w@example.com',
    landingUrl: landing(`ifclid=${CLICK.k6}`),
  },
  // o5: Ella's UTM, no click id → her latest click before it, k2 (4 days) → Ella (UTM); X again, 3 days after o1
  {
    externalId: 'o5',
    orderedAt: '2026-03-06T09:00:00Z',
    amount: { amountMinor: 6_000, currency: 'USD' },
    customerEmail: 'X@Example.com',
    landingUrl: landing('utm_source=influenceflow&utm_campaign=spring&utm_content=ella'),
  },
  // o6: a code nobody has → unattributed (UNKNOWN_CODE), kept
  { externalId: 'o6', orderedAt: '2026-03-06T10:00:00Z', amount: { amountMinor: 3_000, currency: 'USD' }, discountCodes: ['NOBODY1'] },
  // o7: Noah's code but in EUR, not the campaign's USD → credited to Noah, kept out of the figures
  { externalId: 'o7', orderedAt: '2026-03-07T09:00:00Z', amount: { amountMinor: 4_000, currency: 'EUR' }, discountCodes: ['noah'] },
  // o8: Y again, unattributed, 58 days after o2 (within 90) → Y repeats
  { externalId: 'o8', orderedAt: '2026-05-01T09:00:00Z', amount: { amountMinor: 2_500, currency: 'USD' }, customerEmail: 'y@example.com' },
  // o9: Z again, 118 days after o3 (beyond 90) → Z does not repeat
  { externalId: 'o9', orderedAt: '2026-07-01T09:00:00Z', amount: { amountMinor: 2_500, currency: 'USD' }, customerEmail: 'z@example.com' },
];

export const GOLDEN_REFUNDS = [
  { externalId: 'r1', orderExternalId: 'o1', refundedAt: '2026-03-10T00:00:00Z', amount: { amountMinor: 2_000, currency: 'USD' } },
  { externalId: 'r2', orderExternalId: 'o3', refundedAt: '2026-03-11T00:00:00Z', amount: { amountMinor: 8_000, currency: 'USD' } },
];

/** Post snapshots: Ella's latest is 4 March (the 3 March one arrives last and changes nothing). */
export const GOLDEN_SNAPSHOTS: [string, Record<string, unknown>[]][] = [
  [D_ELLA, [{ takenAt: '2026-03-02T12:00:00Z', reach: 1_000, impressions: 1_500, likes: 100, comments: 10, shares: 5 }]],
  [D_ELLA, [{ takenAt: '2026-03-04T12:00:00Z', reach: 2_000, impressions: 3_000, likes: 150, comments: 20, shares: 10 }]],
  [D_NOAH, [{ takenAt: '2026-03-03T12:00:00Z', reach: 3_000, impressions: 5_000, likes: 300, comments: 30, shares: 20 }]],
  [D_ELLA, [{ takenAt: '2026-03-03T12:00:00Z', reach: 1_500, impressions: 2_000, likes: 120, comments: 15, shares: 8 }]],
];

/** Comments under Ella's post and its caption: one of each sentiment, the brand named twice. */
export const GOLDEN_COMMENTS = {
  deliverableId: D_ELLA,
  comments: [
    { externalId: 'c1', body: 'Just tried Oaty and I love it, amazing 😍', postedAt: '2026-03-04T13:00:00Z' },
    { externalId: 'c2', body: 'This is terrible, worst advert ever. Unfollow.', postedAt: '2026-03-04T14:00:00Z' },
    { externalId: 'c3', body: 'Where can I buy it?', postedAt: '2026-03-05T09:00:00Z' },
  ],
  caption: 'Morning oats with #oaty',
  captionPostedAt: '2026-03-04T12:00:00Z',
};

/** Publishes the golden events (in the order given) and waits until the subgraph has applied every one. */
export async function applyGoldenEvents(sub: TestSubgraph, events = goldenEvents(), topicPrefix?: string): Promise<void> {
  await publishAll(events, topicPrefix);
  await eventually(
    async () =>
      (await count(sub, `SELECT count(*) AS n FROM clicks`)) === 6 &&
      (await count(sub, `SELECT count(*) AS n FROM spend_entries`)) === 6 &&
      (await count(sub, `SELECT count(*) AS n FROM deliverable_facts`)) === 2 &&
      (await count(sub, `SELECT count(*) AS n FROM partnership_facts WHERE discount_code IS NOT NULL`)) === 3 &&
      (await count(sub, `SELECT count(*) AS n FROM campaign_facts`)) === 1 &&
      (await count(sub, `SELECT count(*) AS n FROM creator_facts WHERE tier IS NOT NULL AND handle IS NOT NULL`)) === 2 &&
      (await count(sub, `SELECT count(*) AS n FROM spend_entries WHERE version = 2`)) === 1,
    30_000,
    'the golden events to be applied',
  );
}

/** What the golden facts' GraphQL calls are sent through: the subgraph (tests of analytics) or the gateway (e2e). */
export type GoldenCall = (query: string, variables: Record<string, unknown>) => Promise<{ data?: unknown; errors?: unknown[] }>;

/**
 * The facts brands hand in (orders, refunds, post snapshots, comments) as the brand's member: after the
 * golden events are applied, the campaign's report is the one golden.test.ts works out by hand.
 */
export async function recordGoldenFacts(call: GoldenCall): Promise<void> {
  const done = async (query: string, variables: Record<string, unknown>) => {
    const res = await call(query, variables);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  };
  await done(`mutation($brandId: ID!, $orders: [OrderInput!]!) { recordOrders(brandId: $brandId, orders: $orders) { externalId } }`, {
    brandId: BRAND,
    orders: GOLDEN_ORDERS,
  });
  await done(`mutation($brandId: ID!, $refunds: [RefundInput!]!) { recordRefunds(brandId: $brandId, refunds: $refunds) { externalId } }`, {
    brandId: BRAND,
    refunds: GOLDEN_REFUNDS,
  });
  for (const [id, s] of GOLDEN_SNAPSHOTS)
    await done(`mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`, { id, s });
  await done(
    `mutation($deliverableId: ID!, $comments: [PostCommentInput!]!, $caption: String, $captionPostedAt: DateTimeISO) {
      recordPostComments(deliverableId: $deliverableId, comments: $comments, caption: $caption, captionPostedAt: $captionPostedAt) }`,
    GOLDEN_COMMENTS,
  );
}
