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

  it("streams the brand's orders to its analyst as brand-orders.csv, and answers another brand 404", async () => {
    const path = `/exports/brand-orders.csv?brandId=${brandId}`;
    const res = await get(path, tokens.analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="brand-orders-${brandId}.csv"`);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      'order_id,external_id,source,ordered_at,currency,amount,refunded,partnership_id,campaign_id,reason,excluded,new_customer,click_id,discount_codes',
    );
    // the order the member uploaded above, as the file lists it
    expect(lines.filter((l) => l.includes(',e-1,'))).toEqual([
      expect.stringMatching(/,e-1,csv,2026-03-03T09:00:00\.000Z,USD,12\.50,0\.00,,,NO_REFERRAL,,,,$/),
    ]);
    const stranger = await get(path, tokens.stranger);
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await get(path)).status).toBe(401);
  });

  describe('uploaded as a file (POST /imports/…)', () => {
    const upload = (file: string, body: string | Buffer, token?: string, type = 'text/csv; charset=utf-8', brand = brandId) =>
      fetch(`${base}/imports/${file}?brandId=${brand}`, {
        method: 'POST',
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    const HEADER = 'external_id,ordered_at,amount,currency,discount_codes\r\n';
    /** 2,000 rows, about 115,000 characters: more than a GraphQL string may hold. */
    const big = HEADER + Array.from({ length: 2_000 }, (_, i) => `big-${i},2026-03-04T09:00:00Z,${i + 1}.00,USD,NOBODY-${i}\r\n`).join('');

    it("records a brand member's file above the GraphQL limit in full, and the same file again as duplicates", async () => {
      expect(big.length).toBeGreaterThan(100_000);
      const first = await upload('orders.csv', big, tokens.member);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const outcome = (await first.json()) as {
        recorded: number;
        duplicates: number;
        attributed: number;
        rows: { row: number; reason: string }[];
      };
      expect(outcome).toMatchObject({ recorded: 2_000, duplicates: 0, attributed: 0 });
      expect(outcome.rows[0]).toMatchObject({ row: 2, reason: 'UNKNOWN_CODE' });
      const again = (await (await upload('orders.csv', big, tokens.member)).json()) as { recorded: number; duplicates: number };
      expect(again).toMatchObject({ recorded: 0, duplicates: 2_000 });
    });

    it('refuses a file with a bad row whole, naming every problem, and records nothing of it', async () => {
      const bad = `${HEADER}part-1,2026-03-04T09:00:00Z,1.00,USD,\r\npart-2,yesterday,1.00,USD,\r\npart-3,2026-03-04T09:00:00Z,1.001,USD,\r\n`;
      const res = await upload('orders.csv', bad, tokens.member);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; problems: { field: string }[] } };
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.problems.map((p) => p.field)).toEqual(['csv.row.3.ordered_at', 'csv.row.4.amount']);
      // part-1 was not recorded: sent alone now, it is new
      const good = (await (await upload('orders.csv', `${HEADER}part-1,2026-03-04T09:00:00Z,1.00,USD,\r\n`, tokens.member)).json()) as {
        recorded: number;
      };
      expect(good.recorded).toBe(1);
    });

    it('takes refunds of uploaded orders', async () => {
      const refunds = 'external_id,order_external_id,refunded_at,amount,currency\r\nbig-r-1,big-9,2026-03-05T00:00:00Z,5.00,USD\r\n';
      const res = await upload('refunds.csv', refunds, tokens.member);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ recorded: 1, duplicates: 0 });
      const tooMuch = await upload('refunds.csv', refunds.replace('big-r-1', 'big-r-2').replace('5.00', '6.00'), tokens.member);
      expect(tooMuch.status).toBe(400);
      expect(await tooMuch.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'csv.row.2.amount' } });
    });

    it('refuses the other roles and brands, no token, other media types, bytes that are not UTF-8, and files over 5 MiB', async () => {
      const one = `${HEADER}x-1,2026-03-04T09:00:00Z,1.00,USD,\r\n`;
      expect((await upload('orders.csv', one)).status).toBe(401);
      expect((await upload('orders.csv', one, 'not-a-token')).status).toBe(401);
      const analyst = await upload('orders.csv', one, tokens.analyst);
      expect(analyst.status).toBe(403);
      expect(await analyst.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await upload('orders.csv', one, tokens.stranger)).status).toBe(403);
      const badBrand = await upload('orders.csv', one, tokens.member, 'text/csv', 'not-a-uuid');
      expect(badBrand.status).toBe(400);
      expect(await badBrand.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'brandId' } });
      expect((await upload('orders.csv', one, tokens.member, 'application/json')).status).toBe(415);
      const latin1 = await upload(
        'orders.csv',
        Buffer.from(`${HEADER}caf\xe9,2026-03-04T09:00:00Z,1.00,USD,\r\n`, 'latin1'),
        tokens.member,
      );
      expect(latin1.status).toBe(400);
      expect(await latin1.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'csv' } });
      const nul = await upload('orders.csv', `${HEADER}nul\u0000,2026-03-04T09:00:00Z,1.00,USD,\r\n`, tokens.member);
      expect(nul.status).toBe(400);
      expect((await upload('other.csv', one, tokens.member)).status).toBe(404);
      const huge = await upload('orders.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), tokens.member);
      expect(huge.status).toBe(413);
      // nobody gets a file read without a token: 401 before the body
      expect((await upload('orders.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x61))).status).toBe(401);
      const text = JSON.stringify(await huge.json());
      expect(text).not.toMatch(/at |node_modules|Error:/);
    });

    it("is refused by analytics itself without the gateway's signature (the bytes' binding is tested in the kit)", async () => {
      const one = Buffer.from(`${HEADER}direct-1,2026-03-04T09:00:00Z,1.00,USD,\r\n`);
      const analytics = new URL(stack.subgraphs.analytics.url).origin;
      const direct = await fetch(`${analytics}/imports/orders.csv?brandId=${brandId}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: one,
      });
      expect(direct.status).toBe(401);
      expect(await direct.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    });
  });
});
