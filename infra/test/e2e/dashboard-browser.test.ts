import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { DevUser } from '@influenceflow/gateway';
import type { Identity } from '@influenceflow/kit';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { DASHBOARD_MANIFEST, DashboardBrowser, holdOperation, openDashboardBrowser, requireDashboardBuild } from './dashboard-harness';

const TESS = '00000000-0000-4000-8000-00000000d001';
const FINN = '00000000-0000-4000-8000-00000000d002';
const OLGA = '00000000-0000-4000-8000-00000000d003';
const ADMIN: Identity = { sub: 'dash-admin', roles: ['admin'], brandIds: [], creatorId: null };
const creatorIdentity = (id: string): Identity => ({ sub: `creator-${id}`, roles: ['creator'], brandIds: [], creatorId: id });

/** Eight recent posts at about `rate` % engagement (so authenticity has something to measure). */
function posts(followers: number, rate: number) {
  return Array.from({ length: 8 }, (_, i) => {
    const engagements = Math.round((followers * rate * (0.9 + (i % 3) * 0.1)) / 100);
    const comments = Math.round(engagements * 0.05);
    return {
      postedAt: new Date(Date.now() - (i * 4 + 1) * 86_400_000).toISOString(),
      format: 'REEL',
      likes: engagements - comments,
      comments,
      shares: 0,
      caption: `Post ${i + 1} of the week`,
    };
  });
}

const SEED_CREATORS = [
  { id: TESS, handle: 'tess.trains', displayName: 'Tess Trains', niches: ['fitness'], followers: 42_000, rate: 5.2, young: 40 },
  { id: FINN, handle: 'fit.finn', displayName: 'Fit Finn', niches: ['fitness'], followers: 28_000, rate: 3.1, young: 55 },
  { id: OLGA, handle: 'olga.bakes', displayName: 'Olga Bakes', niches: ['food'], followers: 61_000, rate: 4.0, young: 30 },
];

interface CreatorFacts {
  creator: {
    authenticity: { score: number; signals: { key: string; label: string; explanation: string }[] } | null;
    priceGuidance: { low: { formatted: string }; high: { formatted: string } } | null;
  };
}

/**
 * The web dashboard in Debian's Chromium against the real stack, run as a production deployment would
 * run it: the gateway takes only the dashboard's trusted operations (its build's manifest), so every
 * screen below also proves the client sends exactly what the manifest holds. The stack is seeded straight
 * through the subgraphs (signed calls), since the gateway refuses any other operation.
 *
 * A brand member's journey so far: the development sign-in (keyboard only), Discover with a filter and a
 * facet, a creator's page (accounts with provenance, the authenticity report signal by signal, audience
 * charts, price guidance beside the rate card, lookalikes), a campaign created with the keyboard only (first
 * with a bad field, whose API error shows beside it, then valid, with progress while saving), and the list
 * showing it. axe finds no serious or critical violation on any screen; no console error (a CSP refusal
 * would log one); screenshots in .test-results/dashboard/.
 */
describe('the web dashboard in a browser', () => {
  let stack: TestStack;
  let origin: string;
  let brandId: string;
  let browser: DashboardBrowser;
  const newPage = (width?: number, height?: number) => browser.newPage(width, height);
  const expectAccessible = (page: Page, screen: string) => browser.expectAccessible(page, screen);
  const shot = (page: Page, name: string) => browser.shot(page, name);

  /** Tab until the focused element matches (keyboard only); fails after `max` presses. */
  async function tabTo(page: Page, matches: string, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (
        await page
          .locator(matches)
          .evaluate((el) => el.ownerDocument.activeElement === el)
          .catch(() => false)
      )
        return;
    }
    throw new Error(`${matches} never received the focus in ${max} tabs`);
  }

  /** Types an ISO date into the focused <input type="date"> as a person does (en-US: month, day, year). */
  async function typeDate(page: Page, iso: string): Promise<void> {
    const [y, m, d] = iso.split('-');
    await page.keyboard.type(`${m}${d}${y}`);
  }

  const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    requireDashboardBuild();
    // the development sign-in reads its users at each request: they are added once the brand exists
    const devUsers: DevUser[] = [];
    stack = await startTestStack({ gateway: { trustedOperationsFile: DASHBOARD_MANIFEST }, devUsers });
    origin = new URL(stack.gateway.url).origin;
    const brand = await stack.subgraphs.campaign.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Acme Outdoor", websiteUrl: "https://acme.example" }) { id } }`,
      {},
      ADMIN,
    );
    expect(brand.errors).toBeUndefined();
    brandId = brand.data!.createBrand.id;
    devUsers.push(
      {
        id: 'brand-member',
        label: 'Alice, member of Acme Outdoor',
        claims: { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId] },
      },
      { id: 'analyst', label: 'Ana, analyst of Acme Outdoor', claims: { sub: 'dash-ana', roles: ['analyst'], brandIds: [brandId] } },
      { id: 'creator-tess', label: 'Tess, creator @tess.trains', claims: { sub: 'dash-tess', roles: ['creator'], creatorId: TESS } },
    );

    for (const c of SEED_CREATORS) {
      const who = creatorIdentity(c.id);
      const profile = await stack.subgraphs.discovery.query(
        `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
        {
          input: {
            handle: c.handle,
            displayName: c.displayName,
            niches: c.niches,
            country: 'US',
            bio: `${c.displayName} posts every day.`,
          },
        },
        who,
      );
      expect(profile.errors).toBeUndefined();
      const account = await stack.subgraphs.discovery.query(
        `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
        {
          input: {
            platform: 'INSTAGRAM',
            handle: c.handle,
            followers: c.followers,
            following: 300,
            postCount: 400,
            posts: posts(c.followers, c.rate),
            audience: {
              ages: [
                { ageBucket: 'AGE_18_24', percent: 100 - c.young - 10 },
                { ageBucket: 'AGE_25_34', percent: c.young },
                { ageBucket: 'AGE_35_44', percent: 10 },
              ],
              genders: [
                { gender: 'FEMALE', percent: 60 },
                { gender: 'MALE', percent: 40 },
              ],
              countries: [
                { country: 'US', percent: 70 },
                { country: 'CA', percent: 30 },
              ],
            },
          },
        },
        who,
      );
      expect(account.errors).toBeUndefined();
    }
    // the search sees all three (its index may follow the saves)
    await eventually(
      async () => {
        const r = await stack.subgraphs.discovery.query<{ searchCreators: { totalCount: number } }>(
          `{ searchCreators { totalCount } }`,
          {},
          ADMIN,
        );
        return r.data?.searchCreators.totalCount === 3 ? r : undefined;
      },
      30_000,
      'the three creators to be found',
    );
    // Tess's rate card (payments learns of creators from discovery's events)
    await eventually(
      async () => {
        const r = await stack.subgraphs.payments.query(
          `mutation { setRateCardEntry(input: { platform: INSTAGRAM, format: REEL, price: { amountMinor: 50000, currency: "USD" } }) { id } }`,
          {},
          creatorIdentity(TESS),
        );
        return r.errors ? undefined : r;
      },
      30_000,
      "Tess's rate card to be accepted",
    );

    browser = await openDashboardBrowser('dashboard-chromium');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('runs only the trusted operations of its build', async () => {
    const manifest = JSON.parse(readFileSync(DASHBOARD_MANIFEST, 'utf8')) as { operations: { name: string; type: string }[] };
    expect(manifest.operations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['Me', 'SearchCreators', 'CreatorPage', 'Campaigns', 'CreateCampaign', 'InviteCreator']),
    );
    const other = await stack.query('{ __typename }');
    expect(other.status).toBe(403);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('signs a brand member in, searches, opens a creator, creates a campaign (a bad field first) and lists it', async () => {
    const page = await newPage();
    // ——— sign-in, with the keyboard only
    const res = await page.goto(`${origin}/app/`);
    expect(res?.status()).toBe(200);
    await page.waitForURL(/\/app\/sign-in\?next=%2F$/);
    await page.getByRole('heading', { name: 'Sign in to InfluenceFlow' }).waitFor();
    const buttons = page.getByRole('button', { name: /^Sign in as / });
    await buttons.first().waitFor();
    expect(await buttons.allInnerTexts()).toEqual([
      'Sign in as Alice, member of Acme Outdoor',
      'Sign in as Ana, analyst of Acme Outdoor',
      'Sign in as Tess, creator @tess.trains',
      'Sign in as Platform admin',
    ]);
    expect(await page.locator('.user-list .hint').allInnerTexts()).toEqual(['Brand member', 'Analyst', 'Creator', 'Admin']);
    await expectAccessible(page, 'sign-in');
    await shot(page, '01-sign-in');
    await tabTo(page, 'button[aria-describedby="user-brand-member"]');
    await page.keyboard.press('Enter');

    // ——— Discover: all three creators, then a filter
    await page.waitForURL(/\/app\/discover$/);
    await page.getByRole('heading', { name: '3 creators' }).waitFor();
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toEqual(['Discover', 'Campaigns', 'Partners']);
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Alice, member of Acme Outdoor');
    // sorted by engagement rate by default: Tess (5.2 %), Olga (4.0 %), Finn (3.1 %)
    expect(await page.locator('.cards .card h3').allInnerTexts()).toEqual(['Tess Trains', 'Olga Bakes', 'Fit Finn']);
    // facets with their counts
    expect(await page.locator('.facet', { hasText: 'Niches' }).locator('button').allInnerTexts()).toEqual(['fitness 2', 'food 1']);
    await expectAccessible(page, 'discover');
    await shot(page, '02-discover');

    await page.getByLabel('Niches').fill('fitness');
    await page.getByLabel('Sort by').selectOption('FOLLOWERS');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/niche=fitness/);
    await page.getByRole('heading', { name: '2 creators' }).waitFor();
    expect(await page.locator('.cards .card h3').allInnerTexts()).toEqual(['Tess Trains', 'Fit Finn']);
    expect(await page.locator('.facet button[aria-pressed="true"]').allInnerTexts()).toEqual(['fitness 2']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('FOLLOWERS');
    // a facet click narrows further: the food facet (now 0) is gone, Instagram toggles on
    await page
      .locator('.facet', { hasText: 'Platforms' })
      .getByRole('button', { name: /Instagram/ })
      .click();
    await page.waitForURL(/platform=INSTAGRAM/);
    await page.getByRole('heading', { name: '2 creators' }).waitFor();
    await expectAccessible(page, 'discover filtered');
    await shot(page, '03-discover-fitness');

    // ——— a creator's page
    await page.getByRole('link', { name: 'Tess Trains' }).click();
    await page.waitForURL(new RegExp(`/app/creators/${TESS}$`));
    await page.getByRole('heading', { level: 1, name: 'Tess Trains' }).waitFor();
    const facts = await stack.subgraphs.discovery.query<CreatorFacts>(
      `query($id: ID!) { creator(id: $id) { authenticity { score signals { key label explanation } } priceGuidance { low { formatted } high { formatted } } } }`,
      { id: TESS },
      { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null },
    );
    expect(facts.errors).toBeUndefined();
    const { authenticity, priceGuidance } = facts.data!.creator;
    expect(authenticity).not.toBeNull();
    expect(await page.locator('td[data-provenance]').allInnerTexts()).toEqual(['Typed in by the creator (not verified)']);
    expect(await page.getByTestId('authenticity-score').innerText()).toBe(String(authenticity!.score));
    const signals = page.locator('.signals > li');
    expect(await signals.count()).toBe(authenticity!.signals.length);
    expect(authenticity!.signals.length).toBeGreaterThan(2);
    for (const [i, s] of authenticity!.signals.entries()) {
      expect(await signals.nth(i).getAttribute('data-signal')).toBe(s.key);
      expect(await signals.nth(i).locator('h4').innerText()).toContain(s.label);
      expect(await signals.nth(i).innerText()).toContain(s.explanation);
    }
    // audience charts: one bar per part, each labelled
    expect(await page.locator('figure.chart', { hasText: 'Ages' }).locator('svg').getAttribute('aria-label')).toBe(
      'Ages: 18–24 50.0 %, 25–34 40.0 %, 35–44 10.0 %',
    );
    expect(await page.locator('figure.chart', { hasText: 'Genders' }).locator('rect.bar').count()).toBe(2);
    expect(await page.locator('figure.chart', { hasText: 'Engagement of the last 8 posts' }).locator('rect.bar').count()).toBe(8);
    // price guidance beside the rate card
    expect(priceGuidance).not.toBeNull();
    expect(await page.getByTestId('guidance-range').innerText()).toBe(`${priceGuidance!.low.formatted} – ${priceGuidance!.high.formatted}`);
    expect(await page.locator('.rates li').allInnerTexts()).toEqual(['Instagram Reel: $500.00']);
    // lookalikes: the other fitness creator first
    expect(await page.locator('section[aria-labelledby="lookalikes-title"] .card h3').first().innerText()).toBe('Fit Finn');
    // a member may invite, but there is no campaign yet
    expect(await page.locator('.invite').innerText()).toContain('No draft or active campaign to invite to.');
    await expectAccessible(page, 'creator page');
    await shot(page, '04-creator');

    // ——— Campaigns: empty, then a new one with the keyboard only
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByText('Acme Outdoor has no campaign yet.').waitFor();
    await expectAccessible(page, 'campaigns (empty)');
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign for Acme Outdoor' }).waitFor();
    await expectAccessible(page, 'new campaign');
    await tabTo(page, '#c-name');
    await page.keyboard.type('Spring launch');
    await tabTo(page, '#c-goal');
    await page.keyboard.press('End'); // the last goal: Content
    await page.keyboard.press('Home'); // back to the first: Awareness
    await page.keyboard.press('ArrowDown'); // Engagement
    await page.keyboard.press('ArrowDown'); // Traffic
    await page.keyboard.press('ArrowDown'); // Sales
    await tabTo(page, '#c-target');
    await page.keyboard.type('500');
    await tabTo(page, '#c-budget');
    await page.keyboard.type('12500');
    await tabTo(page, '#c-ends');
    await typeDate(page, isoDay(-1)); // before it starts (today): the API refuses it
    expect(await page.locator('#c-goal').inputValue()).toBe('SALES');
    expect(await page.locator('#c-starts').inputValue()).toBe(isoDay(0));
    expect(await page.locator('#c-ends').inputValue()).toBe(isoDay(-1));
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    const endsError = page.locator('#e-input-endsOn');
    await endsError.filter({ hasText: 'must be on or after startsOn' }).waitFor();
    expect(await page.locator('#c-ends').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#c-ends').getAttribute('aria-describedby')).toBe('e-input-endsOn');
    expect(await page.locator('.field-error:not(:empty)').allInnerTexts()).toEqual(['must be on or after startsOn']);
    // the focus went to the field at fault
    expect(await page.locator('#c-ends').evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await expectAccessible(page, 'new campaign with an error');
    await shot(page, '05-campaign-error');

    // progress while saving: the request is held until the page shows it
    const { held, release } = await holdOperation(page, origin, 'mutation CreateCampaign');
    await typeDate(page, isoDay(60));
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await held;
    await page.getByRole('status').filter({ hasText: 'Saving the campaign…' }).waitFor();
    expect(await page.locator('button[type="submit"]').isDisabled()).toBe(true);
    expect(await page.locator('button[type="submit"]').innerText()).toBe('Saving…');
    release();
    await page.waitForURL(new RegExp(`/app/campaigns\\?brand=${brandId}$`));
    await page.unroute(`${origin}/graphql`);
    await page.getByText('Campaign “Spring launch” created.').waitFor();
    const row = page.locator('table.campaigns tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('th, td').allInnerTexts()).toEqual([
      'Spring launch',
      'Draft',
      `${isoDay(0)} → ${isoDay(60)}`,
      '$12,500.00',
      'Sales: 500',
    ]);
    await expectAccessible(page, 'campaigns');
    await shot(page, '06-campaigns');

    // what the API holds is what was typed
    const saved = await stack.subgraphs.campaign.query<{
      campaigns: {
        edges: { node: { name: string; goal: { type: string; target: number }; budget: { amountMinor: number }; endsOn: string } }[];
      };
    }>(
      `query($b: ID!) { campaigns(brandId: $b) { edges { node { name goal { type target } budget { amountMinor } endsOn } } } }`,
      { b: brandId },
      { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null },
    );
    expect(saved.data?.campaigns.edges.map((e) => e.node)).toEqual([
      { name: 'Spring launch', goal: { type: 'SALES', target: 500 }, budget: { amountMinor: 1_250_000 }, endsOn: isoDay(60) },
    ]);

    // ——— invite Tess to it from her page: refused until the campaign has a brief (the API's message shows in the
    // form), then sent; inviting her twice shows the API's refusal
    const campaignId = (await row.first().getAttribute('data-campaign'))!;
    await page.goto(`${origin}/app/creators/${TESS}`);
    const invite = page.locator('section.invite');
    await invite.getByLabel('Campaign').waitFor();
    expect(await invite.getByLabel('Campaign').locator('option').allInnerTexts()).toEqual(['Spring launch']);
    await invite.getByLabel('Flat fee').fill('450');
    await invite.getByLabel('Message to the creator').fill('We loved your trail series.');
    const send = invite.getByRole('button', { name: 'Send the invitation' });
    await send.click();
    await invite.locator('.error-box').waitFor();
    expect(await invite.locator('.error-box').innerText()).toBe('Publish a brief before inviting creators: the invitation shows it');
    // the brief editor is a later screen: the brief is published through the API
    const brief = await stack.subgraphs.campaign.query(
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: {
        brandStory: "Trail gear for spring", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: isoDay(30) },
      { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null },
    );
    expect(brief.errors).toBeUndefined();
    await send.click();
    await invite.locator('.success').waitFor();
    expect(await invite.locator('.success').innerText()).toBe('Invited to Spring launch (Invited).');
    expect(await invite.locator('.error-box').count()).toBe(0);
    await send.click();
    await invite.locator('.error-box').waitFor();
    expect(await invite.locator('.error-box').innerText()).toBe(
      'This creator is already invited to this campaign (the partnership is invited)',
    );
    expect(await invite.locator('.success').count()).toBe(0);
    await expectAccessible(page, 'creator page after an invitation');
    await shot(page, '07-invited');
    const partnerships = await stack.subgraphs.campaign.query<{
      campaign: { partnerships: { edges: { node: { status: string; creator: { id: string } | null } }[] } };
    }>(
      `query($id: ID!) { campaign(id: $id) { partnerships { edges { node { status creator { id } } } } } }`,
      { id: campaignId },
      { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null },
    );
    expect(partnerships.errors).toBeUndefined();
    expect(partnerships.data!.campaign.partnerships.edges.map((e) => e.node)).toEqual([{ status: 'INVITED', creator: { id: TESS } }]);

    // signing out forgets the token
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in$/);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('influenceflow.session')")).toBeNull();
    await page.goto(`${origin}/app/campaigns`);
    await page.waitForURL(/\/app\/sign-in\?next=%2Fcampaigns$/);

    expect(browser.refusedOperations).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
    await page.close();
  });

  it('offers each role only what it may do, readable on a phone', async () => {
    const page = await newPage(390, 844);
    const signInAs = async (button: string) => {
      await page.goto(`${origin}/app/sign-in`);
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    };
    const noSidewaysScroll = async (screen: string) => {
      const o = await page.evaluate<{ scroll: number; viewport: number }>(
        '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
      );
      expect([screen, o.scroll <= o.viewport]).toEqual([screen, true]);
    };

    // ten more campaigns: the list is two pages (ten a page, newest first)
    for (let i = 1; i <= 10; i++) {
      const made = await stack.subgraphs.campaign.query(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        {
          input: {
            brandId,
            name: `Autumn drop ${i}`,
            goal: { type: 'TRAFFIC', target: 100 * i },
            budget: { amountMinor: 100_000, currency: 'USD' },
            startsOn: isoDay(10),
            endsOn: isoDay(40),
          },
        },
        { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null },
      );
      expect(made.errors).toBeUndefined();
    }

    // the analyst reads the campaigns but is not offered to create one, nor to invite
    await signInAs('Sign in as Ana, analyst of Acme Outdoor');
    await page.waitForURL(/\/app\/discover$/);
    await page.getByRole('heading', { name: '3 creators' }).waitFor();
    await noSidewaysScroll('discover on a phone');
    await shot(page, '08-phone-discover');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const names = page.locator('table.campaigns tbody th');
    await names.first().waitFor();
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    expect(await names.allInnerTexts()).toEqual(Array.from({ length: 10 }, (_, i) => `Autumn drop ${10 - i}`));
    await noSidewaysScroll('campaigns on a phone');
    await expectAccessible(page, 'campaigns on a phone');
    const pager = page.getByRole('navigation', { name: 'Campaign pages' });
    expect(await pager.getByRole('button', { name: '← Previous page' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Next page →' }).click();
    await names.filter({ hasText: 'Spring launch' }).waitFor();
    expect(await names.allInnerTexts()).toEqual(['Spring launch']);
    expect(await pager.innerText()).toContain('Page 2');
    expect(await pager.getByRole('button', { name: 'Next page →' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: '← Previous page' }).click();
    await names.filter({ hasText: 'Autumn drop 10' }).waitFor();
    expect(await names.count()).toBe(10);
    await page.goto(`${origin}/app/creators/${FINN}`);
    await page.getByRole('heading', { level: 1, name: 'Fit Finn' }).waitFor();
    expect(await page.locator('.invite').count()).toBe(0);
    await noSidewaysScroll('creator page on a phone');
    await expectAccessible(page, 'creator page on a phone');
    await shot(page, '09-phone-creator');
    await page.getByRole('button', { name: 'Sign out' }).click();

    // a creator: their own profile, no campaigns
    await signInAs('Sign in as Tess, creator @tess.trains');
    await page.waitForURL(/\/app\/me\/profile$/);
    await page.getByRole('heading', { level: 1, name: 'Tess Trains' }).waitFor();
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toEqual(['My profile']);
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('@tess.trains');
    expect(await page.locator('td[data-provenance]').allInnerTexts()).toEqual(['Typed in by the creator (not verified)']);
    expect(await page.locator('.rates li').allInnerTexts()).toEqual(['Instagram Reel: $500.00']);
    await noSidewaysScroll('my profile on a phone');
    await expectAccessible(page, 'my profile');
    await shot(page, '10-phone-my-profile');

    expect(browser.refusedOperations).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
    await page.close();
  });
});
