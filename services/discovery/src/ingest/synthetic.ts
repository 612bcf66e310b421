/**
 * A seeded generator of synthetic creators with realistic distributions, for demos, tests and benchmarks.
 *
 * Pure and deterministic: the same (count, seed, options) always yields the same records (no Date.now(),
 * no Math.random(); `options.now` fixes the clock, by default today 00:00 UTC). Records are shaped as one
 * line of an NDJSON import (dates as ISO strings) and pass `creatorRecordSchema`.
 *
 * Distributions (see docs/import.md):
 * - Followers of the headline account: log-normal (median ≈ 32k, σ = 1.0 in ln) with a 1 % Pareto tail,
 *   clamped to 300 … 50M: ≈ 12 % nano, ≈ 74 % micro, ≈ 13 % macro, ≈ 0.3 % mega; other accounts are
 *   5–80 % of the headline one.
 * - Engagement by followers falls with size (interpolated in log10(followers): ≈ 8.5 % at 1k, 6 % at 10k,
 *   3 % at 100k, 1.5 % at 1M, 0.9 % at 10M), times log-normal noise (σ = 0.2) and a platform factor
 *   (medians per tier: nano ≈ 6.4 %, micro ≈ 4.2 %, macro ≈ 2.5 %, mega ≈ 1.2 %).
 * - 1–3 accounts per creator (50/35/15 %) over the 9 platforms, weighted (Instagram, TikTok, YouTube most)
 *   and biased by niche (gaming → Twitch, Discord; finance → LinkedIn, ...).
 * - 25 niches (1–3 per creator), 30 countries weighted, languages matched to the country, cities and
 *   regions for ~60 %, 1–3 content styles.
 * - Audience: age buckets and genders by niche and platform, 3–6 top countries biased to the creator's,
 *   interests from the niches, 2–10 % followers without a profile picture.
 * - 6–12 monthly follower-history points of smooth growth; 6–12 recent posts (every 2–7 days) with niche
 *   captions and hashtags and 3–6 comment samples.
 * - ≈ 40 % of creators (SPONSORING_SHARE) do sponsored posts: 20–45 % of their posts carry a disclosure
 *   (a hashtag or phrase of the vocabulary's marker list in the creator's first language, else English,
 *   or the platform's paid-partnership label) and engage a log-normal factor of their organic posts
 *   (median 0.85, σ = 0.3), so search by sponsored ratio has a spread to sort.
 * - ≈ 8 % of accounts (FAKE_ACCOUNT_SHARE) show fake-follower signs, 3–6 of: engagement far off the tier
 *   norm (bought followers or bought likes), mostly generic comments ("Nice pic!", emoji), the same
 *   commenters on every post, a sudden follower spike, 25–55 % followers without a profile picture, an
 *   audience in countries unrelated to the creator's.
 *
 * `lite: true` (used by the 1M benchmark) keeps every distribution but writes less per account: 4 posts
 * with 2 comment samples each and short captions, 3 history points, no audience cities.
 *
 * The reference data (countries, names, niches, platforms, words) is JSON in ./data (synthetic-data.ts);
 * the randomness is random.ts.
 */

import { DISCLOSURE_HASHTAGS, DISCLOSURE_PHRASES, DisclosureMarkerDefinition } from '@influenceflow/vocabulary';
import { audienceInPercent, AudienceInPercent, AudienceRecord } from '../creators/creator-record';
import { hashSeed, Random, Weighted } from './random';
import {
  ADJECTIVES,
  COUNTRIES,
  COUNTRY_CODES,
  COUNTRY_PICK,
  FAN_WORDS,
  FARM_COUNTRIES,
  GENERIC_COMMENTS,
  GENUINE_COMMENTS,
  GLOBAL_AUDIENCE,
  LANGUAGE_EXTRA,
  NAMES,
  NICHE_PICK,
  NICHES,
  NOUNS,
  PLATFORM_AGE,
  PLATFORM_ENGAGEMENT,
  PLATFORM_FORMATS,
  PLATFORM_PICK,
  VIDEO_FORMATS,
} from './synthetic-data';

export { Random } from './random';

/** Share of accounts generated with fake-follower signs. */
export const FAKE_ACCOUNT_SHARE = 0.08;
/** Share of creators who do sponsored posts. */
export const SPONSORING_SHARE = 0.4;
/** Platforms whose own paid-partnership label a connector reports. */
const LABEL_PLATFORMS = new Set(['instagram', 'tiktok', 'youtube', 'facebook']);
/** The paid disclosure markers of each language, from the vocabulary's list. */
const PAID_MARKERS = (list: readonly DisclosureMarkerDefinition[]) => {
  const byLanguage = new Map<string, string[]>();
  for (const m of list) if (m.disclosure === 'paid') byLanguage.set(m.language, [...(byLanguage.get(m.language) ?? []), m.text]);
  return byLanguage;
};
const DISCLOSURE_TAGS = PAID_MARKERS(DISCLOSURE_HASHTAGS);
const DISCLOSURE_WORDS = PAID_MARKERS(DISCLOSURE_PHRASES);

export interface SyntheticOptions {
  /** Fewer posts, comments and history points per account (for bulk benchmarks). */
  lite?: boolean;
  /** The clock: posts and history end at this time. Default: today 00:00 UTC. */
  now?: Date | string | number;
  /** Index of the first creator (handles carry it, so ranges of one seed never collide). Default 0. */
  offset?: number;
  /**
   * Adds `synthetic: { fake: true }` to accounts generated with fake signs (for tests). The import
   * schema ignores unknown keys.
   */
  annotate?: boolean;
}

export interface SyntheticComment {
  author: string;
  text: string;
}
export interface SyntheticPost {
  postedAt: string;
  format: string;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number | null;
  reach: number | null;
  caption: string;
  hashtags: string[];
  /** The platform's paid-partnership label, on sponsored posts that carry it. */
  paidPartnership?: true;
  commentSamples: SyntheticComment[];
}
/** An account's audience, in percent as import files give it. */
export type SyntheticAudience = AudienceInPercent;
export interface SyntheticAccount {
  platform: string;
  handle: string;
  followers: number;
  following: number;
  postCount: number;
  audience: SyntheticAudience;
  followerHistory: { date: string; followers: number }[];
  posts: SyntheticPost[];
  synthetic?: { fake: boolean };
}
/** One creator as a line of an NDJSON import (what `creatorRecordSchema` parses). */
export interface SyntheticCreator {
  handle: string;
  displayName: string;
  bio: string;
  niches: string[];
  contentStyles: string[];
  languages: string[];
  country: string;
  region: string | null;
  city: string | null;
  markets: string[];
  accounts: SyntheticAccount[];
}

// ---------------------------------------------------------------------------------------------------
// Model parameters (the reference data is in ./data, see synthetic-data.ts)
// ---------------------------------------------------------------------------------------------------

/** Base audience age shares for AGE_BUCKETS (13-17 … 55+). */
const BASE_AGES = [0.06, 0.3, 0.33, 0.17, 0.09, 0.05];

const ACCOUNT_COUNT = new Weighted([
  [1, 50],
  [2, 35],
  [3, 15],
] as const);

// ---------------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
/** log10(followers) → engagement rate (%) of a genuine account, before noise. */
const ENGAGEMENT_CURVE: [number, number][] = [
  [2, 11],
  [3, 8.5],
  [3.5, 7.5],
  [4, 6],
  [4.5, 4.5],
  [5, 3],
  [5.5, 2.2],
  [6, 1.5],
  [7, 0.9],
  [8, 0.6],
];

/** The typical engagement rate (%) of a genuine account of this size (before noise and platform). */
export function typicalEngagementRate(followers: number): number {
  const x = Math.log10(Math.max(followers, 100));
  for (let i = 1; i < ENGAGEMENT_CURVE.length; i++) {
    const [x1, y1] = ENGAGEMENT_CURVE[i];
    if (x <= x1) {
      const [x0, y0] = ENGAGEMENT_CURVE[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return ENGAGEMENT_CURVE[ENGAGEMENT_CURVE.length - 1][1];
}

function headlineFollowers(rng: Random): number {
  let f: number;
  if (rng.chance(0.01)) {
    // Pareto tail (α = 1.2) from 300k: the rare macro and mega accounts.
    f = 300_000 / Math.pow(1 - rng.next(), 1 / 1.2);
  } else {
    f = rng.logNormal(32_000, 1.0);
  }
  return Math.round(Math.min(50_000_000, Math.max(300, f)));
}

const round3 = (x: number) => Math.floor(x * 1000) / 1000;

/** Shares from weights: each rounded down to 3 decimals, so they add up to at most `total` (≤ 1). */
function shares(weights: number[], total = 1): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  return weights.map((w) => round3((w / sum) * total));
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

interface CreatorContext {
  rng: Random;
  lite: boolean;
  now: number;
  country: string;
  markets: string[];
  niches: string[];
  handleBase: string;
  languages: string[];
  /** How much of their content is sponsored and how it engages against their own; null: none. */
  sponsorship: { share: number; factor: number } | null;
}

/** How a sponsored post says so: a hashtag, a caption phrase, or the platform's label. */
function disclosureOf(ctx: CreatorContext, platform: string): { hashtag?: string; phrase?: string; paidPartnership?: true } {
  const { rng } = ctx;
  const language = ctx.languages.find((l) => DISCLOSURE_TAGS.has(l)) ?? 'en';
  const kind = rng.next();
  if (kind < 0.25 && LABEL_PLATFORMS.has(platform)) return { paidPartnership: true };
  if (kind < 0.7) return { hashtag: rng.pick(DISCLOSURE_TAGS.get(language)!) };
  return { phrase: rng.pick(DISCLOSURE_WORDS.get(language) ?? DISCLOSURE_WORDS.get('en')!) };
}

function pickDistinct<T>(rng: Random, pickOne: () => T, count: number): T[] {
  const out: T[] = [];
  for (let guard = 0; out.length < count && guard < count * 8; guard++) {
    const v = pickOne();
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function audienceOf(ctx: CreatorContext, platform: string, fake: { foreign: boolean; noPicture: boolean }): SyntheticAudience {
  const { rng } = ctx;
  const niche = NICHES[ctx.niches[0]];
  // Ages: base shares shifted towards older or younger buckets by niche and platform.
  const skew = (niche.age ?? 0) + (PLATFORM_AGE[platform] ?? 0) + rng.normal() * 0.4;
  const ageWeights = BASE_AGES.map((w, i) => w * Math.exp(skew * 0.35 * (i - 2.2)) * rng.range(0.8, 1.2));
  const ageShares = shares(ageWeights);
  const ages: AudienceRecord['ages'] = {
    '13-17': ageShares[0],
    '18-24': ageShares[1],
    '25-34': ageShares[2],
    '35-44': ageShares[3],
    '45-54': ageShares[4],
    '55+': ageShares[5],
  };
  const female = Math.min(0.95, Math.max(0.05, niche.female + rng.normal() * 0.06));
  const other = round3(rng.range(0.005, 0.025));
  const genders = { female: round3(female * (1 - other)), male: round3((1 - female) * (1 - other)), other };

  // Countries: the creator's own first, then markets and neighbours, then the global tail.
  const own = COUNTRIES[ctx.country];
  const listed = rng.int(3, 6);
  const codes: string[] = [];
  const weights: number[] = [];
  const add = (code: string, w: number) => {
    if (codes.length < listed && !codes.includes(code)) {
      codes.push(code);
      weights.push(w);
    }
  };
  if (fake.foreign) {
    add(ctx.country, rng.range(0.12, 0.25));
    const farms = pickDistinct(rng, () => rng.pick(FARM_COUNTRIES), 3);
    for (const f of farms) add(f, rng.range(0.15, 0.3));
  } else {
    add(ctx.country, rng.range(0.45, 0.75));
    for (const m of ctx.markets) add(m, rng.range(0.05, 0.15));
  }
  for (const n of own.near) add(n, rng.range(0.02, 0.08));
  for (let guard = 0; codes.length < listed && guard < 20; guard++) add(rng.pick(GLOBAL_AUDIENCE), rng.range(0.01, 0.04));
  // What is listed covers 80–95 % of the audience; the rest is spread over unlisted countries.
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const covered = rng.range(0.8, 0.95);
  const countries = codes.map((country, i) => ({ country, share: round3((weights[i] / weightSum) * covered) }));

  const cities: AudienceRecord['cities'] = [];
  if (!ctx.lite && !fake.foreign) {
    const [city] = rng.pick(own.cities);
    cities.push({ city, country: ctx.country, share: round3(countries[0].share * rng.range(0.1, 0.3)) });
  }

  const interests: string[] = [];
  for (const n of ctx.niches) for (const i of NICHES[n].interests) if (!interests.includes(i) && interests.length < 8) interests.push(i);

  // Drawn as fractions (3 decimals), written in percent like every import file.
  return audienceInPercent({
    ages,
    genders,
    countries,
    cities,
    interests,
    noProfilePictureShare: fake.noPicture ? round3(rng.range(0.25, 0.55)) : round3(rng.range(0.02, 0.1)),
  });
}

function historyOf(ctx: CreatorContext, followers: number, spike: boolean): SyntheticAccount['followerHistory'] {
  const { rng } = ctx;
  const points = ctx.lite ? 3 : rng.int(6, 12);
  const growth = rng.range(0.005, 0.05); // per month
  const today = startOfUtcDay(ctx.now);
  const history: SyntheticAccount['followerHistory'] = new Array(points);
  let current = followers;
  for (let k = 0; k < points; k++) {
    history[points - 1 - k] = { date: isoDay(today - k * 30 * DAY_MS), followers: Math.round(current) };
    current = current / (1 + growth * rng.range(0.6, 1.4));
  }
  if (spike && points >= 3) {
    // Bought followers: +40–150 % within two days, a week before the last point, after a flat month.
    const jump = rng.range(1.4, 2.5);
    const before = Math.max(100, Math.round(followers / jump));
    for (let i = 0; i < points - 1; i++) history[i].followers = Math.min(history[i].followers, before);
    history.splice(points - 1, 0, { date: isoDay(today - 9 * DAY_MS), followers: before }, { date: isoDay(today - 7 * DAY_MS), followers });
  }
  return history;
}

interface FakeSigns {
  fake: boolean;
  engagement: 'low' | 'high' | null;
  genericComments: boolean;
  pod: boolean;
  spike: boolean;
  noPicture: boolean;
  foreign: boolean;
}

const GENUINE: FakeSigns = {
  fake: false,
  engagement: null,
  genericComments: false,
  pod: false,
  spike: false,
  noPicture: false,
  foreign: false,
};

function fakeSigns(rng: Random): FakeSigns {
  if (!rng.chance(FAKE_ACCOUNT_SHARE)) return GENUINE;
  // 3–6 of the six signs, the engagement one always (it is the first thing to check).
  const signs: FakeSigns = { ...GENUINE, fake: true, engagement: rng.chance(0.7) ? 'low' : 'high' };
  const others: (keyof FakeSigns)[] = ['genericComments', 'pod', 'spike', 'noPicture', 'foreign'];
  const wanted = rng.int(2, 5);
  for (let i = 0; i < wanted; i++) {
    const key = others.splice(Math.floor(rng.next() * others.length), 1)[0];
    (signs as unknown as Record<string, boolean>)[key] = true;
  }
  return signs;
}

function postsOf(ctx: CreatorContext, platform: string, followers: number, rate: number, signs: FakeSigns): SyntheticPost[] {
  const { rng, lite } = ctx;
  const count = lite ? 4 : rng.int(6, 12);
  const commentsPerPost = lite ? 2 : rng.int(3, 6);
  const formats = PLATFORM_FORMATS[platform];
  // Likes per comment: 15–70 for genuine accounts; bought likes make it 150–400.
  const likesPerComment = signs.engagement === 'high' ? rng.range(150, 400) : rng.range(15, 70);
  const shareOfLikes = rng.range(0.01, 0.06);
  const reachShare = rng.range(0.15, 0.45);
  const podMembers = signs.pod ? Array.from({ length: rng.int(4, 7) }, (_, i) => `${rng.pick(FAN_WORDS)}.pod${rng.int(10, 999)}${i}`) : [];
  // Mean of a log-normal with σ = 0.35 is median × e^(σ²/2): divide it out so the average hits `rate`.
  const median = (followers * rate) / 100 / 1.063;
  const niches = ctx.niches;
  let t = ctx.now - rng.range(0.2, 3) * DAY_MS;
  const posts: SyntheticPost[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const niche = NICHES[niches[i % niches.length]];
    const disclosure = ctx.sponsorship && rng.chance(ctx.sponsorship.share) ? disclosureOf(ctx, platform) : null;
    const engagements = Math.max(1, rng.logNormal(median, 0.35) * (disclosure ? ctx.sponsorship!.factor : 1));
    const comments = Math.max(0, Math.round(engagements / (1 + likesPerComment + likesPerComment * shareOfLikes)));
    const shares = Math.round(engagements * shareOfLikes * (likesPerComment / (1 + likesPerComment)));
    const likes = Math.max(0, Math.round(engagements) - comments - shares);
    const format = formats.pick(rng);
    const reach = Math.max(likes + comments + shares, Math.round(followers * reachShare * rng.range(0.7, 1.3)));
    let caption = lite ? rng.pick(niche.captions) : `${rng.pick(niche.captions)} ${rng.chance(0.5) ? '👇' : ''}`.trim();
    const hashtags = lite ? [rng.pick(niche.hashtags)] : pickDistinct(rng, () => rng.pick(niche.hashtags), rng.int(2, 5));
    if (disclosure?.hashtag) hashtags.push(disclosure.hashtag);
    if (disclosure?.phrase) caption = `${capitalise(disclosure.phrase)} · ${caption}`;
    const samples: SyntheticComment[] = [];
    for (let c = 0; c < commentsPerPost; c++) {
      let author: string;
      let text: string;
      if (signs.pod) author = podMembers[c % podMembers.length];
      else author = `${rng.pick(FAN_WORDS)}_${rng.int(1, 99_999)}`;
      if (signs.genericComments) text = rng.chance(0.85) ? rng.pick(GENERIC_COMMENTS) : rng.pick(GENUINE_COMMENTS);
      else text = rng.chance(0.1) ? rng.pick(GENERIC_COMMENTS) : rng.pick(GENUINE_COMMENTS);
      samples.push({ author, text });
    }
    posts[i] = {
      postedAt: new Date(Math.round(t)).toISOString(),
      format,
      likes,
      comments,
      shares,
      saves: Math.round(likes * rng.range(0.01, 0.08)),
      views: VIDEO_FORMATS.has(format) ? Math.round(followers * rng.range(0.3, 1.8)) : null,
      reach,
      caption,
      hashtags,
      ...(disclosure?.paidPartnership ? { paidPartnership: true } : {}),
      commentSamples: samples,
    };
    t -= rng.range(2, 7) * DAY_MS;
  }
  return posts;
}

function accountHandle(base: string, platform: string, n: number): string {
  // Some creators use the same handle everywhere, others a variant.
  switch (n % 3) {
    case 0:
      return base;
    case 1:
      return base.replace(/\./g, '_');
    default:
      return platform === 'youtube' ? `${base.replace(/\./g, '')}tv` : `${base}.official`;
  }
}

function accountOf(ctx: CreatorContext, platform: string, followers: number, n: number, annotate: boolean): SyntheticAccount {
  const { rng } = ctx;
  const signs = fakeSigns(rng);
  let rate = typicalEngagementRate(followers) * (PLATFORM_ENGAGEMENT[platform] ?? 1) * rng.logNormal(1, 0.2);
  if (signs.engagement === 'low') rate *= rng.range(0.12, 0.3);
  if (signs.engagement === 'high') rate *= rng.range(2.8, 4.5);
  const account: SyntheticAccount = {
    platform,
    handle: accountHandle(ctx.handleBase, platform, n),
    followers,
    following: signs.fake && rng.chance(0.5) ? rng.int(3_000, 7_500) : rng.int(80, 1_800),
    postCount: rng.int(40, 3_000),
    audience: audienceOf(ctx, platform, signs),
    followerHistory: historyOf(ctx, followers, signs.spike),
    posts: postsOf(ctx, platform, followers, rate, signs),
  };
  if (annotate) account.synthetic = { fake: signs.fake };
  return account;
}

function creatorAt(
  index: number,
  rng: Random,
  options: Required<Pick<SyntheticOptions, 'lite' | 'annotate'>> & { now: number },
): SyntheticCreator {
  const country = COUNTRY_PICK.pick(rng);
  const info = COUNTRIES[country];
  const nicheCount = rng.chance(0.55) ? 1 : rng.chance(0.7) ? 2 : 3;
  const niches = pickDistinct(rng, () => NICHE_PICK.pick(rng), nicheCount);
  const first = rng.pick(NAMES[info.names].first);
  const last = rng.pick(NAMES[info.names].last);
  const style = rng.int(0, 3);
  const word = `${rng.pick(ADJECTIVES)}.${rng.pick(NOUNS)}`;
  const handleBase =
    style === 0
      ? `${word}.${index}`
      : `${asciiWord(first)}${style === 1 ? '.' : '_'}${style === 3 ? rng.pick(NOUNS) : asciiWord(last)}.${index}`;
  const displayName = style === 0 ? `${capitalise(word.replace('.', ' '))}` : `${first} ${last}`;
  const markets = rng.chance(0.4) ? pickDistinct(rng, () => rng.pick(info.near), rng.int(1, 2)) : [];
  let languages: string[] = [...info.languages];
  for (const [lang, p] of LANGUAGE_EXTRA[country] ?? []) if (rng.chance(p) && !languages.includes(lang)) languages.push(lang);
  if (languages.length > 1 && rng.chance(0.3)) languages = languages.slice(0, 1);
  const located = rng.chance(0.6);
  const [city, region] = located ? rng.pick(info.cities) : [null, null];
  const styles = pickDistinct(rng, () => rng.pick(NICHES[rng.pick(niches)].styles), rng.int(1, 3));
  const sponsorship = rng.chance(SPONSORING_SHARE) ? { share: rng.range(0.2, 0.45), factor: rng.logNormal(0.85, 0.3) } : null;
  const ctx: CreatorContext = { rng, lite: options.lite, now: options.now, country, markets, niches, handleBase, languages, sponsorship };

  const accountCount = ACCOUNT_COUNT.pick(rng);
  const platforms = pickDistinct(rng, () => PLATFORM_PICK[niches[0]].pick(rng), accountCount);
  const headline = headlineFollowers(rng);
  const accounts = platforms.map((platform, n) => {
    const followers = n === 0 ? headline : Math.max(50, Math.round(headline * rng.range(0.05, 0.8)));
    return accountOf(ctx, platform, followers, n, options.annotate);
  });

  const where = city ?? countryNames[country] ?? country;
  const nicheText = niches.map((n) => n.replace('-', ' ')).join(', ');
  return {
    handle: handleBase,
    displayName,
    bio: options.lite
      ? `${capitalise(nicheText)} creator from ${where}.`
      : `${capitalise(nicheText)} creator from ${where}. ${rng.pick(NICHES[niches[0]].captions)}. Collabs: DM or email.`,
    niches,
    contentStyles: styles,
    languages,
    country,
    region,
    city,
    markets,
    accounts,
  };
}

const countryNames: Record<string, string> = Object.fromEntries(
  COUNTRY_CODES.map((c) => [c, new Intl.DisplayNames(['en'], { type: 'region' }).of(c) ?? c]),
);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A name as handle characters: "Müller" → "muller", "de Jong" → "dejong". */
function asciiWord(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'x'
  );
}

/**
 * `count` synthetic creators for `seed`. Each creator has its own random stream (seeded by the run's seed
 * and its index), so creator i is the same whatever `count` or `offset` the run used.
 */
export function* generateCreators(count: number, seed: number | string, options: SyntheticOptions = {}): Generator<SyntheticCreator> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const now = options.now === undefined ? startOfUtcDay(Date.now()) : new Date(options.now).getTime();
  if (!Number.isFinite(now)) throw new RangeError(`now must be a date, got ${String(options.now)}`);
  const settings = { lite: options.lite ?? false, annotate: options.annotate ?? false, now };
  const base = hashSeed(seed);
  const offset = options.offset ?? 0;
  for (let i = 0; i < count; i++) {
    const index = offset + i;
    const rng = new Random((base ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    yield creatorAt(index, rng, settings);
  }
}
