import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { paymentsSubgraph } from '../src/schema';

const SET = `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id platform format price { amountMinor currency formatted } } }`;
const tess = '00000000-0000-4000-8000-000000000001';
const kai = '00000000-0000-4000-8000-000000000002';

describe('rate cards', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(() => sub?.close());

  it('keeps one price per platform and format (a second set replaces it)', async () => {
    const first = await sub.query(
      SET,
      { input: { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: 80_000, currency: 'USD' } } },
      identities.creator(tess),
    );
    expect(first.errors).toBeUndefined();
    const second = await sub.query(
      SET,
      { input: { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: 95_000, currency: 'USD' } } },
      identities.creator(tess),
    );
    expect(second.data!.setRateCardEntry).toMatchObject({
      platform: 'INSTAGRAM',
      format: 'REEL',
      price: { amountMinor: 95_000, currency: 'USD', formatted: '$950.00' },
    });
    const mine = await sub.query<{ myRateCard: unknown[] }>(`{ myRateCard { id } }`, {}, identities.creator(tess));
    expect(mine.data!.myRateCard).toHaveLength(1);
  });

  it('extends Creator with its rate card, batched for many creators', async () => {
    await sub.query(
      SET,
      { input: { platform: 'TIKTOK', format: 'SHORT', price: { amountMinor: 5_000_000, currency: 'JPY' } } },
      identities.creator(kai),
    );
    const r = await sub.query<{ _entities: { id: string; rateCard: { platform: string; price: { formatted: string } }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Creator { id rateCard { platform price { formatted } } } } }`,
      {
        reps: [
          { __typename: 'Creator', id: tess },
          { __typename: 'Creator', id: kai },
          { __typename: 'Creator', id: '00000000-0000-4000-8000-000000000003' },
        ],
      },
    );
    expect(r.data!._entities).toEqual([
      { id: tess, rateCard: [{ platform: 'INSTAGRAM', price: { formatted: '$950.00' } }] },
      { id: kai, rateCard: [{ platform: 'TIKTOK', price: { formatted: '¥5,000,000' } }] },
      { id: '00000000-0000-4000-8000-000000000003', rateCard: [] },
    ]);
  });

  it('publishes ratecard.updated through the outbox', async () => {
    const rows = await eventually(
      async () => {
        const r: { sent_at: Date | null }[] = await sub.runtime.dataSource.query(
          `SELECT sent_at FROM outbox WHERE type = 'ratecard.updated' AND key = $1`,
          [tess],
        );
        return r.length === 2 && r.every((x) => x.sent_at) ? r : undefined;
      },
      20_000,
      'two published events',
    );
    expect(rows).toHaveLength(2);
  });

  it('refuses bad money with the field and writes nothing', async () => {
    const count = async () => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM rate_card_entries`))[0].n;
    const before = await count();
    const badCurrency = await sub.query(
      SET,
      { input: { platform: 'YOUTUBE', format: 'VIDEO', price: { amountMinor: 100, currency: 'US' } } },
      identities.creator(tess),
    );
    expect(badCurrency.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.price.currency' });
    const negative = await sub.query(
      SET,
      { input: { platform: 'YOUTUBE', format: 'VIDEO', price: { amountMinor: -1, currency: 'USD' } } },
      identities.creator(tess),
    );
    expect(negative.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.price.amountMinor' });
    const badPlatform = await sub.query(
      SET,
      { input: { platform: 'MYSPACE', format: 'VIDEO', price: { amountMinor: 1, currency: 'USD' } } },
      identities.creator(tess),
    );
    expect(badPlatform.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it("lets nobody else change or remove a creator's rate card", async () => {
    const input = { creatorId: tess, platform: 'X', format: 'POST', price: { amountMinor: 100, currency: 'USD' } };
    expect((await sub.query(SET, { input }, identities.creator(kai))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await sub.query(SET, { input }, identities.brandMember('00000000-0000-4000-8000-0000000000b1'))).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    expect((await sub.query(SET, { input }, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const [entry] = await sub.runtime.dataSource.query(`SELECT id FROM rate_card_entries WHERE creator_id = $1`, [tess]);
    const removal = await sub.query(`mutation($id: ID!) { removeRateCardEntry(id: $id) }`, { id: entry.id }, identities.creator(kai));
    expect(removal.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const own = await sub.query(`mutation($id: ID!) { removeRateCardEntry(id: $id) }`, { id: entry.id }, identities.creator(tess));
    expect(own.data).toEqual({ removeRateCardEntry: true });
  });

  it('reports every bad field of a rate card entry at once; another creator is refused first', async () => {
    // An admin must name the creator; the price is wrong twice over.
    const input = { platform: 'INSTAGRAM', format: 'REEL', price: { amountMinor: -1, currency: 'DOLLARS' } };
    const count = async () => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM rate_card_entries`))[0].n;
    const before = await count();
    const byAdmin = await sub.query(SET, { input }, identities.admin());
    expect(byAdmin.errors).toHaveLength(1);
    expect(byAdmin.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.creatorId' });
    expect((byAdmin.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.creatorId',
      'input.price.currency',
      'input.price.amountMinor',
    ]);
    const byOther = await sub.query(SET, { input: { ...input, creatorId: tess } }, identities.creator(kai));
    expect(byOther.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const byBrand = await sub.query(SET, { input }, identities.brandMember('00000000-0000-4000-8000-0000000000b9'));
    expect(byBrand.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await count()).toBe(before);
  });
});
