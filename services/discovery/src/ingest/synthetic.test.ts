import { accountMetrics } from '../accounts/account-metrics';
import { PLATFORMS } from '../rules/types';
import { creatorRecordSchema, parseRecord } from '../creators/creator-record';
import { FAKE_ACCOUNT_SHARE, generateCreators, Random, SPONSORING_SHARE, SyntheticCreator } from './synthetic';

const NOW = Date.UTC(2026, 10, 1);
const tierOf = (f: number) => (f < 10_000 ? 'nano' : f < 100_000 ? 'micro' : f <= 1_000_000 ? 'macro' : 'mega');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const headline = (c: SyntheticCreator) => c.accounts.reduce((a, b) => (b.followers > a.followers ? b : a));
/** Engagement rate by followers (%) over the account's posts, as docs/discovery.md defines it. */
const engagementRate = (a: SyntheticCreator['accounts'][number]) =>
  (a.posts.reduce((s, p) => s + p.likes + p.comments + p.shares, 0) / a.posts.length / a.followers) * 100;

describe('synthetic creators', () => {
  const sample = [...generateCreators(5_000, 'distributions', { now: NOW, annotate: true })];

  it('is deterministic per seed, and creator i does not depend on count or offset', () => {
    const a = JSON.stringify([...generateCreators(30, 42, { now: NOW })]);
    const b = JSON.stringify([...generateCreators(30, 42, { now: NOW })]);
    const c = JSON.stringify([...generateCreators(30, 43, { now: NOW })]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const whole = [...generateCreators(15, 'x', { now: NOW })];
    const tail = [...generateCreators(10, 'x', { now: NOW, offset: 5 })];
    expect(tail).toEqual(whole.slice(5));
    expect([...generateCreators(5, 'x', { now: NOW, lite: true })].map((r) => r.handle)).toEqual(whole.slice(0, 5).map((r) => r.handle));
  });

  it('has a fast, uniform PRNG', () => {
    const rng = new Random(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.next() * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('produces records that pass creatorRecordSchema (full and lite)', () => {
    for (const records of [sample.slice(0, 2_000), [...generateCreators(500, 'lite', { lite: true })]]) {
      const failures = records
        .map((r, i) => ({ i, parsed: parseRecord(creatorRecordSchema, JSON.parse(JSON.stringify(r))) }))
        .filter((x) => !x.parsed.ok);
      expect(failures.slice(0, 3)).toEqual([]);
    }
  });

  it('makes handles and platform handles unique within a run', () => {
    const records = [...generateCreators(20_000, 'handles', { lite: true, now: NOW })];
    expect(new Set(records.map((r) => r.handle)).size).toBe(records.length);
    const keys = records.flatMap((r) => r.accounts.map((a) => `${a.platform}:${a.handle}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts most creators in the micro tier, concentrated in 1k–500k, with a long tail', () => {
    const tiers = { nano: 0, micro: 0, macro: 0, mega: 0 };
    const followers = sample.map((c) => headline(c).followers);
    for (const f of followers) tiers[tierOf(f)]++;
    const share = (n: number) => n / sample.length;
    expect(share(tiers.micro)).toBeGreaterThan(0.6);
    expect(share(tiers.nano)).toBeGreaterThan(0.08);
    expect(share(tiers.macro)).toBeGreaterThan(0.08);
    expect(tiers.mega).toBeGreaterThan(0);
    expect(share(tiers.mega)).toBeLessThan(0.02);
    expect(share(followers.filter((f) => f >= 1_000 && f <= 500_000).length)).toBeGreaterThan(0.95);
    expect(Math.max(...followers)).toBeGreaterThan(2_000_000);
  });

  it('has engagement falling with the tier (median per tier)', () => {
    const byTier: Record<string, number[]> = { nano: [], micro: [], macro: [], mega: [] };
    for (const c of sample) for (const a of c.accounts) byTier[tierOf(a.followers)].push(engagementRate(a));
    const m = Object.fromEntries(Object.entries(byTier).map(([t, xs]) => [t, median(xs)]));
    expect(m.nano).toBeGreaterThan(m.micro);
    expect(m.micro).toBeGreaterThan(m.macro);
    expect(m.macro).toBeGreaterThan(m.mega);
    expect(m.nano).toBeGreaterThanOrEqual(5.5);
    expect(m.nano).toBeLessThanOrEqual(10);
    expect(m.micro).toBeGreaterThanOrEqual(3);
    expect(m.micro).toBeLessThanOrEqual(6);
    expect(m.macro).toBeGreaterThanOrEqual(1.5);
    expect(m.macro).toBeLessThanOrEqual(3);
    expect(m.mega).toBeLessThan(1.6);
  });

  it('marks about 8 % of accounts with fake-follower signs, which the authenticity report catches', () => {
    const accounts = sample.slice(0, 2_000).flatMap((c) => {
      const parsed = parseRecord(creatorRecordSchema, c);
      if (!parsed.ok) throw new Error('invalid record');
      return parsed.value.accounts.map((a, i) => ({
        fake: c.accounts[i].synthetic!.fake,
        score: accountMetrics(a, [c.country, ...c.markets], 'imported').authenticity.score, // as the importer scores them
      }));
    });
    const fakeShare = accounts.filter((a) => a.fake).length / accounts.length;
    expect(Math.abs(fakeShare - FAKE_ACCOUNT_SHARE)).toBeLessThan(0.015);
    const fake = median(accounts.filter((a) => a.fake).map((a) => a.score));
    const genuine = median(accounts.filter((a) => !a.fake).map((a) => a.score));
    expect(genuine).toBeGreaterThanOrEqual(85);
    expect(fake).toBeLessThan(50); // one strong sign decides (authenticity-v2)
    expect(genuine - fake).toBeGreaterThan(30);
  });

  it('makes about 40 % of creators post sponsored content the detector finds, engaging less than their own', () => {
    const rated = sample.slice(0, 2_000).map((c) => {
      const parsed = parseRecord(creatorRecordSchema, c);
      if (!parsed.ok) throw new Error('invalid record');
      const metrics = parsed.value.accounts.map((a) => accountMetrics(a, [c.country], 'imported').sponsoredPerformance);
      return { sponsoring: metrics.some((m) => m.sponsoredPosts > 0), ratios: metrics.map((m) => m.ratio).filter((r) => r !== null) };
    });
    const share = rated.filter((r) => r.sponsoring).length / rated.length;
    expect(Math.abs(share - SPONSORING_SHARE)).toBeLessThan(0.05);
    const ratios = rated.flatMap((r) => r.ratios);
    expect(ratios.length).toBeGreaterThan(200);
    expect(median(ratios)).toBeGreaterThan(0.6);
    expect(median(ratios)).toBeLessThan(1);
    // Each kind of disclosure is there: hashtags in several languages, phrases, the platform's label.
    const posts = sample.slice(0, 2_000).flatMap((c) => c.accounts.flatMap((a) => a.posts));
    expect(posts.some((p) => p.paidPartnership)).toBe(true);
    expect(posts.some((p) => p.hashtags.includes('anzeige') || p.hashtags.includes('werbung'))).toBe(true);
    expect(posts.some((p) => /^(Paid partnership|Sponsored by|In partnership with) · /.test(p.caption))).toBe(true);
  });

  it('spreads creators over platforms, niches, countries and languages', () => {
    const platforms = new Map<string, number>();
    const perCreator = [0, 0, 0, 0];
    for (const c of sample) {
      perCreator[c.accounts.length]++;
      for (const a of c.accounts) platforms.set(a.platform, (platforms.get(a.platform) ?? 0) + 1);
    }
    expect(perCreator[0]).toBe(0);
    expect(perCreator[1] / sample.length).toBeCloseTo(0.5, 1);
    expect(perCreator[3] / sample.length).toBeGreaterThan(0.08);
    const ranked = [...platforms.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
    expect(ranked.slice(0, 3).sort()).toEqual(['instagram', 'tiktok', 'youtube']);
    expect(new Set(ranked)).toEqual(new Set(PLATFORMS));
    expect(new Set(sample.flatMap((c) => c.niches)).size).toBeGreaterThanOrEqual(24);
    const countries = new Map<string, number>();
    for (const c of sample) countries.set(c.country, (countries.get(c.country) ?? 0) + 1);
    expect(countries.size).toBeGreaterThanOrEqual(28);
    expect([...countries.entries()].sort((a, b) => b[1] - a[1])[0][0]).toBe('US');
    for (const c of sample.filter((x) => x.country === 'DE')) expect(c.languages[0]).toBe('de');
    for (const c of sample.filter((x) => x.country === 'BR')) expect(c.languages[0]).toBe('pt');
    expect(sample.filter((c) => c.city).length / sample.length).toBeCloseTo(0.6, 1);
  });

  it('biases the audience to the creator’s country and keeps history and posts in the past', () => {
    let ownFirst = 0;
    for (const c of sample.slice(0, 1_000)) {
      const a = headline(c);
      if (!a.synthetic!.fake && a.audience.countries[0].country === c.country) ownFirst++;
      expect(a.audience.countries.length).toBeGreaterThanOrEqual(3);
      expect(a.audience.countries.length).toBeLessThanOrEqual(6);
      expect(a.followerHistory.length).toBeGreaterThanOrEqual(6);
      expect(a.posts.length).toBeGreaterThanOrEqual(6);
      for (const p of a.posts) expect(Date.parse(p.postedAt)).toBeLessThanOrEqual(NOW);
      const history = a.followerHistory.map((h) => h.followers);
      expect(history[history.length - 1]).toBe(a.followers);
    }
    expect(ownFirst).toBeGreaterThan(850);
  });

  // Its speed is measured by bench/ (discovery-import), never asserted here: a loaded machine is not a bug.
  it('generates lite creators, each with at least one account', () => {
    let n = 0;
    for (const c of generateCreators(20_000, 'speed', { lite: true })) n += c.accounts.length;
    expect(n).toBeGreaterThan(20_000);
  });
});
