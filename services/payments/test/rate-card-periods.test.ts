import { addDays, todayUtc } from '@influenceflow/kit';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { RateCardUpdatedData } from '@influenceflow/vocabulary';
import { paymentsSubgraph } from '../src/schema';
import { RateCardPeriods1767610000000 } from '../src/migrations/1767610000000-RateCardPeriods';

const SET = `mutation($input: RateCardEntryInput!) { setRateCardEntry(input: $input) { id platform format validFrom validUntil price { amountMinor currency } } }`;
const MINE = `query($on: String) { myRateCard(on: $on) { platform format validFrom validUntil price { amountMinor } } }`;
const ENTITIES = `query($reps: [_Any!]!, $on: String) { _entities(representations: $reps) { ... on Creator { id rateCard(on: $on) { platform format validFrom price { amountMinor } } } } }`;
const id = (n: number) => `00000000-0000-4000-8c14-${String(n).padStart(12, '0')}`;
const ANA = id(1);
const BEN = id(2);
const CLEO = id(3);
const DEV = id(4);
const OLD = id(5);
const EVE = id(6);
const NOW = id(7);
const LATER = id(8);

type Line = { platform: string; format: string; validFrom: string; validUntil: string | null; price: { amountMinor: number } };

describe("rate card periods (a creator's lines over time)", () => {
  let sub: TestSubgraph;
  const count = async (creatorId: string) =>
    (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM rate_card_entries WHERE creator_id = $1`, [creatorId]))[0]
      .n as number;
  const set = (who: string, input: Record<string, unknown>) =>
    sub.query<{ setRateCardEntry: Line }>(SET, { input: { platform: 'INSTAGRAM', format: 'REEL', ...input } }, identities.creator(who));
  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  /** What the outbox holds of a creator's ratecard.updated events, oldest first (written in the change's transaction). */
  const announced = async (creatorId: string): Promise<RateCardUpdatedData[]> =>
    (
      (await sub.runtime.dataSource.query(
        `SELECT envelope->'data' AS data FROM outbox WHERE type = 'ratecard.updated' AND key = $1 ORDER BY seq`,
        [creatorId],
      )) as { data: RateCardUpdatedData }[]
    ).map((r) => r.data);
  const mine = async (who: string, on?: string) =>
    (await sub.query<{ myRateCard: Line[] }>(MINE, { on }, identities.creator(who))).data!.myRateCard;

  beforeAll(async () => {
    sub = await startTestSubgraph(paymentsSubgraph);
  });
  afterAll(() => sub?.close());

  it('migrates a line made before periods to one valid from 1970-01-01, open-ended', async () => {
    const q = sub.runtime.dataSource.createQueryRunner();
    const today = todayUtc();
    // Lines over time; going back to one line per platform and format keeps the price valid today, else the latest.
    const lines: [string, number, string, string | null][] = [
      [NOW, 10_000, '2020-01-01', addDays(today, -1)],
      [NOW, 20_000, today, addDays(today, 9)],
      [NOW, 30_000, addDays(today, 10), null],
      [LATER, 40_000, addDays(today, 10), addDays(today, 19)],
      [LATER, 50_000, addDays(today, 20), null],
    ];
    for (const [creator, price, from, until] of lines) {
      await sub.runtime.dataSource.query(
        `INSERT INTO rate_card_entries (creator_id, platform, format, price_minor, currency, valid_from, valid_until)
         VALUES ($1, 'instagram', 'reel', $2, 'USD', $3, $4)`,
        [creator, price, from, until],
      );
    }
    try {
      const migration = new RateCardPeriods1767610000000();
      await migration.down(q);
      const kept = await sub.runtime.dataSource.query(
        `SELECT creator_id, price_minor::int AS price FROM rate_card_entries WHERE creator_id = ANY($1) ORDER BY creator_id`,
        [[NOW, LATER]],
      );
      expect(kept).toEqual([
        { creator_id: NOW, price: 20_000 },
        { creator_id: LATER, price: 50_000 },
      ]);
      await q.query(
        `INSERT INTO rate_card_entries (creator_id, platform, format, price_minor, currency) VALUES ($1, 'youtube', 'video', 120000, 'USD')`,
        [OLD],
      );
      await migration.up(q);
    } finally {
      await q.release();
    }
    expect(await mine(OLD)).toEqual([
      { platform: 'YOUTUBE', format: 'VIDEO', validFrom: '1970-01-01', validUntil: null, price: { amountMinor: 120_000 } },
    ]);
    expect(await mine(NOW)).toEqual([
      { platform: 'INSTAGRAM', format: 'REEL', validFrom: '1970-01-01', validUntil: null, price: { amountMinor: 20_000 } },
    ]);
    // Setting a price without a start now: the migrated line ends yesterday, the new one starts today.
    const now = await sub.query<{ setRateCardEntry: Line }>(
      SET,
      { input: { platform: 'YOUTUBE', format: 'VIDEO', price: usd(150_000) } },
      identities.creator(OLD),
    );
    expect(now.errors).toBeUndefined();
    expect(now.data!.setRateCardEntry).toMatchObject({ validFrom: today, validUntil: null, price: { amountMinor: 150_000 } });
    expect((await mine(OLD)).map((l) => [l.validFrom, l.validUntil, l.price.amountMinor])).toEqual([
      ['1970-01-01', addDays(today, -1), 120_000],
      [today, null, 150_000],
    ]);
    // The same again the same day replaces today's line; yesterday's price stays.
    expect((await set(OLD, { platform: 'YOUTUBE', format: 'VIDEO', price: usd(160_000) })).errors).toBeUndefined();
    expect((await mine(OLD)).map((l) => l.price.amountMinor)).toEqual([120_000, 160_000]);
  });

  it('keeps periods apart: the day after the last one is fine, a shared day is a CONFLICT with the field at fault', async () => {
    ok(await set(ANA, { price: usd(50_000), validFrom: '2037-01-01', validUntil: '2037-06-30' }));
    ok(await set(ANA, { price: usd(60_000), validFrom: '2037-07-01' }));
    const before = await count(ANA);
    // Starts inside the first line.
    const startsInside = await set(ANA, { price: usd(1), validFrom: '2037-06-30', validUntil: '2037-07-05' });
    expect(startsInside.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.validFrom' });
    // Ends inside the first line (its end runs into a later line).
    const endsInside = await set(ANA, { price: usd(1), validFrom: '2036-12-01', validUntil: '2037-01-01' });
    expect(endsInside.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.validUntil' });
    // Open-ended before both: covers them.
    expect((await set(ANA, { price: usd(1), validFrom: '2036-01-01' })).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    // One day, the same day as an existing line's last day.
    expect((await set(ANA, { price: usd(1), validFrom: '2037-06-30', validUntil: '2037-06-30' })).errors?.[0].extensions?.code).toBe(
      'CONFLICT',
    );
    expect(await count(ANA)).toBe(before);
    // The day before the first line, ending the day before it starts: fine.
    ok(await set(ANA, { price: usd(40_000), validFrom: '2036-07-01', validUntil: '2036-12-31' }));
    // Another format of the same platform is another line.
    ok(await set(ANA, { format: 'STORY', price: usd(10_000), validFrom: '2037-06-30', validUntil: '2037-07-05' }));
    // The same start replaces the line, its end too (here shortened).
    ok(await set(ANA, { price: usd(55_000), validFrom: '2037-01-01', validUntil: '2037-03-31' }));
    expect((await mine(ANA)).map((l) => [l.format, l.validFrom, l.validUntil, l.price.amountMinor])).toEqual([
      ['REEL', '2036-07-01', '2036-12-31', 40_000],
      ['REEL', '2037-01-01', '2037-03-31', 55_000],
      ['REEL', '2037-07-01', null, 60_000],
      ['STORY', '2037-06-30', '2037-07-05', 10_000],
    ]);
  });

  it("the database refuses overlapping periods and an end before the start on its own (creators' and brands')", async () => {
    const ds = sub.runtime.dataSource;
    const insert = (table: string, owner: string, from: string, until: string | null) =>
      ds
        .query(
          `INSERT INTO ${table} (${table === 'rate_card_entries' ? 'creator_id' : 'brand_id'}, platform, format, price_minor, currency, valid_from, valid_until)
           VALUES ($1, 'tiktok', 'live', 1, 'USD', $2, $3)`,
          [owner, from, until],
        )
        .then(
          () => 'ok',
          (err: { code?: string }) => err.code,
        );
    for (const table of ['rate_card_entries', 'brand_rate_card_entries']) {
      expect(await insert(table, DEV, '2030-01-01', '2030-01-31')).toBe('ok');
      expect(await insert(table, DEV, '2030-02-01', null)).toBe('ok');
      expect(await insert(table, DEV, '2030-01-31', '2030-01-31')).toBe('23P01'); // exclusion_violation
      expect(await insert(table, DEV, '2029-01-01', null)).toBe('23P01');
      expect(await insert(table, DEV, '2031-01-01', '2030-12-31')).toBe('23514'); // check_violation
      expect(await insert(table, BEN, '2030-01-15', null)).toBe('ok'); // another owner
    }
  });

  it('answers a day with the line whose period holds it: past, current and future lines', async () => {
    const today = todayUtc();
    ok(await set(CLEO, { price: usd(10_000), validFrom: '2020-01-01', validUntil: addDays(today, -1) }));
    ok(await set(CLEO, { price: usd(20_000), validFrom: today, validUntil: addDays(today, 9) }));
    ok(await set(CLEO, { price: usd(30_000), validFrom: addDays(today, 10) }));
    ok(await set(CLEO, { platform: 'TIKTOK', format: 'SHORT', price: usd(5_000), validFrom: addDays(today, 10) }));
    const onDay = async (on?: string) => (await mine(CLEO, on)).map((l) => [l.platform, l.price.amountMinor]);
    expect(await onDay('2020-01-01')).toEqual([['INSTAGRAM', 10_000]]);
    expect(await onDay('2019-12-31')).toEqual([]);
    expect(await onDay(today)).toEqual([['INSTAGRAM', 20_000]]);
    expect(await onDay(addDays(today, 9))).toEqual([['INSTAGRAM', 20_000]]);
    expect(await onDay(addDays(today, 10))).toEqual([
      ['INSTAGRAM', 30_000],
      ['TIKTOK', 5_000],
    ]);
    expect(await onDay('9999-12-31')).toEqual([
      ['INSTAGRAM', 30_000],
      ['TIKTOK', 5_000],
    ]);
    expect(await onDay()).toHaveLength(4); // every line

    // The public rate card (on Creator): today's prices by default, another day when asked; batched.
    const reps = [CLEO, ANA].map((c) => ({ __typename: 'Creator', id: c }));
    const publicCard = async (on?: string) =>
      (
        await sub.query<{
          _entities: { id: string; rateCard: { platform: string; validFrom: string; price: { amountMinor: number } }[] }[];
        }>(ENTITIES, { reps, on })
      ).data!._entities.map((c) => c.rateCard.map((l) => `${l.platform}:${l.price.amountMinor}`));
    expect(await publicCard()).toEqual([['INSTAGRAM:20000'], []]);
    // Ana's card (dates years ahead, so today holds none of them): the reel and the story that share 2037-07-01.
    expect((await publicCard('2037-07-01'))[1]).toEqual(['INSTAGRAM:60000', 'INSTAGRAM:10000']);
    expect((await publicCard('2037-02-01'))[1]).toEqual(['INSTAGRAM:55000']);
    expect((await publicCard('2036-12-31'))[1]).toEqual(['INSTAGRAM:40000']);
  });

  it('announces every line of the platform and format, and the price valid today for older consumers', async () => {
    const today = todayUtc();
    const events = await announced(CLEO);
    expect(events).toHaveLength(4);
    const third = events[2];
    expect(third).toEqual({
      creatorId: CLEO,
      platform: 'instagram',
      format: 'reel',
      priceMinor: 20_000,
      currency: 'USD',
      asOf: today,
      periods: [
        { validFrom: '2020-01-01', validUntil: addDays(today, -1), priceMinor: 10_000, currency: 'USD' },
        { validFrom: today, validUntil: addDays(today, 9), priceMinor: 20_000, currency: 'USD' },
        { validFrom: addDays(today, 10), validUntil: null, priceMinor: 30_000, currency: 'USD' },
      ],
    });
    // A line only in the future: no price today, its period announced.
    expect(events[3]).toMatchObject({ platform: 'tiktok', format: 'short', removed: true, periods: [{ validFrom: addDays(today, 10) }] });
    expect(events[3].priceMinor).toBeUndefined();

    // Removing a line announces what is left; removing the last one an empty list.
    const [story] = await sub.runtime.dataSource.query(`SELECT id FROM rate_card_entries WHERE creator_id = $1 AND format = 'story'`, [
      ANA,
    ]);
    const removed = await sub.query(`mutation($id: ID!) { removeRateCardEntry(id: $id) }`, { id: story.id }, identities.creator(ANA));
    expect(removed.data).toEqual({ removeRateCardEntry: true });
    const last = (await announced(ANA)).pop();
    expect(last).toMatchObject({ format: 'story', removed: true, periods: [] });
  });

  it('announces the committed set when lines of one platform and format are written or removed at the same time', async () => {
    const ds = sub.runtime.dataSource;
    /** Each line in the table, as ratecard.updated carries it. */
    const table = async () =>
      (
        (await ds.query(
          `SELECT to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
                  price_minor::int AS "priceMinor", currency
             FROM rate_card_entries WHERE creator_id = $1 AND platform = 'instagram' AND format = 'reel' ORDER BY valid_from`,
          [EVE],
        )) as { validFrom: string; validUntil: string | null; priceMinor: number; currency: string }[]
      ).map((l) => ({ ...l, currency: l.currency.trim() }));
    /**
     * Runs `changes` at the same time, each held at the outbox (a lock on it, taken first) until all are
     * under way, so each reads its lines while the others are not committed yet; then lets them go.
     */
    const atOnce = async <R>(changes: (() => Promise<R>)[]): Promise<R[]> => {
      const holder = ds.createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query(`LOCK TABLE outbox IN SHARE ROW EXCLUSIVE MODE`);
        const running = changes.map((change) => change());
        // Every change waits for a lock: the outbox's (the event), or another change's turn. (Not the relay's marking.)
        await eventually(
          async () =>
            (
              await ds.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock' AND query NOT LIKE 'UPDATE outbox%'`,
              )
            )[0].n === changes.length,
          30_000,
          'every change to wait',
        );
        await holder.commitTransaction();
        return await Promise.all(running);
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    };
    const lastAnnounced = async () => (await announced(EVE)).pop()!.periods;

    ok(await set(EVE, { price: usd(10_000), validFrom: '2020-01-01', validUntil: '2027-05-31' }));
    // Two lines that do not overlap, at once (a UI saving both with Promise.all): both in the table and in the last event.
    await atOnce([
      () => set(EVE, { price: usd(20_000), validFrom: '2027-06-01', validUntil: '2027-08-31' }),
      () => set(EVE, { price: usd(30_000), validFrom: '2027-09-01', validUntil: '2027-11-30' }),
    ]);
    expect((await table()).map((l) => l.validFrom)).toEqual(['2020-01-01', '2027-06-01', '2027-09-01']);
    expect(await lastAnnounced()).toEqual(await table());
    // A removal beside a new line, at once: the event after both has the new line and not the removed one.
    const [summer] = await ds.query(`SELECT id FROM rate_card_entries WHERE creator_id = $1 AND valid_from = '2027-06-01'`, [EVE]);
    const [removed, winter] = await atOnce([
      () => sub.query(`mutation($id: ID!) { removeRateCardEntry(id: $id) }`, { id: summer.id }, identities.creator(EVE)),
      () => set(EVE, { price: usd(40_000), validFrom: '2027-12-01' }),
    ]);
    expect(removed.data).toEqual({ removeRateCardEntry: true });
    ok(winter);
    expect((await table()).map((l) => l.validFrom)).toEqual(['2020-01-01', '2027-09-01', '2027-12-01']);
    expect(await lastAnnounced()).toEqual(await table());
    // One event per change, in the order they committed: each is the set of the one before with one line added or removed.
    const starts = (await announced(EVE)).map((e) => e.periods!.map((p) => p.validFrom));
    expect(starts).toHaveLength(5);
    const changed = starts.slice(1).map((now, i) => {
      const before = starts[i];
      return [...now.filter((d) => !before.includes(d)), ...before.filter((d) => !now.includes(d))].length;
    });
    expect(changed).toEqual([1, 1, 1, 1]);
  });

  it('a price from today that would run into a later line is a CONFLICT, and the line holding today stays as it was', async () => {
    const today = todayUtc();
    const lines = async () =>
      (await mine(CLEO)).filter((l) => l.platform === 'INSTAGRAM').map((l) => [l.validFrom, l.validUntil, l.price.amountMinor]);
    const before = await lines();
    // Today's line (until today + 9) would become open-ended and meet the one from today + 10.
    const openEnded = await set(CLEO, { price: usd(25_000) });
    expect(openEnded.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.validUntil' });
    expect(await lines()).toEqual(before);
    // A line that started before today: its end is moved only if the new line is written (here it is not).
    ok(await set(DEV, { price: usd(1_000), validFrom: '2020-01-01', validUntil: addDays(today, 5) }));
    ok(await set(DEV, { price: usd(2_000), validFrom: addDays(today, 6) }));
    const refused = await set(DEV, { price: usd(1_500) });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.validUntil' });
    expect((await mine(DEV)).filter((l) => l.platform === 'INSTAGRAM').map((l) => [l.validFrom, l.validUntil])).toEqual([
      ['2020-01-01', addDays(today, 5)],
      [addDays(today, 6), null],
    ]);
    // With an end before the later line: today's line is replaced.
    ok(await set(CLEO, { price: usd(25_000), validUntil: addDays(today, 9) }));
    expect((await mine(CLEO, today)).map((l) => l.price.amountMinor)).toEqual([25_000]);
    expect((await lines()).length).toBe(before.length);
  });

  it('refuses hostile input, every bad field at once, with nothing written', async () => {
    const before = await count(BEN);
    const all = await set(BEN, { price: { amountMinor: -5, currency: 'ZZZ' }, validFrom: '2027-02-30', validUntil: '2027-13-01' });
    expect(all.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((all.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(
      ['input.price.amountMinor', 'input.price.currency', 'input.validFrom', 'input.validUntil'].sort(),
    );
    const refused: [Record<string, unknown>, string][] = [
      [{ price: usd(1), validFrom: '2027-06-01', validUntil: '2027-05-31' }, 'input.validUntil'],
      [{ price: usd(1), validUntil: '2020-01-01' }, 'input.validUntil'], // before today, the start left out
      [{ price: usd(1), validFrom: '27-06-01' }, 'input.validFrom'],
      [{ price: usd(1), validFrom: '2027-06-01T00:00:00Z' }, 'input.validFrom'],
      [{ price: usd(1), validFrom: '0000-01-01' }, 'input.validFrom'],
      [{ price: usd(1), validFrom: '2027-06-01'.repeat(1000) }, 'input.validFrom'],
      [{ price: { amountMinor: 1, currency: 'XXX' } }, 'input.price.currency'],
      [{ price: { amountMinor: 1, currency: 'usd' } }, 'input.price.currency'],
      [{ price: usd(-1) }, 'input.price.amountMinor'],
    ];
    for (const [input, field] of refused) {
      const r = await set(BEN, input);
      expect([field, r.errors?.[0].extensions?.code, r.errors?.[0].extensions?.field]).toEqual([field, 'BAD_USER_INPUT', field]);
    }
    // Refused by the input guard or GraphQL itself: NUL bytes, huge strings, fractional or unsafe amounts.
    const shape: Record<string, unknown>[] = [
      { price: usd(1), validFrom: '2027-06-01\u0000' },
      { price: usd(1), validFrom: 'x'.repeat(200_000) },
      { price: usd(1.5) },
      { price: usd(2 ** 60) },
      { price: { amountMinor: 1, currency: 'U\u0000D' } },
      { platform: 'MYSPACE', price: usd(1) },
    ];
    for (const input of shape) {
      const r = await set(BEN, input);
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(r.errors)).not.toContain('x'.repeat(1000));
    }
    const badDay = await sub.query(MINE, { on: '2027-02-29' }, identities.creator(BEN));
    expect(badDay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'on' });
    const badPublicDay = await sub.query(ENTITIES, { reps: [{ __typename: 'Creator', id: BEN }], on: 'today' });
    expect(badPublicDay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'on' });
    expect(await count(BEN)).toBe(before);
  });

  it('lets a creator change only their own card; brands and others are refused, admins name the creator', async () => {
    const input = { creatorId: ANA, platform: 'X', format: 'POST', price: usd(100), validFrom: '2027-01-01' };
    const before = await count(ANA);
    expect((await sub.query(SET, { input }, identities.creator(BEN))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(SET, { input }, identities.brandMember(id(90)))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(SET, { input }, identities.analyst(id(90)))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sub.query(SET, { input }, null)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Permission comes before the values: a bad date from another creator is still FORBIDDEN.
    expect((await sub.query(SET, { input: { ...input, validFrom: 'soon' } }, identities.creator(BEN))).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await sub.query(MINE, {}, identities.brandMember(id(90)))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count(ANA)).toBe(before);
    const byAdmin = await sub.query<{ setRateCardEntry: Line }>(SET, { input }, identities.admin());
    expect(byAdmin.errors).toBeUndefined();
    expect(await count(ANA)).toBe(before + 1);
  });
});

function ok<T>(r: { data?: T | null; errors?: readonly unknown[] }): T {
  expect(r.errors).toBeUndefined();
  return r.data!;
}
