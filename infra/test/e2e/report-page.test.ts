import { startTestStack, TestStack } from '../../src/testing/stack';
import { BRAND, CAMPAIGN, EMPTY_CAMPAIGN, linksOnGateway, OTHER_BRAND, seedGoldenReport } from './report-support';

const SHARE = `mutation($id: ID!, $days: Int) { shareCampaignReport(campaignId: $id, expiresInDays: $days) { id url expiresAt } }`;
const REVOKE = `mutation($id: ID!) { revokeReportShare(id: $id) { revokedAt } }`;

/**
 * The campaign report page through the gateway (docs/reports.md): the brand's token opens it, so does a
 * share link without one, until it is revoked or expires; everything else is refused without a hint of
 * why, in the same HTML, with the page's headers. (What the page looks like is report-page-browser.test.ts;
 * the share links' rules, analytics's report-shares.test.ts.)
 */
describe('the campaign report page', () => {
  let stack: TestStack;
  let origin: string;
  const tokens: Record<string, string> = {};
  const get = (path: string, token?: string) =>
    fetch(`${origin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
  const share = async (id = CAMPAIGN, days?: number) => {
    const r = await stack.query<{ shareCampaignReport: { id: string; url: string } }>(SHARE, { id, days }, tokens.member);
    expect(r.errors).toBeUndefined();
    return r.data!.shareCampaignReport;
  };
  const pathOf = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  /** What every answer of the page carries, refusals too. */
  function expectPageHeaders(res: Response): void {
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'none'; /);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  }
  async function expectRefused(res: Response, status: number): Promise<string> {
    expect(res.status).toBe(status);
    expectPageHeaders(res);
    const html = await res.text();
    // nothing of the report, and no error's insides, in the page's text (its style aside)
    expect(html.replace(/<style>[^<]*<\/style>/, '')).not.toMatch(/Spring|\$190\.00|Error|stack|\.ts:\d|at [\w.<>]+ \(/i);
    return html;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    origin = linksOnGateway(stack);
    await seedGoldenReport(stack);
    tokens.analyst = await stack.token({ sub: 'page-analyst', roles: ['analyst'], brandIds: [BRAND] });
    tokens.member = await stack.token({ sub: 'page-member', roles: ['brand_member'], brandIds: [BRAND] });
    tokens.stranger = await stack.token({ sub: 'page-stranger', roles: ['brand_member'], brandIds: [OTHER_BRAND] });
    tokens.creator = await stack.token({ sub: 'page-creator', roles: ['creator'], creatorId: '00000000-0000-4000-8000-000000000020' });
  }, 180_000);
  afterAll(() => stack?.close());

  it("shows the brand's analyst the report with the figures analytics measured, daily or weekly", async () => {
    const res = await get(`/reports/${CAMPAIGN}`, tokens.analyst);
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain('<h1>Spring</h1>');
    // the golden figures (services/analytics/test/golden.test.ts)
    const kpis = Object.fromEntries(
      [...html.matchAll(/data-kpi="(\w+)"><dt>[^<]*<\/dt><dd><span class="value">([^<]*)<\/span>/g)].map((m) => [m[1], m[2]]),
    );
    expect(kpis).toEqual({
      clicks: '4',
      orders: '3',
      revenue: '$190.00',
      spend: '$398.00',
      cpa: '$132.67',
      roi: '0.48×',
      ctr: '0.05 %',
      conversionRate: '75.00 %',
      engagementRate: '10.60 %',
      repeatPurchaseRate: '66.67 %',
      goal: '75.00 %',
    });
    expect(html).toContain('<span class="label">1. Ella Runs (@ella)</span><span class="value">$190.00</span>');
    expect(html).toContain('Clicks and orders by day');
    const weekly = await get(`/reports/${CAMPAIGN}?interval=week`, tokens.member);
    expect(weekly.status).toBe(200);
    expect(await weekly.text()).toContain('Clicks and orders by week');
  });

  it('refuses another brand, a creator, no token and a bad one, a bad id or interval, with no hint', async () => {
    await expectRefused(await get(`/reports/${CAMPAIGN}`, tokens.stranger), 404);
    await expectRefused(await get(`/reports/${CAMPAIGN}`, tokens.creator), 404);
    await expectRefused(await get(`/reports/00000000-0000-4000-8000-0000000000ff`, tokens.analyst), 404);
    const anonymous = await get(`/reports/${CAMPAIGN}`);
    await expectRefused(anonymous, 401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    await expectRefused(await get(`/reports/${CAMPAIGN}`, 'not-a-token'), 401);
    await expectRefused(await get(`/reports/not-a-uuid`, tokens.analyst), 400);
    await expectRefused(await get(`/reports/not-a-uuid?share=x`), 400);
    await expectRefused(await get(`/reports/${CAMPAIGN}?interval=month`, tokens.analyst), 400);
    await expectRefused(await get(`/reports/${CAMPAIGN}?interval=day&interval=week`, tokens.analyst), 400);
  });

  it('opens by a share link without signing in, and stops once the link is revoked', async () => {
    const s = await share();
    expect(s.url).toMatch(new RegExp(`^${origin}/reports/${CAMPAIGN}\\?share=[A-Za-z0-9_-]{43}$`));
    const res = await get(pathOf(s.url));
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain('<h1>Spring</h1>');
    expect(html).toContain('Shared campaign report');
    // the period links keep the token
    expect(html).toContain(`href="?share&#x3D;${new URL(s.url).searchParams.get('share')}&amp;interval&#x3D;week"`);
    expect((await get(`${pathOf(s.url)}&interval=week`)).status).toBe(200);
    // the link is the permission: a token of another brand beside it changes nothing
    expect((await get(pathOf(s.url), tokens.stranger)).status).toBe(200);

    const revoked = await stack.query(REVOKE, { id: s.id }, tokens.analyst);
    expect(revoked.errors).toBeUndefined();
    await expectRefused(await get(pathOf(s.url)), 404);
  });

  it('refuses an expired link, a link replayed on another campaign, and tokens that are not one, all alike', async () => {
    const s = await share();
    const token = new URL(s.url).searchParams.get('share')!;
    const notFound = await expectRefused(await get(`/reports/${EMPTY_CAMPAIGN}?share=${token}`), 404);
    for (const path of [
      `/reports/${CAMPAIGN}?share=${'A'.repeat(43)}`,
      `/reports/${CAMPAIGN}?share=${token.slice(0, 42)}`,
      `/reports/${CAMPAIGN}?share=${token}A`,
      `/reports/${CAMPAIGN}?share=`,
      `/reports/${CAMPAIGN}?share=${token}&share=${token}`,
      `/reports/${CAMPAIGN}?share=${token.slice(0, 20)}%00${token.slice(21)}`,
      `/reports/${CAMPAIGN}?share=${'x'.repeat(6_000)}`,
    ]) {
      const res = await get(path);
      expect([path.slice(0, 80), res.status]).toEqual([path.slice(0, 80), 404]);
      expect(await res.text()).toBe(notFound);
    }
    // still good, then expired
    expect((await get(pathOf(s.url))).status).toBe(200);
    await stack.subgraphs.analytics.runtime.dataSource.query(
      `UPDATE report_shares SET created_at = now() - interval '15 days', expires_at = now() - interval '1 second' WHERE id = $1`,
      [s.id],
    );
    expect(await expectRefused(await get(pathOf(s.url)), 404)).toBe(notFound);
  });

  it("opens the empty campaign's report by its own link, with no-data notes", async () => {
    const s = await share(EMPTY_CAMPAIGN, 1);
    const res = await get(pathOf(s.url));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Summer</h1>');
    expect(html.match(/<p class="empty">No data yet/g)).toHaveLength(4);
    expect(html).not.toContain('<svg');
  });
});
