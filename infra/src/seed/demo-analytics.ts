import { createHmac } from 'node:crypto';
import { delay } from '@influenceflow/kit';
import type { GatewayClient } from './demo';

/** What the demo's analytics shows: the campaign's figures once its clicks, orders and post are in. */
export interface DemoAnalytics {
  clicks: number;
  orders: number;
  revenue: string;
  spend: string;
  roi: number | null;
  /** The campaign's report page by a share link (no sign-in), made on every start: tokens are not kept. */
  reportShareUrl: string;
}

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const RESULTS = `query($id: ID!) { campaignReport(campaignId: $id) { results { clicks orders revenue { formatted } spend { formatted } roi } } }`;

interface Results {
  campaignReport: {
    results: { clicks: number; orders: number; revenue: { formatted: string }; spend: { formatted: string }; roi: number | null };
  };
}

/**
 * Measures the demo campaign: followers click Tess's tracking link (once, on a fresh demo), the shop reports
 * orders (by her code, by the click id, by UTM, one with no referral) and a refund, her story's metrics and a
 * sign-up come in. Orders, refunds, snapshots and sign-ups are idempotent: a restart hands them in again as
 * duplicates. Last, a 30-day share link of the campaign's report page (docs/reports.md).
 */
export async function seedDemoAnalytics(
  client: GatewayClient,
  brandToken: string,
  demo: { brandId: string; campaignId: string; partnershipId: string; trackingLink: string },
): Promise<DemoAnalytics> {
  const report = () => client.call<Results>(brandToken, RESULTS, { id: demo.campaignId });
  const { partnership } = await client.call<{
    partnership: { discountCode: string; deliverables: { id: string; status: string; format: string }[] };
  }>(brandToken, `query($id: ID!) { partnership(id: $id) { discountCode deliverables { id status format } } }`, { id: demo.partnershipId });
  let landing: string | null = null;
  if ((await report()).campaignReport.results.clicks === 0) {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(demo.trackingLink, {
        redirect: 'manual',
        headers: { 'user-agent': BROWSER, referer: 'https://www.instagram.com/' },
      });
      landing ??= res.headers.get('location');
    }
    // and a link preview, recorded but not counted
    await fetch(demo.trackingLink, { redirect: 'manual', headers: { 'user-agent': 'facebookexternalhit/1.1' } });
    for (let i = 0; i < 150 && (await report()).campaignReport.results.clicks < 3; i++) await delay(200);
  }
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  // orders credited to a click come after it (a click never credits an earlier order)
  const afterClicks = (seconds: number) => new Date(now + seconds * 1000).toISOString();
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  const utm = landing ? new URL(landing) : null;
  utm?.searchParams.delete('ifclid');
  await client.call(brandToken, `mutation($b: ID!, $o: [OrderInput!]!) { recordOrders(brandId: $b, orders: $o) { reason } }`, {
    b: demo.brandId,
    o: [
      {
        externalId: 'DEMO-1001',
        orderedAt: at(3),
        amount: usd(12_000),
        customerEmail: 'amy@example.com',
        discountCodes: [partnership.discountCode.toLowerCase()],
      },
      ...(landing
        ? [
            {
              externalId: 'DEMO-1002',
              orderedAt: afterClicks(1),
              amount: usd(8_500),
              customerEmail: 'ben@example.com',
              landingUrl: landing,
            },
          ]
        : []),
      { externalId: 'DEMO-1003', orderedAt: at(2), amount: usd(4_000), customerEmail: 'cat@example.com' },
      ...(utm
        ? [
            {
              externalId: 'DEMO-1004',
              orderedAt: afterClicks(2),
              amount: usd(6_500),
              customerEmail: 'amy@example.com',
              landingUrl: utm.toString(),
            },
          ]
        : []),
    ],
  });
  if (landing) await shopifyOrder(client, brandToken, demo, landing);
  await uploadOrdersFile(brandToken, demo, partnership.discountCode, at(1));
  if (landing) {
    await client.call(brandToken, `mutation($b: ID!, $r: [RefundInput!]!) { recordRefunds(brandId: $b, refunds: $r) { duplicate } }`, {
      b: demo.brandId,
      r: [{ externalId: 'DEMO-R1', orderExternalId: 'DEMO-1002', refundedAt: afterClicks(3), amount: usd(2_000) }],
    });
    await client.call(
      brandToken,
      `mutation($b: ID!, $c: [ConversionInput!]!) { recordConversions(brandId: $b, conversions: $c) { reason } }`,
      {
        b: demo.brandId,
        c: [{ kind: 'SIGNUP', externalId: 'DEMO-S1', occurredAt: afterClicks(1), landingUrl: landing }],
      },
    );
  }
  const story = partnership.deliverables.find((d) => d.format === 'story' || d.format === 'STORY');
  if (story) {
    await client.call(
      brandToken,
      `mutation($id: ID!, $s: [PostSnapshotInput!]!) { recordPostMetrics(deliverableId: $id, snapshots: $s) }`,
      {
        id: story.id,
        s: [
          { takenAt: at(20), reach: 7_400, impressions: 9_100, likes: 520, comments: 41, shares: 18, saves: 60, views: 9_000 },
          { takenAt: at(2), reach: 12_000, impressions: 15_500, likes: 900, comments: 85, shares: 40, saves: 110, views: 15_200 },
        ],
      },
    );
  }
  if (story) {
    await client.call(
      brandToken,
      `mutation($b: ID!) { setBrandTerms(brandId: $b, products: ["Trail Repair Kit"], handles: ["acme.outdoors"]) { products } }`,
      {
        b: demo.brandId,
      },
    );
    await client.call(
      brandToken,
      `mutation($id: ID!, $c: [PostCommentInput!]!, $caption: String, $at: DateTimeISO) { recordPostComments(deliverableId: $id, comments: $c, caption: $caption, captionPostedAt: $at) }`,
      {
        id: story.id,
        caption: 'Fixed my tent pole on the trail in 5 minutes with the Acme Trail Repair Kit #AcmeTrail #ad',
        at: at(20),
        c: [
          { externalId: 'demo-c1', body: 'Love this! Just ordered the trail repair kit 😍', postedAt: at(19) },
          { externalId: 'demo-c2', body: 'Where can I buy it in Canada?', postedAt: at(18) },
          { externalId: 'demo-c3', body: 'Mine broke after a week, total waste of money', postedAt: at(17) },
          { externalId: 'demo-c4', body: 'Acme gear has lasted me years, great stuff', postedAt: at(16) },
        ],
      },
    );
  }
  const r = (await report()).campaignReport.results;
  const { shareCampaignReport } = await client.call<{ shareCampaignReport: { url: string } }>(
    brandToken,
    `mutation($id: ID!) { shareCampaignReport(campaignId: $id, expiresInDays: 30) { url } }`,
    { id: demo.campaignId },
  );
  return {
    clicks: r.clicks,
    orders: r.orders,
    revenue: r.revenue.formatted,
    spend: r.spend.formatted,
    roi: r.roi,
    reportShareUrl: shareCampaignReport.url,
  };
}

/**
 * The brand's other shop (not Shopify) exports its orders as a CSV file, uploaded as it is through the
 * platform's public origin (`POST /imports/orders.csv`): one order by Tess's code, one without a referral.
 * Sent again on a restart, its rows are duplicates.
 */
async function uploadOrdersFile(brandToken: string, demo: { brandId: string; trackingLink: string }, code: string, orderedAt: string) {
  const file = [
    'external_id,ordered_at,amount,currency,customer_email,discount_codes',
    `POS-2001,${orderedAt},39.00,USD,eve@example.com,${code}`,
    `POS-2002,${orderedAt},15.50,USD,fay@example.com,`,
  ].join('\r\n');
  const res = await fetch(`${new URL(demo.trackingLink).origin}/imports/orders.csv?brandId=${demo.brandId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${brandToken}`, 'content-type': 'text/csv' },
    body: file,
  });
  if (!res.ok) throw new Error(`the demo's orders file was refused: ${res.status} ${await res.text()}`);
}

/** The development secret of the demo shop (Shopify would show the real one in its admin). */
const DEMO_SHOP_SECRET = 'shpss_demo_acme_outdoor_not_a_secret';
const DEMO_SHOP = 'acme-outdoor.myshopify.com';

/**
 * Acme's Shopify shop, connected once, sends one signed orders/create webhook through the platform's public
 * origin (as Shopify would): an order that landed by Tess's link; a restart's delivery is a duplicate.
 */
async function shopifyOrder(client: GatewayClient, brandToken: string, demo: { brandId: string; trackingLink: string }, landing: string) {
  const { shops } = await client.call<{ shops: { id: string; domain: string; disconnectedAt: string | null }[] }>(
    brandToken,
    `query($b: ID!) { shops(brandId: $b) { id domain disconnectedAt } }`,
    { b: demo.brandId },
  );
  const shopId =
    shops.find((s) => s.domain === DEMO_SHOP && !s.disconnectedAt)?.id ??
    (
      await client.call<{ connectShop: { id: string } }>(
        brandToken,
        `mutation($input: ConnectShopInput!) { connectShop(input: $input) { id } }`,
        {
          input: { brandId: demo.brandId, platform: 'SHOPIFY', domain: DEMO_SHOP, webhookSecret: DEMO_SHOP_SECRET },
        },
      )
    ).connectShop.id;
  const url = new URL(landing);
  const body = JSON.stringify({
    id: 4_400_000_001,
    created_at: new Date(Date.now() + 4_000).toISOString(),
    currency: 'USD',
    subtotal_price: '54.00',
    total_price: '58.32',
    total_tax: '4.32',
    taxes_included: false,
    discount_codes: [],
    landing_site: `${url.pathname}${url.search}`,
    customer: { id: 90_001, email: 'dee@example.com' },
    line_items: [{ sku: 'ACME-RK-1', title: 'Trail Repair Kit', quantity: 1, price: '54.00' }],
  });
  await fetch(`${new URL(demo.trackingLink).origin}/webhooks/shopify/${shopId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': 'demo-webhook-1',
      'x-shopify-hmac-sha256': createHmac('sha256', DEMO_SHOP_SECRET).update(body).digest('base64'),
    },
    body,
  });
}
