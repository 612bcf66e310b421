import { identities, startTestSubgraph, TestSubgraph, eventually } from '@influenceflow/kit/testing';
import { analyticsSubgraph } from '../src/schema';
import type { AnalyticsServices } from '../src/services';
import { applyGoldenEvents, BRAND, CAMPAIGN, OTHER_BRAND, ELLA, recordGoldenFacts } from './golden-data';
import { count, eventOf, ok, publishAll, refusal } from './support';

const SHARE = `mutation($id: ID!, $days: Int) { shareCampaignReport(campaignId: $id, expiresInDays: $days) { id campaignId createdAt expiresAt revokedAt url } }`;
const LIST = `query($id: ID!) { reportShares(campaignId: $id) { id campaignId expiresAt revokedAt url } }`;
const REVOKE = `mutation($id: ID!) { revokeReportShare(id: $id) { id revokedAt } }`;
const FIGURES = `campaignId name status currency results { clicks orders revenue { amountMinor } spend { amountMinor } roi
  sentiment { positive neutral negative positivePercent } } goal { percent } series { period clicks orders revenue { amountMinor } spend { amountMinor } }
  creators { label results { revenue { amountMinor } orders } }`;
const SHARED = `query($id: ID!, $share: String!, $interval: ReportInterval) { sharedCampaignReport(campaignId: $id, share: $share, interval: $interval) { ${FIGURES} } }`;
const OWN = `query($id: ID!, $interval: ReportInterval) { campaignReport(campaignId: $id, interval: $interval) { ${FIGURES} } }`;

interface Share {
  id: string;
  campaignId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  url: string | null;
}

/** Another campaign of the same brand, to replay a link of the golden one on. */
const CAMPAIGN_B = '00000000-0000-4000-8000-0000000000b2';
const DAY = 86_400_000;

/** Share links of campaign reports (docs/reports.md): who makes them, what they open, and when they stop. */
describe('report share links', () => {
  let sub: TestSubgraph<AnalyticsServices>;
  const member = identities.brandMember(BRAND);
  const analyst = identities.analyst(BRAND);
  const stranger = identities.brandMember(OTHER_BRAND);
  const creator = identities.creator(ELLA);
  const tokenOf = (share: Share) => new URL(share.url!).searchParams.get('share')!;
  const share = async (days?: number, id = CAMPAIGN, who = analyst) =>
    ok(await sub.query<{ shareCampaignReport: Share }>(SHARE, { id, days }, who)).shareCampaignReport;
  const opened = (token: string, id = CAMPAIGN) =>
    sub.query<{ sharedCampaignReport: { campaignId: string } }>(SHARED, { id, share: token }, null);

  beforeAll(async () => {
    sub = await startTestSubgraph(analyticsSubgraph);
    sub.runtime.publicBaseUrl = 'https://app.example.com';
    await applyGoldenEvents(sub);
    await publishAll([
      eventOf(
        'campaign.created',
        CAMPAIGN_B,
        BRAND,
        {
          campaignId: CAMPAIGN_B,
          brandId: BRAND,
          name: 'Summer',
          status: 'draft',
          previousStatus: null,
          goalType: 'traffic',
          goalTarget: 100,
          budgetMinor: 100_000,
          currency: 'USD',
          startsOn: '2026-06-01',
          endsOn: '2026-06-30',
        },
        '2026-05-01T00:00:00Z',
      ),
    ]);
    await eventually(async () => (await count(sub, `SELECT count(*) AS n FROM campaign_facts`)) === 2, 30_000, 'the second campaign');
    await recordGoldenFacts((q, v) => sub.query(q, v, member));
  }, 90_000);
  afterAll(() => sub?.close());

  it('makes a 14-day link by default whose URL is on the public origin, and keeps only its hash', async () => {
    const before = Date.now();
    const s = await share();
    expect(s).toMatchObject({ campaignId: CAMPAIGN, revokedAt: null });
    expect(s.url).toMatch(new RegExp(`^https://app\\.example\\.com/reports/${CAMPAIGN}\\?share=[A-Za-z0-9_-]{43}$`));
    const lifetime = new Date(s.expiresAt).getTime() - new Date(s.createdAt).getTime();
    expect(lifetime).toBe(14 * DAY);
    expect(new Date(s.createdAt).getTime()).toBeGreaterThanOrEqual(before - 5_000);
    const [row] = (await sub.runtime.dataSource.query(`SELECT token_hash, created_by, brand_id FROM report_shares WHERE id = $1`, [
      s.id,
    ])) as {
      token_hash: string;
      created_by: string;
      brand_id: string;
    }[];
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(tokenOf(s));
    expect(row).toMatchObject({ created_by: analyst.sub, brand_id: BRAND });
    // A member may make one too, for 1 or 90 days; two links never share a token.
    const short = await share(1, CAMPAIGN, member);
    expect(new Date(short.expiresAt).getTime() - new Date(short.createdAt).getTime()).toBe(DAY);
    const long = await share(90);
    expect(new Date(long.expiresAt).getTime() - new Date(long.createdAt).getTime()).toBe(90 * DAY);
    expect(new Set([tokenOf(s), tokenOf(short), tokenOf(long)]).size).toBe(3);
  });

  it('opens, anonymously, exactly the report the brand reads (daily and weekly)', async () => {
    const token = tokenOf(await share());
    for (const interval of ['DAY', 'WEEK']) {
      const shared = ok(await sub.query<{ sharedCampaignReport: unknown }>(SHARED, { id: CAMPAIGN, share: token, interval }, null));
      const own = ok(await sub.query<{ campaignReport: unknown }>(OWN, { id: CAMPAIGN, interval }, analyst));
      expect(shared.sharedCampaignReport).toEqual(own.campaignReport);
    }
    const r = ok(
      await sub.query<{ sharedCampaignReport: { results: { orders: number; sentiment: { positive: number } }; series: unknown[] } }>(
        SHARED,
        { id: CAMPAIGN, share: token },
        null,
      ),
    ).sharedCampaignReport;
    expect(r.results.orders).toBe(3);
    expect(r.results.sentiment.positive).toBe(1);
    expect(r.series.length).toBeGreaterThan(3);
  });

  it('lists the links without their tokens, newest first', async () => {
    const s = await share(3);
    const { reportShares } = ok(await sub.query<{ reportShares: Share[] }>(LIST, { id: CAMPAIGN }, member));
    expect(reportShares[0]).toMatchObject({ id: s.id, url: null, revokedAt: null });
    expect(reportShares.every((x) => x.url === null && x.campaignId === CAMPAIGN)).toBe(true);
    expect(ok(await sub.query<{ reportShares: Share[] }>(LIST, { id: CAMPAIGN_B }, member)).reportShares).toEqual([]);
  });

  it('stops a link once revoked (revoking again changes nothing), and once expired', async () => {
    const s = await share();
    expect(ok(await opened(tokenOf(s))).sharedCampaignReport.campaignId).toBe(CAMPAIGN);
    const first = ok(await sub.query<{ revokeReportShare: { revokedAt: string } }>(REVOKE, { id: s.id }, member)).revokeReportShare;
    expect(first.revokedAt).not.toBeNull();
    expect(refusal(await opened(tokenOf(s)))).toMatchObject({ code: 'NOT_FOUND', message: 'No campaign report is shared at this link' });
    const again = ok(await sub.query<{ revokeReportShare: { revokedAt: string } }>(REVOKE, { id: s.id }, analyst)).revokeReportShare;
    expect(again.revokedAt).toBe(first.revokedAt);

    const e = await share();
    expect(ok(await opened(tokenOf(e))).sharedCampaignReport.campaignId).toBe(CAMPAIGN);
    await sub.runtime.dataSource.query(
      `UPDATE report_shares SET created_at = now() - interval '20 days', expires_at = now() - interval '1 second' WHERE id = $1`,
      [e.id],
    );
    expect(refusal(await opened(tokenOf(e)))).toMatchObject({ code: 'NOT_FOUND', message: 'No campaign report is shared at this link' });
  });

  it('answers every link that does not open the report with the same NOT_FOUND', async () => {
    const token = tokenOf(await share());
    const same = { code: 'NOT_FOUND', message: 'No campaign report is shared at this link' };
    // the link of one campaign replayed on another of the brand's
    expect(refusal(await opened(token, CAMPAIGN_B))).toMatchObject(same);
    // a token never handed out, one a character off, one too short, one too long, not base64url
    expect(refusal(await opened('A'.repeat(43)))).toMatchObject(same);
    expect(refusal(await opened(`${token.slice(0, 42)}${token[42] === 'A' ? 'B' : 'A'}`))).toMatchObject(same);
    expect(refusal(await opened(token.slice(0, 42)))).toMatchObject(same);
    expect(refusal(await opened(`${token}A`))).toMatchObject(same);
    expect(refusal(await opened(`${token.slice(0, 42)}=`))).toMatchObject(same);
    expect(refusal(await opened('x'.repeat(20_000)))).toMatchObject(same);
    expect(refusal(await opened(''))).toMatchObject(same);
    // a campaign that does not exist
    expect(refusal(await opened(token, '00000000-0000-4000-8000-0000000000ff'))).toMatchObject(same);
  });

  it('refuses a bad campaign id, NUL bytes, and a token beyond the string limit as bad input', async () => {
    const token = tokenOf(await share());
    expect(refusal(await opened(token, 'not-a-uuid'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'campaignId' });
    expect(refusal(await opened(`${token.slice(0, 20)}\u0000${token.slice(21)}`))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'share',
    });
    expect(refusal(await opened('x'.repeat(1_000_001)))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses expiresInDays outside 1–90 or not whole, and a bad campaign id', async () => {
    for (const days of [0, 91, -1]) {
      expect([days, refusal(await sub.query(SHARE, { id: CAMPAIGN, days }, member))]).toEqual([
        days,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'expiresInDays' }),
      ]);
    }
    expect(refusal(await sub.query(SHARE, { id: CAMPAIGN, days: 2.5 }, member))?.code).toBe('BAD_USER_INPUT');
    expect(
      refusal(await sub.query(`mutation { shareCampaignReport(campaignId: "${CAMPAIGN}", expiresInDays: 1.5) { id } }`, {}, member))?.code,
    ).toBe('BAD_USER_INPUT');
    expect(refusal(await sub.query(SHARE, { id: 'nope' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'campaignId' });
    expect(refusal(await sub.query(REVOKE, { id: 'nope' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(await count(sub, `SELECT count(*) AS n FROM report_shares WHERE expires_at - created_at > interval '90 days'`)).toBe(0);
  });

  it("refuses another brand's member, a creator and an anonymous caller, and hides that the link exists", async () => {
    const s = await share();
    const before = await count(sub, `SELECT count(*) AS n FROM report_shares`);
    for (const who of [stranger, creator]) {
      expect(refusal(await sub.query(SHARE, { id: CAMPAIGN }, who))?.code).toBe('NOT_FOUND');
      expect(refusal(await sub.query(LIST, { id: CAMPAIGN }, who))?.code).toBe('NOT_FOUND');
      expect(refusal(await sub.query(REVOKE, { id: s.id }, who))).toMatchObject({
        code: 'NOT_FOUND',
        message: `ReportShare ${s.id} was not found`,
      });
    }
    // another brand's bad input hears only that the campaign is not theirs
    expect(refusal(await sub.query(SHARE, { id: CAMPAIGN, days: 0 }, stranger))?.code).toBe('NOT_FOUND');
    for (const q of [SHARE, LIST]) expect(refusal(await sub.query(q, { id: CAMPAIGN }, null))?.code).toBe('UNAUTHENTICATED');
    expect(refusal(await sub.query(REVOKE, { id: s.id }, null))?.code).toBe('UNAUTHENTICATED');
    expect(await count(sub, `SELECT count(*) AS n FROM report_shares`)).toBe(before);
    expect(await count(sub, `SELECT count(*) AS n FROM report_shares WHERE id = $1 AND revoked_at IS NULL`, [s.id])).toBe(1);
    // an unknown id is the same NOT_FOUND as another brand's
    const unknown = '00000000-0000-4000-8000-0000000000ee';
    expect(refusal(await sub.query(REVOKE, { id: unknown }, member))).toMatchObject({
      code: 'NOT_FOUND',
      message: `ReportShare ${unknown} was not found`,
    });
  });
});
