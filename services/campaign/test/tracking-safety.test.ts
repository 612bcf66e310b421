import { request } from 'node:http';
import { Identity } from '@influenceflow/kit';
import { ClickRecordedData } from '@influenceflow/vocabulary';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { CampaignServices } from '../src/services';
import { campaignSubgraph } from '../src/schema';
import { codeOf, knownCreators, newBrand, newCampaign, ok } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const MIA = uuid(801);

const CREATE_BRAND = `mutation($input: CreateBrandInput!) { createBrand(input: $input) { id websiteUrl } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id landingUrl } }`;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** Destinations a brand must not be able to send people to, and why. */
const UNSAFE: [string, string][] = [
  ['cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ['loopback (a service of ours)', 'http://127.0.0.1:4003/graphql'],
  ['loopback as a decimal number', 'http://2130706433/'],
  ['loopback in hex shorthand', 'http://0x7f.1/'],
  ['userinfo hiding the real host', 'https://acme.example@evil.example/'],
  ['localhost', 'http://localhost:4002/graphql'],
  ['single-label name', 'http://intranet/admin'],
  ['special-use name', 'http://printer.local/'],
  ['bare public IP (not allowed by default)', 'http://8.8.8.8/'],
];

/** One request with exactly these headers (fetch would add its own user agent). */
function hit(
  url: string,
  method: 'GET' | 'HEAD',
  headers: Record<string, string>,
): Promise<{ status: number; location: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const clickIdOf = (location: string | null) => new URL(location!).searchParams.get('ifclid')!;

/** The click.recorded data of a partnership's clicks, by click id, once `count` are in the outbox. */
async function clicks(sub: TestSubgraph, partnershipId: string, count: number): Promise<Map<string, ClickRecordedData>> {
  const rows = await eventually(async () => {
    const found = (await sub.runtime.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'click.recorded' AND key = $1`, [
      partnershipId,
    ])) as { envelope: { data: ClickRecordedData } }[];
    return found.length >= count && found;
  });
  return new Map(rows.map((r) => [r.envelope.data.clickId, r.envelope.data]));
}

describe('tracking link safety: public destinations only, honest clicks', () => {
  let sub: TestSubgraph<CampaignServices>;
  /** A campaign subgraph an operator configured: behind a proxy on loopback, public IP links allowed. */
  let proxied: TestSubgraph<CampaignServices>;

  /** An accepted partnership of MIA with a brand whose website is `websiteUrl`: its id and tracking link. */
  async function partnership(on: TestSubgraph, websiteUrl: string): Promise<{ id: string; trackingLink: string }> {
    const member: Identity = identities.brandMember(await newBrand(on, { name: `Brand ${websiteUrl}`, websiteUrl }));
    const campaignId = await newCampaign(on, member, {
      brandId: member.brandIds[0],
      name: 'Safe Links',
      goal: { type: 'TRAFFIC', target: 100 },
      budget: { amountMinor: 10_000, currency: 'USD' },
      startsOn: '2027-06-01',
      endsOn: '2027-06-30',
    });
    ok(
      await on.query(
        `mutation($id: ID!) { publishBrief(campaignId: $id, input: { brandStory: "Links", deliverables: [{ platform: TIKTOK, format: SHORT, count: 1, dueOn: "2027-06-20" }] }) { version } }`,
        { id: campaignId },
        member,
      ),
    );
    const invitationId = ok(
      await on.query<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId: MIA, fee: { amountMinor: 1000, currency: 'USD' } } },
        member,
      ),
    ).inviteCreator.id;
    return ok(
      await on.query<{ respondToInvitation: { id: string; trackingLink: string } }>(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { id trackingLink } }`,
        { id: invitationId },
        identities.creator(MIA),
      ),
    ).respondToInvitation;
  }

  beforeAll(async () => {
    [sub, proxied] = await Promise.all([
      startTestSubgraph(campaignSubgraph),
      startTestSubgraph(campaignSubgraph, { trustedProxies: ['loopback'], linkAllowIpHosts: true }),
    ]);
    await knownCreators(sub, [[MIA, 'mia.moves']]);
    await eventually(
      async () => (await proxied.runtime.dataSource.query(`SELECT 1 FROM creators WHERE id = $1`, [MIA])).length === 1,
      30_000,
      'the second subgraph to copy the creator',
    );
  }, 90_000);
  afterAll(async () => {
    await sub?.close();
    await proxied?.close();
  });

  it('refuses landing pages and brand websites that are not public web addresses, on the field, without echoing them', async () => {
    const member = identities.brandMember(await newBrand(sub, { name: 'Careful Brand' }));
    for (const [why, url] of UNSAFE) {
      const brand = await sub.query(CREATE_BRAND, { input: { name: `Brand (${why})`, websiteUrl: url } }, identities.admin());
      expect([why, codeOf(brand)]).toEqual([why, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.websiteUrl' })]);
      expect(brand.errors![0].message).not.toContain(url);

      const campaign = await sub.query(
        CREATE_CAMPAIGN,
        {
          input: {
            brandId: member.brandIds[0],
            name: `Campaign (${why})`,
            goal: { type: 'TRAFFIC', target: 100 },
            budget: { amountMinor: 10_000, currency: 'USD' },
            startsOn: '2027-06-01',
            endsOn: '2027-06-30',
            landingUrl: url,
          },
        },
        member,
      );
      expect([why, codeOf(campaign)]).toEqual([why, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.landingUrl' })]);
      expect(campaign.errors![0].message).not.toContain(url);
    }
    // Public addresses pass, normalised.
    expect(
      ok(
        await sub.query<{ createBrand: { websiteUrl: string } }>(
          CREATE_BRAND,
          { input: { name: 'Fine', websiteUrl: 'https://Fine.example/shop' } },
          identities.admin(),
        ),
      ).createBrand.websiteUrl,
    ).toBe('https://fine.example/shop');
  });

  it('lets an operator allow public IP hosts (LINK_ALLOW_IP_HOSTS), and still refuses private ones', async () => {
    const allowed = await proxied.query<{ createBrand: { websiteUrl: string } }>(
      CREATE_BRAND,
      { input: { name: 'By IP', websiteUrl: 'http://8.8.8.8/shop' } },
      identities.admin(),
    );
    expect(ok(allowed).createBrand.websiteUrl).toBe('http://8.8.8.8/shop');
    for (const url of ['http://169.254.169.254/', 'http://2130706433/', 'http://10.0.0.7/', 'http://[::1]/']) {
      const refused = await proxied.query(CREATE_BRAND, { input: { name: 'By private IP', websiteUrl: url } }, identities.admin());
      expect([url, codeOf(refused)]).toEqual([url, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.websiteUrl' })]);
    }
  });

  it('puts the click id into the query, keeping the landing page fragment after it', async () => {
    const link = await partnership(sub, 'https://fragment.example/shop?ref=bio#reviews');
    const res = await hit(link.trackingLink, 'GET', { 'user-agent': CHROME });
    expect(res.status).toBe(302);
    const location = new URL(res.location!);
    expect(location.hash).toBe('#reviews');
    expect(location.searchParams.get('ifclid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(location.searchParams.get('ref')).toBe('bio');
    expect(res.location).toMatch(/&ifclid=[0-9a-f-]{36}#reviews$/);
  });

  it('answers 404 for a stored destination that is not public (written before the rule, or around it)', async () => {
    const link = await partnership(sub, 'https://was-fine.example/');
    await sub.runtime.dataSource.query(`UPDATE partnerships SET link_target = 'http://169.254.169.254/latest/meta-data/' WHERE id = $1`, [
      link.id,
    ]);
    const res = await hit(link.trackingLink, 'GET', { 'user-agent': CHROME });
    expect(res.status).toBe(404);
    expect(res.location).toBeNull();
  });

  it('redirects bots, previews and HEAD requests too, but records them as such: only the browser is human', async () => {
    const link = await partnership(sub, 'https://traffic.example/');
    const requests: { name: string; method: 'GET' | 'HEAD'; headers: Record<string, string>; traffic: string; agent: string | null }[] = [
      { name: 'browser', method: 'GET', headers: { 'user-agent': CHROME }, traffic: 'human', agent: null },
      { name: 'HEAD', method: 'HEAD', headers: { 'user-agent': CHROME }, traffic: 'preview', agent: 'HEAD request' },
      {
        name: 'Googlebot',
        method: 'GET',
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
        traffic: 'bot',
        agent: 'Googlebot',
      },
      {
        name: 'facebookexternalhit',
        method: 'GET',
        headers: { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
        traffic: 'preview',
        agent: 'facebookexternalhit',
      },
      {
        name: 'Slackbot',
        method: 'GET',
        headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
        traffic: 'preview',
        agent: 'Slackbot-LinkExpanding',
      },
      { name: 'empty user agent', method: 'GET', headers: { 'user-agent': '' }, traffic: 'bot', agent: 'no user agent' },
      { name: 'no user agent', method: 'GET', headers: {}, traffic: 'bot', agent: 'no user agent' },
    ];
    const answers = [];
    for (const r of requests) {
      const res = await hit(link.trackingLink, r.method, r.headers);
      expect([r.name, res.status]).toEqual([r.name, 302]);
      expect(res.location).toMatch(/^https:\/\/traffic\.example\/\?utm_source=influenceflow.*&ifclid=/);
      if (r.method === 'HEAD') expect(res.body).toBe('');
      answers.push({ ...r, clickId: clickIdOf(res.location) });
    }
    const recorded = await clicks(sub, link.id, requests.length);
    for (const a of answers) {
      expect([a.name, recorded.get(a.clickId)]).toEqual([a.name, expect.objectContaining({ traffic: a.traffic, agent: a.agent })]);
    }
    // Still no raw user agent in any event.
    expect(JSON.stringify([...recorded.values()])).not.toMatch(/Mozilla|Chrome|facebook\.com/);
  });

  it('ignores X-Forwarded-For by default: the socket address is the client', async () => {
    const link = await partnership(sub, 'https://forwarded.example/');
    const res = await hit(link.trackingLink, 'GET', { 'user-agent': CHROME, 'x-forwarded-for': '198.51.100.1' });
    expect(res.status).toBe(302);
    const click = (await clicks(sub, link.id, 1)).get(clickIdOf(res.location))!;
    const recorder = sub.services.clicks;
    expect(click.ipHash).toBe(recorder.hash('127.0.0.1'));
    expect(click.ipHash).not.toBe(recorder.hash('198.51.100.1'));
  });

  it('believes X-Forwarded-For from a configured proxy (TRUSTED_PROXIES), only as far as the proxy wrote it', async () => {
    const link = await partnership(proxied, 'https://proxied.example/');
    const recorder = proxied.services.clicks;
    // The proxy on loopback saw 203.0.113.9; the client itself claimed 198.51.100.1 in the header it sent.
    const spoofed = await hit(link.trackingLink, 'GET', { 'user-agent': CHROME, 'x-forwarded-for': '198.51.100.1, 203.0.113.9' });
    const plain = await hit(link.trackingLink, 'GET', { 'user-agent': CHROME, 'x-forwarded-for': '198.51.100.1' });
    const recorded = await clicks(proxied, link.id, 2);
    expect(recorded.get(clickIdOf(spoofed.location))!.ipHash).toBe(recorder.hash('203.0.113.9'));
    expect(recorded.get(clickIdOf(plain.location))!.ipHash).toBe(recorder.hash('198.51.100.1'));
  });
});
