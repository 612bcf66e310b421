import { audienceMatch, AudienceTarget } from '../rules/audience-match';
import { AGE_BUCKETS, AudienceProfile, GENDERS, Platform, PLATFORMS } from '../rules/types';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIER_FOLLOWERS } from '../rules/tier';
import { AudienceIndex, AudienceVector, CandidateFilter } from './audience-index';
import { readAudienceIndex, writeAudienceIndex } from './audience-index.load';
import { passesCandidateFilter } from './candidate-filter';

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'BR', 'IN'];
const INTERESTS = ['food', 'Cooking', 'travel', 'fitness', 'tech'];
const NICHES = ['food', 'travel', 'fitness', 'beauty'];
const f32 = Math.fround;

function uuid(n: number): string {
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Creators with float32 shares, as the `real` columns hold them; some with no audience, many ties. */
function creators(count: number, rnd: () => number): AudienceVector[] {
  return Array.from({ length: count }, (_, i) => {
    const known = rnd() > 0.15;
    const pick = <T>(xs: readonly T[]) => xs.filter(() => rnd() < 0.4);
    return {
      id: uuid(i * 7919 + 1),
      platforms: pick(PLATFORMS),
      niches: pick(NICHES),
      // At the tier bounds, and between them.
      followers:
        [9_999, 10_000, 99_999, 100_000, 1_000_000, 1_000_001][Math.floor(rnd() * 6)] + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 50_000)),
      ages: known ? AGE_BUCKETS.map(() => f32(Math.round(rnd() * 3) / 20)) : null,
      genders: known ? GENDERS.map(() => f32(Math.round(rnd() * 3) / 10)) : null,
      // US and GB on most audiences (kept as columns), the others on few (lists).
      countries: known
        ? Object.fromEntries(
            COUNTRIES.filter((_, i) => rnd() < [0.7, 0.5, 0.2, 0.2, 0.1, 0.1][i]).map((c) => [c, f32(Math.round(rnd() * 10) / 80)]),
          )
        : {},
      // food and Cooking on many audiences (kept as bits), the others on few (lists).
      interests: known ? INTERESTS.filter((_, i) => rnd() < [0.5, 0.4, 0.03, 0.03, 0.02][i]) : [],
    };
  });
}

function profileOf(v: AudienceVector): AudienceProfile | null {
  if (!v.ages || !v.genders) return null;
  return {
    ages: Object.fromEntries(AGE_BUCKETS.map((b, i) => [b, v.ages![i]])),
    genders: Object.fromEntries(GENDERS.map((g, i) => [g, v.genders![i]])),
    countries: Object.entries(v.countries).map(([country, share]) => ({ country, share })),
    interests: [...v.interests],
    noProfilePictureShare: null,
  };
}

function build(vectors: AudienceVector[]): AudienceIndex {
  const index = new AudienceIndex(4);
  for (const v of [...vectors].sort((a, b) => a.id.localeCompare(b.id))) index.upsert(v);
  return index.seal();
}

const TARGETS: AudienceTarget[] = [
  { ages: ['25-34', '35-44'], genders: ['female'], countries: ['US', 'GB'], interests: ['cooking', 'travel'], platforms: ['tiktok'] },
  { countries: ['DE'] },
  { interests: ['FOOD '], platforms: ['youtube', 'x'] },
  { ages: ['13-17'], genders: ['male', 'other'] },
  { countries: ['US', 'DE', 'BR'], interests: ['tech', 'food', 'fitness'] },
];

/** Every slot (or those kept) in (score DESC, id DESC) order, by a plain full sort. */
function expectedOrder(index: AudienceIndex, scores: Float32Array, keep: (slot: number) => boolean = () => true): string[] {
  return Array.from({ length: index.size }, (_, i) => i)
    .filter(keep)
    .sort((a, b) => scores[b] - scores[a] || (index.idAt(b) < index.idAt(a) ? -1 : 1))
    .map((i) => index.idAt(i));
}

const FILTERS: CandidateFilter[] = [
  { niches: ['food', 'travel'] },
  { followers: [{ min: 10_000, max: 99_999 }] },
  { niches: ['fitness'], platforms: ['instagram', 'youtube'], followers: [TIER_FOLLOWERS.nano, TIER_FOLLOWERS.mega] },
  { platforms: ['tiktok'], followers: [{ min: 100_000, max: 1_000_000 }] },
];

/** The filter's meaning, checked plainly (the same check the SQL of the filter is tested against). */
const passes = (v: AudienceVector, f: CandidateFilter) => passesCandidateFilter(v, f);

const vectorAt = (vectors: AudienceVector[], id: string) => vectors.find((v) => v.id === id)!;

describe('AudienceIndex', () => {
  const vectors = creators(600, random(7));

  it.each(TARGETS.map((t, i) => [i, t] as const))(
    'scores target %i as the audience-match rule does (to 0.005), for every creator',
    (_i, target) => {
      const index = build(vectors);
      // Both ways of keeping a country and an interest are scored.
      expect([...index['countryColumns'].keys()].sort()).toEqual(['GB', 'US']);
      expect([...index['interestBits'].keys()].sort()).toEqual(['cooking', 'food']);
      const scores = index.scoreAll(target)!.scores;
      for (const v of vectors) {
        const rule = audienceMatch(target, profileOf(v), v.platforms as Platform[]);
        const unrounded = 100 * rule.parts.reduce((sum, p) => sum + p.weight * p.value, 0);
        const score = index.scoreOf(v.id, target)!;
        expect(Math.abs(score - unrounded)).toBeLessThan(0.005); // shares held to 1/65,535
        expect(scores[index['slotOf'](v.id)]).toBe(score); // the dense pass and one creator give the same float32
      }
    },
  );

  it.each(FILTERS.map((f, i) => [i, f] as const))(
    'scores and ranks only the creators filter %i lets through, exactly those a plain check keeps',
    (_i, filter) => {
      const index = build(vectors);
      const pass = index.scoreAll(TARGETS[0], filter)!;
      const kept = vectors.filter((v) => passes(v, filter)).map((v) => v.id);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(vectors.length);
      expect(pass.size).toBe(kept.length);
      expect([...pass.slots!].map((s) => index.idAt(s)).sort()).toEqual([...kept].sort());
      const all = index.scoreAll(TARGETS[0])!.scores;
      for (const slot of pass.slots!) expect(pass.scores[slot]).toBe(all[slot]); // columns read per candidate, lists whole: same sums
      const order = expectedOrder(index, all, (slot) => kept.includes(index.idAt(slot)));
      expect([...index.ranked(pass, null, 7)].flat().map((s) => index.idAt(s))).toEqual(order);
      const from = { score: index.scoreOf(order[3], TARGETS[0])!, id: order[3] };
      expect([...index.ranked(pass, from, 7)].flat().map((s) => index.idAt(s))).toEqual(order.slice(4));
      expect(index.top(pass, from, 10).map((s) => index.idAt(s))).toEqual(order.slice(4, 14));
      // Creators the filter left out are not ranked among the others either.
      const outside = vectors.find((v) => !passes(v, filter))!.id;
      expect(index.rankedAmong(pass, [outside, order[0]], null).map((s) => index.idAt(s))).toEqual([order[0]]);
    },
  );

  it('picks the best creators in one walk as scoring and top do, when every part of the target is a column', () => {
    const index = build(vectors);
    // Changed creators too: the walk takes them from the overlay, not from their stale list entries.
    for (const [i, v] of creators(30, random(3)).entries()) index.upsert({ ...v, id: vectors[i * 7].id });
    let picked = 0;
    for (const target of TARGETS) {
      for (const filter of [{}, ...FILTERS]) {
        const best = index.best(target, filter, null, 12);
        const columnsOnly =
          !target.interests?.some((i) => !['food', 'cooking'].includes(i.trim().toLowerCase())) &&
          !target.countries?.some((c) => !['US', 'GB'].includes(c));
        if (!columnsOnly || (filter.niches?.length ?? 0) > 1) {
          expect(best).toBeNull();
          continue;
        }
        const pass = index.scoreAll(target, filter)!;
        const top = index.top(pass, null, 12);
        expect(best!.map((b) => b.slot)).toEqual(top);
        expect(best!.map((b) => b.score)).toEqual(top.map((slot) => pass.scores[slot]));
        const from = { score: best![4].score, id: index.idAt(best![4].slot) };
        expect(index.best(target, filter, from, 5)!.map((b) => b.slot)).toEqual(index.top(pass, from, 5));
        index.release(pass);
        picked++;
      }
    }
    expect(picked).toBeGreaterThan(4);
  });

  it('keeps up to 32 common interests as bits (the 32nd too) and the rest as lists, scoring both alike', () => {
    const many = Array.from({ length: 34 }, (_, i) => `interest${String(i).padStart(2, '0')}`);
    const rnd = random(11);
    // Interest i is on a share of audiences that falls with i, so the bits go to the first 32.
    const withMany = vectors.map((v) => ({ ...v, interests: many.filter((_, i) => rnd() < 0.9 - i * 0.02) }));
    const index = build(withMany);
    expect(index['interestBits'].size).toBe(32);
    expect(index['interestBits'].get('interest31')).toBe(31);
    for (const interests of [['interest31'], ['interest30', 'interest31', 'interest33'], many]) {
      const target = { interests };
      const scores = index.scoreAll(target)!.scores;
      for (const v of withMany) {
        const rule = audienceMatch(target, profileOf(v), v.platforms as Platform[]);
        const unrounded = 100 * rule.parts.reduce((sum, p) => sum + p.weight * p.value, 0);
        if (profileOf(v)) expect(Math.abs(scores[index['slotOf'](v.id)] - unrounded)).toBeLessThan(0.005);
        expect(scores[index['slotOf'](v.id)]).toBe(index.scoreOf(v.id, target));
      }
    }
  });

  it('has no score for an empty target or an unknown creator', () => {
    const index = build(vectors);
    expect(index.scoreAll({ ages: [], countries: [] })).toBeNull();
    expect(index.scoreOf(uuid(3), TARGETS[0])).toBeNull();
  });

  it('walks creators in (score, id) descending order, in batches, resuming after any position', () => {
    const index = build(vectors);
    const pass = index.scoreAll(TARGETS[0])!;
    const scores = pass.scores;
    const order = expectedOrder(index, scores);
    const walked = [...index.ranked(pass, null, 50)].flat().map((s) => index.idAt(s));
    expect(walked).toEqual(order);
    for (const at of [0, 1, 17, 299, order.length - 2]) {
      const from = { score: index.scoreOf(order[at], TARGETS[0])!, id: order[at] };
      expect([...index.ranked(pass, from, 64)].flat().map((s) => index.idAt(s))).toEqual(order.slice(at + 1));
      for (const k of [1, 21]) expect(index.top(pass, from, k).map((s) => index.idAt(s))).toEqual(order.slice(at + 1, at + 1 + k));
    }
    expect(index.top(pass, null, 21).map((s) => index.idAt(s))).toEqual(order.slice(0, 21));
  });

  it('ranks a given set of creators the same way, skipping unknown ids', () => {
    const index = build(vectors);
    const pass = index.scoreAll(TARGETS[1])!;
    const scores = pass.scores;
    const order = expectedOrder(index, scores);
    const some = order.filter((_, i) => i % 3 === 0);
    const shuffled = [...some].reverse().concat(uuid(5));
    expect(index.rankedAmong(pass, shuffled, null).map((s) => index.idAt(s))).toEqual(some);
    const from = { score: scores[index['slotOf'](some[4])], id: some[4] };
    expect(index.rankedAmong(pass, shuffled, from).map((s) => index.idAt(s))).toEqual(some.slice(5));
  });

  it('scores changed and new creators from their new audience, exactly as a fresh index would', () => {
    const index = build(vectors);
    const changed = creators(40, random(99)).map((v, i) => ({ ...v, id: vectors[i * 10].id }));
    // Past the capacity: the columns grow after the lists are built.
    const added = creators(450, random(5)).map((v, i) => ({ ...v, id: uuid(10_000_000 + i) }));
    for (const v of [...changed, ...added]) index.upsert(v);
    expect(index.overlaySize).toBe(490);
    const current = new Map(vectors.map((v) => [v.id, v]));
    for (const v of [...changed, ...added]) current.set(v.id, v);
    const fresh = build([...current.values()]);
    expect(index.size).toBe(fresh.size);
    for (const target of TARGETS) {
      const pass = index.scoreAll(target)!;
      const scores = pass.scores;
      const freshScores = fresh.scoreAll(target)!.scores;
      for (const id of current.keys()) {
        expect(scores[index['slotOf'](id)]).toBe(freshScores[fresh['slotOf'](id)]);
        expect(index.scoreOf(id, target)).toBe(fresh.scoreOf(id, target));
      }
      expect([...index.ranked(pass, null, 100)].flat().map((s) => index.idAt(s))).toEqual(expectedOrder(fresh, freshScores));
      // Niches and followers changed too: the filters see the new ones.
      for (const filter of FILTERS) {
        const filtered = index.scoreAll(target, filter)!;
        const freshFiltered = fresh.scoreAll(target, filter)!;
        expect([...index.ranked(filtered, null, 100)].flat().map((s) => index.idAt(s))).toEqual(
          [...fresh.ranked(freshFiltered, null, 100)].flat().map((s) => fresh.idAt(s)),
        );
      }
    }
  });

  it('comes back from the file a loader process writes with the same scores and order', async () => {
    const index = build(vectors);
    const dir = mkdtempSync(join(tmpdir(), 'audience-index-'));
    try {
      await writeAudienceIndex(index, join(dir, 'index.bin'));
      const read = await readAudienceIndex(join(dir, 'index.bin'));
      expect(read.size).toBe(index.size);
      for (const target of TARGETS) {
        const scores = index.scoreAll(target)!.scores;
        const again = read.scoreAll(target)!;
        expect(Array.from(again.scores.subarray(0, read.size))).toEqual(Array.from(scores.subarray(0, index.size)));
        expect([...read.ranked(again, null, 100)].flat().map((s) => read.idAt(s))).toEqual(expectedOrder(index, scores));
        const filtered = read.scoreAll(target, FILTERS[2])!;
        expect([...read.ranked(filtered, null, 100)].flat().map((s) => read.idAt(s))).toEqual(
          expectedOrder(index, scores, (slot) => passes(vectorAt(vectors, index.idAt(slot)), FILTERS[2])),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bulk load out of id order', () => {
    const index = new AudienceIndex();
    index.upsert(vectors[5]);
    expect(() => index.upsert({ ...vectors[5], id: uuid(0) })).toThrow('ascending id order');
  });
});
