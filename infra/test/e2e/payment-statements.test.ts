import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, TestStack } from '../../src/testing/stack';

/**
 * A creator's yearly statement downloaded through the gateway (docs/payments.md, "Files"): the
 * bearer token is the caller, payments decides who reads it, and the answer is a file (CSV or PDF) or a
 * JSON error with its status. (The statement's figures are tested in services/payments/test/history.test.ts.)
 */
describe('payment statements as files through the gateway', () => {
  let stack: TestStack;
  let base: string;
  const creatorId = '00000000-0000-4000-8000-0000000e1001';
  const otherCreatorId = '00000000-0000-4000-8000-0000000e1002';
  const tokens: Record<string, string> = {};
  const year = new Date().getUTCFullYear();

  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    stack = await startTestStack();
    base = stack.gateway.url.replace(/\/graphql$/, '');
    tokens.creator = await stack.token({ sub: 'stmt-creator', roles: ['creator'], creatorId });
    tokens.other = await stack.token({ sub: 'stmt-other', roles: ['creator'], creatorId: otherCreatorId });
    tokens.brand = await stack.token({ sub: 'stmt-brand', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000e2001'] });
    tokens.admin = await stack.token({ sub: 'stmt-admin', roles: ['admin'] });
  }, 180_000);
  afterAll(() => stack?.close());

  it('gives the creator their statement as CSV and as PDF, as attachments not cached', async () => {
    const csv = await get(`/statements/${year}.csv`, tokens.creator);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="statement-${year}.csv"`);
    expect(csv.headers.get('cache-control')).toBe('private, no-store');
    expect(await csv.text()).toBe(
      'section,date,kind,brand_id,campaign_id,partnership_id,payout_id,currency,cash_paid,product_value,description\r\n',
    );

    const pdf = await get(`/statements/${year}.pdf?creatorId=${creatorId}`, tokens.admin);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = join(mkdtempSync(join(tmpdir(), 'statement-')), 's.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(`Payment statement ${year}`);
    expect(text).toContain(`Creator ${creatorId}`);
    expect(text).toContain('No payments and no product value in this year.');
  });

  it('refuses anyone else with the status of what payments said, and bad requests', async () => {
    const cases: [string, string | undefined, number, string][] = [
      [`/statements/${year}.csv`, undefined, 401, 'UNAUTHENTICATED'],
      [`/statements/${year}.csv`, 'not-a-token', 401, 'UNAUTHENTICATED'],
      [`/statements/${year}.csv`, tokens.brand, 403, 'FORBIDDEN'],
      [`/statements/${year}.pdf?creatorId=${creatorId}`, tokens.other, 403, 'FORBIDDEN'],
      [`/statements/${year}.csv`, tokens.admin, 400, 'BAD_USER_INPUT'],
      [`/statements/1999.csv`, tokens.creator, 400, 'BAD_USER_INPUT'],
      [`/statements/${year}.csv?creatorId=nope`, tokens.creator, 400, 'BAD_USER_INPUT'],
      [`/statements/${year}.xlsx`, tokens.creator, 404, 'NOT_FOUND'],
    ];
    for (const [path, token, status, code] of cases) {
      const res = await get(path, token);
      expect([path, res.status, await errorOf(res)]).toEqual([path, status, code]);
      expect(res.headers.get('content-disposition')).toBeNull();
    }
  });
});
