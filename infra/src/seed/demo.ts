import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { loadServiceConfig, type DevIssuer, type TokenClaims } from '@influenceflow/kit';
import { repoRoot } from '../repo';
import { DemoAnalytics, seedDemoAnalytics } from './demo-analytics';

export interface DemoData {
  brandId: string;
  /** A creator whose media kit is published. */
  mediaKitHandle: string;
  campaignId: string;
  /** A campaign of last winter, completed by the lifecycle task (older demo files have none). */
  pastCampaignId?: string;
  creatorIds: string[];
  /** Handles of a genuine and a fraudulent creator whose authenticity reports rest on full figures (older demo files have none). */
  authenticityExamples?: { genuine: string; fraudulent: string };
  /** Tess's partnership on the demo campaign, and its tracking link (older demo files have none). */
  partnershipId?: string;
  trackingLink?: string;
  /** Tess's executed contract, and Slow Camp Kitchen's awaiting the creator's signature (older demo files have none). */
  contract?: { id: string; documentSha256: string };
  pendingContractId?: string;
  /**
   * Payments: the campaign's escrow funded, Tess's signature milestone and a thank-you bonus paid out, and the
   * milestone her posted story made due, paid with no manual step (older demo files have none, or no `posted`).
   */
  payments?: { fundedMinor: number; thankYouPayoutId: string; posted?: PostedMilestone };
  /** Tess's reel price rise (the day it starts and the new price in minor units), and the brand's standard pricing. */
  rateCards?: DemoRateCards;
  /** The demo campaign measured: clicks on Tess's link, orders credited to her, her story's reach (older demo files: none until a restart). */
  analytics?: DemoAnalytics;
  tokens: { label: string; token: string }[];
  /** The same users as claims, for the dashboard's development sign-in (gateway/src/web-app.ts, DevUser). */
  users: DemoUser[];
}

export interface DemoUser {
  id: string;
  label: string;
  claims: TokenClaims;
}

export interface DemoRateCards {
  reelRisesOn: string | null;
  reelFrom: number | null;
}

/** A milestone triggered by a posted deliverable (ON_DELIVERABLE_POSTED), and the payout it made. */
export interface PostedMilestone {
  deliverableId: string;
  postUrl: string;
  milestone: { id: string; label: string; trigger: string; status: string; amount: string };
  payout: { id: string; status: string; provider: string; amount: string; attempts: number };
}

type Stored = Omit<DemoData, 'tokens' | 'users' | 'mediaKitHandle'>;

export class GatewayClient {
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

/**
 * Eight recent posts of a demo creator (about 4.2 % engagement), the first few sponsored with each kind
 * of disclosure, so the demo shows sponsored versus organic engagement: Tess's paid posts engage less
 * than her own, Kai's more, and Slow Camp Kitchen has too few to compare. The media kit's seeding gives
 * the organic ones its own captions and every post a permalink.
 */
function demoPosts(c: (typeof CREATORS)[number], kit?: { captions: string[]; postUrl: (i: number) => string }) {
  const plan: Record<string, { sponsored: number; factor: number }> = {
    'trail.tess': { sponsored: 3, factor: 0.7 },
    'kai.climbs': { sponsored: 2, factor: 1.25 },
    slowcampkitchen: { sponsored: 1, factor: 1 },
  };
  const { sponsored, factor } = plan[c.handle] ?? { sponsored: 0, factor: 1 };
  const disclosures = [
    { caption: 'Three days on the trail with the new pack #ad', paidPartnership: null },
    { caption: 'Rain test: the shell jacket after a week', paidPartnership: true },
    { caption: 'Paid partnership with @acme.outdoor: the repair kit', paidPartnership: null },
  ];
  const organic = kit?.captions ?? [
    'Sunrise from the ridge',
    'What is in my pack',
    'Trail snacks ranked',
    'Lessons from a wet weekend',
    'Camp setup in 10 minutes',
  ];
  return Array.from({ length: 8 }, (_, i) => {
    const engagements = Math.round(c.followers * 0.042 * (i < sponsored ? factor : 1) * (0.9 + (i % 3) * 0.1));
    const comments = Math.round(engagements * 0.04);
    return {
      postedAt: new Date(Date.now() - (i * 4 + 1) * 86_400_000).toISOString(),
      format: c.format,
      likes: engagements - comments - Math.round(engagements / 60),
      comments,
      shares: Math.round(engagements / 60),
      ...(i < sponsored ? disclosures[i] : { caption: organic[i % organic.length], paidPartnership: null }),
      ...(kit ? { url: kit.postUrl(i) } : {}),
    };
  });
}

/** A fixed id per demo handle: seeding again (e.g. after .data/demo.json was deleted) updates, never collides. */
function demoCreatorId(handle: string): string {
  const h = createHash('sha256').update(`influenceflow-demo:${handle}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SeedDemoOptions {
  /** Where what it made is kept (.data/demo.json by default); null keeps nothing and seeds afresh (a test's own stack). */
  file?: string | null;
  /**
   * The campaign service's database, where last winter's campaign is moved back in time: the configured
   * one by default; a test's own stack passes its own.
   */
  campaignDatabaseUrl?: string;
}

/**
 * Demo data for the start command, written through the gateway like a client would (so events flow
 * and every rule applies). Idempotent: a second start reuses what the first one made.
 */
export async function seedDemo(
  gatewayUrl: string,
  adminToken: string,
  issuer: DevIssuer,
  options: SeedDemoOptions = {},
): Promise<DemoData> {
  const file = options.file === undefined ? join(repoRoot(), '.data', 'demo.json') : options.file;
  const campaignDatabaseUrl = options.campaignDatabaseUrl ?? loadServiceConfig('campaign').databaseUrl;
  const client = new GatewayClient(gatewayUrl);
  let stored: Stored | null = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stored) : null;
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
    stored = await createDemo(client, adminToken, issuer, campaignDatabaseUrl);
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2));
    }
  }
  await seedDemoMediaKits(client, issuer);
  const rateCards = await seedDemoRatePeriods(client, issuer, stored.brandId);
  const brandToken = await issuer.sign({ sub: 'demo-alice', roles: ['brand_member'], brandIds: [stored.brandId] });
  const analytics =
    stored.partnershipId && stored.trackingLink
      ? await seedDemoAnalytics(client, brandToken, {
          brandId: stored.brandId,
          campaignId: stored.campaignId,
          partnershipId: stored.partnershipId,
          trackingLink: stored.trackingLink,
        })
      : undefined;
  // The demo users: the dashboard's development sign-in offers them (DEV_USERS_FILE), the start command prints their tokens.
  const users: DemoUser[] = [
    {
      id: 'brand-member',
      label: `brand member of Acme Outdoor (brandId ${stored.brandId})`,
      claims: { sub: 'demo-alice', roles: ['brand_member'], brandIds: [stored.brandId] },
    },
    { id: 'analyst', label: `analyst of Acme Outdoor`, claims: { sub: 'demo-ana', roles: ['analyst'], brandIds: [stored.brandId] } },
    {
      id: 'creator-tess',
      label: `creator @${CREATORS[0].handle} (creatorId ${stored.creatorIds[0]})`,
      claims: { sub: 'demo-tess', roles: ['creator'], creatorId: stored.creatorIds[0] },
    },
    ...(stored.creatorIds[2]
      ? [
          {
            id: 'creator-slowcamp',
            label: `creator @${CREATORS[2].handle} (creatorId ${stored.creatorIds[2]})`,
            claims: { sub: 'demo-slowcampkitchen', roles: ['creator' as const], creatorId: stored.creatorIds[2] },
          },
        ]
      : []),
    { id: 'admin', label: 'platform admin', claims: { sub: 'demo-admin', roles: ['admin'] } },
  ];
  const tokens = await Promise.all(
    users.map(async (u) => ({ label: u.label, token: u.id === 'admin' ? adminToken : await issuer.sign(u.claims) })),
  );
  return { ...stored, mediaKitHandle: CREATORS[0].handle, rateCards, analytics, tokens, users };
}

/** The first day of next month and the last day of this one (UTC), as ISO dates. */
function monthTurn(now = new Date()): { lastOfThisMonth: string; firstOfNextMonth: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const last = new Date(first.getTime() - 86_400_000);
  return { lastOfThisMonth: last.toISOString().slice(0, 10), firstOfNextMonth: first.toISOString().slice(0, 10) };
}

/**
 * Rate cards over time: Tess's Instagram reel costs $100 more from the first of next month (her current
 * line ends on the last day of this one), and Acme Outdoor's own standard pricing for offers. Once: a
 * later start finds them.
 */
async function seedDemoRatePeriods(client: GatewayClient, issuer: DevIssuer, brandId: string): Promise<DemoRateCards> {
  const { lastOfThisMonth, firstOfNextMonth } = monthTurn();
  const tessToken = await issuer.sign({ sub: 'demo-tess', roles: ['creator'], creatorId: demoCreatorId(CREATORS[0].handle) });
  type Line = {
    platform: string;
    format: string;
    price: { amountMinor: number; currency: string };
    validFrom: string;
    validUntil: string | null;
  };
  const LINE = `platform format price { amountMinor currency } validFrom validUntil`;
  const { myRateCard } = await client.call<{ myRateCard: Line[] }>(tessToken, `query { myRateCard { ${LINE} } }`);
  const reels = myRateCard.filter((l) => l.platform === 'INSTAGRAM' && l.format === 'REEL');
  let rise = reels.find((l) => l.validFrom > lastOfThisMonth);
  const current = reels.find((l) => l.validFrom <= lastOfThisMonth && (l.validUntil === null || l.validUntil >= lastOfThisMonth));
  if (!rise && current) {
    const SET = `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { ${LINE} } }`;
    await client.call(tessToken, SET, {
      input: { platform: 'INSTAGRAM', format: 'REEL', price: current.price, validFrom: current.validFrom, validUntil: lastOfThisMonth },
    });
    const price = { amountMinor: current.price.amountMinor + 10_000, currency: current.price.currency };
    rise = (
      await client.call<{ setRateCardEntry: Line }>(tessToken, SET, {
        input: { platform: 'INSTAGRAM', format: 'REEL', price, validFrom: firstOfNextMonth },
      })
    ).setRateCardEntry;
  }
  const brandToken = await issuer.sign({ sub: 'demo-alice', roles: ['brand_member'], brandIds: [brandId] });
  const { brandRateCard } = await client.call<{ brandRateCard: Line[] }>(
    brandToken,
    `query($brandId: ID!) { brandRateCard(brandId: $brandId) { ${LINE} } }`,
    {
      brandId,
    },
  );
  if (brandRateCard.length === 0) {
    for (const [format, amountMinor] of [
      ['REEL', 70_000],
      ['STORY', 25_000],
    ] as const) {
      await client.call(brandToken, `mutation($input: BrandRateCardEntryInput!) { setBrandRateCardEntry(input: $input) { id } }`, {
        input: { brandId, platform: 'INSTAGRAM', format, price: { amountMinor, currency: 'USD' } },
      });
    }
  }
  return { reelRisesOn: rise?.validFrom ?? null, reelFrom: rise ? rise.price.amountMinor : null };
}

async function createDemo(client: GatewayClient, adminToken: string, issuer: DevIssuer, campaignDatabaseUrl: string): Promise<Stored> {
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
      input: { platform: c.platform, handle: c.handle, followers: c.followers, posts: demoPosts(c) },
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
      requiredMentions: ["acme.outdoors"], forbiddenWords: ["cheap"],
      deliverables: [{ platform: INSTAGRAM, format: REEL, count: 2, dueOn: $due }]
    }) { version } }`,
    { id: createCampaign.id, due: daysFromToday(14) },
  );
  // Tess promises a reel and a story: her contract pays half on signature and half when the story (its last
  // deliverable) is posted (contracts' default milestones), so the reel's draft can wait for review below.
  const partnershipId = await inviteOnceKnown(client, brandToken, createCampaign.id, creatorIds[0], {
    deliverables: [
      { platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: daysFromToday(14) },
      { platform: 'INSTAGRAM', format: 'STORY', count: 1, dueOn: daysFromToday(21) },
    ],
  });
  const tessToken = await issuer.sign({ sub: 'demo-tess', roles: ['creator'], creatorId: creatorIds[0] });
  const { respondToInvitation } = await client.call<{ respondToInvitation: { trackingLink: string; deliverables: { id: string }[] } }>(
    tessToken,
    `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { trackingLink deliverables { id } } }`,
    { id: partnershipId },
  );
  // Her first reel's draft waits for the brand's review (reviewQueue); it forgets to mention @acme.outdoors, so its
  // compliance check fails and approving it needs an override with a reason.
  await client.call(
    tessToken,
    `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/tess-reel-1", caption: "Repairable, and it shows #AcmeTrail #ad" }) { status } }`,
    { id: respondToInvitation.deliverables[0].id },
  );
  // A conversation in the partnership's thread, and brief version 2 changing only its tone (partial update).
  await client.call(brandToken, `mutation($input: PostMessageInput!) { postPartnershipMessage(input: $input) { id } }`, {
    input: {
      partnershipId,
      body: 'Welcome aboard, Tess! The repair kit ships tomorrow; the spec sheet is attached.',
      attachments: [{ url: 'https://acme.example/spec/repair-kit.pdf', name: 'Repair kit spec sheet' }],
      clientMessageId: 'demo-welcome',
    },
  });
  await client.call(tessToken, `mutation($input: PostMessageInput!) { postPartnershipMessage(input: $input) { id } }`, {
    input: { partnershipId, body: 'Thanks! First reel draft is in, filmed on the ridge at sunrise.', clientMessageId: 'demo-thanks' },
  });
  await client.call(
    brandToken,
    `mutation($id: ID!) { publishBrief(campaignId: $id, input: { tone: "Warm and practical: show the fix, not the fuss" }) { version } }`,
    { id: createCampaign.id },
  );
  // Slow Camp Kitchen on a three-month partnership: one video a month (a recurring posting schedule).
  const longTermId = await inviteOnceKnown(client, brandToken, createCampaign.id, creatorIds[2], {
    fee: { amountMinor: 150_000, currency: 'USD' },
    length: 'THREE_MONTHS',
    deliverables: [{ platform: 'YOUTUBE', format: 'VIDEO', count: 1, dueOn: daysFromToday(20) }],
    message: 'A campfire recipe video a month for the season?',
  });
  const kitchenToken = await issuer.sign({ sub: 'demo-slowcampkitchen', roles: ['creator'], creatorId: creatorIds[2] });
  await client.call(kitchenToken, `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { id } }`, { id: longTermId });
  await client.call(brandToken, `mutation($input: CreateContractTemplateInput!) { createContractTemplate(input: $input) { id } }`, {
    input: {
      brandId,
      name: 'Short creator agreement',
      body:
        '# {{contract.title}}\n\nAgreement between {{brand.name}} and {{creator.name}} ({{creator.handle}}).\n\n' +
        '{{#each deliverables}}- {{summary}}\n{{/each}}\n{{compensation.summary}}\n\n{{#each milestones}}- {{summary}}\n{{/each}}\n' +
        '{{usageRights.summary}} Exclusivity: {{exclusivity.summary}}\n',
    },
  });
  // Contracts: Tess's executed by both (certificate, sealed PDF: the partnership is contracted, then
  // active as the campaign runs), Slow Camp Kitchen's signed by the brand and awaiting the creator.
  // Payments (the simulated provider in development): the brand funds the campaign's escrow first, so
  // Tess's ON_EXECUTION milestone is paid out as soon as her contract executes; then a thank-you bonus.
  const fundedMinor = await fundDemoCampaign(client, brandToken, createCampaign.id);
  const contract = await executeDemoContract(client, brandToken, tessToken, partnershipId);
  const thankYouPayoutId = await payDemoThankYou(client, brandToken, partnershipId);
  // Her story goes out (draft, approval, posted): deliverable.posted makes its milestone due and pays it.
  const storyId = respondToInvitation.deliverables[1].id;
  const postUrl = await postDemoStory(client, brandToken, tessToken, storyId);
  const posted = await demoPayoutsSucceeded(client, brandToken, partnershipId, storyId, postUrl);
  const pendingContractId = await sendDemoContract(client, brandToken, longTermId);
  await seedNegotiation(client, brandToken, createCampaign.id, creatorIds[1], issuer);
  const authenticityExamples = await seedAuthenticityExamples(client, issuer);
  const pastCampaignId = await seedPastCampaign(client, brandToken, brandId, creatorIds[1], issuer, campaignDatabaseUrl);
  return {
    brandId,
    campaignId: createCampaign.id,
    pastCampaignId,
    creatorIds,
    partnershipId,
    trackingLink: respondToInvitation.trackingLink,
    authenticityExamples,
    contract,
    pendingContractId,
    payments: { fundedMinor, thankYouPayoutId, posted },
  };
}

/** Calls `attempt` until payments has heard of what it names over Kafka (NOT_FOUND until then). */
async function onceKnownToPayments<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!/NOT_FOUND/.test((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The brand moves $5,000 of the campaign's budget into its escrow (an idempotency key: a retried call funds once). */
async function fundDemoCampaign(client: GatewayClient, brandToken: string, campaignId: string): Promise<number> {
  const amountMinor = 500_000;
  await onceKnownToPayments(() =>
    client.call(brandToken, `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { transferId escrow { formatted } } }`, {
      input: { campaignId, amount: { amountMinor, currency: 'USD' }, idempotencyKey: 'demo-fund-spring-trail' },
    }),
  );
  return amountMinor;
}

/** An ad hoc payout: the brand thanks Tess with $50, once payments knows her executed contract. */
async function payDemoThankYou(client: GatewayClient, brandToken: string, partnershipId: string): Promise<string> {
  const { createPayout } = await onceKnownToPayments(() =>
    client.call<{ createPayout: { payout: { id: string } } }>(
      brandToken,
      `mutation($input: CreatePayoutInput!) { createPayout(input: $input) { replayed payout { id status } } }`,
      {
        input: {
          partnershipId,
          amount: { amountMinor: 5_000, currency: 'USD' },
          reason: 'Thank you for the quick signature and the sunrise draft!',
          idempotencyKey: 'demo-thank-you-tess',
        },
      },
    ),
  );
  return createPayout.payout.id;
}

/** Tess submits her story's draft (it passes the brief's compliance check), the brand approves it, she posts it. */
async function postDemoStory(client: GatewayClient, brandToken: string, tessToken: string, storyId: string): Promise<string> {
  const postUrl = 'https://www.instagram.com/stories/trail.tess/demo-repair-kit';
  await client.call(
    tessToken,
    `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/tess-story-1",
      caption: "Fixed my pack strap on the trail in two minutes @acme.outdoors #AcmeTrail #ad" }) { status } }`,
    { id: storyId },
  );
  await client.call(brandToken, `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: APPROVED }) { status } }`, {
    id: storyId,
  });
  await client.call(tessToken, `mutation($id: ID!, $url: String!) { markDeliverablePosted(id: $id, postUrl: $url) { status } }`, {
    id: storyId,
    url: postUrl,
  });
  return postUrl;
}

type DemoMilestone = {
  id: string;
  label: string;
  trigger: string;
  status: string;
  payoutId: string | null;
  payable: { formatted: string };
};
type DemoPayout = { id: string; reason: string; status: string; provider: string; amount: { formatted: string }; attempts: unknown[] };

/**
 * Waits until the partnership's payouts succeeded in the simulated provider: the signature milestone's, the
 * thank-you, and the one of the milestone the posted story made due (over Kafka: deliverable.posted, then
 * payments' compensation and payout worker, no manual step). That milestone and its payout.
 */
async function demoPayoutsSucceeded(
  client: GatewayClient,
  brandToken: string,
  partnershipId: string,
  storyId: string,
  postUrl: string,
): Promise<PostedMilestone> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { partnership } = await client.call<{
      partnership: { payouts: DemoPayout[]; compensation: { milestones: DemoMilestone[] } | null };
    }>(
      brandToken,
      `query($id: ID!) { partnership(id: $id) {
        payouts { id reason status provider amount { formatted } attempts { number } }
        compensation { milestones { id label trigger status payoutId payable { formatted } } } } }`,
      { id: partnershipId },
    );
    const succeeded = partnership.payouts.filter((p) => p.status === 'SUCCEEDED');
    const milestone = partnership.compensation?.milestones.find((m) => m.trigger === 'ON_DELIVERABLE_POSTED');
    const payout = milestone?.payoutId ? succeeded.find((p) => p.id === milestone.payoutId) : undefined;
    const signature = partnership.compensation?.milestones.find((m) => m.trigger === 'ON_EXECUTION');
    const signaturePaid = signature?.payoutId && succeeded.some((p) => p.id === signature.payoutId);
    if (milestone && payout && signaturePaid && succeeded.some((p) => p.reason === 'AD_HOC')) {
      return {
        deliverableId: storyId,
        postUrl,
        milestone: {
          id: milestone.id,
          label: milestone.label,
          trigger: milestone.trigger,
          status: milestone.status,
          amount: milestone.payable.formatted,
        },
        payout: {
          id: payout.id,
          status: payout.status,
          provider: payout.provider,
          amount: payout.amount.formatted,
          attempts: payout.attempts.length,
        },
      };
    }
    if (Date.now() > deadline)
      throw new Error(`seeding failed: the demo payouts did not succeed (${JSON.stringify(partnership)}; see .data/logs/payments.log)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const DEMO_CONTRACT = `query($id: ID!) { partnership(id: $id) { contract { id status document documentSha256 consentStatement } } }`;
type DemoContract = { id: string; status: string; document: string; documentSha256: string; consentStatement: string };
const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) { signContract(contractId: $id, documentSha256: $sha, consent: $consent) { status } }`;

/** The partnership's draft contract, once contracts has made it from partnership.accepted (over Kafka). */
async function draftOf(client: GatewayClient, token: string, partnershipId: string): Promise<DemoContract> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { partnership } = await client.call<{ partnership: { contract: DemoContract | null } }>(token, DEMO_CONTRACT, {
      id: partnershipId,
    });
    if (partnership.contract) return partnership.contract;
    if (Date.now() > deadline) throw new Error('seeding failed: no contract was drafted for the accepted partnership');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The brand sends the draft, both sign the document each was served (its SHA-256 computed here). */
async function executeDemoContract(client: GatewayClient, brandToken: string, creatorToken: string, partnershipId: string) {
  const draft = await draftOf(client, brandToken, partnershipId);
  await client.call(brandToken, `mutation($id: ID!) { sendContract(id: $id) { status } }`, { id: draft.id });
  for (const token of [creatorToken, brandToken]) {
    const seen = await draftOf(client, token, partnershipId);
    const sha = createHash('sha256').update(seen.document, 'utf8').digest('hex');
    await client.call(token, SIGN, { id: seen.id, sha, consent: seen.consentStatement });
  }
  return { id: draft.id, documentSha256: draft.documentSha256 };
}

/**
 * The brand sends the draft and signs it, recalls it to shorten the payment terms (its signature is kept,
 * void), sends the corrected document and signs again: it awaits the creator's signature.
 */
async function sendDemoContract(client: GatewayClient, brandToken: string, partnershipId: string): Promise<string> {
  const send = `mutation($id: ID!) { sendContract(id: $id) { status } }`;
  const draft = await draftOf(client, brandToken, partnershipId);
  await client.call(brandToken, send, { id: draft.id });
  await client.call(brandToken, SIGN, { id: draft.id, sha: draft.documentSha256, consent: draft.consentStatement });
  await client.call(brandToken, `mutation($id: ID!, $reason: String!) { recallContract(id: $id, reason: $reason) { status } }`, {
    id: draft.id,
    reason: 'Payment within 14 days, as agreed on the call',
  });
  await client.call(brandToken, `mutation($id: ID!) { updateContractTerms(id: $id, input: { paymentNetDays: 14 }) { status } }`, {
    id: draft.id,
  });
  await client.call(brandToken, send, { id: draft.id });
  const corrected = await draftOf(client, brandToken, partnershipId);
  await client.call(brandToken, SIGN, { id: corrected.id, sha: corrected.documentSha256, consent: corrected.consentStatement });
  return draft.id;
}

/**
 * Two creators with every figure the authenticity report reads (12 posts with comment samples, an audience
 * profile, a weekly follower history): one genuine, one with bought followers (a one-week jump of 40 %,
 * engagement that did not follow, a third of the followers without a profile picture, stock comments).
 * Their reports show what decided the score and how confident it is; the second one's price guidance is
 * discounted.
 */
async function seedAuthenticityExamples(client: GatewayClient, issuer: DevIssuer): Promise<{ genuine: string; fraudulent: string }> {
  const examples = [
    { handle: 'honest.hana', displayName: 'Hana Hikes Honestly', followers: 31_400, rate: 5.1, spike: 0, noPicture: 6, stock: 0.1 },
    { handle: 'boosted.bo', displayName: 'Bo Goes Big', followers: 44_800, rate: 1.1, spike: 0.4, noPicture: 34, stock: 0.55 },
  ];
  const specific = [
    'Which pack is that?',
    'Did you camp at the lake or higher up?',
    'How heavy is the tent?',
    'The sunrise shot is unreal, what time was it?',
  ];
  const stock = ['Nice pic!', '🔥🔥', 'Love this', 'Check my bio for collabs', 'que lindo', 'so cool'];
  for (const e of examples) {
    const creatorId = demoCreatorId(e.handle);
    const token = await issuer.sign({ sub: `demo-${e.handle}`, roles: ['creator'], creatorId });
    await client.call(token, `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`, {
      input: { handle: e.handle, displayName: e.displayName, bio: 'Trail days and camp nights.', niches: ['outdoors'], country: 'US' },
    });
    const engagements = (e.followers * e.rate) / 100;
    const posts = Array.from({ length: 12 }, (_, i) => ({
      postedAt: new Date(Date.UTC(2026, 0, 28 - i * 2)).toISOString(),
      format: 'REEL',
      likes: Math.round(engagements * 0.93),
      comments: Math.round(engagements * 0.05),
      shares: Math.round(engagements * 0.02),
      caption: `Trail day ${12 - i}`,
      commentSamples: Array.from({ length: 8 }, (_, j) => ({
        author: `${e.handle.split('.')[0]}_fan_${i}_${j}`,
        text: j < e.stock * 8 ? stock[(i + j) % stock.length] : `${specific[(i + j) % specific.length]} (${i}.${j})`,
      })),
    }));
    // Weekly counts growing 0.8 % a week, with the jump (if any) three weeks ago.
    const history = Array.from({ length: 10 }, (_, w) => w).map((w) => {
      const weeksAgo = 9 - w;
      const grown = e.followers / 1.008 ** weeksAgo;
      return {
        date: new Date(Date.UTC(2026, 0, 30 - weeksAgo * 7)).toISOString().slice(0, 10),
        followers: Math.round(weeksAgo >= 3 ? grown / (1 + e.spike) : grown),
      };
    });
    await client.call(token, `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`, {
      input: {
        platform: 'INSTAGRAM',
        handle: e.handle,
        followers: e.followers,
        posts,
        followerHistory: history,
        audience: {
          countries: [
            { country: 'US', percent: 72 },
            { country: 'CA', percent: 12 },
          ],
          noProfilePicturePercent: e.noPicture,
        },
      },
    });
  }
  return { genuine: examples[0].handle, fraudulent: examples[1].handle };
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
async function seedPastCampaign(
  client: GatewayClient,
  brandToken: string,
  brandId: string,
  creatorId: string,
  issuer: DevIssuer,
  campaignDatabaseUrl: string,
) {
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
  const db = new Client({ connectionString: campaignDatabaseUrl });
  await db.connect();
  try {
    await db.query(`UPDATE campaigns SET starts_on = starts_on - 120, ends_on = ends_on - 60 WHERE id = $1`, [id]);
    await db.query(`UPDATE deliverables SET due_on = due_on - 75 WHERE campaign_id = $1`, [id]);
  } finally {
    await db.end();
  }
  return id;
}

/**
 * A negotiation in progress: Acme offers Kai less than his rate card for a TikTok short (the offer's
 * assessment warns of it), Kai counters at his rate with a note, and it is Acme's turn to answer.
 */
async function seedNegotiation(client: GatewayClient, brandToken: string, campaignId: string, kaiId: string, issuer: DevIssuer) {
  const id = await inviteOnceKnown(client, brandToken, campaignId, kaiId, {
    fee: { amountMinor: 40_000, currency: 'USD' },
    commissionPercent: null,
    deliverables: [{ platform: 'TIKTOK', format: 'SHORT', count: 1, dueOn: daysFromToday(21) }],
    message: 'One bouldering short with our new chalk bag?',
  });
  const kaiToken = await issuer.sign({ sub: 'demo-kai', roles: ['creator'], creatorId: kaiId });
  await client.call(kaiToken, `mutation($id: ID!, $terms: OfferTermsInput!) { counterOffer(id: $id, terms: $terms) { round } }`, {
    id,
    terms: { fee: { amountMinor: 60_000, currency: 'USD' }, note: 'Happy to, at my rate card price: it includes raw footage.' },
  });
}

/** Invites a creator as soon as the campaign service has heard of them (creator.created travels by Kafka). */
async function inviteOnceKnown(
  client: GatewayClient,
  brandToken: string,
  campaignId: string,
  creatorId: string,
  terms: Record<string, unknown> = {},
): Promise<string> {
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
            ...terms,
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

/** What the demo's media kits show beyond the profile above: a place, accounts with posts and audiences, rates. */
const DEMO_KITS: Record<
  string,
  {
    city: string;
    region?: string;
    avatarUrl?: string;
    /** Pairs of a part and its percent of the audience. */
    audience: { ages: [string, number][]; genders: [string, number][]; countries: [string, number][]; interests: string[] };
    captions: string[];
    postUrl: (i: number) => string;
    more: { platform: string; handle: string; followers: number; engagementRate: number; format: string; priceMinor: number }[];
    rates: { format: string; priceMinor: number; currency?: string }[];
  }
> = {
  'trail.tess': {
    city: 'Boulder',
    region: 'Colorado',
    audience: {
      ages: [
        ['18-24', 24],
        ['25-34', 46],
        ['35-44', 20],
        ['45-54', 7],
      ],
      genders: [
        ['female', 58],
        ['male', 40],
        ['other', 2],
      ],
      countries: [
        ['US', 64],
        ['CA', 12],
        ['GB', 7],
        ['DE', 5],
        ['AU', 4],
      ],
      interests: ['hiking', 'camping', 'ultralight', 'travel'],
    },
    captions: [
      'Sunrise on Bear Peak: 4 a.m. start, worth every step.',
      'My 4.2 kg base-weight kit, item by item',
      'Three knots every hiker should know',
      'Rain gear that actually works (tested in a Colorado storm)',
      'Trail mix, ranked',
      'Leave no trace: what I pack out',
    ],
    postUrl: (i) => `https://www.instagram.com/p/demo-trail-tess-${i + 1}/`,
    more: [{ platform: 'TIKTOK', handle: 'tess.on.trails', followers: 12_400, engagementRate: 6.8, format: 'SHORT', priceMinor: 40_000 }],
    rates: [
      { format: 'STORY', priceMinor: 30_000 },
      { format: 'POST', priceMinor: 60_000 },
    ],
  },
  'kai.climbs': {
    city: 'Munich',
    region: 'Bavaria',
    // The photo's host is outside this machine: offline, the page shows the initials instead.
    avatarUrl: 'https://images.influenceflow-demo.org/avatars/kai.jpg',
    audience: {
      ages: [
        ['18-24', 38],
        ['25-34', 40],
        ['35-44', 14],
      ],
      genders: [
        ['male', 55],
        ['female', 43],
      ],
      countries: [
        ['DE', 45],
        ['AT', 18],
        ['CH', 14],
        ['IT', 8],
      ],
      interests: ['climbing', 'bouldering', 'fitness'],
    },
    captions: ['Project sent after 23 tries', 'Finger strength routine', 'Dolomites multipitch day', 'Bouldering gym etiquette'],
    postUrl: (i) => `https://www.tiktok.com/@kai.climbs/video/73000000000000000${i + 1}`,
    more: [],
    rates: [{ format: 'VIDEO', priceMinor: 90_000, currency: 'EUR' }],
  },
  slowcampkitchen: {
    city: 'Keswick',
    region: 'Cumbria',
    audience: {
      ages: [
        ['25-34', 31],
        ['35-44', 34],
        ['45-54', 20],
        ['55+', 9],
      ],
      genders: [
        ['female', 52],
        ['male', 47],
      ],
      countries: [
        ['GB', 52],
        ['US', 20],
        ['IE', 8],
        ['AU', 6],
        ['CA', 5],
      ],
      interests: ['cooking', 'camping', 'food'],
    },
    captions: ['One-pot campfire chilli', 'Dutch oven bread at the lake', 'Breakfast burritos for six', 'Foraged wild garlic pesto'],
    postUrl: (i) => `https://www.youtube.com/watch?v=demoSCK${i + 1}`,
    more: [],
    rates: [
      { format: 'SHORT', priceMinor: 70_000, currency: 'GBP' },
      { format: 'LIVE', priceMinor: 120_000, currency: 'GBP' },
    ],
  },
};

/**
 * Gives each demo creator a media kit with every section: location (and a photo URL for one), accounts
 * with audiences and recent posts linking to their permalinks, and rates in several currencies. Runs on
 * every start and writes only kits that lack them (so demo data seeded before media kits had them gets them).
 */
async function seedDemoMediaKits(client: GatewayClient, issuer: DevIssuer): Promise<void> {
  const ageBucket = (bucket: string) => `AGE_${bucket.replace('-', '_').replace('+', '_PLUS')}`;
  const parts = (field: 'ageBucket' | 'gender' | 'country', pairs: [string, number][]) =>
    pairs.map(([key, percent]) => ({
      [field]: field === 'ageBucket' ? ageBucket(key) : field === 'gender' ? key.toUpperCase() : key,
      percent,
    }));
  for (const c of CREATORS) {
    const kit = DEMO_KITS[c.handle];
    const token = await issuer.sign({ sub: `demo-${c.handle}`, roles: ['creator'], creatorId: demoCreatorId(c.handle) });
    const { mediaKit } = await client.call<{
      mediaKit: { bestPosts: { url: string | null }[] | null; audience: unknown; city: string | null };
    }>(token, `query($handle: String!) { mediaKit(handle: $handle) { city audience { interests } bestPosts { url } } }`, {
      handle: c.handle,
    });
    if (mediaKit.city && mediaKit.audience && mediaKit.bestPosts?.some((p) => p.url)) continue;
    await client.call(token, `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`, {
      input: {
        handle: c.handle,
        displayName: c.displayName,
        bio: c.bio,
        niches: c.niches,
        country: c.country,
        region: kit.region ?? null,
        city: kit.city,
        avatarUrl: kit.avatarUrl ?? null,
      },
    });
    const posts = demoPosts(c, kit);
    await client.call(token, `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`, {
      input: {
        platform: c.platform,
        handle: c.handle,
        followers: c.followers,
        posts,
        audience: {
          ages: parts('ageBucket', kit.audience.ages),
          genders: parts('gender', kit.audience.genders),
          countries: parts('country', kit.audience.countries),
          interests: kit.audience.interests,
        },
      },
    });
    for (const a of kit.more) {
      await client.call(token, `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`, {
        input: { platform: a.platform, handle: a.handle, followers: a.followers, engagementRate: a.engagementRate },
      });
    }
    const rates = [
      ...kit.rates.map((r) => ({ platform: c.platform, format: r.format, priceMinor: r.priceMinor, currency: r.currency ?? 'USD' })),
      ...kit.more.map((a) => ({ platform: a.platform, format: a.format, priceMinor: a.priceMinor, currency: 'USD' })),
    ];
    for (const r of rates) {
      await client.call(token, `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id } }`, {
        input: { platform: r.platform, format: r.format, price: { amountMinor: r.priceMinor, currency: r.currency } },
      });
    }
    await client.call(
      token,
      `mutation { setMyMediaKit(input: { published: true, sections: [STATS, AUDIENCE, RATES, BEST_POSTS] }) { path } }`,
    );
  }
}
