import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { DevUser } from '@influenceflow/gateway';
import type { Identity } from '@influenceflow/kit';
import { eventually } from '@influenceflow/kit/testing';
import { PARTNER_EVENT_TYPES } from '@influenceflow/vocabulary';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { DASHBOARD_MANIFEST, DashboardBrowser, holdOperation, openDashboardBrowser, requireDashboardBuild } from './dashboard-harness';
import { campaignInput } from './support';

const ADMIN: Identity = { sub: 'dash-admin', roles: ['admin'], brandIds: [], creatorId: null };

/**
 * The dashboard's Partners screen in Debian's Chromium against the real stack, trusted operations only (as
 * dashboard-browser.test.ts): a brand member creates a webhook endpoint (a bad URL first, its error beside
 * the field), sees its secret once, finds it listed, disables it (the reason shows), opens its delivery log
 * (a real delivery of a campaign event, with its attempt), grants a partner platform (registered by an admin)
 * and revokes it; the analyst reads the screen without a control to change it; a creator has no entry.
 * axe finds no serious or critical violation; no console error; screenshots in .test-results/dashboard/.
 */
describe('the dashboard’s Partners screen in a browser', () => {
  let stack: TestStack;
  let origin: string;
  let brandId: string;
  let alice: Identity;
  let browser: DashboardBrowser;
  const newPage = (width?: number, height?: number) => browser.newPage(width, height);
  const expectAccessible = (page: Page, screen: string) => browser.expectAccessible(page, screen);
  const shot = (page: Page, name: string) => browser.shot(page, name);

  async function signInAs(page: Page, button: string): Promise<void> {
    await page.goto(`${origin}/app/sign-in`);
    await page.getByRole('button', { name: button }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  beforeAll(async () => {
    requireDashboardBuild();
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
    alice = { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId], creatorId: null };
    devUsers.push(
      {
        id: 'brand-member',
        label: 'Alice, member of Acme Outdoor',
        claims: { sub: 'dash-alice', roles: ['brand_member'], brandIds: [brandId] },
      },
      { id: 'analyst', label: 'Ana, analyst of Acme Outdoor', claims: { sub: 'dash-ana', roles: ['analyst'], brandIds: [brandId] } },
      {
        id: 'creator-tess',
        label: 'Tess, a creator',
        claims: { sub: 'dash-tess', roles: ['creator'], creatorId: '00000000-0000-4000-8000-00000000d001' },
      },
    );
    browser = await openDashboardBrowser('dashboard-partners-chromium');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('has its operations in the trusted manifest', () => {
    const manifest = JSON.parse(readFileSync(DASHBOARD_MANIFEST, 'utf8')) as { operations: { name: string }[] };
    expect(manifest.operations.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'WebhookEndpoints',
        'PartnerGrants',
        'CreateWebhookEndpoint',
        'RotateWebhookSecret',
        'DisableWebhookEndpoint',
        'EnableWebhookEndpoint',
        'DeleteWebhookEndpoint',
        'WebhookDeliveries',
        'ReplayWebhookDelivery',
        'ReplayWebhookDeliveries',
        'GrantPartnerAccess',
        'RevokePartnerAccess',
      ]),
    );
  });

  it('lets a brand member manage webhook endpoints, read a delivery log, grant and revoke a partner', async () => {
    const page = await newPage();
    await signInAs(page, 'Sign in as Alice, member of Acme Outdoor');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' }).waitFor();
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toEqual(['Discover', 'Campaigns', 'Partners']);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await page.getByText('Acme Outdoor has no webhook endpoint yet.').waitFor();
    await page.getByText('No partner platform receives Acme Outdoor’s events.').waitFor();
    // the types offered are the ones the platform lets partners and webhooks have
    const endpointForm = page.locator('form[aria-labelledby="new-endpoint-title"]');
    expect(await endpointForm.locator('input[name="eventTypes"]').evaluateAll((els) => els.map((e) => e.getAttribute('value')))).toEqual([
      ...PARTNER_EVENT_TYPES,
    ]);
    await expectAccessible(page, 'partners (empty)');
    await shot(page, '20-partners-empty');

    // ——— a bad URL: the API's error beside the URL field, the focus there
    await endpointForm.getByLabel('URL').fill('http://hooks.example.com/in');
    await endpointForm.getByLabel('Description (optional)').fill('Our CRM');
    await endpointForm.getByRole('checkbox', { name: 'campaign.created' }).check();
    await endpointForm.getByRole('checkbox', { name: 'order.attributed' }).check();
    await endpointForm.getByRole('button', { name: 'Create the endpoint' }).click();
    const urlError = page.locator('#ew-input-url');
    await urlError.filter({ hasText: /\S/ }).waitFor();
    expect(await urlError.innerText()).toBe('must be an https:// URL');
    expect(await page.locator('#w-url').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#w-url').getAttribute('aria-describedby')).toBe('ew-input-url');
    expect(await endpointForm.locator('.field-error:not(:empty)').count()).toBe(1);
    expect(await page.locator('#w-url').evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await expectAccessible(page, 'new endpoint with an error');
    await shot(page, '21-endpoint-error');

    // ——— valid: progress while saving (the request held until the page shows it), then the secret once
    const { held, release } = await holdOperation(page, origin, 'mutation CreateWebhookEndpoint');
    await endpointForm.getByLabel('URL').fill('https://hooks.example.com/in');
    await endpointForm.getByRole('button', { name: 'Create the endpoint' }).click();
    await held;
    await page.getByRole('status').filter({ hasText: 'Creating the endpoint…' }).waitFor();
    expect(await endpointForm.locator('button[type="submit"]').isDisabled()).toBe(true);
    release();
    const secretBox = page.getByTestId('secret-once');
    await secretBox.waitFor();
    await page.unroute(`${origin}/graphql`);
    const secret = await page.locator('#secret-value').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(await secretBox.innerText()).toContain('shown this once');
    expect(await secretBox.getByRole('heading').innerText()).toBe('Signing secret of https://hooks.example.com/in');
    expect(await page.locator('#ew-input-url').innerText()).toBe('');
    const row = page.locator('table.endpoints tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('th').innerText()).toBe('https://hooks.example.com/in — Our CRM');
    expect(await row.first().getByTestId('whose').innerText()).toBe('Acme Outdoor');
    expect(await row.first().locator('ul.types li').allInnerTexts()).toEqual(['campaign.created', 'order.attributed']);
    expect(await row.first().getByTestId('state').innerText()).toContain('Enabled');
    await expectAccessible(page, 'partners with a new secret');
    await shot(page, '22-endpoint-secret');
    await secretBox.getByRole('button', { name: 'I have kept it' }).click();
    await secretBox.waitFor({ state: 'detached' });
    // the secret is nowhere on the page any more (the API never shows it again)
    expect(await page.content()).not.toContain(secret);
    const endpointId = (await row.first().getAttribute('data-endpoint'))!;

    // a campaign event for it: a real delivery, attempted (hooks.example.com is not reachable from here)
    const made = await stack.subgraphs.campaign.query(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId) },
      alice,
    );
    expect(made.errors).toBeUndefined();
    const delivery = await eventually(
      async () => {
        const r = await stack.subgraphs.campaign.query<{
          webhookDeliveries: {
            edges: { node: { status: string; attemptCount: number; attempts: { outcome: string; error: string | null }[] } }[];
          };
        }>(
          `query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { status attemptCount attempts { outcome error } } } } }`,
          { id: endpointId },
          alice,
        );
        const node = r.data?.webhookDeliveries.edges[0]?.node;
        return node && node.attempts.length > 0 ? node : undefined;
      },
      60_000,
      'the campaign.created delivery to be attempted',
    );

    // ——— disable it: the reason shows
    await row.first().getByRole('button', { name: 'Disable' }).click();
    await row.first().getByTestId('state').filter({ hasText: 'Disabled' }).waitFor();
    expect(await row.first().getByTestId('state').innerText()).toContain('disabled by a member of the brand');
    expect(await row.first().getByRole('button', { name: 'Enable' }).count()).toBe(1);
    expect(await row.first().getByRole('button', { name: 'Disable' }).count()).toBe(0);
    await expectAccessible(page, 'partners with a disabled endpoint');
    await shot(page, '23-endpoint-disabled');

    // ——— its delivery log: the delivery, its attempt as the API holds it
    await row
      .first()
      .getByRole('link', { name: /^Delivery log of / })
      .click();
    await page.waitForURL(new RegExp(`/app/partners/endpoints/${endpointId}\\?brand=${brandId}$`));
    await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
    expect(await page.getByTestId('log-endpoint').innerText()).toContain('disabled by a member of the brand');
    const deliveryRows = page.locator('table.deliveries tbody tr');
    await deliveryRows.first().waitFor();
    expect(await deliveryRows.count()).toBe(1);
    expect(await deliveryRows.first().locator('th code').innerText()).toBe('campaign.created');
    const attempts = deliveryRows.first().getByTestId('attempt');
    expect(await attempts.count()).toBeGreaterThanOrEqual(delivery.attempts.length);
    expect(await attempts.first().innerText()).toContain(delivery.attempts[0].outcome === 'REFUSED' ? 'Refused' : 'Failed');
    if (delivery.attempts[0].error) expect(await attempts.first().innerText()).toContain(delivery.attempts[0].error);
    expect(await attempts.first().innerText()).toMatch(/ ms · /);
    // a disabled endpoint is not replayed (the API would refuse): no replay offered, a hint instead
    expect(await page.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
    expect(await page.getByTestId('replay-hint').innerText()).toBe('Enable the endpoint on the Partners page to replay its deliveries.');
    await expectAccessible(page, 'delivery log');
    await shot(page, '24-delivery-log');

    // ——— a partner platform, registered by an admin, granted then revoked
    const partner = await stack.subgraphs.campaign.query<{ registerPartnerClient: { client: { id: string; clientId: string } } }>(
      `mutation { registerPartnerClient(name: "Shopline CRM") { client { id clientId } clientSecret } }`,
      {},
      ADMIN,
    );
    expect(partner.errors).toBeUndefined();
    const { id: partnerId, clientId } = partner.data!.registerPartnerClient.client;
    await page.getByRole('link', { name: '← Partners' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    const grantForm = page.locator('form[aria-labelledby="grant-title"]');
    // an unknown client id: the error beside the field
    await grantForm.getByLabel('Client id').fill('pc_unknown');
    await grantForm.getByRole('checkbox', { name: 'order.attributed' }).check();
    await grantForm.getByRole('button', { name: 'Grant access' }).click();
    await page.locator('#eg-input-clientId').filter({ hasText: /\S/ }).waitFor();
    expect(await page.locator('#eg-input-clientId').innerText()).toBe('No partner platform has this client id');
    await grantForm.getByLabel('Client id').fill(clientId);
    await grantForm.getByRole('button', { name: 'Grant access' }).click();
    await grantForm
      .getByRole('status')
      .filter({ hasText: `Access granted to ${clientId}.` })
      .waitFor();
    const grantRows = page.locator('table.grants tbody tr');
    await grantRows.first().waitFor();
    expect(await grantRows.count()).toBe(1);
    expect(await grantRows.first().locator('th').innerText()).toBe(partnerId);
    expect(await grantRows.first().locator('ul.types li').allInnerTexts()).toEqual(['order.attributed']);
    // the partner subscribes an endpoint of its own (its identity, as its token would carry it): the member
    // may disable it, not change it, and not delete it while the grant is live
    const partnerIdentity: Identity = { sub: partnerId, roles: ['partner'], brandIds: [brandId], creatorId: null };
    const theirs = await stack.subgraphs.campaign.query<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }`,
      { input: { brandId, url: 'https://crm.example.com/hooks', eventTypes: ['order.attributed'] } },
      partnerIdentity,
    );
    expect(theirs.errors).toBeUndefined();
    await page.reload();
    const partnerRow = page.locator(`table.endpoints tbody tr[data-endpoint="${theirs.data!.createWebhookEndpoint.endpoint.id}"]`);
    await partnerRow.waitFor();
    expect(await partnerRow.getByTestId('whose').innerText()).toBe(`Partner ${partnerId}`);
    expect(await partnerRow.locator('.row-actions').locator('a, button').allInnerTexts()).toEqual(['Delivery log', 'Disable']);
    await expectAccessible(page, 'partners with a grant');
    await shot(page, '25-partner-granted');
    await grantRows.first().getByRole('button', { name: 'Revoke' }).click();
    await grantRows.first().getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('No partner platform receives Acme Outdoor’s events.').waitFor();
    // the grant is no longer live: the member may delete the partner's endpoint now
    await partnerRow.getByRole('button', { name: 'Delete' }).waitFor();
    await partnerRow.getByRole('button', { name: 'Disable' }).click();
    await partnerRow.getByTestId('state').filter({ hasText: "disabled by the brand's member" }).waitFor();
    expect(await partnerRow.locator('.row-actions').locator('a, button').allInnerTexts()).toEqual(['Delivery log', 'Enable', 'Delete']);
    await partnerRow.getByRole('button', { name: 'Delete' }).click();
    await partnerRow.getByRole('button', { name: 'Yes, delete' }).click();
    await partnerRow.waitFor({ state: 'detached' });
    const live = await stack.subgraphs.campaign.query<{ partnerGrants: { edges: unknown[] } }>(
      `query($b: ID!) { partnerGrants(brandId: $b) { edges { node { id } } } }`,
      { b: brandId },
      alice,
    );
    expect(live.data?.partnerGrants.edges).toEqual([]);

    // ——— enable it again, rotate its secret (shown once), delete it
    await row.first().getByRole('button', { name: 'Enable' }).click();
    await row.first().getByTestId('state').filter({ hasText: 'Enabled' }).waitFor();
    // enabled, its log offers replays: one delivery, then a time range
    await row
      .first()
      .getByRole('link', { name: /^Delivery log of / })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
    await page.locator('table.deliveries tbody tr').first().waitFor();
    await page.getByRole('button', { name: /^Replay the campaign\.created delivery/ }).click();
    await page.getByRole('status').filter({ hasText: 'Queued again.' }).waitFor();
    await page.getByLabel('From (your time)').fill(new Date(Date.now() - 3_600_000).toISOString().slice(0, 19));
    await page.getByLabel('To (your time)').fill(new Date(Date.now() + 3_600_000).toISOString().slice(0, 19));
    await page.getByRole('button', { name: 'Replay the range' }).click();
    const replayForm = page.locator('form[aria-labelledby="replay-title"]');
    await replayForm.getByRole('status').filter({ hasText: 'queued again' }).waitFor();
    expect(await replayForm.getByRole('status').innerText()).toMatch(/^(0 deliveries|1 delivery) queued again\.$/);
    await expectAccessible(page, 'delivery log after a replay');
    await shot(page, '27-delivery-replayed');
    await page.getByRole('link', { name: '← Partners' }).click();
    await row.first().waitFor();
    await row.first().getByRole('button', { name: 'Rotate the secret' }).click();
    await secretBox.waitFor();
    expect(await secretBox.getByRole('heading').innerText()).toBe('New signing secret of https://hooks.example.com/in');
    const rotated = await page.locator('#secret-value').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await secretBox.getByRole('button', { name: 'I have kept it' }).click();
    await row.first().getByRole('button', { name: 'Delete' }).click();
    await row.first().getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Acme Outdoor has no webhook endpoint yet.').waitFor();

    expect(browser.refusedOperations).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the analyst the endpoints and grants without a control to change them; no entry for a creator', async () => {
    // something to read: an endpoint and a grant made through the API
    const endpoint = await stack.subgraphs.campaign.query<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }`,
      { input: { brandId, url: 'https://hooks.example.com/analytics', eventTypes: ['order.attributed'] } },
      alice,
    );
    expect(endpoint.errors).toBeUndefined();
    const partner = await stack.subgraphs.campaign.query<{ registerPartnerClient: { client: { clientId: string } } }>(
      `mutation { registerPartnerClient(name: "Agency tool") { client { clientId } clientSecret } }`,
      {},
      ADMIN,
    );
    const granted = await stack.subgraphs.campaign.query(
      `mutation($input: GrantPartnerAccessInput!) { grantPartnerAccess(input: $input) { id } }`,
      { input: { brandId, clientId: partner.data!.registerPartnerClient.client.clientId, eventTypes: ['campaign.created'] } },
      alice,
    );
    expect(granted.errors).toBeUndefined();

    const page = await newPage(390, 844);
    await signInAs(page, 'Sign in as Ana, analyst of Acme Outdoor');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    const row = page.locator('table.endpoints tbody tr');
    await row.first().waitFor();
    expect(await row.first().locator('th').innerText()).toBe('https://hooks.example.com/analytics');
    await page.locator('table.grants tbody tr').first().waitFor();
    expect(await page.locator('table.grants tbody tr').count()).toBe(1);
    // no create, grant, rotate, disable, delete or revoke
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('main button').count()).toBe(0);
    expect(
      await row
        .first()
        .getByRole('link', { name: /^Delivery log of / })
        .count(),
    ).toBe(1);
    const o = await page.evaluate<{ scroll: number; viewport: number }>(
      '({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })',
    );
    expect(o.scroll).toBeLessThanOrEqual(o.viewport);
    await expectAccessible(page, 'partners as the analyst');
    await shot(page, '26-phone-partners-analyst');
    // the log reads, without replay
    await row
      .first()
      .getByRole('link', { name: /^Delivery log of / })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Delivery log' }).waitFor();
    await page.getByText('No delivery yet.').waitFor();
    expect(await page.locator('form').count()).toBe(0);
    await expectAccessible(page, 'delivery log as the analyst');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signInAs(page, 'Sign in as Tess, a creator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).waitFor();
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toEqual(['My profile']);
    expect(browser.refusedOperations).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
    await page.close();
  });
});
