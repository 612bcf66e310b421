/**
 * Shared input types of the discovery domain rules (pure functions: no I/O, no database, no GraphQL),
 * plus the few validation and formatting helpers every rule uses.
 *
 * Conventions: inside the rules shares are fractions 0..1; rates returned by the rules are PERCENT numbers
 * (5 means 5 %); countries are ISO 3166-1 alpha-2 codes. The public API shows every rate and share as a
 * percent (docs/metrics.md, "Units"): `shareToPercent` and `percentToShare` are the one conversion.
 */

import { AGE_BUCKETS, CONTENT_FORMATS, GENDERS, PLATFORMS } from '@influenceflow/vocabulary';
import type { AgeBucket, ContentFormat, Gender, Platform } from '@influenceflow/vocabulary';

// The lists are the vocabulary's (one of each for the whole platform); the rules see them as strings.
export { AGE_BUCKETS, GENDERS, PLATFORMS };
export type { AgeBucket, Gender, Platform };
export const POST_FORMATS = CONTENT_FORMATS;
export type PostFormat = ContentFormat;

/**
 * Where an account's figures come from, from least to most trustworthy: typed by the creator, imported by
 * an agency (a bulk import), or fetched from the platform's own API through a connected account.
 */
export const PROVENANCES = ['self_reported', 'imported', 'fetched'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export interface CommentSample {
  author: string;
  text: string;
}

export interface PostSample {
  postedAt: Date;
  format: PostFormat;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number | null;
  reach: number | null;
  caption: string;
  hashtags: string[];
  /** The platform's own paid-partnership label, where a connector reports it; null or absent when unknown. */
  paidPartnership?: boolean | null;
  commentSamples: CommentSample[];
}

/** share 0..1, country ISO 3166-1 alpha-2 */
export interface CountryShare {
  country: string;
  share: number;
}

export interface AudienceProfile {
  ages: Partial<Record<AgeBucket, number>>;
  genders: Partial<Record<Gender, number>>;
  countries: CountryShare[];
  interests: string[];
  noProfilePictureShare: number | null;
}

export interface FollowerCount {
  date: Date;
  followers: number;
}

// ---------------------------------------------------------------------------------------------------
// Validation helpers (throw RangeError with a message naming the offending field).
// ---------------------------------------------------------------------------------------------------

/** Tolerance for sums of shares that should be ≤ 1 but carry floating-point noise. */
export const SHARE_SUM_TOLERANCE = 1e-6;

/** Throws a RangeError unless `value` is a finite number ≥ 0 (a count, a follower number, a rate). */
export function assertNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is a share: a finite number with 0 ≤ value ≤ 1. */
export function assertShare(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${name} must be a share between 0 and 1, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `n` is an integer ≥ `min`. */
export function assertInteger(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(n)}`);
}

/** Throws a RangeError unless `date` is a valid Date. */
export function assertDate(name: string, date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`${name} must be a valid Date, got ${String(date)}`);
}

/**
 * Normalises an ISO 3166-1 alpha-2 country code: trimmed, upper case ("us " → "US"). Throws a RangeError
 * for anything that is not two letters.
 */
export function normaliseCountry(name: string, country: string): string {
  const code = typeof country === 'string' ? country.trim().toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(code)) throw new RangeError(`${name} must be an ISO 3166-1 alpha-2 country code, got ${JSON.stringify(country)}`);
  return code;
}

/**
 * Validates a list of country shares (each a share 0..1, Σ shares ≤ 1 + SHARE_SUM_TOLERANCE) and returns it
 * with normalised codes; shares of a country listed twice are added up.
 */
export function normaliseCountryShares(name: string, countries: CountryShare[]): Map<string, number> {
  const out = new Map<string, number>();
  let sum = 0;
  countries.forEach((c, i) => {
    const code = normaliseCountry(`${name}[${i}].country`, c.country);
    assertShare(`${name}[${i}].share`, c.share);
    out.set(code, (out.get(code) ?? 0) + c.share);
    sum += c.share;
  });
  if (sum > 1 + SHARE_SUM_TOLERANCE) throw new RangeError(`${name} shares must add up to at most 1, got ${sum}`);
  return out;
}

/** Validates a partial share record (ages or genders): every value a share, Σ ≤ 1 + SHARE_SUM_TOLERANCE. */
export function assertShareRecord(name: string, record: Partial<Record<string, number>>): void {
  let sum = 0;
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    assertShare(`${name}.${key}`, value);
    sum += value;
  }
  if (sum > 1 + SHARE_SUM_TOLERANCE) throw new RangeError(`${name} shares must add up to at most 1, got ${sum}`);
}

// ---------------------------------------------------------------------------------------------------
// Units of the public API: shares are stored as fractions and shown as percent numbers.
// ---------------------------------------------------------------------------------------------------

/** A share (0..1) as a percent number, to 4 decimals (the precision shares are stored with): 0.29 → 29, not 28.999999999999996. */
export function shareToPercent(share: number): number {
  return Math.round(share * 1_000_000) / 10_000;
}

/**
 * A percent number (0..100) as a share 0..1, as the rules and the database keep it, to the same precision
 * (4 decimals of percent): 33.3 → 0.333, not 0.33299999999999996.
 */
export function percentToShare(percent: number): number {
  return Math.round(percent * 10_000) / 1_000_000;
}

// ---------------------------------------------------------------------------------------------------
// Formatting helpers for the human explanations: every number in a sentence goes through one of these.
// ---------------------------------------------------------------------------------------------------

/** A percent number as text with `decimals` decimals (default 2: percentages are shown with two decimals): 5 → "5.00 %". */
export function formatPercent(percent: number, decimals = 2): string {
  return `${percent.toFixed(decimals)} %`;
}

/** A count rounded to an integer with thousands separators: 15000 → "15,000". */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A plain number for people: at most `maxDecimals` decimals (default 2), trailing zeros dropped: 0.25000000000000006 → "0.25", 3 → "3". */
export function formatNumber(n: number, maxDecimals = 2): string {
  const fixed = n.toFixed(maxDecimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A number with exactly `decimals` decimals (a ratio, a factor, a score): 1.5 → "1.50". */
export function formatDecimal(n: number, decimals = 2): string {
  const fixed = n.toFixed(decimals);
  return /^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed;
}

/** A multiplier with two decimals: 1.5 → "×1.50". */
export function formatFactor(factor: number): string {
  return `×${factor.toFixed(2)}`;
}

/** A share (0..1) as a percent for people: 0.458 → "45.80 %". */
export function formatShare(share: number, decimals = 2): string {
  return formatPercent(share * 100, decimals);
}
