import { Identity } from '@influenceflow/kit';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, knownCreators, newBrand, newCampaign, ok } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ELLA = uuid(701);
const NOAH = uuid(702);

const ACCEPT = `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { id discountCode trackingLink } }`;
const SET_CODE = `mutation($id: ID!, $code: String!) { setDiscountCode(id: $id, code: $code) { discountCode } }`;

type Accepted = { id: string; discountCode: string; trackingLink: string };

describe('discount codes, tracking links and the redirect', () => {
  let sub: TestSubgraph;

  const brand = async (name: string, websiteUrl?: string): Promise<Identity> =>
    identities.brandMember(await newBrand(sub, { name, websiteUrl }));

  /** A campaign with a brief and an invitation of `creatorId`, not yet answered. */
  async function invitation(member: Identity, creatorId: string, campaign: Record<string, unknown> = {}): Promise<string> {
    const campaignId = await newCampaign(sub, member, {
      brandId: member.brandIds[0],
      name: 'Summer Trail 2027',
      goal: { type: 'TRAFFIC', target: 1000 },
      budget: { amountMinor: 100_000, currency: 'USD' },
      startsOn: '2027-06-01',
      endsOn: '2027-06-30',
      ...campaign,
    });
    ok(
      await sub.query(
        `mutation($id: ID!) { publishBrief(campaignId: $id, input: { brandStory: "Shoes", deliverables: [{ platform: TIKTOK, format: SHORT, count: 1, dueOn: "2027-06-20" }] }) { version } }`,
        { id: campaignId },
        member,
      ),
    );
    return ok(
      await sub.query<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId, fee: { amountMinor: 1000, currency: 'USD' } } },
        member,
      ),
    ).inviteCreator.id;
  }
  const accept = async (id: string, creatorId: string) =>
    ok(await sub.query<{ respondToInvitation: Accepted }>(ACCEPT, { id }, identities.creator(creatorId))).respondToInvitation;

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    await knownCreators(sub, [
      [ELLA, 'Ella.Runs'],
      [NOAH, 'noah'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('gives an accepted partnership a code from the handle and a link that redirects with UTM parameters and a click id', async () => {
    const member = await brand('Trail Shoes', 'https://shoes.example/summer?ref=ig');
    const accepted = await accept(await invitation(member, ELLA), ELLA);
    expect(accepted.discountCode).toBe('ELLARUNS');
    expect(accepted.trackingLink).toMatch(new RegExp(`^${sub.runtime.publicBaseUrl}/r/ellaruns-[a-z2-9]{8}$`));

    const res = await fetch(accepted.trackingLink, {
      redirect: 'manual',
      headers: { referer: 'https://www.tiktok.com/@ella.runs', 'user-agent': 'Mozilla/5.0 (test)' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shoes.example/summer');
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      ref: 'ig',
      utm_source: 'influenceflow',
      utm_medium: 'influencer',
      utm_campaign: 'summer-trail-2027',
      utm_content: 'ella.runs',
    });
    expect(params.ifclid).toMatch(/^[0-9a-f-]{36}$/);

    // The click, as an event: hashed address and user agent, never the raw ones.
    const [row] = await eventually(async () => {
      const rows = await sub.runtime.dataSource.query(`SELECT envelope FROM outbox WHERE type = 'click.recorded' AND key = $1`, [
        accepted.id,
      ]);
      return rows.length > 0 && rows;
    });
    expect(row.envelope).toMatchObject({ type: 'click.recorded', subject: accepted.id });
    expect(row.envelope.data).toMatchObject({
      clickId: params.ifclid,
      link: accepted.trackingLink.split('/r/')[1],
      partnershipId: accepted.id,
      referrer: 'https://www.tiktok.com/@ella.runs',
      ipHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      userAgentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(row.envelope)).not.toMatch(/127\.0\.0\.1|::1|Mozilla/);
  });

  it('answers 404 for unknown links and links without a destination', async () => {
    for (const path of ['/r/nope-nothing1', '/r/%00bad', '/r/x']) {
      expect((await fetch(`${sub.runtime.publicBaseUrl}${path}`, { redirect: 'manual' })).status).toBe(404);
    }
    const member = await brand('No Website');
    const accepted = await accept(await invitation(member, ELLA), ELLA);
    expect((await fetch(accepted.trackingLink, { redirect: 'manual' })).status).toBe(404);
    // A campaign landing page wins over (here: stands in for) the brand's website.
    const withLanding = await accept(await invitation(member, NOAH, { landingUrl: 'https://nowebsite.example/launch' }), NOAH);
    const res = await fetch(withLanding.trackingLink, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/nowebsite\.example\/launch\?utm_source=influenceflow/);
  });

  it('keeps codes unique per brand, case-insensitively, also when partnerships are accepted at once', async () => {
    const member = await brand('Busy Brand', 'https://busy.example');
    const invitations = await Promise.all([1, 2, 3, 4, 5].map(() => invitation(member, ELLA)));
    const accepted = await Promise.all(invitations.map((id) => accept(id, ELLA)));
    expect(accepted.map((a) => a.discountCode).sort()).toEqual(['ELLARUNS', 'ELLARUNS2', 'ELLARUNS3', 'ELLARUNS4', 'ELLARUNS5']);
    expect(new Set(accepted.map((a) => a.trackingLink)).size).toBe(5);

    // The brand picks its own code: normalised to upper case; one the brand already uses is a CONFLICT.
    expect(
      ok(await sub.query<{ setDiscountCode: { discountCode: string } }>(SET_CODE, { id: accepted[0].id, code: 'summer10' }, member)),
    ).toEqual({ setDiscountCode: { discountCode: 'SUMMER10' } });
    // analytics hears of the new code (and the link it attributes by) from partnership.code-changed
    const announced = (await sub.runtime.dataSource.query(
      `SELECT type, envelope->'data'->'tracking' AS tracking, envelope->'data'->>'status' AS status FROM outbox WHERE key = $1 ORDER BY seq`,
      [accepted[0].id],
    )) as { type: string; tracking: Record<string, string | null> | null; status: string }[];
    expect(announced.map((e) => e.type)).toEqual(['partnership.invited', 'partnership.accepted', 'partnership.code-changed']);
    expect(announced[1].tracking).toMatchObject({ discountCode: accepted[0].discountCode, utmCampaign: 'summer-trail-2027', utmContent: 'ella.runs' });
    expect(announced[2]).toMatchObject({ status: 'accepted', tracking: { discountCode: 'SUMMER10', linkSlug: announced[1].tracking!.linkSlug } });
    expect(codeOf(await sub.query(SET_CODE, { id: accepted[1].id, code: 'Summer10' }, member))).toMatchObject({
      code: 'CONFLICT',
      field: 'code',
    });
    // a refused code announces nothing
    expect(
      (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE key = $1 AND type = 'partnership.code-changed'`, [accepted[1].id]))[0].n,
    ).toBe(0);
    expect(codeOf(await sub.query(SET_CODE, { id: accepted[1].id, code: 'no spaces' }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'code',
    });
    expect(codeOf(await sub.query(SET_CODE, { id: accepted[1].id, code: 'MINE' }, identities.creator(ELLA)))).toMatchObject({
      code: 'FORBIDDEN',
    });
    // Another brand may use the same code.
    const other = await brand('Other Brand', 'https://other.example');
    const elsewhere = await accept(await invitation(other, ELLA), ELLA);
    expect(elsewhere.discountCode).toBe('ELLARUNS');
    expect(ok(await sub.query(SET_CODE, { id: elsewhere.id, code: 'SUMMER10' }, other))).toBeTruthy();
  });

  it('records every click of a burst', async () => {
    const member = await brand('Burst', 'https://burst.example');
    const accepted = await accept(await invitation(member, NOAH), NOAH);
    const responses = await Promise.all(Array.from({ length: 200 }, () => fetch(accepted.trackingLink, { redirect: 'manual' })));
    expect(responses.every((r) => r.status === 302)).toBe(true);
    const clickIds = responses.map((r) => new URL(r.headers.get('location')!).searchParams.get('ifclid'));
    expect(new Set(clickIds).size).toBe(200);
    await eventually(async () => {
      const [{ n }] = await sub.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE type = 'click.recorded' AND key = $1`,
        [accepted.id],
      );
      return n === 200;
    });
  });
});
