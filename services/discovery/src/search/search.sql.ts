/**
 * The SQL of search, pure: the filter as a WHERE clause over `creators c`, the sort keys, a page's query
 * and the planner's estimate. The service runs exactly these (and the benchmark too). Values that make no
 * sense are refused here, with the field named.
 */
import { badInput, decodeCursor, InputProblems, isCountryCode, pageSize } from '@influenceflow/kit';
import { SEARCH_CURRENCY } from '../creators/search-profile';
import { AudienceTarget, prepareAudienceTarget } from '../rules/audience-match';
import { percentToShare } from '../rules/types';
import { ageSumSql, audienceMatchSql } from './audience-match.sql';
import { CandidateFilter, candidateFilterOf, candidateFilterSql, checkedRange, lowerUnique } from './candidate-filter';
import { AudienceTargetInput, CreatorSearchConnection, CreatorSearchFilter, CreatorSort, SearchCreatorsArgs } from './search.types';

/** A WHERE clause with its positional parameters ($1, $2, …). */
export interface SqlFilter {
  where: string;
  params: unknown[];
}

/**
 * The sort keys, as SQL over `creators c`. Each matches an index of the AccountsAndSearch migration
 * (missing values sort last through the coalesce), and `id` breaks ties so pages never overlap.
 * `byCountry`: an index also orders each country's creators by the key (CountrySortIndexes migration).
 */
const SORT_SQL: Record<Exclude<CreatorSort, CreatorSort.AUDIENCE_MATCH>, { key: string; direction: 'DESC' | 'ASC'; byCountry?: true }> = {
  [CreatorSort.ENGAGEMENT]: { key: 'coalesce(c.engagement_rate, -1)', direction: 'DESC', byCountry: true },
  [CreatorSort.AUTHENTICITY]: { key: 'coalesce(c.authenticity_score, -1)', direction: 'DESC' },
  [CreatorSort.FOLLOWERS]: { key: 'c.followers', direction: 'DESC', byCountry: true },
  [CreatorSort.COST_PER_ENGAGEMENT]: { key: "coalesce(c.cost_per_engagement_minor, 'Infinity'::real)", direction: 'ASC' },
  // The SponsoredPerformance migration's index; a ratio is never negative, so -1 sorts last.
  [CreatorSort.SPONSORED_RATIO]: { key: 'coalesce(c.sponsored_ratio, -1)', direction: 'DESC' },
};

/** Sponsored ratios a filter may name: far beyond any real account's, low enough to be a number people type. */
export const MAX_SPONSORED_RATIO = 1_000;

/** A filter being turned into SQL: its conditions and parameters, and its candidate part. */
export class Sql {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  /** The conditions the audience index applies in memory, and whether that is all of them. */
  candidates: CandidateFilter = {};
  candidatesAreExact = true;

  /** Adds a parameter and returns its placeholder. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/**
 * The share (0..1, as stored) an audience filter asks for, from `minPercent` (the API's unit) or the
 * deprecated `minShare`. Exactly one must be given; a `minShare` above 1 is a percent sent to the
 * fraction field and is refused with the unit named rather than matching nothing.
 */
function checkedMinShare(filter: { minPercent?: number | null; minShare?: number | null }, field: string): number {
  const { minPercent, minShare } = filter;
  if (minPercent != null && minShare != null) throw badInput(`${field}.minShare`, 'give minPercent or the deprecated minShare, not both');
  if (minPercent != null) {
    if (!Number.isFinite(minPercent) || minPercent < 0 || minPercent > 100) {
      throw badInput(`${field}.minPercent`, 'must be a percent between 0 and 100 (30 means 30 %)');
    }
    return percentToShare(minPercent);
  }
  if (minShare != null) {
    if (!Number.isFinite(minShare) || minShare < 0 || minShare > 1) {
      throw badInput(`${field}.minShare`, 'is a fraction between 0 and 1 (0.3 means 30 %); for percent use minPercent');
    }
    return minShare;
  }
  throw badInput(`${field}.minPercent`, 'give the least percent of the audience (0–100)');
}

/**
 * An engagement-rate range is in percent. A range whose bounds are all below 1 (`{ min: 0.03 }` with a
 * max under 1, or `{ max: 0.05 }`) is a fraction sent as a percent: it would match almost nobody, so it
 * is refused with the unit named. A range reaching 1 % or more is taken as meant.
 */
function refuseFractionRange(range: { min: number | null; max: number | null } | null, field: string): void {
  if (range?.max == null || range.max >= 1 || (range.min ?? 0) >= 1) return;
  throw badInput(
    range.min != null && range.min > 0 ? `${field}.min` : `${field}.max`,
    'is in percent (3 means 3 %), not a fraction: multiply by 100',
  );
}

function checkedCountry(country: string, field: string): string {
  const code = country.trim().toUpperCase();
  if (!isCountryCode(code)) throw badInput(field, 'must be an ISO 3166-1 alpha-2 country code (e.g. US, DE)');
  return code;
}

/** Countries checked, every bad one reported at once. */
function checkedCountries(countries: string[], field: string): string[] {
  const problems = new InputProblems();
  const codes = countries.map((c, i) => problems.check(() => checkedCountry(c, `${field}.${i}`)) ?? '');
  problems.throwIfAny();
  return codes;
}

/**
 * Turns the filter into SQL over `creators c`, refusing values that make no sense with the field named
 * (every bad field at once).
 * Niches, platforms, tiers and followers are its candidate part (candidate-filter.ts), which the
 * audience index applies too: their SQL is made from that part.
 */
export function filterSql(filter: CreatorSearchFilter | undefined, sql = new Sql()): Sql {
  const f = filter ?? {};
  const add = (condition: string) => {
    sql.conditions.push(condition);
    sql.candidatesAreExact = false;
  };
  // One country is an equality, so the per-country sort indexes return it in order (ANY would not);
  // several are bpchar[], the column's own type: with text[] the column is cast and no index is used.
  const problems = new InputProblems();
  const countries = [...new Set(problems.check(() => checkedCountries(f.countries ?? [], 'filter.countries')) ?? [])];
  sql.candidates = problems.check(() => candidateFilterOf(f)) ?? {};
  const candidates = candidateFilterSql(sql.candidates, (v) => sql.p(v));
  if (candidates.niches) sql.conditions.push(candidates.niches);
  if (candidates.platforms) sql.conditions.push(candidates.platforms);
  if (f.contentStyles?.length) add(`c.content_styles && ${sql.p(lowerUnique(f.contentStyles))}::text[]`);
  if (f.languages?.length) add(`c.languages && ${sql.p(lowerUnique(f.languages))}::text[]`);
  if (countries.length === 1) add(`c.country = ${sql.p(countries[0])}::bpchar`);
  else if (countries.length > 1) add(`c.country = ANY(${sql.p(countries)}::bpchar[])`);
  if (candidates.followers) sql.conditions.push(candidates.followers);

  const rate = problems.check(() => {
    const range = checkedRange(f.engagementRate, 'filter.engagementRate', 100);
    refuseFractionRange(range, 'filter.engagementRate');
    return range;
  });
  if (rate?.min != null) add(`c.engagement_rate >= ${sql.p(rate.min)}`);
  if (rate?.max != null) add(`c.engagement_rate <= ${sql.p(rate.max)}`);

  (f.audienceCountries ?? []).forEach((ac, i) => {
    const country = problems.check(() => checkedCountry(ac.country, `filter.audienceCountries.${i}.country`));
    const share = problems.check(() => checkedMinShare(ac, `filter.audienceCountries.${i}`));
    if (country === undefined || share === undefined) return;
    add(`c.id IN (SELECT creator_id FROM creator_audience_countries WHERE country = ${sql.p(country)} AND share >= ${sql.p(share)}::real)`);
  });

  if (f.audienceAge) {
    if (!f.audienceAge.buckets.length) problems.add('filter.audienceAge.buckets', 'give at least one age bucket');
    const share = problems.check(() => checkedMinShare(f.audienceAge!, 'filter.audienceAge'));
    if (f.audienceAge.buckets.length && share !== undefined) add(`(${ageSumSql(f.audienceAge.buckets)}) >= ${sql.p(share)}::real`);
  }

  if (f.price) {
    if (f.price.currency !== SEARCH_CURRENCY) problems.add('filter.price.currency', `prices can be filtered in ${SEARCH_CURRENCY} only`);
    const price = problems.check(() =>
      checkedRange({ min: f.price!.minMinor, max: f.price!.maxMinor }, 'filter.price', Number.MAX_SAFE_INTEGER),
    );
    // A creator's price is a range (cheapest to dearest format, or guidance low–high): it must overlap.
    if (price?.min != null) add(`c.price_high_minor >= ${sql.p(price.min)}`);
    if (price?.max != null) add(`c.price_low_minor <= ${sql.p(price.max)}`);
  }

  const ratio = problems.check(() => checkedRange(f.sponsoredRatio, 'filter.sponsoredRatio', MAX_SPONSORED_RATIO));
  if (ratio) {
    // Over the sort's own expression, so the sort index serves the range too (a bitmap with the other
    // filters' indexes): with the lower bound 0 at least, the -1 of a missing ratio never matches.
    const ratioKey = SORT_SQL[CreatorSort.SPONSORED_RATIO].key;
    add(`${ratioKey} >= ${sql.p(ratio.min ?? 0)}`);
    if (ratio.max != null) add(`${ratioKey} <= ${sql.p(ratio.max)}`);
  }

  if (f.minAuthenticity != null) {
    if (!Number.isInteger(f.minAuthenticity) || f.minAuthenticity < 0 || f.minAuthenticity > 100) {
      problems.add('filter.minAuthenticity', 'must be a whole number between 0 and 100');
    } else add(`c.authenticity_score >= ${sql.p(f.minAuthenticity)}`);
  }

  const keywords = f.keywords?.trim();
  if (keywords) {
    if (keywords.length > 200) problems.add('filter.keywords', 'must be at most 200 characters');
    else
      add(
        `c.id IN (SELECT creator_id FROM creator_search_text WHERE search_text @@ websearch_to_tsquery('simple', ${sql.p(keywords.replace(/#/g, ''))}))`,
      );
  }
  problems.throwIfAny();
  return sql;
}

/** The GraphQL target as the rule takes it, its countries checked (BAD_USER_INPUT naming the field). */
export function targetOf(input: AudienceTargetInput | undefined): AudienceTarget | null {
  if (!input) return null;
  return {
    ages: input.ages,
    genders: input.genders,
    countries: input.countries ? checkedCountries(input.countries, 'target.countries') : undefined,
    interests: input.interests,
    platforms: input.platforms,
  };
}

/** What the facets and the total need to rerun the search's filter. */
export type SearchQuery = CreatorSearchConnection['query'];

/** The SQL of one search page: pure, so the benchmark runs exactly what the service runs. */
export interface SearchSql {
  text: string;
  params: unknown[];
  limit: number;
  sortBy: CreatorSort;
  /** The filter alone, for the total and the facets. */
  filter: SearchQuery;
  /** The filter's part the audience index applies; `candidatesAreExact` when that is all of it. */
  candidates: CandidateFilter;
  candidatesAreExact: boolean;
}

/**
 * The query of one page (and one more row). For AUDIENCE_MATCH it orders by the score computed in SQL
 * (audience-match.sql.ts): what the SQL ranking runs, and the filter the in-memory ranking starts from.
 */
export function buildSearchSql(args: SearchCreatorsArgs, columns: string, options: { fewMatches?: boolean } = {}): SearchSql {
  // Every bad argument at once: the page, the filter, the target, the sort and the cursor.
  const problems = new InputProblems();
  const limit = problems.check(() => pageSize(args.first)) ?? 0;
  const sortBy = args.sort ?? CreatorSort.ENGAGEMENT;
  const sql = problems.check(() => filterSql(args.filter)) ?? new Sql();
  const target = problems.check(() => targetOf(args.target)) ?? null;
  const prepared = sortBy === CreatorSort.AUDIENCE_MATCH && target ? prepareAudienceTarget(target) : null;
  if (sortBy === CreatorSort.AUDIENCE_MATCH && !prepared && !problems.list.some((p) => p.field.startsWith('target'))) {
    problems.add('target', 'sorting by AUDIENCE_MATCH needs a target audience');
  }
  const cursor = args.after ? problems.check(() => decodeCursor(args.after!, ['string', 'decimal', 'uuid'])) : undefined;
  if (cursor && cursor[0] !== sortBy) problems.add('after', 'this cursor belongs to another sort or search: start again without `after`');
  problems.throwIfAny();
  const filter: SearchQuery = { where: sql.conditions.length ? sql.conditions.join(' AND ') : 'true', params: [...sql.params] };

  let key: string;
  let direction: 'DESC' | 'ASC';
  if (sortBy === CreatorSort.AUDIENCE_MATCH) {
    key = audienceMatchSql(prepared!, (v) => sql.p(v));
    direction = 'DESC';
  } else {
    const sort = SORT_SQL[sortBy];
    ({ key, direction } = sort);
    // "+ 0" keeps the order but no longer matches the sort index, so the planner must use the filters'.
    // Not for one country with a per-country order: walking that country's index is better still.
    const oneCountry = new Set(args.filter?.countries?.map((c) => c.trim().toUpperCase())).size === 1;
    if (options.fewMatches && !(oneCountry && sort.byCountry)) key = `(${key} + 0)`;
  }

  const conditions = [...sql.conditions];
  if (cursor) {
    const [, value, id] = cursor;
    // Untyped parameters take the key's own type, so the index on the key is used.
    conditions.push(`(${key}, c.id) ${direction === 'DESC' ? '<' : '>'} (${sql.p(value)}, ${sql.p(id)})`);
  }
  const text = `SELECT ${columns}, (${key})::text AS sort_value FROM creators c
     WHERE ${conditions.length ? conditions.join(' AND ') : 'true'}
     ORDER BY ${key} ${direction}, c.id ${direction}
     LIMIT ${limit + 1}`;
  return { text, params: sql.params, limit, sortBy, filter, candidates: sql.candidates, candidatesAreExact: sql.candidatesAreExact };
}

/**
 * The planner's estimate of how many creators match (one planning round trip, no execution), or null
 * without filters. Feed its rows to `fewMatchesIn`.
 */
export function estimateSql(args: SearchCreatorsArgs): { text: string; params: unknown[] } | null {
  const { conditions, params } = filterSql(args.filter);
  if (conditions.length === 0) return null;
  return { text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM creators c WHERE ${conditions.join(' AND ')}`, params };
}

/**
 * Where search changes its way of working (measured in bench/README.md). One object so tests can lower
 * the thresholds and take every path on a few hundred creators.
 */
export const SEARCH_THRESHOLDS = {
  /**
   * Below this many estimated matches, search reads the matches through the filters' indexes and sorts
   * them, instead of walking the sort's index until enough match: when the matches are not spread evenly
   * along the sort order (GB travel creators are mostly small), that walk reads far more rows than the
   * planner expects.
   */
  fewMatches: 10_000,
  /** Audience-match walk: slots per ranked batch, and the largest check sent to PostgreSQL at once. */
  rankBatch: 2_000,
  maxStep: 5_000,
  /** How many creators an audience-match walk may check before reading every match instead. */
  maxWalk: 40_000,
};

/** Whether the planner expects few matches (see SEARCH_THRESHOLDS.fewMatches); false without filters. */
export async function fewMatches(
  ctx: { dataSource: { query(text: string, params: unknown[]): Promise<unknown> } },
  args: SearchCreatorsArgs,
): Promise<boolean> {
  const estimate = estimateSql(args);
  return estimate ? fewMatchesIn((await ctx.dataSource.query(estimate.text, estimate.params)) as never) : false;
}

export function fewMatchesIn(explained: { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }[]): boolean {
  return explained[0]['QUERY PLAN'][0].Plan['Plan Rows'] < SEARCH_THRESHOLDS.fewMatches;
}
