/**
 * The synthetic generator's reference data, kept as JSON in ./data/ (copied to dist/ingest/data/ by the
 * build: the package's tsconfig includes src/**\/*.json, and these imports make them part of the program):
 *
 *   countries.json   30 countries (weight, languages, [city, region], neighbouring markets, name pool),
 *                    the countries bought followers come from, a global audience tail, extra languages
 *   names.json       first and last names per name pool
 *   niches.json      25 niches (weight, hashtags, interests, captions, content styles, female share,
 *                    platform multipliers, audience age skew)
 *   platforms.json   platform weights, engagement factors, post formats, video formats, audience age skew
 *   words.json       handle words, commenter names, genuine and generic comments
 *
 * Here they are typed (synthetic-data.test.ts checks the files hold what the types say) and turned into
 * the weighted tables the generator picks from (built once).
 */
import countriesData from './data/countries.json';
import namesData from './data/names.json';
import nichesData from './data/niches.json';
import platformsData from './data/platforms.json';
import wordsData from './data/words.json';
import { Weighted } from './random';

export type NamePool = 'en' | 'es' | 'pt' | 'de' | 'fr' | 'it' | 'nl' | 'nordic' | 'pl' | 'tr' | 'in' | 'asia' | 'ar';

export interface CountryInfo {
  weight: number;
  languages: [string, ...string[]];
  /** [city, region] */
  cities: [string, string][];
  /** Countries a creator here also works for, and where their audience also lives. */
  near: string[];
  names: NamePool;
}

export interface NicheInfo {
  weight: number;
  hashtags: string[];
  interests: string[];
  /** Caption fragments; a caption is one or two of them. */
  captions: string[];
  styles: string[];
  /** Share of female audience. */
  female: number;
  /** Multipliers of PLATFORM_WEIGHTS for this niche. */
  platforms?: Partial<Record<string, number>>;
  /** Audience age skew: + older, − younger. */
  age?: number;
}

export const COUNTRIES = countriesData.countries as unknown as Record<string, CountryInfo>;
export const COUNTRY_CODES = Object.keys(COUNTRIES);
export const COUNTRY_PICK = new Weighted(COUNTRY_CODES.map((c) => [c, COUNTRIES[c].weight] as const));
/** Where bought followers come from: countries no creator here declares as a market. */
export const FARM_COUNTRIES: string[] = countriesData.farmCountries;
/** A few places everyone's audience also lives, for the tail of the country list. */
export const GLOBAL_AUDIENCE: string[] = countriesData.globalAudience;
/** Languages some creators of a country speak besides its own, with how often. */
export const LANGUAGE_EXTRA = countriesData.languageExtra as unknown as Record<string, [string, number][]>;

export const NAMES = namesData as Record<NamePool, { first: string[]; last: string[] }>;

export const NICHES = nichesData as Record<string, NicheInfo>;
export const NICHE_NAMES = Object.keys(NICHES);
export const NICHE_PICK = new Weighted(NICHE_NAMES.map((n) => [n, NICHES[n].weight] as const));

const PLATFORM_WEIGHTS = platformsData.weights as unknown as [string, number][];
/** Per niche: the platform table with its multipliers applied (built once). */
export const PLATFORM_PICK: Record<string, Weighted<string>> = Object.fromEntries(
  NICHE_NAMES.map((n) => [n, new Weighted(PLATFORM_WEIGHTS.map(([p, w]) => [p, w * (NICHES[n].platforms?.[p] ?? 1)] as const))]),
);
/** Engagement relative to Instagram's for the same size. */
export const PLATFORM_ENGAGEMENT: Record<string, number> = platformsData.engagement;
export const PLATFORM_FORMATS: Record<string, Weighted<string>> = Object.fromEntries(
  Object.entries(platformsData.formats as unknown as Record<string, [string, number][]>).map(([platform, formats]) => [
    platform,
    new Weighted(formats),
  ]),
);
export const VIDEO_FORMATS = new Set(platformsData.videoFormats);
/** Age skew of a platform's audience (+ older). */
export const PLATFORM_AGE: Record<string, number> = platformsData.ageSkew;

export const ADJECTIVES: string[] = wordsData.adjectives;
export const NOUNS: string[] = wordsData.nouns;
export const FAN_WORDS: string[] = wordsData.fanWords;
export const GENUINE_COMMENTS: string[] = wordsData.genuineComments;
export const GENERIC_COMMENTS: string[] = wordsData.genericComments;
