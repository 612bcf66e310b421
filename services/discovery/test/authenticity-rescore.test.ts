import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { discoverySubgraph } from '../src/schema';
import { AuthenticityRescore, OUTDATED_MODEL_VERSIONS } from '../src/authenticity/rescore';
import { AUTHENTICITY_MODEL_VERSION } from '../src/rules/authenticity';
import { authenticityDiscount } from '../src/rules/price-guidance';
import type { DiscoveryServices } from '../src/services';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROFILE = `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`;
const ACCOUNT = `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`;

/** A clean account (every signal inside its norm) unless `noPicture` makes a strong sign of bought followers. */
function account(platform: string, handle: string, followers: number, noPicture = 5) {
  return {
    platform,
    handle,
    followers,
    posts: Array.from({ length: 12 }, (_, i) => ({
      postedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
      format: 'REEL',
      likes: followers * 0.045,
      comments: followers * 0.003,
      shares: followers * 0.002,
      commentSamples: Array.from({ length: 6 }, (_, j) => ({
        author: `fan_${i}_${j}`,
        text: `Where was clip ${i}.${j} filmed? The light is great`,
      })),
    })),
    audience: { countries: [{ country: 'US', percent: 80 }], noProfilePicturePercent: noPicture },
    followerHistory: [0, 1, 2, 3, 4].map((m) => ({ date: `2026-0${5 + m}-01`, followers: followers - (4 - m) * 200 })),
  };
}

describe('rescoring stored accounts when the authenticity model changes', () => {
  let sub: TestSubgraph<DiscoveryServices>;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => sub.runtime.dataSource.query(sql, params);
  const rescorer = (batchSize: number) =>
    new AuthenticityRescore(sub.runtime, sub.services, sub.runtime.logger, { batchSize, retryPauseMs: 20 });

  /** Makes every stored report look like one of authenticity-v1 that scored 100, as the v1 model did. */
  async function pretendScoredByV1(creatorIds: string[]): Promise<void> {
    await q(
      `UPDATE authenticity_reports SET model_version = 'authenticity-v1', score = 100, decided_by = '{}', verdict = NULL,
              evidence_score = NULL, confidence = NULL, computed_at = computed_at - interval '1 day'
        WHERE creator_id = ANY($1::uuid[])`,
      [creatorIds],
    );
    await q(`UPDATE platform_accounts SET authenticity_score = 100 WHERE creator_id = ANY($1::uuid[])`, [creatorIds]);
    await q(`UPDATE creators SET authenticity_score = 100 WHERE id = ANY($1::uuid[])`, [creatorIds]);
  }

  const latest = (creatorId: string) =>
    q<{ account_id: string; model_version: string; score: number; account_score: number; confidence: { level: string } | null }>(
      `SELECT DISTINCT ON (r.account_id) r.account_id, r.model_version, r.score, p.authenticity_score AS account_score, r.confidence
         FROM authenticity_reports r JOIN platform_accounts p ON p.id = r.account_id
        WHERE r.creator_id = $1 ORDER BY r.account_id, r.computed_at DESC, r.id DESC`,
      [creatorId],
    );

  const creators = [1, 2, 3, 4, 5, 6, 7].map(id);

  beforeAll(async () => {
    sub = (await startTestSubgraph(discoverySubgraph)) as TestSubgraph<DiscoveryServices>;
    for (const [i, creatorId] of creators.entries()) {
      const who = identities.creator(creatorId);
      const handle = `creator.${i + 1}`;
      expect(
        (await sub.query(PROFILE, { input: { handle, displayName: handle, niches: ['outdoors'], country: 'US' } }, who)).errors,
      ).toBeUndefined();
      // creator 3 has bought followers (45 % without a profile picture); creators 1 and 4 have two accounts
      const accounts = [account('INSTAGRAM', handle, 20_000 + i * 1_000, i === 2 ? 45 : 5)];
      if (i === 0 || i === 3) accounts.push(account('TIKTOK', handle, 8_000));
      for (const a of accounts) expect((await sub.query(ACCOUNT, { input: a }, who)).errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(() => sub?.close());

  it('knows authenticity-v1 as the one outdated version', () => {
    expect(AUTHENTICITY_MODEL_VERSION).toBe('authenticity-v2');
    expect(OUTDATED_MODEL_VERSIONS).toEqual(['authenticity-v1']);
  });

  it('rescores every outdated account once, shared by two replicas, updates the creators search reads, and publishes the events', async () => {
    await pretendScoredByV1(creators);
    // creator 6's report is of a version newer than this code: left alone. Creator 7's account has no report at all.
    await q(`UPDATE authenticity_reports SET model_version = 'authenticity-v9' WHERE creator_id = $1`, [id(6)]);
    await q(`DELETE FROM authenticity_reports WHERE creator_id = $1`, [id(7)]);
    const eventsBefore = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE type = 'authenticity.scored'`))[0].n;
    const reportsBefore = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM authenticity_reports`))[0].n;

    const [a, b] = await Promise.all([rescorer(1).run(), rescorer(1).run()]);

    // 9 accounts in all; creator 6's one is left alone: 8 rescored, each by exactly one of the replicas
    expect(a.accounts + b.accounts).toBe(8);
    expect(a.creators + b.creators).toBe(6);
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM authenticity_reports`))[0].n).toBe(reportsBefore + 8);
    const perAccount = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM authenticity_reports WHERE model_version = $1 GROUP BY account_id`,
      [AUTHENTICITY_MODEL_VERSION],
    );
    expect(perAccount.map((r) => r.n)).toEqual(Array(8).fill(1));
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE type = 'authenticity.scored'`))[0].n).toBe(
      eventsBefore + 8,
    );

    for (const creatorId of creators.filter((c) => c !== id(6))) {
      const reports = await latest(creatorId);
      for (const r of reports) {
        expect(r.model_version).toBe(AUTHENTICITY_MODEL_VERSION);
        expect(r.account_score).toBe(r.score);
        expect(r.confidence).not.toBeNull();
      }
    }
    expect((await latest(id(6))).map((r) => r.model_version)).toEqual(['authenticity-v9']);

    // The creator's score (what search filters and sorts on) follows the headline account's new report
    const [fraud] = await q<{ authenticity_score: number; price_high_minor: string }>(
      `SELECT authenticity_score, price_high_minor FROM creators WHERE id = $1`,
      [id(3)],
    );
    const [fraudReport] = await latest(id(3));
    expect(fraud.authenticity_score).toBe(fraudReport.score);
    expect(fraud.authenticity_score).toBeLessThan(50); // v1 had given 100
    const [clean] = await q<{ authenticity_score: number }>(`SELECT authenticity_score FROM creators WHERE id = $1`, [id(2)]);
    expect(clean.authenticity_score).toBeGreaterThanOrEqual(80);
    expect(clean.authenticity_score).toBeLessThan(100); // self-reported figures: confidence below 1
    // ... and so does the search price (guidance discounted by authenticity): 22,000 × 5 % engaged × $1.00 × factor
    expect(Number(fraud.price_high_minor)).toBe(Math.round(1_100 * 100 * authenticityDiscount(fraud.authenticity_score).factor));
    const events = await q<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE type = 'creator.stats-updated' AND key = $1`, [
      id(3),
    ]);
    expect(events[0].n).toBeGreaterThanOrEqual(1);

    // Idempotent: nothing is outdated any more
    expect(await rescorer(10).run()).toEqual({ creators: 0, accounts: 0, passes: 1 });
  });

  it('leaves a creator someone holds locked for a later pass, and finishes it once the lock is released', async () => {
    await pretendScoredByV1([id(1), id(2), id(4)]);
    const holder = sub.runtime.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT id FROM creators WHERE id = $1 FOR UPDATE`, [id(2)]);
      const running = rescorer(1).run();
      // the others are done while creator 2 is held
      await eventually(
        async () =>
          (await latest(id(4))).every((r) => r.model_version === AUTHENTICITY_MODEL_VERSION) &&
          (await latest(id(1))).every((r) => r.model_version === AUTHENTICITY_MODEL_VERSION),
        30_000,
        'the unlocked creators to be rescored',
      );
      expect((await latest(id(2))).map((r) => r.model_version)).toEqual(['authenticity-v1']);
      await holder.commitTransaction();
      const summary = await running;
      expect(summary.accounts).toBe(5); // 2 + 1 + 2
      expect(summary.passes).toBeGreaterThanOrEqual(2);
      expect((await latest(id(2))).map((r) => r.model_version)).toEqual([AUTHENTICITY_MODEL_VERSION]);
      expect((await latest(id(1))).every((r) => r.model_version === AUTHENTICITY_MODEL_VERSION)).toBe(true);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('shows a rescored report with its decision and confidence through the API, and a stored v1 report without them', async () => {
    // a report exactly as authenticity-v1 stored it, before the rescored one
    const [acc] = await q<{ id: string }>(`SELECT id FROM platform_accounts WHERE creator_id = $1`, [id(3)]);
    const v1Signal = {
      key: 'no_profile_picture',
      label: 'Followers without profile picture',
      measured: 45,
      unit: 'percent',
      norm: { min: null, max: 15 },
      weight: 0.15,
      risk: 1,
      contribution: 0,
      explanation: 'v1',
    };
    await q(
      `INSERT INTO authenticity_reports (id, account_id, creator_id, score, model_version, measured_weight, signals, computed_at)
       VALUES ($1, $2, $3, 85, 'authenticity-v1', 1, $4::jsonb, now() - interval '30 days')`,
      [id(5000), acc.id, id(3), JSON.stringify([v1Signal])],
    );
    const r = await sub.query<{
      creator: {
        authenticity: { modelVersion: string; decidedBy: string[]; verdict: string; confidence: { level: string; reasons: string[] } };
        accounts: {
          authenticityHistory: {
            modelVersion: string;
            score: number;
            decidedBy: string[];
            confidence: unknown;
            verdict: string | null;
            signals: { decisive: boolean; factor: number | null; cap: number | null; contribution: number }[];
          }[];
        }[];
      };
    }>(
      `query($id: ID!) { creator(id: $id) {
        authenticity { modelVersion decidedBy verdict confidence { level reasons } }
        accounts { authenticityHistory(first: 10) { modelVersion score decidedBy confidence { level } verdict signals { decisive factor cap contribution } } }
      } }`,
      { id: id(3) },
      identities.brandMember(id(900)),
    );
    expect(r.errors).toBeUndefined();
    const report = r.data!.creator.authenticity;
    expect(report).toMatchObject({
      modelVersion: AUTHENTICITY_MODEL_VERSION,
      decidedBy: ['no_profile_picture'],
      confidence: { level: 'HIGH' },
    });
    expect(report.verdict).toMatch(/^A strong sign of fakery: Followers without profile picture \(risk 1\.00\) caps the score at 40; /);
    const history = r.data!.creator.accounts[0].authenticityHistory;
    const oldest = history[history.length - 1];
    expect(oldest).toEqual({
      modelVersion: 'authenticity-v1',
      score: 85,
      decidedBy: [],
      confidence: null,
      verdict: null,
      signals: [{ decisive: false, factor: null, cap: null, contribution: 0 }],
    });
  });
});
