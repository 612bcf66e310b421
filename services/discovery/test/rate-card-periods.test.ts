import { createEvent } from '@influenceflow/kit';
import { RateCardPeriod, RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { RateCardDays } from '../src/pricing/rate-card-days';
import { discoverySubgraph } from '../src/schema';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Discovery prices a creator in search by the rate-card lines valid today, and again on the day a line begins or ends. */
describe("discovery's copy of rate cards with periods", () => {
  let sub: TestSubgraph;
  const creatorId = id(41);
  const priceOf = async () =>
    (
      await sub.runtime.dataSource.query(
        `SELECT price_low_minor::int AS low, price_high_minor::int AS high, price_source AS source FROM creators WHERE id = $1`,
        [creatorId],
      )
    )[0] as {
      low: number | null;
      high: number | null;
      source: string | null;
    };
  const linesOf = async () =>
    (await sub.runtime.dataSource.query(
      `SELECT format, valid_from::text AS "validFrom", valid_until::text AS "validUntil", price_minor::int AS "priceMinor" FROM rate_card_prices WHERE creator_id = $1 ORDER BY format, valid_from`,
      [creatorId],
    )) as { format: string; validFrom: string; validUntil: string | null; priceMinor: number }[];
  const publish = async (format: string, periods: RateCardPeriod[] | undefined, extra: Partial<RateCardUpdatedData> = {}) => {
    const data: RateCardUpdatedData = { creatorId, platform: 'instagram', format, ...(periods ? { periods } : {}), ...extra };
    const event = createEvent('payments', { type: 'ratecard.updated', subject: creatorId, data });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.payment}`, event, 2);
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [event.id])).length === 1,
      30_000,
      'the rate card event to be handled',
    );
  };
  const usd = (priceMinor: number, validFrom: string, validUntil: string | null): RateCardPeriod => ({
    validFrom,
    validUntil,
    priceMinor,
    currency: 'USD',
  });

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    const saved = await sub.query(
      PROFILE,
      { input: { handle: 'period.pia', displayName: 'Pia', niches: ['outdoors'], country: 'US' } },
      identities.creator(creatorId),
    );
    expect(saved.errors).toBeUndefined();
  }, 60_000);
  afterAll(() => sub?.close());

  it('keeps every line with its days, and prices search and the media kit by the lines valid today only', async () => {
    await publish('reel', [usd(40_000, day(-30), day(-1)), usd(45_000, day(0), day(9)), usd(60_000, day(10), null)], {
      priceMinor: 45_000,
      currency: 'USD',
    });
    await publish('story', [usd(90_000, day(5), null)], { removed: true });
    expect(await linesOf()).toEqual([
      { format: 'reel', validFrom: day(-30), validUntil: day(-1), priceMinor: 40_000 },
      { format: 'reel', validFrom: day(0), validUntil: day(9), priceMinor: 45_000 },
      { format: 'reel', validFrom: day(10), validUntil: null, priceMinor: 60_000 },
      { format: 'story', validFrom: day(5), validUntil: null, priceMinor: 90_000 },
    ]);
    // Only today's reel: not last month's, not the future story.
    expect(await priceOf()).toEqual({ low: 45_000, high: 45_000, source: 'rate_card' });
    // A later event replaces the lines of its platform and format, and only those.
    await publish('reel', [usd(47_000, day(0), null)], { priceMinor: 47_000, currency: 'USD' });
    expect((await linesOf()).map((l) => [l.format, l.priceMinor])).toEqual([
      ['reel', 47_000],
      ['story', 90_000],
    ]);
    expect(await priceOf()).toMatchObject({ low: 47_000, high: 47_000 });
  });

  it('reads an event from an older producer (no periods) as one open-ended line, and a removal as none', async () => {
    await publish('post', undefined, { priceMinor: 30_000, currency: 'USD' });
    expect((await linesOf()).filter((l) => l.format === 'post')).toEqual([
      { format: 'post', validFrom: '1970-01-01', validUntil: null, priceMinor: 30_000 },
    ]);
    expect(await priceOf()).toMatchObject({ low: 30_000, high: 47_000 });
    await publish('post', undefined, { removed: true });
    expect((await linesOf()).filter((l) => l.format === 'post')).toEqual([]);
    expect(await priceOf()).toMatchObject({ low: 47_000, high: 47_000 });
  });

  it('prices a creator again on the day a line begins or ends, and the day is done once', async () => {
    const ds = sub.runtime.dataSource;
    // As if yesterday were the last day done: since then the story's line began (it starts today) and a
    // line that ended yesterday stopped. Written straight into the copy, as a new day would find them.
    await ds.query(`UPDATE rate_card_prices SET valid_from = $2 WHERE creator_id = $1 AND format = 'story'`, [creatorId, day(0)]);
    await ds.query(
      `INSERT INTO rate_card_prices (creator_id, platform, format, valid_from, valid_until, price_minor, currency) VALUES ($1, 'tiktok', 'reel', $2, $3, 1000, 'USD')`,
      [creatorId, day(-3), day(-1)],
    );
    await ds.query(`UPDATE rate_card_days SET priced_through = $1`, [day(-1)]);
    // Nothing has re-priced yet: search still holds yesterday's figures.
    expect(await priceOf()).toMatchObject({ low: 47_000, high: 47_000 });

    const days = new RateCardDays(sub.runtime, sub.runtime.logger);
    expect(await days.round()).toBe(1);
    // Today: the reel at $470 and the story at $900 (the ended TikTok line left out).
    expect(await priceOf()).toEqual({ low: 47_000, high: 90_000, source: 'rate_card' });
    expect((await ds.query(`SELECT priced_through::text AS d FROM rate_card_days`))[0].d).toBe(day(0));
    expect(await days.round()).toBe(0);
  });

  it('refuses a line that ends before it begins, in the database too', async () => {
    await expect(
      sub.runtime.dataSource.query(
        `INSERT INTO rate_card_prices (creator_id, platform, format, valid_from, valid_until, price_minor, currency) VALUES ($1, 'youtube', 'video', $2, $3, 1, 'USD')`,
        [creatorId, day(0), day(-1)],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'rate_card_prices_period' });
  });
});
