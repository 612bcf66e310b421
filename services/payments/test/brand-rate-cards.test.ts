import { todayUtc } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';

const SET = `mutation($input: BrandRateCardEntryInput!) { setBrandRateCardEntry(input: $input) { id brandId platform format validFrom validUntil price { amountMinor currency formatted } } }`;
const LIST = `query($brandId: ID!, $on: String) { brandRateCard(brandId: $brandId, on: $on) { platform format validFrom validUntil price { amountMinor } } }`;
const id = (n: number) => `00000000-0000-4000-8b14-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const OTHER = id(2);

describe("a brand's standard pricing", () => {
  let sub: TestSubgraph;
  const count = async () => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM brand_rate_card_entries`))[0].n as number;
  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(() => sub?.close());

  it('keeps prices per platform and format over periods that do not overlap; members write, analysts read', async () => {
    const member = identities.brandMember(BRAND);
    const base = { brandId: BRAND, platform: 'INSTAGRAM', format: 'REEL' };
    const first = await sub.query(
      SET,
      { input: { ...base, price: { amountMinor: 50_000, currency: 'USD' }, validFrom: '2027-01-01', validUntil: '2027-06-30' } },
      member,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data!.setBrandRateCardEntry).toMatchObject({
      validFrom: '2027-01-01',
      validUntil: '2027-06-30',
      price: { formatted: '$500.00' },
    });
    const second = await sub.query(
      SET,
      { input: { ...base, price: { amountMinor: 60_000, currency: 'USD' }, validFrom: '2027-07-01' } },
      member,
    );
    expect(second.errors).toBeUndefined();
    // The same start replaces its line.
    const replaced = await sub.query(
      SET,
      { input: { ...base, price: { amountMinor: 65_000, currency: 'USD' }, validFrom: '2027-07-01' } },
      member,
    );
    expect(replaced.errors).toBeUndefined();
    // A period overlapping another line of the same platform and format.
    const overlapping = await sub.query(
      SET,
      { input: { ...base, price: { amountMinor: 1, currency: 'USD' }, validFrom: '2027-06-01', validUntil: '2027-06-15' } },
      member,
    );
    expect(overlapping.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.validFrom' });

    const analyst = identities.analyst(BRAND);
    const all = await sub.query<{ brandRateCard: { validFrom: string; price: { amountMinor: number } }[] }>(
      LIST,
      { brandId: BRAND },
      analyst,
    );
    expect(all.data!.brandRateCard.map((e) => [e.validFrom, e.price.amountMinor])).toEqual([
      ['2027-01-01', 50_000],
      ['2027-07-01', 65_000],
    ]);
    const onDay = await sub.query<{ brandRateCard: { price: { amountMinor: number } }[] }>(
      LIST,
      { brandId: BRAND, on: '2027-08-15' },
      analyst,
    );
    expect(onDay.data!.brandRateCard.map((e) => e.price.amountMinor)).toEqual([65_000]);
    expect(
      (await sub.query(SET, { input: { ...base, price: { amountMinor: 1, currency: 'USD' }, validFrom: '2028-01-01' } }, analyst))
        .errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it("refuses bad input all at once, other brands' members, and removing another brand's line", async () => {
    const before = await count();
    const bad = await sub.query(
      SET,
      {
        input: {
          brandId: BRAND,
          platform: 'TIKTOK',
          format: 'VIDEO',
          price: { amountMinor: -1, currency: 'DOLLARS' },
          validFrom: '2027-02-30',
          validUntil: 'soon',
        },
      },
      identities.brandMember(BRAND),
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((bad.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(
      ['input.price.amountMinor', 'input.price.currency', 'input.validFrom', 'input.validUntil'].sort(),
    );
    const input = {
      brandId: BRAND,
      platform: 'TIKTOK',
      format: 'VIDEO',
      price: { amountMinor: 100, currency: 'USD' },
      validFrom: '2027-01-01',
    };
    expect((await sub.query(SET, { input }, identities.brandMember(OTHER))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(SET, { input }, identities.creator(id(9)))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(LIST, { brandId: BRAND }, identities.analyst(OTHER))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count()).toBe(before);

    const [line] = await sub.runtime.dataSource.query(`SELECT id FROM brand_rate_card_entries WHERE brand_id = $1 LIMIT 1`, [BRAND]);
    const REMOVE = `mutation($id: ID!) { removeBrandRateCardEntry(id: $id) }`;
    expect((await sub.query(REMOVE, { id: line.id }, identities.brandMember(OTHER))).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await sub.query(REMOVE, { id: line.id }, identities.brandMember(BRAND))).data).toEqual({ removeBrandRateCardEntry: true });
    expect(await count()).toBe(before - 1);
  });

  it('refuses overlapping periods written at the same time: one line wins, the others are a CONFLICT (never INTERNAL)', async () => {
    const member = identities.brandMember(OTHER);
    const base = { brandId: OTHER, platform: 'YOUTUBE', format: 'SHORT', price: { amountMinor: 1_000, currency: 'EUR' } };
    const starts = ['2031-01-01', '2031-01-02', '2031-01-03', '2031-01-04', '2031-01-05'];
    const results = await Promise.all(
      starts.map((validFrom) => sub.query(SET, { input: { ...base, validFrom, validUntil: '2031-12-31' } }, member)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code)).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
    ]);
    const rows = await sub.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM brand_rate_card_entries WHERE brand_id = $1 AND format = 'short'`,
      [OTHER],
    );
    expect(rows[0].n).toBe(1);
  });

  it('starts a line today when validFrom is left out, ending the line that held today yesterday (the rule of creators too)', async () => {
    const member = identities.brandMember(OTHER);
    const base = { brandId: OTHER, platform: 'TWITCH', format: 'LIVE' };
    const today = todayUtc();
    const first = await sub.query(
      SET,
      { input: { ...base, price: { amountMinor: 7_000, currency: 'EUR' }, validFrom: '2020-01-01' } },
      member,
    );
    expect(first.errors).toBeUndefined();
    const now = await sub.query<{ setBrandRateCardEntry: { validFrom: string; validUntil: string | null } }>(
      SET,
      { input: { ...base, price: { amountMinor: 8_000, currency: 'EUR' } } },
      member,
    );
    expect(now.data!.setBrandRateCardEntry).toMatchObject({ validFrom: today, validUntil: null });
    const lines = await sub.query<{
      brandRateCard: { format: string; validFrom: string; validUntil: string | null; price: { amountMinor: number } }[];
    }>(LIST, { brandId: OTHER }, member);
    const live = lines.data!.brandRateCard.filter((l) => l.format === 'LIVE');
    expect(live.map((l) => [l.validFrom, l.price.amountMinor])).toEqual([
      ['2020-01-01', 7_000],
      [today, 8_000],
    ]);
    expect(live[0].validUntil! < today).toBe(true);
    const onToday = await sub.query<{ brandRateCard: { price: { amountMinor: number } }[] }>(LIST, { brandId: OTHER, on: today }, member);
    expect(onToday.data!.brandRateCard.map((l) => l.price.amountMinor)).toContain(8_000);
    expect(onToday.data!.brandRateCard.map((l) => l.price.amountMinor)).not.toContain(7_000);
    const badDay = await sub.query(LIST, { brandId: OTHER, on: '2031-13-01' }, member);
    expect(badDay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'on' });
  });
});
