import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * The analytics reports as CSV through the gateway (docs/analytics-csv.md): the bearer token is the
 * caller, the gateway signs it for the very URL, analytics decides who reads what and streams the file.
 * Orders uploaded as CSV through the gateway, within its limits. (The files' figures and the refusals of
 * bad files are tested in services/analytics/test/csv.test.ts.)
 */
describe('CSV uploads and report exports through the gateway', () => {
  let stack: TestStack;
  let base: string;
  const brandId = '00000000-0000-4000-8000-0000000e3001';
  const tokens: Record<string, string> = {};
  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.gateway.url.replace(/\/graphql$/, '');
    tokens.member = await stack.token({ sub: 'exp-member', roles: ['brand_member'], brandIds: [brandId] });
    tokens.analyst = await stack.token({ sub: 'exp-analyst', roles: ['analyst'], brandIds: [brandId] });
    tokens.stranger = await stack.token({
      sub: 'exp-stranger',
      roles: ['brand_member'],
      brandIds: ['00000000-0000-4000-8000-0000000e3002'],
    });
  }, 180_000);
  afterAll(() => stack?.close());

  it("gives the brand's analyst the leaderboard as a CSV attachment", async () => {
    const res = await get(`/exports/creator-leaderboard.csv?brandId=${brandId}`, tokens.analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="creator-leaderboard-${brandId}.csv"`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect((await res.text()).startsWith('section,key,label,partnerships,currency,reach,')).toBe(true);
  });

  it('answers another brand 404, no token or a bad one 401, a bad parameter 400', async () => {
    const path = `/exports/performance-comparison.csv?brandId=${brandId}&by=tier`;
    expect((await get(path, tokens.stranger)).status).toBe(404);
    expect((await get(path)).status).toBe(401);
    expect((await get(path, 'not-a-token')).status).toBe(401);
    const bad = await get('/exports/campaign-report.csv?campaignId=nope', tokens.analyst);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'campaignId' } });
    expect((await get('/exports/nothing.csv', tokens.analyst)).status).toBe(404);
  });

  it("takes a brand member's orders file, and refuses one over the gateway's string limit", async () => {
    const IMPORT = `mutation($b: ID!, $csv: String!) { importOrdersCsv(brandId: $b, csv: $csv) { recorded attributed rows { row reason } } }`;
    const csv = 'external_id,ordered_at,amount,currency\r\ne-1,2026-03-03T09:00:00Z,12.50,USD\r\n';
    const ok = await stack.query<{ importOrdersCsv: unknown }>(IMPORT, { b: brandId, csv }, tokens.member);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.importOrdersCsv).toEqual({ recorded: 1, attributed: 0, rows: [{ row: 2, reason: 'NO_REFERRAL' }] });
    const analyst = await stack.query(IMPORT, { b: brandId, csv }, tokens.analyst);
    expect(analyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const huge = await stack.query(IMPORT, { b: brandId, csv: `${csv}${'x'.repeat(100_001)}` }, tokens.member);
    expect(huge.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
  });
});
