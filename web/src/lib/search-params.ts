/**
 * The Discover screen's search lives in the URL (shareable, back and forward work): these turn its query
 * string into the variables of `searchCreators` and back. Pure, unit tested (search-params.test.ts).
 */
export const PLATFORMS = ['INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'X', 'FACEBOOK', 'THREADS', 'TWITCH', 'LINKEDIN', 'DISCORD'] as const;
export const TIERS = ['NANO', 'MICRO', 'MACRO', 'MEGA'] as const;
export const AGE_BUCKETS = ['AGE_13_17', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_PLUS'] as const;
export const GENDERS = ['FEMALE', 'MALE', 'OTHER'] as const;
export const SORTS = ['ENGAGEMENT', 'FOLLOWERS', 'AUTHENTICITY', 'COST_PER_ENGAGEMENT', 'SPONSORED_RATIO', 'AUDIENCE_MATCH'] as const;

export type Sort = (typeof SORTS)[number];

export interface SearchVariables {
  filter: Record<string, unknown>;
  sort: Sort | null;
  target: Record<string, unknown> | null;
  after: string | null;
}

/** "a, b ,,c" → ["a", "b", "c"] */
export function listOf(text: string | null): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function range(min: number | null, max: number | null): { min?: number; max?: number } | null {
  if (min === null && max === null) return null;
  return { ...(min !== null ? { min } : {}), ...(max !== null ? { max } : {}) };
}

function pick<T extends string>(values: string[], allowed: readonly T[]): T[] {
  return values.filter((v): v is T => (allowed as readonly string[]).includes(v));
}

/** Minor units of a currency (2 for USD, 0 for JPY), from the browser's own currency data. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.5" USD → 1250; null for what is not an amount. */
export function toMinorUnits(text: string | null, currency: string): number | null {
  const n = num(text);
  if (n === null) return null;
  return Math.round(n * 10 ** minorDigits(currency));
}

/**
 * The variables of a search from its query string. `withAudience` is false for callers who may not see
 * audiences: their audience filters, target and AUDIENCE_MATCH sort are dropped (the API would refuse them).
 */
export function searchVariables(params: URLSearchParams, withAudience: boolean): SearchVariables {
  const filter: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === '') return;
    filter[key] = value;
  };
  set('keywords', params.get('q')?.trim() || null);
  set(
    'niches',
    params.getAll('niche').flatMap((v) => listOf(v)),
  );
  set('platforms', pick(params.getAll('platform'), PLATFORMS));
  set('tiers', pick(params.getAll('tier'), TIERS));
  set(
    'countries',
    params
      .getAll('country')
      .flatMap((v) => listOf(v))
      .map((c) => c.toUpperCase()),
  );
  set(
    'languages',
    listOf(params.get('language')).map((l) => l.toLowerCase()),
  );
  set('contentStyles', listOf(params.get('style')));
  set('followers', range(num(params.get('fmin')), num(params.get('fmax'))));
  set('engagementRate', range(num(params.get('ermin')), num(params.get('ermax'))));
  set('minAuthenticity', num(params.get('auth')));
  set('sponsoredRatio', range(num(params.get('srmin')), num(params.get('srmax'))));
  const currency = (params.get('cur') || 'USD').toUpperCase();
  const pmin = toMinorUnits(params.get('pmin'), currency);
  const pmax = toMinorUnits(params.get('pmax'), currency);
  if (pmin !== null || pmax !== null)
    filter.price = { currency, ...(pmin !== null ? { minMinor: pmin } : {}), ...(pmax !== null ? { maxMinor: pmax } : {}) };

  let target: Record<string, unknown> | null = null;
  if (withAudience) {
    const ages = pick(params.getAll('age'), AGE_BUCKETS);
    const agePercent = num(params.get('agemin'));
    if (ages.length && agePercent !== null) filter.audienceAge = { buckets: ages, minPercent: agePercent };
    const country = params.get('acountry')?.trim().toUpperCase();
    const countryPercent = num(params.get('acountrymin'));
    if (country && countryPercent !== null) filter.audienceCountries = [{ country, minPercent: countryPercent }];
    const t: Record<string, unknown> = {};
    const tAges = pick(params.getAll('tage'), AGE_BUCKETS);
    const tGenders = pick(params.getAll('tgender'), GENDERS);
    const tCountries = listOf(params.get('tcountry')).map((c) => c.toUpperCase());
    const tInterests = listOf(params.get('tinterest'));
    const tPlatforms = pick(params.getAll('tplatform'), PLATFORMS);
    if (tAges.length) t.ages = tAges;
    if (tGenders.length) t.genders = tGenders;
    if (tCountries.length) t.countries = tCountries;
    if (tInterests.length) t.interests = tInterests;
    if (tPlatforms.length) t.platforms = tPlatforms;
    target = Object.keys(t).length ? t : null;
  }
  const sortParam = pick([params.get('sort') ?? ''], SORTS)[0] ?? null;
  // AUDIENCE_MATCH needs a target and the right to see audiences
  const sort = sortParam === 'AUDIENCE_MATCH' && !target ? null : sortParam;
  return { filter, sort, target, after: params.get('after') || null };
}

/** The query string with one facet value added or removed (a facet click), the page reset. */
export function toggleParam(params: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const values = next.getAll(key);
  next.delete(key);
  const on = values.includes(value);
  for (const v of values) if (v !== value) next.append(key, v);
  if (!on) next.append(key, value);
  next.delete('after');
  return next;
}

/** A form's fields as a query string: empty fields left out, checkboxes as repeated keys. */
export function paramsOfForm(entries: Iterable<[string, FormDataEntryValue]>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of entries) if (typeof v === 'string' && v.trim() !== '') out.append(k, v.trim());
  return out;
}
