import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { loadServiceConfig, type DevIssuer } from '@influenceflow/kit';
import { repoRoot } from '../repo';

export interface DemoData {
  brandId: string;
  /** A creator whose media kit is published. */
  mediaKitHandle: string;
  campaignId: string;
  /** A campaign of last winter, completed by the lifecycle task (older demo files have none). */
  pastCampaignId?: string;
  creatorIds: string[];
  /** Tess's partnership on the demo campaign, and its tracking link (older demo files have none). */
  partnershipId?: string;
  trackingLink?: string;
  tokens: { label: string; token: string }[];
}

type Stored = Omit<DemoData, 'tokens' | 'mediaKitHandle'>;

class GatewayClient {
  constructor(private readonly url: string) {}

  async call<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length)
      throw new Error(`seeding failed: ${body.errors.map((e) => `${e.message} (${e.extensions?.code})`).join('; ')}`);
    return body.data as T;
  }
}

const CREATORS = [
  {
    handle: 'trail.tess',
    displayName: 'Tess on Trails',
    bio: 'Weekend hikes, light packs, honest gear reviews. #hiking #ultralight',
    niches: ['outdoors', 'travel'],
    country: 'US',
    followers: 48_200,
    platform: 'INSTAGRAM',
    format: 'REEL',
    priceMinor: 85_000,
  },
  {
    handle: 'kai.climbs',
    displayName: 'Kai Climbs',
    bio: 'Bouldering and sport climbing in the Alps.',
    niches: ['fitness', 'outdoors'],
    country: 'DE',
    followers: 23_500,
    platform: 'TIKTOK',
    format: 'SHORT',
    priceMinor: 60_000,
  },
  {
    handle: 'slowcampkitchen',
    displayName: 'Slow Camp Kitchen',
    bio: 'Campfire recipes that taste like home.',
    niches: ['food', 'outdoors'],
    country: 'GB',
    followers: 86_900,
    platform: 'YOUTUBE',
    format: 'VIDEO',
    priceMinor: 150_000,
  },
];

/** A fixed id per demo handle: seeding again (e.g. after .data/demo.json was deleted) updates, never collides. */
function demoCreatorId(handle: string): string {
  const h = createHash('sha256').update(`influenceflow-demo:${handle}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Demo data for the start command, written through the gateway like a client would (so events flow
 * and every rule applies). Idempotent: a second start reuses what the first one made.
 */
export async function seedDemo(gatewayUrl: string, adminToken: string, issuer: DevIssuer): Promise<DemoData> {
  const file = join(repoRoot(), '.data', 'demo.json');
  const client = new GatewayClient(gatewayUrl);
  let stored: Stored | null = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stored) : null;
  if (stored) {
    const found = await client
      .call<{ brand: { id: string } }>(adminToken, `query($id: ID!) { brand(id: $id) { id } }`, { id: stored.brandId })
      .then(
        () => true,
        () => false,
      );
    if (!found) stored = null; // the databases were reset: seed again
  }
  if (!stored) {
    stored = await createDemo(client, adminToken, issuer);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2));
  }
  const tokens = [
    {
      label: `brand member of Acme Outdoor (brandId ${stored.brandId})`,
      token: await issuer.sign({ sub: 'demo-alice', roles: ['brand_member'], brandIds: [stored.brandId] }),
    },
    { label: `analyst of Acme Outdoor`, token: await issuer.sign({ sub: 'demo-ana', roles: ['analyst'], brandIds: [stored.brandId] }) },
    {
      label: `creator @${CREATORS[0].handle} (creatorId ${stored.creatorIds[0]})`,
      token: await issuer.sign({ sub: 'demo-tess', roles: ['creator'], creatorId: stored.creatorIds[0] }),
    },
    { label: 'platform admin', token: adminToken },
  ];
  return { ...stored, mediaKitHandle: CREATORS[0].handle, tokens };
}

async function createDemo(client: GatewayClient, adminToken: string, issuer: DevIssuer): Promise<Stored> {
  const { createBrand } = await client.call<{ createBrand: { id: string } }>(
    adminToken,
    `mutation { createBrand(input: { name: "Acme Outdoor", websiteUrl: "https://acme-outdoor.example" }) { id } }`,
  );
  const brandId = createBrand.id;
  const brandToken = await issuer.sign({ sub: 'demo-alice', roles: ['brand_member'], brandIds: [brandId] });

  const creatorIds: string[] = [];
  for (const c of CREATORS) {
    const creatorId = demoCreatorId(c.handle);
    const token = await issuer.sign({ sub: `demo-${c.handle}`, roles: ['creator'], creatorId });
    await client.call(token, `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`, {
      input: { handle: c.handle, displayName: c.displayName, bio: c.bio, niches: c.niches, country: c.country },
    });
    await client.call(token, `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`, {
      input: { platform: c.platform, handle: c.handle, followers: c.followers, engagementRate: 4.2 },
    });
    await client.call(token, `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id } }`, {
      input: { platform: c.platform, format: c.format, price: { amountMinor: c.priceMinor, currency: 'USD' } },
    });
    await client.call(
      token,
      `mutation { setMyMediaKit(input: { published: true, sections: [STATS, AUDIENCE, RATES, BEST_POSTS] }) { path } }`,
    );
    creatorIds.push(creatorId);
  }

  const { createCampaign } = await client.call<{ createCampaign: { id: string } }>(
    brandToken,
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        brandId,
        name: 'Spring trail launch',
        goal: { type: 'TRAFFIC', target: 500 },
        budget: { amountMinor: 1_250_000, currency: 'USD' },
        // Running now: started two weeks ago, ends in six weeks (a campaign's dates are checked against today).
        startsOn: daysFromToday(-14),
        endsOn: daysFromToday(45),
      },
    },
  );
  await client.call(brandToken, `mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { id } }`, { id: createCampaign.id });
  // A brief, Tess invited and accepting: her discount code and tracking link exist from then on.
  await client.call(
    brandToken,
    `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: {
      brandStory: "Acme makes light, repairable trail gear.", keyMessages: ["Built to be repaired"], requiredHashtags: ["AcmeTrail", "ad"],
      deliverables: [{ platform: INSTAGRAM, format: REEL, count: 2, dueOn: $due }]
    }) { version } }`,
    { id: createCampaign.id, due: daysFromToday(14) },
  );
  const partnershipId = await inviteOnceKnown(client, brandToken, createCampaign.id, creatorIds[0]);
  const tessToken = await issuer.sign({ sub: 'demo-tess', roles: ['creator'], creatorId: creatorIds[0] });
  const { respondToInvitation } = await client.call<{ respondToInvitation: { trackingLink: string; deliverables: { id: string }[] } }>(
    tessToken,
    `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { trackingLink deliverables { id } } }`,
    { id: partnershipId },
  );
  // Her first reel's draft waits for the brand's review (reviewQueue).
  await client.call(
    tessToken,
    `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/tess-reel-1", caption: "Repairable, and it shows #AcmeTrail #ad" }) { status } }`,
    { id: respondToInvitation.deliverables[0].id },
  );
  await client.call(brandToken, `mutation($input: CreateContractTemplateInput!) { createContractTemplate(input: $input) { id } }`, {
    input: {
      brandId,
      name: 'Standard creator agreement',
      body: 'Agreement between {{brand.name}} and {{creator.displayName}} for {{deliverables}}, paid {{payment.terms}}.',
    },
  });
  const pastCampaignId = await seedPastCampaign(client, brandToken, brandId, creatorIds[1], issuer);
  return {
    brandId,
    campaignId: createCampaign.id,
    pastCampaignId,
    creatorIds,
    partnershipId,
    trackingLink: respondToInvitation.trackingLink,
  };
}

/** An ISO date `days` from today (UTC), as campaign dates are. */
function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A campaign from last winter, which the campaign service's lifecycle task completes (and with it Kai's
 * partnership): made through the gateway running today, as a brand would have made it then, and then
 * moved back in time in the campaign database, since nobody may create a campaign in the past. The task
 * completes it on its next run (CAMPAIGN_LIFECYCLE_INTERVAL_MS, a minute by default).
 */
async function seedPastCampaign(client: GatewayClient, brandToken: string, brandId: string, creatorId: string, issuer: DevIssuer) {
  const today = daysFromToday(0);
  const { createCampaign } = await client.call<{ createCampaign: { id: string } }>(
    brandToken,
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        brandId,
        name: 'Winter layers',
        goal: { type: 'AWARENESS', target: 20 },
        budget: { amountMinor: 600_000, currency: 'USD' },
        startsOn: today,
        endsOn: today,
      },
    },
  );
  const id = createCampaign.id;
  await client.call(
    brandToken,
    `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: {
      brandStory: "Acme's winter layers keep you warm on the trail.",
      deliverables: [{ platform: TIKTOK, format: SHORT, count: 1, dueOn: $due }]
    }) { version } }`,
    { id, due: today },
  );
  await client.call(brandToken, `mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { id } }`, { id });
  const partnershipId = await inviteOnceKnown(client, brandToken, id, creatorId);
  const creatorToken = await issuer.sign({ sub: 'demo-kai', roles: ['creator'], creatorId });
  await client.call(creatorToken, `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { id } }`, { id: partnershipId });
  const db = new Client({ connectionString: loadServiceConfig('campaign').databaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE campaigns SET starts_on = starts_on - 120, ends_on = ends_on - 60 WHERE id = $1`, [id]);
    await db.query(`UPDATE deliverables SET due_on = due_on - 75 WHERE campaign_id = $1`, [id]);
  } finally {
    await db.end();
  }
  return id;
}

/** Invites a creator as soon as the campaign service has heard of them (creator.created travels by Kafka). */
async function inviteOnceKnown(client: GatewayClient, brandToken: string, campaignId: string, creatorId: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { inviteCreator } = await client.call<{ inviteCreator: { id: string } }>(
        brandToken,
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        {
          input: {
            campaignId,
            creatorId,
            fee: { amountMinor: 85_000, currency: 'USD' },
            commissionPercent: 10,
            message: 'Join our spring launch!',
          },
        },
      );
      return inviteCreator.id;
    } catch (err) {
      if (!/NOT_FOUND/.test((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
