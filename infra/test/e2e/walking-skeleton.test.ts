import { getIntrospectionQuery } from 'graphql';
import { CloudEvent } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { eventually, gatewayCallHeaders, publishRawEvent, testTopicPrefix, TEST_KAFKA_BROKERS } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, daysFromToday } from './support';

const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name status budget { amountMinor currency formatted } } }`;
const CAMPAIGN_WITH_METRICS = `query($id: ID!) { campaign(id: $id) { id name status metrics { status launchedAt statusChanges } } }`;
const CHANGE_STATUS = `mutation($id: ID!, $status: CampaignStatus!) { changeCampaignStatus(id: $id, status: $status) { id status } }`;

interface CampaignView {
  campaign: {
    id: string;
    name: string;
    status: string;
    metrics: { status: string; launchedAt: string | null; statusChanges: number } | null;
  };
}

describe('walking skeleton through the gateway', () => {
  let stack: TestStack;
  let adminToken: string;
  let brandId: string;
  let brandToken: string;

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.token({ sub: 'admin', roles: ['admin'] });
    const created = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Acme Outdoor", websiteUrl: "https://acme.example" }) { id } }`,
      {},
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    brandId = created.data!.createBrand.id;
    brandToken = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: [brandId] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('creates a campaign, and an event changes what analytics answers for it', async () => {
    const created = await stack.query<{ createCampaign: { id: string; status: string; budget: { formatted: string } } }>(
      CREATE_CAMPAIGN,
      { input: campaignInput(brandId) },
      brandToken,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createCampaign).toMatchObject({ status: 'DRAFT', budget: { formatted: '$12,500.00' } });
    const id = created.data!.createCampaign.id;

    // campaign.created travels outbox → Kafka → analytics' inbox; the metrics field (analytics) appears.
    const draft = await eventually(
      async () => {
        const r = await stack.query<CampaignView>(CAMPAIGN_WITH_METRICS, { id }, brandToken);
        return r.data?.campaign.metrics ? r.data.campaign : undefined;
      },
      30_000,
      'analytics to learn of the campaign',
    );
    expect(draft).toMatchObject({
      name: 'Spring trail launch',
      status: 'DRAFT',
      metrics: { status: 'DRAFT', launchedAt: null, statusChanges: 0 },
    });

    const launched = await stack.query(CHANGE_STATUS, { id, status: 'ACTIVE' }, brandToken);
    expect(launched.errors).toBeUndefined();
    const active = await eventually(
      async () => {
        const r = await stack.query<CampaignView>(CAMPAIGN_WITH_METRICS, { id }, brandToken);
        return r.data?.campaign.metrics?.status === 'ACTIVE' ? r.data.campaign : undefined;
      },
      30_000,
      'campaign.launched to reach analytics',
    );
    expect(active.metrics!.statusChanges).toBe(1);
    expect(active.metrics!.launchedAt).not.toBeNull();
  });

  it('applies an event delivered twice only once', async () => {
    const created = await stack.query<{ createCampaign: { id: string } }>(
      CREATE_CAMPAIGN,
      { input: campaignInput(brandId, { name: 'Twice' }) },
      brandToken,
    );
    const id = created.data!.createCampaign.id;
    await stack.query(CHANGE_STATUS, { id, status: 'ACTIVE' }, brandToken);
    const outbox = stack.subgraphs.campaign.runtime.dataSource;
    const [row] = (await eventually(
      () =>
        outbox
          .query(`SELECT envelope FROM outbox WHERE type = 'campaign.launched' AND key = $1 AND sent_at IS NOT NULL`, [id])
          .then((rows: unknown[]) => (rows.length ? rows : undefined)),
      30_000,
      'the launch event to be published',
    )) as { envelope: CloudEvent }[];

    // Kafka redelivers (at-least-once): send the very same envelope twice more.
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.campaign}`, row.envelope, 2);
    // A later event on the same key (same partition, so it is consumed after the duplicates) marks the end.
    await stack.query(CHANGE_STATUS, { id, status: 'PAUSED' }, brandToken);
    const paused = await eventually(
      async () => {
        const r = await stack.query<CampaignView>(CAMPAIGN_WITH_METRICS, { id }, brandToken);
        return r.data?.campaign.metrics?.status === 'PAUSED' ? r.data.campaign : undefined;
      },
      30_000,
      'campaign.paused to reach analytics',
    );
    expect(paused.metrics!.statusChanges).toBe(2); // launched + paused; the duplicates changed nothing
    const inbox = await stack.subgraphs.analytics.runtime.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [
      row.envelope.id,
    ]);
    expect(inbox[0].n).toBe(1);
  });

  it('answers a query that spans subgraphs (campaign + analytics) in one request', async () => {
    const list = await stack.query<{ campaigns: { edges: { node: { name: string; metrics: unknown } }[] } }>(
      `query($brandId: ID!) { campaigns(brandId: $brandId, first: 10) { edges { node { name metrics { status } } } pageInfo { hasNextPage } } }`,
      { brandId },
      brandToken,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.campaigns.edges.length).toBeGreaterThanOrEqual(2);
  });

  it("joins a creator's profile (discovery) with its rate card (payments), public to anyone", async () => {
    const creatorId = '00000000-0000-4000-8000-00000000c0de';
    const creatorToken = await stack.token({ sub: 'tess', roles: ['creator'], creatorId });
    const saved = await stack.query(
      `mutation { saveMyCreatorProfile(input: { handle: "tess.e2e", displayName: "Tess", niches: ["outdoors"], country: "US" }) { id } }`,
      {},
      creatorToken,
    );
    expect(saved.errors).toBeUndefined();
    const account = await stack.query(
      `mutation { saveMyPlatformAccount(input: { platform: INSTAGRAM, handle: "tess.e2e", followers: 15000, engagementRate: 5 }) { id } }`,
      {},
      creatorToken,
    );
    expect(account.errors).toBeUndefined();
    const priced = await stack.query(
      `mutation { setRateCardEntry(input: { platform: INSTAGRAM, format: REEL, price: { amountMinor: 85000, currency: "USD" } }) { id } }`,
      {},
      creatorToken,
    );
    expect(priced.errors).toBeUndefined();
    const anonymous = await stack.query<{ creator: unknown }>(
      `query($id: ID!) { creator(id: $id) { handle tier rateCard { platform format price { formatted } } } }`,
      { id: creatorId },
    );
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.creator).toEqual({
      handle: 'tess.e2e',
      tier: 'MICRO',
      rateCard: [{ platform: 'INSTAGRAM', format: 'REEL', price: { formatted: '$850.00' } }],
    });
  });

  it('refuses anonymous, foreign-brand and invalid-token callers with stable codes', async () => {
    const anonymous = await stack.query(CREATE_CAMPAIGN, { input: campaignInput(brandId) });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const stranger = await stack.token({ sub: 'mallory', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-000000000000'] });
    const foreign = await stack.query(CREATE_CAMPAIGN, { input: campaignInput(brandId) }, stranger);
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const forged = await stack.query(
      `{ campaign(id: "00000000-0000-4000-8000-000000000000") { id } }`,
      {},
      `${brandToken.slice(0, -4)}AAAA`,
    );
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects bad input with the field at fault and writes nothing', async () => {
    const db = stack.subgraphs.campaign.runtime.dataSource;
    const before = (await db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ endsOn: daysFromToday(29) }, 'input.endsOn'], // before startsOn
      [{ startsOn: daysFromToday(-40), endsOn: daysFromToday(-1) }, 'input.endsOn'], // wholly in the past
      [{ budget: { amountMinor: -5, currency: 'USD' } }, 'input.budget.amountMinor'],
      [{ budget: { amountMinor: 100, currency: 'XYZ' } }, 'input.budget.currency'],
      [{ name: '' }, 'input.name'],
    ];
    for (const [override, field] of cases) {
      const r = await stack.query(CREATE_CAMPAIGN, { input: campaignInput(brandId, override) }, brandToken);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const after = (await db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n;
    expect(after).toBe(before);
  });

  it('refuses a transition out of order with INVALID_STATE naming the allowed ones', async () => {
    const created = await stack.query<{ createCampaign: { id: string } }>(CREATE_CAMPAIGN, { input: campaignInput(brandId) }, brandToken);
    const r = await stack.query(CHANGE_STATUS, { id: created.data!.createCampaign.id, status: 'PAUSED' }, brandToken);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', allowed: ['active', 'cancelled'] });
  });

  it('lets no one reach a subgraph without the gateway signature', async () => {
    const campaignUrl = stack.subgraphs.campaign.url;
    const query = JSON.stringify({ query: '{ _service { sdl } }' });
    const unsigned = await fetch(campaignUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    expect(unsigned.status).toBe(401);
    const forged = await fetch(campaignUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...gatewayCallHeaders(
          'campaign',
          query,
          { sub: 'x', roles: ['admin'], brandIds: [], creatorId: null },
          'not-the-real-secret-not-the-real-secret',
        ),
      },
      body: query,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('serves GraphiQL from local files', async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/graphiql/graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn|esm\.sh)/);
    const script = await fetch(`${base}/graphiql/graphiql.min.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    // The introspection query GraphiQL sends (deeply nested) must pass the gateway's limits.
    const introspection = await stack.query<{ __schema: { types: unknown[] } }>(getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data!.__schema.types.length).toBeGreaterThan(20);
  });
});
