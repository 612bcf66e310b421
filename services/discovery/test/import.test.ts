import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { Readable } from 'node:stream';
import { accountMetrics } from '../src/accounts/account-metrics';
import { creatorRecordSchema, parseRecord } from '../src/creators/creator-record';
import { ImportSummary, importCreators, importGenerated, ImportOptions } from '../src/ingest/importer';
import { generateCreators } from '../src/ingest/synthetic';
import { AGE_BUCKETS, GENDERS } from '../src/rules/types';
import { searchProfile } from '../src/creators/search-profile';
import { discoverySubgraph } from '../src/schema';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SAVE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** A full record: two accounts with audience, history and posts; a bio that needs escaping in COPY. */
const alice = {
  handle: 'Alice.Cooks',
  displayName: 'Alice "the cook" Müller',
  bio: 'Recipes\tand\ttips\nfrom Berlin \\ Kreuzberg 🍜',
  niches: ['food', 'travel'],
  contentStyles: ['recipe', 'vlog'],
  languages: ['de', 'en'],
  country: 'de',
  region: 'Berlin',
  city: 'Berlin',
  markets: ['AT', 'CH'],
  accounts: [
    {
      platform: 'instagram',
      handle: '@alice.cooks',
      followers: 42_000,
      following: 310,
      postCount: 880,
      audience: {
        ages: { '18-24': 30, '25-34': 45, '35-44': 15 },
        genders: { female: 70, male: 29 },
        countries: [
          { country: 'DE', percent: 60 },
          { country: 'AT', percent: 15 },
          { country: 'US', percent: 5 },
        ],
        interests: ['food', 'cooking'],
        noProfilePicturePercent: 4,
      },
      followerHistory: [
        { date: daysAgo(60).slice(0, 10), followers: 40_000 },
        { date: daysAgo(30).slice(0, 10), followers: 41_000 },
        { date: daysAgo(1).slice(0, 10), followers: 42_000 },
      ],
      posts: [1, 4, 8, 12, 15].map((d, i) => ({
        postedAt: daysAgo(d),
        format: 'reel',
        likes: 1_500 + i * 100,
        comments: 60 + i,
        shares: 20,
        saves: 40,
        reach: 12_000,
        caption: `Ramen night ${i}`,
        hashtags: ['#Ramen', 'homecooking'],
        commentSamples: [{ author: `fan${i}`, text: 'Which noodles do you use?' }],
      })),
    },
    { platform: 'tiktok', handle: 'alicecooks', followers: 30_000, engagementRate: 6.5 },
  ],
};

const good = (handle: string, extra: Record<string, unknown> = {}) => ({
  handle,
  displayName: handle,
  niches: ['fitness'],
  country: 'US',
  accounts: [{ platform: 'youtube', handle, followers: 12_000, engagementRate: 4 }],
  ...extra,
});

async function run(
  text: string,
  format: 'ndjson' | 'csv',
  sub: TestSubgraph,
  options: Partial<ImportOptions> = {},
): Promise<ImportSummary> {
  return importCreators(Readable.from([Buffer.from(text)]), format, { databaseUrl: sub.config.databaseUrl, ...options });
}

describe('bulk import', () => {
  let sub: TestSubgraph;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => sub.runtime.dataSource.query(sql, params);
  const count = async (table: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    // Two creators saved through the API: one owns a platform handle, one will be updated by an import.
    for (const [n, handle] of [
      [1, 'taken.one'],
      [2, 'updatable'],
    ] as const) {
      const saved = await sub.query(
        SAVE,
        { input: { handle, displayName: handle, niches: ['music'], country: 'GB' } },
        identities.creator(id(n)),
      );
      expect(saved.errors).toBeUndefined();
    }
    const accounts = [
      [1, { platform: 'INSTAGRAM', handle: 'owned.handle', followers: 20_000, engagementRate: 5 }],
      [2, { platform: 'YOUTUBE', handle: 'upd.tube', followers: 5_000, engagementRate: 7 }],
    ] as const;
    for (const [n, input] of accounts) {
      const r = await sub.query(ACCOUNT, { input }, identities.creator(id(n)));
      expect(r.errors).toBeUndefined();
    }
    await q(
      `INSERT INTO rate_card_prices (creator_id, platform, format, valid_from, price_minor, currency) VALUES ($1, 'youtube', 'video', '1970-01-01', 90000, 'USD')`,
      [id(2)],
    );
  });
  afterAll(() => sub?.close());

  it('imports the good NDJSON lines and reports every bad one with its line, field and reason', async () => {
    const before = { creators: await count('creators'), accounts: await count('platform_accounts'), outbox: await count('outbox') };
    const lines = [
      JSON.stringify(alice), // 1
      '{"handle": "broken", "displayName":', // 2 bad JSON
      JSON.stringify(good('neg.followers', { accounts: [{ platform: 'x', handle: 'negf', followers: -5 }] })), // 3
      JSON.stringify(good('too.engaged', { accounts: [{ platform: 'x', handle: 'tooe', followers: 500, engagementRate: 150 }] })), // 4
      JSON.stringify(good('myspace.fan', { accounts: [{ platform: 'myspace', handle: 'ms', followers: 10 }] })), // 5
      JSON.stringify(good('nowhere', { country: 'XX' })), // 6
      JSON.stringify(good('thief', { accounts: [{ platform: 'instagram', handle: 'Owned.Handle', followers: 10 }] })), // 7
      JSON.stringify(good('bob.lifts')), // 8
      JSON.stringify({ ...good('alice.cooks'), displayName: 'Alice again' }), // 9: same handle as line 1
      '   ', // 10: blank, skipped
      JSON.stringify({ handle: 'carol.reads', displayName: 'Carol', niches: ['books'] }), // 11: no accounts
      JSON.stringify({ handle: 'X', displayName: '', niches: [] }), // 12: several problems
      JSON.stringify(good('dup.account', { accounts: [{ platform: 'youtube', handle: 'bob.lifts', followers: 1 }] })), // 13: bob's youtube handle
      '',
    ];
    const progress: unknown[] = [];
    const summary = await run(lines.join('\n'), 'ndjson', sub, { onProgress: (p) => progress.push(p) });

    expect(summary).toMatchObject({ lines: 13, imported: 3, updated: 0, rejected: 9, errorsOmitted: 0 });
    expect(summary.creatorsPerSecond).toBeGreaterThan(0);
    expect(progress).toHaveLength(1);
    const errors = summary.errors;
    const at = (line: number) => errors.filter((e) => e.line === line);
    expect(at(2)).toEqual([{ line: 2, field: '(record)', reason: expect.stringMatching(/^not valid JSON/) }]);
    expect(at(3)).toEqual([{ line: 3, field: 'accounts.0.followers', reason: 'must not be negative' }]);
    expect(at(4)).toEqual([{ line: 4, field: 'accounts.0.engagementRate', reason: 'must be at most 100 %' }]);
    expect(at(5)).toEqual([{ line: 5, field: 'accounts.0.platform', reason: expect.stringMatching(/^must be one of instagram, tiktok/) }]);
    expect(at(6)).toEqual([{ line: 6, field: 'country', reason: '"XX" is not an ISO 3166-1 alpha-2 country code' }]);
    expect(at(7)).toEqual([
      { line: 7, field: 'accounts.0.handle', reason: 'the instagram handle "owned.handle" belongs to another creator (@taken.one)' },
    ]);
    expect(at(9)).toEqual([{ line: 9, field: 'handle', reason: '"alice.cooks" appears earlier in this import (line 1)' }]);
    expect(at(12).map((e) => e.field)).toEqual(['handle', 'displayName', 'niches']);
    expect(at(13)).toEqual([{ line: 13, field: 'accounts.0.handle', reason: 'the youtube handle "bob.lifts" is also on line 8' }]);
    expect(at(1).concat(at(8), at(10), at(11))).toEqual([]);

    // Only the good lines were written, nothing of the bad ones.
    expect(await count('creators')).toBe(before.creators + 3);
    expect(await count('platform_accounts')).toBe(before.accounts + 3);
    const handles = (await q<{ handle: string }>(`SELECT handle FROM creators ORDER BY handle`)).map((r) => r.handle);
    expect(handles).toEqual(['alice.cooks', 'bob.lifts', 'carol.reads', 'taken.one', 'updatable']);
    expect(await q(`SELECT handle FROM platform_accounts WHERE handle IN ('negf', 'tooe', 'ms', 'nowhere', 'thief')`)).toEqual([]);

    // One creator.created per imported creator, shaped as the kit's Outbox writes it, published by the relay.
    const events = await q<{ id: string; topic: string; key: string; type: string; envelope: Record<string, unknown> }>(
      `SELECT id, topic, key, type, envelope FROM outbox ORDER BY seq OFFSET $1`,
      [before.outbox],
    );
    const created = await q<{ id: string; handle: string }>(
      `SELECT id, handle FROM creators WHERE handle IN ('alice.cooks', 'bob.lifts', 'carol.reads')`,
    );
    const createdEvents = events.filter((e) => e.type === 'creator.created');
    expect(createdEvents.map((e) => e.key).sort()).toEqual(created.map((c) => c.id).sort());
    const aliceId = created.find((c) => c.handle === 'alice.cooks')!.id;
    const aliceEvent = createdEvents.find((e) => e.key === aliceId)!;
    expect(aliceEvent).toMatchObject({ topic: 'creator.events', type: 'creator.created' });
    expect(aliceEvent.envelope).toEqual({
      specversion: '1.0',
      id: aliceEvent.id,
      source: 'discovery',
      type: 'creator.created',
      subject: aliceId,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      datacontenttype: 'application/json',
      data: { creatorId: aliceId, handle: 'alice.cooks', displayName: alice.displayName, country: 'DE', niches: ['food', 'travel'] },
    });
    // Then one authenticity.scored per imported account, after its creator's event, naming its stored report.
    const scored = events.filter((e) => e.type === 'authenticity.scored');
    const reports = await q<{ id: string; account_id: string; creator_id: string; score: number; platform: string; model_version: string }>(
      `SELECT r.id, r.account_id, r.creator_id, r.score, p.platform, r.model_version
         FROM authenticity_reports r JOIN platform_accounts p ON p.id = r.account_id
        WHERE r.creator_id IN (SELECT id FROM creators WHERE handle IN ('alice.cooks', 'bob.lifts', 'carol.reads'))`,
    );
    expect(scored).toHaveLength(3);
    expect(
      scored.map((e) => e.envelope.data as { reportId: string }).sort((a, b) => String(a.reportId).localeCompare(String(b.reportId))),
    ).toEqual(
      reports
        .map((r) => ({
          creatorId: r.creator_id,
          accountId: r.account_id,
          platform: r.platform,
          score: r.score,
          previousScore: null,
          modelVersion: r.model_version,
          reportId: r.id,
        }))
        .sort((a, b) => a.reportId.localeCompare(b.reportId)),
    );
    const aliceEvents = events.filter((e) => e.key === aliceId).map((e) => e.type);
    expect(aliceEvents).toEqual(['creator.created', 'authenticity.scored', 'authenticity.scored']);
    await eventually(
      async () => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n === 0,
      20_000,
      'the relay to publish the imported events',
    );

    // Search columns are exactly what searchProfile() derives from the record.
    const parsed = parseRecord(creatorRecordSchema, alice);
    if (!parsed.ok) throw new Error('alice is valid');
    const record = parsed.value;
    const markets = ['DE', 'AT', 'CH'];
    const expected = searchProfile(
      record,
      record.accounts.map((a) => {
        const m = accountMetrics(a, markets, 'imported');
        return {
          platform: a.platform,
          handle: a.handle,
          followers: a.followers,
          engagementRate: m.engagementRate,
          authenticityScore: m.authenticity.score,
          sponsoredRatio: m.sponsoredPerformance.ratio,
          audience: a.audience,
          postTexts: a.posts.flatMap((p) => [p.caption, ...p.hashtags]),
        };
      }),
      [],
    );
    const [row] = await q<Record<string, unknown>>(
      `SELECT c.*, t.search_text = to_tsvector('simple', $2) AS same_text, price_low_minor::float8 AS low, price_high_minor::float8 AS high
         FROM creators c JOIN creator_search_text t ON t.creator_id = c.id WHERE id = $1`,
      [aliceId, expected.searchText],
    );
    expect(row).toMatchObject({
      handle: 'alice.cooks',
      display_name: alice.displayName,
      bio: alice.bio,
      niches: ['food', 'travel'],
      content_styles: ['recipe', 'vlog'],
      languages: ['de', 'en'],
      country: 'DE',
      region: 'Berlin',
      city: 'Berlin',
      markets: ['AT', 'CH'],
      followers: 42_000,
      platforms: ['instagram', 'tiktok'],
      authenticity_score: expected.authenticityScore,
      price_source: 'guidance',
      low: expected.priceLowMinor,
      high: expected.priceHighMinor,
      audience_countries: expected.audienceCountries,
      audience_interests: expected.audienceInterests,
      same_text: true,
    });
    expect(row.engagement_rate as number).toBeCloseTo(expected.engagementRate!, 4);
    expect(row.cost_per_engagement_minor as number).toBeCloseTo(expected.costPerEngagementMinor!, 2);
    // The headline account (Instagram, the larger) brings its audience.
    expect(expected.audienceCountries).toEqual({ DE: 0.6, AT: 0.15, US: 0.05 });
    expect((row.audience_ages as number[]).length).toBe(AGE_BUCKETS.length);
    (row.audience_ages as number[]).forEach((share, i) => expect(share).toBeCloseTo(expected.audienceAges![i], 6));
    (row.audience_genders as number[]).forEach((share, i) => expect(share).toBeCloseTo(expected.audienceGenders![i], 6));
    expect(row.audience_genders as number[]).toHaveLength(GENDERS.length);

    // Accounts with their computed metrics, one authenticity report each, audience-country rows.
    const accounts = await q<Record<string, unknown>>(
      `SELECT p.*, r.score, r.model_version, jsonb_array_length(r.signals) AS signals, r.decided_by, r.verdict, r.evidence_score,
              r.confidence
         FROM platform_accounts p JOIN authenticity_reports r ON r.account_id = p.id AND r.creator_id = p.creator_id
        WHERE p.creator_id = $1 ORDER BY p.platform`,
      [aliceId],
    );
    const instagram = accountMetrics(record.accounts[0], markets, 'imported');
    expect(accounts.map((a) => [a.platform, a.handle, a.followers, a.posts_counted, a.score, a.signals])).toEqual([
      ['instagram', 'alice.cooks', 42_000, 5, instagram.authenticity.score, 7],
      ['tiktok', 'alicecooks', 30_000, 0, expect.any(Number), 7],
    ]);
    // The importer's reports are v2 reports in full, with the confidence of imported figures.
    expect(accounts[0]).toMatchObject({
      model_version: 'authenticity-v2',
      decided_by: instagram.authenticity.decidedBy,
      verdict: instagram.authenticity.verdict,
      confidence: instagram.authenticity.confidence,
    });
    expect(accounts[0].evidence_score as number).toBeCloseTo(instagram.authenticity.evidenceScore, 4);
    expect((accounts[0].confidence as { reasons: string[] }).reasons).toContain('the figures were imported, not fetched from the platform');
    expect(accounts[0].engagement_rate as number).toBeCloseTo(instagram.engagementRate!, 4);
    expect(accounts[0].reach_rate as number).toBeCloseTo(instagram.reachRate!, 4);
    expect(accounts[0].audience).toEqual(JSON.parse(JSON.stringify(record.accounts[0].audience)));
    expect((accounts[0].recent_posts as { postedAt: string; hashtags: string[] }[])[0]).toMatchObject({
      postedAt: record.accounts[0].posts[0].postedAt.toISOString(),
      hashtags: ['ramen', 'homecooking'],
    });
    expect(accounts[0].follower_history).toEqual(alice.accounts[0].followerHistory);
    expect(accounts[1].engagement_rate).toBeCloseTo(6.5, 4);
    expect(await q(`SELECT country, share FROM creator_audience_countries WHERE creator_id = $1 ORDER BY share DESC`, [aliceId])).toEqual([
      { country: 'DE', share: 0.6 },
      { country: 'AT', share: 0.15 },
      { country: 'US', share: 0.05 },
    ]);
    const bob = (await q<{ id: string }>(`SELECT id FROM creators WHERE handle = 'bob.lifts'`))[0].id;
    expect(await q(`SELECT country, share FROM creator_audience_countries WHERE creator_id = $1`, [bob])).toEqual([]);

    // Found through GraphQL like any creator.
    const read = await sub.query(
      `query($id: ID!) { creator(id: $id) { handle followers tier platforms accounts { platform handle followers tier
         engagement { byFollowers postsCounted } recentPosts(first: 2) { caption hashtags } authenticity { score signals { key } } } } }`,
      { id: aliceId },
      identities.brandMember(id(900)),
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.creator).toMatchObject({
      handle: 'alice.cooks',
      followers: 42_000,
      tier: 'MICRO',
      platforms: ['INSTAGRAM', 'TIKTOK'],
      accounts: [
        {
          platform: 'INSTAGRAM',
          handle: 'alice.cooks',
          followers: 42_000,
          tier: 'MICRO',
          engagement: { postsCounted: 5 },
          recentPosts: [
            { caption: 'Ramen night 0', hashtags: ['ramen', 'homecooking'] },
            { caption: 'Ramen night 1', hashtags: ['ramen', 'homecooking'] },
          ],
          authenticity: { score: instagram.authenticity.score },
        },
        { platform: 'TIKTOK', handle: 'alicecooks', followers: 30_000, engagement: { byFollowers: 6.5, postsCounted: 0 } },
      ],
    });
  });

  it('updates a stored creator with the same handle (keeping accounts it does not list), or refuses it when asked', async () => {
    const before = await q<{ type: string }>(`SELECT type FROM outbox WHERE key = $1`, [id(2)]);
    const record = good('updatable', {
      displayName: 'Updated',
      country: 'IE',
      accounts: [{ platform: 'instagram', handle: 'upd.gram', followers: 30_000, engagementRate: 3 }],
    });
    const refused = await run(JSON.stringify(record), 'ndjson', sub, { existing: 'reject' });
    expect(refused).toMatchObject({ imported: 0, updated: 0, rejected: 1 });
    expect(refused.errors).toEqual([{ line: 1, field: 'handle', reason: 'the handle "updatable" belongs to an existing creator' }]);

    const summary = await run(JSON.stringify(record), 'ndjson', sub);
    expect(summary).toMatchObject({ imported: 0, updated: 1, rejected: 0 });
    const [creator] = await q<Record<string, unknown>>(`SELECT *, price_low_minor::float8 AS low FROM creators WHERE id = $1`, [id(2)]);
    expect(creator).toMatchObject({ display_name: 'Updated', country: 'IE', followers: 30_000, platforms: ['instagram', 'youtube'] });
    // The rate card stays the price source.
    expect(creator).toMatchObject({ price_source: 'rate_card', low: 90_000 });
    const accounts = await q<{ platform: string; handle: string }>(
      `SELECT platform, handle FROM platform_accounts WHERE creator_id = $1 ORDER BY platform`,
      [id(2)],
    );
    expect(accounts).toEqual([
      { platform: 'instagram', handle: 'upd.gram' },
      { platform: 'youtube', handle: 'upd.tube' },
    ]);
    const after = await q<{ type: string; envelope: { data: Record<string, unknown> } }>(
      `SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq`,
      [id(2)],
    );
    expect(after.slice(before.length)).toEqual([
      {
        type: 'creator.stats-updated',
        envelope: expect.objectContaining({
          data: expect.objectContaining({ creatorId: id(2), followers: 30_000, previousFollowers: 5_000, tier: 'micro' }),
        }),
      },
      {
        type: 'authenticity.scored',
        envelope: expect.objectContaining({
          data: expect.objectContaining({ creatorId: id(2), platform: 'instagram', previousScore: null }), // a new account
        }),
      },
      // The creator moved to Ireland: the YouTube account the record does not list is scored again.
      {
        type: 'authenticity.scored',
        envelope: expect.objectContaining({ data: expect.objectContaining({ creatorId: id(2), platform: 'youtube' }) }),
      },
    ]);

    // The same import again changes no stats and no markets: no stats event, only the listed account's report.
    const again = await run(JSON.stringify(record), 'ndjson', sub);
    expect(again).toMatchObject({ updated: 1 });
    const [instagram] = await q<{ authenticity_score: number }>(
      `SELECT authenticity_score FROM platform_accounts WHERE creator_id = $1 AND platform = 'instagram'`,
      [id(2)],
    );
    const latest = await q<{ type: string; envelope: { data: Record<string, unknown> } }>(
      `SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq OFFSET $2`,
      [id(2), after.length],
    );
    expect(latest).toEqual([
      {
        type: 'authenticity.scored',
        envelope: expect.objectContaining({ data: expect.objectContaining({ previousScore: instagram.authenticity_score }) }),
      },
    ]);
  });

  it("scores the accounts an update does not list again when the creator's markets change", async () => {
    const instagram = {
      platform: 'instagram',
      handle: 'mover.ig',
      followers: 20_000,
      engagementRate: 4,
      audience: { countries: [{ country: 'FR', percent: 70 }], ages: { '25-34': 50 }, genders: { female: 60 } },
    };
    const first = await run(
      JSON.stringify(good('mover', { country: 'US', accounts: [instagram, good('mover').accounts[0]] })),
      'ndjson',
      sub,
    );
    expect(first).toMatchObject({ imported: 1, rejected: 0 });
    const foreign = async () =>
      (
        await q<{ measured: number; score: number }>(
          `SELECT (s->>'measured')::float8 AS measured, r.score FROM authenticity_reports r
             JOIN platform_accounts p ON p.id = r.account_id, jsonb_array_elements(r.signals) s
            WHERE p.handle = 'mover.ig' AND s->>'key' = 'foreign_audience' ORDER BY r.computed_at DESC, r.id DESC LIMIT 1`,
        )
      )[0];
    const before = await foreign();
    expect(before.measured).toBeCloseTo(70); // France is not a US creator's market

    // Moving to France, listing only the YouTube account: Instagram is scored again, its audience now at home.
    const moved = await run(JSON.stringify(good('mover', { country: 'FR' })), 'ndjson', sub);
    expect(moved).toMatchObject({ updated: 1, rejected: 0 });
    const after = await foreign();
    expect(after.measured).toBe(0);
    expect(after.score).toBeGreaterThan(before.score);
    const [account] = await q<{ authenticity_score: number; handle: string; audience: unknown }>(
      `SELECT authenticity_score, handle, audience FROM platform_accounts WHERE handle = 'mover.ig'`,
    );
    expect(account.authenticity_score).toBe(after.score);
    expect(account.audience).toMatchObject({ countries: [{ country: 'FR', share: 0.7 }] }); // kept as it was
    const [creator] = await q<{ id: string }>(`SELECT id FROM creators WHERE handle = 'mover'`);
    const events = await q<{ envelope: { data: { platform: string; score: number; previousScore: number } } }>(
      `SELECT envelope FROM outbox WHERE key = $1 AND type = 'authenticity.scored' ORDER BY seq DESC LIMIT 2`,
      [creator.id],
    );
    expect(events.map((e) => e.envelope.data.platform).sort()).toEqual(['instagram', 'youtube']);
    expect(events.find((e) => e.envelope.data.platform === 'instagram')!.envelope.data).toMatchObject({
      score: after.score,
      previousScore: before.score,
    });
  });

  it('imports CSV: quoted fields, several accounts per creator, problems on the line of the account', async () => {
    const csv = [
      'handle,display_name,bio,niches,country,platform,account_handle,followers,engagement_rate,audience_countries,audience_ages,audience_genders,audience_interests,no_profile_picture_percent',
      'dana.draws,"Dana, the illustrator","Draws ""cute"" things, daily",art;diy,FR,instagram,dana.draws,55000,4.2,FR:50;BE:20,18-24:40;25-34:40,female:60;male:40,art;design,3',
      'dana.draws,,,,,tiktok,danadraws,80000,5.5,,,,,',
      'ed.runs,Ed,,fitness,GB,youtube,ed.runs,abc,,,,,,',
      'fay.sings,Fay,,music,US,twitch,fay,9000,7,,,,,',
      'fay.sings,,,,,youtube,fay,9500,-1,,,,,',
      '',
    ].join('\r\n');
    const summary = await run(csv, 'csv', sub);
    expect(summary).toMatchObject({ lines: 6, imported: 1, rejected: 2 });
    expect(summary.errors).toEqual([
      { line: 4, field: 'accounts.0.followers', reason: 'must be a number' },
      { line: 6, field: 'accounts.1.engagementRate', reason: 'must not be negative' },
    ]);
    const [dana] = await q<Record<string, unknown>>(
      `SELECT id, display_name, bio, niches, followers, platforms, audience_countries FROM creators WHERE handle = 'dana.draws'`,
    );
    expect(dana).toMatchObject({
      display_name: 'Dana, the illustrator',
      bio: 'Draws "cute" things, daily',
      niches: ['art', 'diy'],
      followers: 80_000,
      platforms: ['instagram', 'tiktok'],
      audience_countries: {},
    });
    const accounts = await q<{ platform: string; engagement_rate: number; audience: unknown }>(
      `SELECT platform, engagement_rate, audience FROM platform_accounts WHERE creator_id = $1 ORDER BY platform`,
      [dana.id],
    );
    expect(accounts.map((a) => a.platform)).toEqual(['instagram', 'tiktok']);
    expect(accounts[0].audience).toMatchObject({
      countries: [
        { country: 'FR', share: 0.5 },
        { country: 'BE', share: 0.2 },
      ],
      noProfilePictureShare: 0.03,
    });
    expect(await q(`SELECT 1 FROM creators WHERE handle IN ('ed.runs', 'fay.sings')`)).toEqual([]);
    expect(await q(`SELECT type FROM outbox WHERE key = $1 ORDER BY seq`, [dana.id])).toEqual([
      { type: 'creator.created' },
      { type: 'authenticity.scored' },
      { type: 'authenticity.scored' },
    ]);
  });

  it('reads shares in percent and refuses the fraction shares of older files with the line and the field, writing nothing', async () => {
    const audience = (a: Record<string, unknown>) => ({ accounts: [{ platform: 'youtube', handle: '', followers: 12_000, audience: a }] });
    const line = (handle: string, a: Record<string, unknown>) => {
      const record = good(handle, audience(a));
      record.accounts[0].handle = handle;
      return JSON.stringify(record);
    };
    const ndjson = [
      line('pct.new', { countries: [{ country: 'US', percent: 62.5 }], ages: { '18-24': 40 }, noProfilePicturePercent: 4 }), // 1
      line('pct.old.share', { countries: [{ country: 'US', share: 0.6 }] }), // 2
      line('pct.old.picture', { noProfilePictureShare: 0.05 }), // 3
      line('pct.old.ages', { ages: { '18-24': 0.4, '25-34': 0.35 } }), // 4
      line('pct.too.much', { countries: [{ country: 'US', percent: 140 }] }), // 5
    ].join('\n');
    const summary = await run(ndjson, 'ndjson', sub);
    expect(summary).toMatchObject({ lines: 5, imported: 1, rejected: 4 });
    expect(summary.errors).toEqual([
      {
        line: 2,
        field: 'accounts.0.audience.countries.0.share',
        reason: 'is no longer read: shares are percent now; give "percent" (40 for 40 %)',
      },
      {
        line: 3,
        field: 'accounts.0.audience.noProfilePictureShare',
        reason: 'is no longer read: shares are percent now; give "noProfilePicturePercent" (40 for 40 %)',
      },
      {
        line: 4,
        field: 'accounts.0.audience.ages',
        reason: 'age shares add up to 0.75: that looks like fractions 0–1; shares are percent (40 for 40 %)',
      },
      { line: 5, field: 'accounts.0.audience.countries.0.percent', reason: 'must be a percent between 0 and 100 (40 means 40 %)' },
    ]);
    const [stored] = await q<{ audience: unknown }>(`SELECT audience FROM platform_accounts WHERE handle = 'pct.new'`);
    expect(stored.audience).toMatchObject({
      countries: [{ country: 'US', share: 0.625 }],
      ages: { '18-24': 0.4 },
      noProfilePictureShare: 0.04,
    });
    const [row] = await q<{ audience_countries: unknown }>(`SELECT audience_countries FROM creators WHERE handle = 'pct.new'`);
    expect(row.audience_countries).toEqual({ US: 0.625 });

    // CSV: pairs are percent; fraction pairs are refused on their line; the old fraction column refuses the file.
    const csv = [
      'handle,display_name,niches,platform,account_handle,followers,audience_countries,audience_genders',
      'pct.csv.old,Old,food,instagram,pct.csv.old,900,US:0.6;CA:0.2,female:0.5',
    ].join('\n');
    expect((await run(csv, 'csv', sub)).errors).toEqual([
      {
        line: 2,
        field: 'accounts.0.audience.genders',
        reason: 'gender shares add up to 0.5: that looks like fractions 0–1; shares are percent (40 for 40 %)',
      },
      {
        line: 2,
        field: 'accounts.0.audience.countries',
        reason: 'country shares add up to 0.8: that looks like fractions 0–1; shares are percent (40 for 40 %)',
      },
    ]);
    await expect(run('handle,display_name,niches,no_profile_picture_share\npct.csv.col,Col,food,0.05\n', 'csv', sub)).rejects.toThrow(
      /"no_profile_picture_share" \(a fraction 0–1\) is no longer read: shares are percent now/,
    );
    expect(await q(`SELECT handle FROM creators WHERE handle LIKE 'pct.%' ORDER BY handle`)).toEqual([{ handle: 'pct.new' }]);
  });

  it('imports the media kit photo and post permalinks, refusing any that is not a public https URL', async () => {
    const post = { postedAt: daysAgo(3), format: 'reel', likes: 500, comments: 20 };
    const lines = [
      JSON.stringify(
        good('photo.ok', {
          avatarUrl: 'https://cdn.example.com/photo-ok.jpg',
          accounts: [
            { platform: 'instagram', handle: 'photo.ok', followers: 9_000, posts: [{ ...post, url: 'https://www.instagram.com/p/ok/' }] },
          ],
        }),
      ),
      JSON.stringify(good('photo.http', { avatarUrl: 'http://cdn.example.com/a.jpg' })),
      JSON.stringify(good('photo.local', { avatarUrl: 'https://printer.local/a.jpg' })),
      JSON.stringify(
        good('post.ip', {
          accounts: [{ platform: 'instagram', handle: 'post.ip', followers: 9_000, posts: [{ ...post, url: 'https://10.0.0.1/p' }] }],
        }),
      ),
    ];
    const summary = await run(lines.join('\n'), 'ndjson', sub);
    expect(summary).toMatchObject({ imported: 1, rejected: 3 });
    expect(summary.errors).toEqual([
      { line: 2, field: 'avatarUrl', reason: 'must be an https URL' },
      { line: 3, field: 'avatarUrl', reason: 'must point to the public internet, not to a local or reserved name' },
      { line: 4, field: 'accounts.0.posts.0.url', reason: 'must use a domain name, not an IP address' },
    ]);
    const [stored] = await q<{ avatar_url: string; recent_posts: { url: string }[] }>(
      `SELECT c.avatar_url, a.recent_posts FROM creators c JOIN platform_accounts a ON a.creator_id = c.id WHERE c.handle = 'photo.ok'`,
    );
    expect(stored.avatar_url).toBe('https://cdn.example.com/photo-ok.jpg');
    expect(stored.recent_posts.map((p) => p.url)).toEqual(['https://www.instagram.com/p/ok/']);

    const csv = [
      'handle,display_name,niches,avatar_url',
      'csv.photo,Csv,art,https://cdn.example.com/csv.png',
      'csv.bad,Bad,art,javascript:alert(1)',
      '',
    ].join('\n');
    const fromCsv = await run(csv, 'csv', sub);
    expect(fromCsv).toMatchObject({ imported: 1, rejected: 1 });
    expect(fromCsv.errors).toEqual([{ line: 3, field: 'avatarUrl', reason: 'must be an absolute http(s) URL' }]);
    expect(await q(`SELECT avatar_url FROM creators WHERE handle IN ('csv.photo', 'csv.bad')`)).toEqual([
      { avatar_url: 'https://cdn.example.com/csv.png' },
    ]);
  });

  it('keeps batches consistent: duplicates across batches refused, every batch committed, also with parallel writers', async () => {
    const lines = ['gina.a', 'gina.b', 'gina.a', 'gina.c', 'gina.d'].map((h) => JSON.stringify(good(h)));
    const progress: number[] = [];
    const summary = await run(lines.join('\n'), 'ndjson', sub, { batchSize: 2, onProgress: (p) => progress.push(p.imported) });
    expect(summary).toMatchObject({ imported: 4, rejected: 1 });
    expect(summary.errors).toEqual([{ line: 3, field: 'handle', reason: '"gina.a" appears earlier in this import (line 1)' }]);
    expect(progress).toEqual([2, 4]);

    // Two writers: batches commit in parallel; two records racing for one platform handle → exactly one wins.
    const racing = [
      good('hal.one', { accounts: [{ platform: 'twitch', handle: 'shared.stream', followers: 100 }] }),
      good('hal.two'),
      good('hal.three', { accounts: [{ platform: 'twitch', handle: 'shared.stream', followers: 200 }] }),
      good('hal.four'),
      ...Array.from({ length: 6 }, (_, i) => good(`hal.more${i}`)),
    ];
    const parallel = await run(racing.map((r) => JSON.stringify(r)).join('\n'), 'ndjson', sub, { batchSize: 2, writers: 2 });
    expect(parallel).toMatchObject({ imported: 9, rejected: 1 });
    expect(parallel.errors).toEqual([
      {
        line: expect.any(Number),
        field: 'accounts.0.handle',
        reason: expect.stringMatching(/^the twitch handle "shared.stream" belongs to another creator \(@hal\.(one|three)\)$/),
      },
    ]);
    expect(await q(`SELECT handle FROM platform_accounts WHERE platform = 'twitch' AND handle = 'shared.stream'`)).toHaveLength(1);
  });

  it('derives the same rows in worker threads as in this thread (the compiled worker, never a silent fallback)', async () => {
    const records = [...generateCreators(120, 'import-test-workers')];
    const text = records.map((r) => JSON.stringify(r)).join('\n');
    const handles = records.map((r) => String(r.handle).toLowerCase());
    // What an import derives and stores, without the clocks and ids of the writes themselves.
    const stored = () =>
      q(
        `SELECT c.handle, c.followers, c.platforms, c.niches, c.audience_ages, c.audience_countries, c.engagement_rate,
                (SELECT json_agg(json_build_object('platform', a.platform, 'handle', a.handle, 'followers', a.followers,
                   'engagement', a.engagement_rate, 'authenticity', a.authenticity_score) ORDER BY a.platform, a.handle)
                   FROM platform_accounts a WHERE a.creator_id = c.id) AS accounts
           FROM creators c WHERE lower(c.handle) = ANY($1) ORDER BY c.handle`,
        [handles],
      );
    const inThread = await run(text, 'ndjson', sub, { batchSize: 50, workers: 0 });
    expect(inThread).toMatchObject({ lines: 120, imported: 120, rejected: 0, workers: 0 });
    const before = await stored();
    expect(before).toHaveLength(120);
    const inWorkers = await run(text, 'ndjson', sub, { batchSize: 50, workers: 2 });
    expect(inWorkers).toMatchObject({ lines: 120, imported: 0, updated: 120, rejected: 0, workers: 2 });
    expect(await stored()).toEqual(before);
  });

  it('imports the synthetic generator’s output with no rejections', async () => {
    const before = await count('creators');
    const full = [...generateCreators(200, 'import-test')].map((r) => JSON.stringify(r)).join('\n');
    const fromFile = await run(full, 'ndjson', sub, { batchSize: 64 });
    expect(fromFile.errors.slice(0, 3)).toEqual([]);
    expect(fromFile).toMatchObject({ lines: 200, imported: 200, rejected: 0 });

    const generated = await importGenerated({ count: 300, seed: 'import-test-lite', lite: true }, { databaseUrl: sub.config.databaseUrl });
    expect(generated).toMatchObject({ lines: 300, imported: 300, rejected: 0, errors: [] });
    expect(await count('creators')).toBe(before + 500);
    const [{ n }] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM creators c WHERE NOT EXISTS (SELECT 1 FROM platform_accounts p WHERE p.creator_id = c.id) AND c.handle LIKE '%.%'`,
    );
    expect(n).toBeLessThanOrEqual(5); // the only account-less creators are the earlier tests'
  });
});
