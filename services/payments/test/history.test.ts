import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, Identity, Money } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';
import { PaymentsServices, paymentsServices } from '../src/services';
import { payoutSettings } from '../src/payouts/payout-settings';
import { codeOf, deliver, executedPartnership, fieldOf, idsOf, orderData, Parties, partiesData, partnershipData, sqlOf } from './support';

const uuid = idsOf('8e15');
const BRAND = uuid(1);
const BRAND_B = uuid(2);
const CREATOR = uuid(3);
const OTHER_CREATOR = uuid(4);
/** What a brand without a name on record is called (brand B's partnership events come from an older producer). */
const UNNAMED_B = `Brand ${BRAND_B} (no name on record)`;

const CREATE = `mutation($input: CreatePayoutInput!) { createPayout(input: $input) { payout { id status } } }`;
const PAYOUT = `query($id: ID!) { payout(id: $id) { id status } }`;
const REVERSE = `mutation($id: ID!) { reversePayout(id: $id, reason: "bank returned it") { id status } }`;
const PAGE = `pageInfo { hasNextPage endCursor } edges { cursor node { id status reason amount { amountMinor currency } campaignId partnershipId brandId creatorId brandName campaignName createdAt } }`;
const MY = `query($first: Int, $after: String, $creatorId: ID, $campaignId: ID, $from: String, $to: String, $status: PayoutStatus) {
  myPayments(first: $first, after: $after, creatorId: $creatorId, campaignId: $campaignId, from: $from, to: $to, status: $status) { ${PAGE} } }`;
const BRAND_Q = `query($brandId: ID!, $first: Int, $after: String, $status: PayoutStatus) {
  brandPayments(brandId: $brandId, first: $first, after: $after, status: $status) { ${PAGE} } }`;
const STATEMENT = `query($year: Int!, $creatorId: ID) { creatorStatement(year: $year, creatorId: $creatorId) {
  creatorId creatorName year periodStart periodEnd
  byBrand { brandId brandName currency cashPaid { amountMinor currency } productValue { amountMinor currency } }
  totals { currency cashPaid { amountMinor currency } productValue { amountMinor currency formatted } }
  lines { id kind brandId brandName campaignName payoutId description amount { amountMinor currency } brand { id } campaign { id } partnership { id } }
} }`;
const FILES = `query($year: Int!, $creatorId: ID) { creatorStatement(year: $year, creatorId: $creatorId) { csv pdfBase64 } }`;
const EARNINGS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Creator { id earnings { currency paid { amountMinor } owed { amountMinor } inTransit { amountMinor } } } } }`;

interface Node {
  id: string;
  status: string;
  reason: string;
  amount: { amountMinor: number; currency: string };
  campaignId: string;
  partnershipId: string;
  brandId: string;
  creatorId: string;
  brandName: string;
  campaignName: string;
  createdAt: string;
}
interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Node }[];
}

/**
 * Payment history, statements and earnings against the real ledger and payouts (simulated provider):
 * who sees what for every role, keyset pages with filters, the statement's totals by brand and currency
 * (reversals subtracted, product value apart), and refusals of bad input.
 */
describe('payment history and statements', () => {
  let sub: TestSubgraph<PaymentsServices>;
  let n = 0;
  const admin = identities.admin();
  const creator = identities.creator(CREATOR);
  const memberA = identities.brandMember(BRAND);
  const memberB = identities.brandMember(BRAND_B);
  const analystA = identities.analyst(BRAND);
  const payoutIds: string[] = [];
  const parts: Parties[] = [];
  const db = sqlOf(() => sub);

  async function partnership(brandId: string, creatorId: string, currency: string, fundedMinor: number) {
    n += 1;
    const p = { partnershipId: uuid(1000 + n), campaignId: uuid(2000 + n), brandId, creatorId };
    parts.push(await executedPartnership(sub, p, uuid(4000 + n), currency, fundedMinor));
    return p;
  }

  async function pay(p: { partnershipId: string; brandId: string }, amountMinor: number, currency: string, who: Identity): Promise<string> {
    const r = await sub.query<{ createPayout: { payout: { id: string } } }>(
      CREATE,
      { input: { partnershipId: p.partnershipId, amount: { amountMinor, currency }, idempotencyKey: `h-${payoutIds.length}` } },
      who,
    );
    expect(r.errors).toBeUndefined();
    const id = r.data!.createPayout.payout.id;
    await eventually(
      async () => (await sub.query<{ payout: { status: string } }>(PAYOUT, { id }, admin)).data?.payout.status === 'SUCCEEDED',
      30_000,
      `payout ${id} to succeed`,
    );
    payoutIds.push(id);
    return id;
  }

  const my = (vars: Record<string, unknown>, who: Identity = creator) => sub.query<{ myPayments: Page }>(MY, vars, who);
  const statement = (vars: Record<string, unknown>, who: Identity = creator) =>
    sub.query<{
      creatorStatement: Record<string, unknown> & {
        lines: { kind: string; description: string | null; brandName: string; campaignName: string; [reference: string]: unknown }[];
      };
    }>(STATEMENT, vars, who);

  beforeAll(async () => {
    const settings = { ...payoutSettings({}), simulatedLatencyMs: 5, pollMs: 100, sendingTimeoutMs: 60_000 };
    sub = await startTestSubgraph({ ...paymentsSubgraph, services: (runtime) => paymentsServices(runtime, undefined, settings) });
    // Brand A pays the creator three times in EUR (one reversed later), brand B once in JPY; another creator once.
    const a = await partnership(BRAND, CREATOR, 'EUR', 100_000);
    const b = await partnership(BRAND_B, CREATOR, 'JPY', 50_000);
    const other = await partnership(BRAND, OTHER_CREATOR, 'EUR', 10_000);
    // Campaign names brand A's partnership and its parties; a later event renames the campaign, and an older
    // producer's event (no parties) after it keeps the names. Brand B's events carry none.
    const named = (over: Parameters<typeof partiesData>[0] = {}) => ({
      fee: { amountMinor: 100_000, currency: 'EUR' },
      parties: partiesData(over),
    });
    await deliver(
      sub,
      TOPICS.campaign,
      'partnership.accepted',
      a.partnershipId,
      partnershipData(a, named({ campaignName: 'Spring run' })),
      {
        source: 'campaign',
      },
    );
    await deliver(
      sub,
      TOPICS.campaign,
      'partnership.contracted',
      a.partnershipId,
      partnershipData(a, { ...named({ campaignName: 'Spring run, extended' }), status: 'contracted', previousStatus: 'accepted' }),
      { source: 'campaign' },
    );
    await deliver(
      sub,
      TOPICS.campaign,
      'partnership.activated',
      a.partnershipId,
      partnershipData(a, { fee: { amountMinor: 100_000, currency: 'EUR' }, status: 'active', previousStatus: 'contracted' }),
      { source: 'campaign' },
    );
    await deliver(
      sub,
      TOPICS.campaign,
      'partnership.accepted',
      b.partnershipId,
      partnershipData(b, { fee: { amountMinor: 5_000, currency: 'JPY' } }),
      {
        source: 'campaign',
      },
    );
    await pay(a, 10_000, 'EUR', memberA);
    await pay(a, 2_550, 'EUR', memberA);
    await pay(a, 1_000, 'EUR', memberA);
    await pay(b, 5_000, 'JPY', memberB);
    await pay(other, 700, 'EUR', memberA);
    const reversed = await sub.query(REVERSE, { id: payoutIds[1] }, admin);
    expect(reversed.errors).toBeUndefined();
    await sub.runtime.dataSource.transaction((tx) =>
      sub.services.ledger.recordProductValue(tx, {
        key: `product:${a.partnershipId}`,
        ...a,
        amount: Money.of(4_990, 'EUR'),
        description: '=HYPERLINK("http://evil.example","click"), a jacket',
      }),
    );
  }, 180_000);
  afterAll(() => sub?.close());

  it('myPayments: a creator’s own payouts, newest first, in keyset pages that cover every payout once', async () => {
    const first = await my({ first: 2 });
    expect(first.errors).toBeUndefined();
    expect(first.data!.myPayments.edges).toHaveLength(2);
    expect(first.data!.myPayments.pageInfo.hasNextPage).toBe(true);
    const second = await my({ first: 2, after: first.data!.myPayments.pageInfo.endCursor });
    expect(second.data!.myPayments.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.data!.myPayments.edges, ...second.data!.myPayments.edges].map((e) => e.node.id);
    expect(ids).toEqual([payoutIds[3], payoutIds[2], payoutIds[1], payoutIds[0]]);
    expect(second.data!.myPayments.edges.every((e) => e.node.creatorId === CREATOR)).toBe(true);
    expect(first.data!.myPayments.edges[0].node).toMatchObject({
      reason: 'AD_HOC',
      brandId: BRAND_B,
      amount: { amountMinor: 5_000, currency: 'JPY' },
      // No name on record (older events): a clear label, never an empty cell.
      brandName: UNNAMED_B,
      campaignName: `Campaign ${parts[1].campaignId} (no name on record)`,
    });
    // Brand A's payouts carry the names its partnership's latest events gave (the campaign renamed; an event without names kept them).
    expect(second.data!.myPayments.edges.map((e) => [e.node.brandName, e.node.campaignName])).toEqual([
      ['Northwind Outdoor', 'Spring run, extended'],
      ['Northwind Outdoor', 'Spring run, extended'],
    ]);
  });

  it('names from events are checked: a partnership event with a NUL byte in a name is rejected and changes nothing', async () => {
    const p = parts[2];
    const bad = partnershipData(p, { fee: { amountMinor: 1, currency: 'EUR' }, parties: partiesData({ brandName: 'Evil\u0000Corp' }) });
    const eventId = await deliver(sub, TOPICS.campaign, 'partnership.accepted', p.partnershipId, bad, { source: 'campaign' });
    expect(await db(`SELECT reason FROM comp_rejected_events WHERE event_id = $1`, [eventId])).toEqual([
      { reason: 'parties.brandName must be text of at most 1000 characters' },
    ]);
    expect(await db(`SELECT brand_name, status FROM comp_partnerships WHERE id = $1`, [p.partnershipId])).toEqual([
      { brand_name: null, status: null },
    ]);
  });

  it('filters by campaign, status and period (UTC dates, to inclusive)', async () => {
    const byCampaign = await my({ campaignId: parts[1].campaignId });
    expect(byCampaign.data!.myPayments.edges.map((e) => e.node.id)).toEqual([payoutIds[3]]);
    const reversed = await my({ status: 'REVERSED' });
    expect(reversed.data!.myPayments.edges.map((e) => e.node.id)).toEqual([payoutIds[1]]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await my({ from: today, to: today })).data!.myPayments.edges).toHaveLength(4);
    expect((await my({ from: '1990-01-01', to: '2999-12-31' })).data!.myPayments.edges).toHaveLength(4);
    expect((await my({ to: '2000-01-01' })).data!.myPayments.edges).toHaveLength(0);
    expect((await my({ from: '2999-01-01' })).data!.myPayments.edges).toHaveLength(0);
  });

  it('refuses bad dates, from after to, bad cursors, page sizes and ids with the field', async () => {
    for (const [vars, field] of [
      [{ from: '2026-02-30' }, 'from'],
      [{ to: '26-01-01' }, 'to'],
      [{ from: '2026-01-01\u0000' }, null],
      [{ from: '2026-03-01', to: '2026-02-01' }, 'from'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
    ] as const) {
      const r = await my(vars as Record<string, unknown>);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      if (field) expect(JSON.stringify(r.errors)).toContain(field);
      expect(r.data?.myPayments ?? null).toBeNull();
    }
    expect(codeOf(await my({ campaignId: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await my({ creatorId: 'nope' }, admin))).toBe('BAD_USER_INPUT');
  });

  it('who reads a creator’s history: the creator and admins (naming them); nobody else', async () => {
    const asAdmin = await my({ creatorId: CREATOR }, admin);
    expect(asAdmin.data!.myPayments.edges).toHaveLength(4);
    expect(fieldOf(await my({}, admin))).toBe('creatorId');
    expect(codeOf(await my({ creatorId: CREATOR }, identities.creator(OTHER_CREATOR)))).toBe('FORBIDDEN');
    expect(codeOf(await my({}, memberA))).toBe('FORBIDDEN');
    expect(codeOf(await my({}, analystA))).toBe('FORBIDDEN');
    expect(codeOf(await sub.query(MY, {}, null))).toBe('UNAUTHENTICATED');
    const others = await my({}, identities.creator(OTHER_CREATOR));
    expect(others.data!.myPayments.edges.map((e) => e.node.id)).toEqual([payoutIds[4]]);
  });

  it('brandPayments: its members and admins; analysts, creators and other brands FORBIDDEN', async () => {
    const a = await sub.query<{ brandPayments: Page }>(BRAND_Q, { brandId: BRAND }, memberA);
    expect(a.errors).toBeUndefined();
    expect(a.data!.brandPayments.edges.map((e) => e.node.id)).toEqual([payoutIds[4], payoutIds[2], payoutIds[1], payoutIds[0]]);
    const ok = await sub.query<{ brandPayments: Page }>(BRAND_Q, { brandId: BRAND, status: 'SUCCEEDED', first: 1 }, admin);
    expect(ok.data!.brandPayments.edges.map((e) => e.node.id)).toEqual([payoutIds[4]]);
    expect(ok.data!.brandPayments.pageInfo.hasNextPage).toBe(true);
    for (const who of [analystA, memberB, creator]) {
      const r = await sub.query(BRAND_Q, { brandId: BRAND }, who);
      expect(codeOf(r)).toBe('FORBIDDEN');
    }
    expect(codeOf(await sub.query(BRAND_Q, { brandId: 'x' }, memberA))).toBe('BAD_USER_INPUT');
  });

  it('the yearly statement: cash paid minus reversals and product value, by brand and currency, never summed across currencies', async () => {
    const year = new Date().getUTCFullYear();
    const r = await statement({ year });
    expect(r.errors).toBeUndefined();
    const s = r.data!.creatorStatement;
    expect(s).toMatchObject({
      creatorId: CREATOR,
      creatorName: 'Tess Walker (@tess.trails)',
      year,
      periodStart: `${year}-01-01T00:00:00.000Z`,
      periodEnd: `${year + 1}-01-01T00:00:00.000Z`,
    });
    expect(s.byBrand).toEqual([
      {
        brandId: BRAND,
        brandName: 'Northwind Outdoor',
        currency: 'EUR',
        cashPaid: { amountMinor: 11_000, currency: 'EUR' },
        productValue: { amountMinor: 4_990, currency: 'EUR' },
      },
      {
        brandId: BRAND_B,
        brandName: UNNAMED_B,
        currency: 'JPY',
        cashPaid: { amountMinor: 5_000, currency: 'JPY' },
        productValue: { amountMinor: 0, currency: 'JPY' },
      },
    ]);
    expect(s.totals).toEqual([
      {
        currency: 'EUR',
        cashPaid: { amountMinor: 11_000, currency: 'EUR' },
        productValue: { amountMinor: 4_990, currency: 'EUR', formatted: '€49.90' },
      },
      {
        currency: 'JPY',
        cashPaid: { amountMinor: 5_000, currency: 'JPY' },
        productValue: { amountMinor: 0, currency: 'JPY', formatted: '¥0' },
      },
    ]);
    expect(s.lines.map((l) => l.kind)).toEqual(['PAYOUT', 'PAYOUT', 'PAYOUT', 'PAYOUT', 'REVERSAL', 'PRODUCT_VALUE']);
    // The federated references, resolved by the gateway from campaign (here, payments' stubs).
    expect(s.lines[3]).toMatchObject({
      brand: { id: BRAND_B },
      campaign: { id: parts[1].campaignId },
      partnership: { id: parts[1].partnershipId },
    });
    expect(s.lines.map((l) => [l.brandName, l.campaignName])).toEqual([
      ...[1, 2, 3].map(() => ['Northwind Outdoor', 'Spring run, extended']),
      [UNNAMED_B, `Campaign ${parts[1].campaignId} (no name on record)`],
      ...[1, 2].map(() => ['Northwind Outdoor', 'Spring run, extended']),
    ]);
    // Another year holds nothing.
    const before = await statement({ year: year - 1 });
    expect(before.data!.creatorStatement).toMatchObject({ byBrand: [], totals: [], lines: [] });
  });

  it('the statement: the creator and admins only; bad years refused', async () => {
    const year = new Date().getUTCFullYear();
    expect((await statement({ year, creatorId: CREATOR }, admin)).data!.creatorStatement.lines).toHaveLength(6);
    for (const who of [memberA, analystA, identities.creator(OTHER_CREATOR)]) {
      expect(codeOf(await statement({ year, creatorId: CREATOR }, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await statement({ year }, memberA))).toBe('FORBIDDEN');
    for (const bad of [1999, 10_000, -1]) {
      const r = await statement({ year: bad });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldOf(r)).toBe('year');
    }
  });

  it('Creator.earnings: paid, owed and in transit per currency for the creator and admins; null for anyone else', async () => {
    const reps = [
      { __typename: 'Creator', id: CREATOR },
      { __typename: 'Creator', id: OTHER_CREATOR },
    ];
    type R = {
      _entities: {
        id: string;
        earnings:
          { currency: string; paid: { amountMinor: number }; owed: { amountMinor: number }; inTransit: { amountMinor: number } }[] | null;
      }[];
    };
    const asAdmin = await sub.query<R>(EARNINGS, { reps }, admin);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!._entities[0].earnings).toEqual([
      // 13,550 sent, 2,550 came back: owed again, in the payable.
      { currency: 'EUR', paid: { amountMinor: 11_000 }, owed: { amountMinor: 2_550 }, inTransit: { amountMinor: 0 } },
      { currency: 'JPY', paid: { amountMinor: 5_000 }, owed: { amountMinor: 0 }, inTransit: { amountMinor: 0 } },
    ]);
    expect(asAdmin.data!._entities[1].earnings).toEqual([
      { currency: 'EUR', paid: { amountMinor: 700 }, owed: { amountMinor: 0 }, inTransit: { amountMinor: 0 } },
    ]);
    const asCreator = await sub.query<R>(EARNINGS, { reps }, creator);
    expect(asCreator.data!._entities[0].earnings).toHaveLength(2);
    expect(asCreator.data!._entities[1].earnings).toBeNull();
    for (const who of [memberA, analystA]) {
      const r = await sub.query<R>(EARNINGS, { reps }, who);
      expect(r.data!._entities.map((e) => e.earnings)).toEqual([null, null]);
    }
  });

  it('the statement as CSV: amounts in each currency’s exponent, signed reversals, totals, formula cells defused', async () => {
    const year = new Date().getUTCFullYear();
    const r = await sub.query<{ creatorStatement: { csv: string } }>(FILES, { year }, creator);
    expect(r.errors).toBeUndefined();
    const rows = r.data!.creatorStatement.csv.split('\r\n').filter((l) => l.length > 0);
    expect(rows[0]).toBe(
      'section,date,kind,brand,brand_id,campaign,campaign_id,partnership_id,payout_id,currency,cash_paid,product_value,description',
    );
    // The campaign's name holds a comma: quoted. Cells are read after it.
    expect(rows.filter((l) => l.includes(',Northwind Outdoor,') && l.includes(',"Spring run, extended",'))).toHaveLength(5);
    const cells = (kind: string) =>
      rows.filter((l) => l.split(',')[2] === kind).map((l) => l.replace('"Spring run, extended"', 'Spring run extended').split(','));
    expect(cells('PAYOUT').map((c) => [c[9], c[10]])).toEqual([
      ['EUR', '100.00'],
      ['EUR', '25.50'],
      ['EUR', '10.00'],
      ['JPY', '5000'],
    ]);
    expect(cells('REVERSAL').map((c) => [c[8], c[10]])).toEqual([[payoutIds[1], '-25.50']]);
    expect(cells('PAYOUT')[3].slice(3, 7)).toEqual([
      UNNAMED_B,
      BRAND_B,
      `Campaign ${parts[1].campaignId} (no name on record)`,
      parts[1].campaignId,
    ]);
    // The description's formula is prefixed with an apostrophe (and quoted, as it holds quotes and a comma).
    expect(r.data!.creatorStatement.csv).toContain(`,,49.90,"'=HYPERLINK(""http://evil.example"",""click""), a jacket"`);
    expect(rows).toContain(`brand_total,,,Northwind Outdoor,${BRAND},,,,,EUR,110.00,49.90,`);
    expect(rows).toContain(`brand_total,,,${UNNAMED_B},${BRAND_B},,,,,JPY,5000,0,`);
    expect(rows).toContain('total,,,,,,,,,EUR,110.00,49.90,');
    expect(rows).toContain('total,,,,,,,,,JPY,5000,0,');
    expect(rows.some((l) => /^[=+\-@]/.test(l) || /,[=+@]/.test(l))).toBe(false);
    const refused = await sub.query(FILES, { year, creatorId: CREATOR }, memberA);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.data?.creatorStatement ?? null).toBeNull();
  });

  it('the statement as PDF: the totals and payments readable by pdftotext', async () => {
    const year = new Date().getUTCFullYear();
    const r = await sub.query<{ creatorStatement: { pdfBase64: string } }>(FILES, { year, creatorId: CREATOR }, admin);
    expect(r.errors).toBeUndefined();
    const pdf = Buffer.from(r.data!.creatorStatement.pdfBase64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(mkdtempSync(join(tmpdir(), 'statement-')), 'statement.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(`Payment statement ${year}`);
    expect(text).toContain('Creator Tess Walker (@tess.trails)');
    expect(text).toContain('Northwind Outdoor (EUR): cash paid €110.00, product value €49.90');
    expect(text).toContain(`${UNNAMED_B} (JPY): cash paid ¥5,000`);
    expect(text).toContain('Payout €100.00 Northwind Outdoor, Spring run, extended');
    expect(text).toContain(`Period ${year}-01-01 to ${year}-12-31 (UTC)`);
    expect(text).toContain('EUR: cash paid €110.00, product value €49.90');
    expect(text).toContain('JPY: cash paid ¥5,000, product value ¥0');
    expect(text).toContain('Reversal (subtracted) €25.50');
    expect(text).toContain('Product value €49.90');
    const empty = await sub.query<{ creatorStatement: { pdfBase64: string } }>(FILES, { year: year - 1 }, creator);
    writeFileSync(file, Buffer.from(empty.data!.creatorStatement.pdfBase64, 'base64'));
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('No payments and no product value in this year.');
  });

  it('a partnership event with a date PostgreSQL cannot hold (year 0000) is a recorded rejection, never a retry (review #6)', async () => {
    const p = parts[2];
    for (const [i, campaignStartsOn] of ['0000-01-01', '2027-03-01T09:30:00Z'].entries()) {
      const bad = partnershipData(p, { fee: { amountMinor: 1, currency: 'EUR' }, parties: partiesData({ campaignStartsOn }) });
      const eventId = await deliver(sub, TOPICS.campaign, i === 0 ? 'partnership.paused' : 'partnership.resumed', p.partnershipId, bad, {
        source: 'campaign',
      });
      expect(await db(`SELECT reason FROM comp_rejected_events WHERE event_id = $1`, [eventId])).toEqual([
        { reason: 'parties.campaignStartsOn must be an ISO date' },
      ]);
    }
    expect(await db(`SELECT brand_name, status, names_at FROM comp_partnerships WHERE id = $1`, [p.partnershipId])).toEqual([
      { brand_name: null, status: null, names_at: null },
    ]);
  });

  it('a brand’s latest name is the one its latest event carried, whatever partnership was updated last (review #5)', async () => {
    const [a, , other] = parts;
    const names = (brandName: string) => ({ fee: { amountMinor: 100_000, currency: 'EUR' }, parties: partiesData({ brandName }) });
    // The other partnership of brand A is named first (the old name), then partnership a with the new one …
    await deliver(sub, TOPICS.campaign, 'partnership.activated', other.partnershipId, partnershipData(other, names('Northwind Outdoor')), {
      source: 'campaign',
    });
    await deliver(sub, TOPICS.campaign, 'partnership.paused', a.partnershipId, partnershipData(a, names('Northwind Outdoor 2')), {
      source: 'campaign',
    });
    // … and then the other partnership's counters move (an order), which bumps its updated_at past a's.
    await deliver(
      sub,
      TOPICS.conversion,
      'order.attributed',
      other.partnershipId,
      orderData(other, uuid(7001), 5_000, { currency: 'EUR' }),
    );
    const rows = await db<{ id: string; newest: boolean }>(
      `SELECT id, updated_at = max(updated_at) OVER () AS newest FROM comp_partnerships WHERE id = ANY($1::uuid[])`,
      [[a.partnershipId, other.partnershipId]],
    );
    expect(rows.find((r) => r.id === other.partnershipId)?.newest).toBe(true);
    const brandNames = async () =>
      new Set(
        (await sub.query<{ brandPayments: Page }>(BRAND_Q, { brandId: BRAND }, memberA)).data!.brandPayments.edges.map(
          (e) => e.node.brandName,
        ),
      );
    expect(await brandNames()).toEqual(new Set(['Northwind Outdoor 2']));

    // An event older than the names held (a late redelivery of before the rename) does not bring the old name back.
    const stale = createEvent('campaign', {
      type: 'partnership.resumed',
      subject: a.partnershipId,
      data: partnershipData(a, names('Northwind Outdoor (old)')),
    });
    stale.time = new Date(Date.now() - 86_400_000).toISOString();
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.campaign}`, stale, 1);
    await eventually(
      async () => (await db(`SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = 'payments.compensation'`, [stale.id])).length > 0,
      60_000,
      'the stale event to be applied',
    );
    expect(await db(`SELECT brand_name FROM comp_partnerships WHERE id = $1`, [a.partnershipId])).toEqual([
      { brand_name: 'Northwind Outdoor 2' },
    ]);
    expect(await brandNames()).toEqual(new Set(['Northwind Outdoor 2']));
  });
});
