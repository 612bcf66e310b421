import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { acceptAndAwaitDraft, daysFromToday, sendAndSign } from './support';

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
      'section,date,kind,brand,brand_id,campaign,campaign_id,partnership_id,payout_id,currency,cash_paid,product_value,description\r\n',
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

  it('names the brand and the campaign in a paid creator’s history (federated references) and statement, from campaign’s own events', async () => {
    const call = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
      const r = await stack.query<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const paidCreatorId = '00000000-0000-4000-8000-0000000e1003';
    const creator = await stack.token({ sub: 'stmt-paid', roles: ['creator'], creatorId: paidCreatorId });
    await call(
      `mutation { saveMyCreatorProfile(input: { handle: "noor.knits", displayName: "Noor Knits", niches: ["crafts"], country: "SE", bio: "Wool" }) { id } }`,
      {},
      creator,
    );
    await call(
      `mutation { saveMyPlatformAccount(input: { platform: INSTAGRAM, handle: "noor.knits", followers: 9000, engagementRate: 5 }) { id } }`,
      {},
      creator,
    );
    const { createBrand } = await call<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Fjord Yarns" }) { id } }`,
      {},
      tokens.admin,
    );
    const brand = await stack.token({ sub: 'stmt-fjord', roles: ['brand_member'], brandIds: [createBrand.id] });
    const { createCampaign } = await call<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId: createBrand.id,
          name: 'Winter wool',
          goal: { type: 'CONTENT', target: 1 },
          budget: { amountMinor: 100_000, currency: 'EUR' },
          startsOn: daysFromToday(0),
          endsOn: daysFromToday(45),
        },
      },
      brand,
    );
    await call(
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Wool from the fjords",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: createCampaign.id, due: daysFromToday(20) },
      brand,
    );
    // Payments hears of the campaign (campaign.created): the brand funds its escrow.
    await eventually(
      async () =>
        !(
          await stack.query(
            `mutation($input: FundCampaignInput!) { fundCampaign(input: $input) { replayed } }`,
            { input: { campaignId: createCampaign.id, amount: { amountMinor: 100_000, currency: 'EUR' }, idempotencyKey: 'stmt-fund' } },
            brand,
          )
        ).errors,
      60_000,
      'payments to know the campaign',
    );
    const invited = await eventually(
      async () =>
        (
          await stack.query<{ inviteCreator: { id: string } }>(
            `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
            {
              input: {
                campaignId: createCampaign.id,
                creatorId: paidCreatorId,
                fee: { amountMinor: 60_000, currency: 'EUR' },
                commissionPercent: null,
              },
            },
            brand,
          )
        ).data?.inviteCreator,
      60_000,
      'the campaign service to know the creator',
    );
    const contractId = await acceptAndAwaitDraft(stack, invited.id, creator, brand);
    await sendAndSign(stack, contractId, brand, [creator, brand]);

    // The ON_EXECUTION milestone is paid. A history item resolves its references through the gateway from their own
    // subgraphs, who decide who sees them: campaign shows the campaign to its brand, not to the creator, who
    // reads the names payments copied from the partnership's events.
    const NODE = `status campaignId brandName campaignName campaign { id name } partnership { id } creator { id handle }`;
    type Item = {
      status: string;
      campaignId: string;
      brandName: string;
      campaignName: string;
      campaign: { id: string; name: string } | null;
      partnership: { id: string } | null;
      creator: { id: string; handle: string } | null;
      brand?: { id: string; name: string } | null;
    };
    const firstItem = async (query: string, variables: Record<string, unknown>, token: string, field: string) => {
      const r = await stack.query<Record<string, { edges: { node: Item }[] }>>(query, variables, token);
      if (r.errors || !r.data) throw new Error(JSON.stringify(r));
      const node = r.data[field].edges[0]?.node;
      return node?.status === 'SUCCEEDED' ? node : undefined;
    };
    const mine = await eventually(
      () => firstItem(`{ myPayments { edges { node { ${NODE} } } } }`, {}, creator, 'myPayments'),
      60_000,
      'the milestone payout to succeed',
    );
    expect(mine).toMatchObject({
      campaignId: createCampaign.id,
      brandName: 'Fjord Yarns',
      campaignName: 'Winter wool',
      campaign: null,
      partnership: { id: invited.id },
      creator: { id: paidCreatorId, handle: 'noor.knits' },
    });
    const theirs = await firstItem(
      `query($b: ID!) { brandPayments(brandId: $b) { edges { node { ${NODE} brand { id name } } } } }`,
      { b: createBrand.id },
      brand,
      'brandPayments',
    );
    expect(theirs).toMatchObject({
      campaign: { id: createCampaign.id, name: 'Winter wool' },
      brand: { id: createBrand.id, name: 'Fjord Yarns' },
      partnership: { id: invited.id },
      creator: { id: paidCreatorId, handle: 'noor.knits' },
      campaignName: 'Winter wool',
    });

    const csv = await (await get(`/statements/${year}.csv`, creator)).text();
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^line,[^,]+,PAYOUT,Fjord Yarns,${createBrand.id},Winter wool,${createCampaign.id},`));
    const pdf = await get(`/statements/${year}.pdf`, creator);
    const file = join(mkdtempSync(join(tmpdir(), 'statement-')), 'paid.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Creator Noor Knits (@noor.knits)');
    expect(text).toContain('Fjord Yarns (EUR): cash paid');
    expect(text).toContain('Fjord Yarns, Winter wool');
  }, 240_000);
});
