import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * The analytics reports as CSV through the gateway (docs/analytics-csv.md): the bearer token is the
 * caller, the gateway signs it for the very URL, analytics decides who reads what and streams the file.
 * (The files' figures are tested in services/analytics/test/csv.test.ts.)
 */
describe('report exports through the gateway', () => {
  let stack: TestStack;
  let base: string;
  const brandId = '00000000-0000-4000-8000-0000000e3001';
  const tokens: Record<string, string> = {};
  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.gateway.url.replace(/\/graphql$/, '');
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
});
