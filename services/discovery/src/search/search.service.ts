import { AppError, badInput, decodeCursor, encodeCursor, ErrorCode, isCountryCode, pageSize, RequestContext } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { canSeeDetails } from '../accounts/visibility';
import { Creator } from '../creators/creator.entity';
import { Tier, TIER_FOLLOWERS } from '../rules/tier';
import { AUDIENCE_MATCH_WEIGHTS, audienceMatch, AudienceTarget } from '../rules/audience-match';
import { storedAudienceOf } from '../creators/search-profile.store';
import { AGE_BUCKETS, GENDERS } from '../rules/types';
import { AudienceIndex, CandidateFilter, RankPosition, ScorePass } from './audience-index';
import type { AudienceIndexSync } from './audience-index.sync';
import { SEARCH_CURRENCY } from '../creators/search-profile';
import {
  AudienceMatch,
  AudienceTargetInput,
  CreatorFacets,
  CreatorSearchConnection,
  CreatorSearchFilter,
  CreatorSort,
  SearchCreatorsArgs,
} from './search.types';

/** A WHERE clause with its positional parameters ($1, $2, …). */
export interface SqlFilter {
  where: string;
  params: unknown[];
}

/** Followers of each tier, as in creators/tier.ts. */
const TIER_SQL = Object.fromEntries(
  Object.entries(TIER_FOLLOWERS).map(([tier, { min, max }]) => [
    tier,
    Number.isFinite(max) ? `c.followers >= ${min} AND c.followers <= ${max}` : `c.followers >= ${min}`,
  ]),
) as Record<Tier, string>;

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
};

class Sql {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  /** The conditions the audience index can apply in memory, and whether that is all of them. */
  readonly candidates: CandidateFilter = {};
  candidatesAreExact = true;

  /** Adds a parameter and returns its placeholder. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

function checkedRange(range: { min?: number | null; max?: number | null } | undefined, field: string, limit: number) {
  if (!range) return null;
  const { min, max } = range;
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== null && v !== undefined && (!Number.isFinite(v) || v < 0 || v > limit)) {
      throw badInput(`${field}.${name}`, `must be between 0 and ${limit}`);
    }
  }
  if (min != null && max != null && min > max) throw badInput(`${field}.min`, 'must not be above max');
  return { min: min ?? null, max: max ?? null };
}

function checkedShare(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw badInput(field, 'must be a share between 0 and 1 (0.3 means 30 %)');
  return value;
}

function checkedCountry(country: string, field: string): string {
  const code = country.trim().toUpperCase();
  if (!isCountryCode(code)) throw badInput(field, 'must be an ISO 3166-1 alpha-2 country code (e.g. US, DE)');
  return code;
}

const checkedCountries = (countries: string[], field: string) => countries.map((c, i) => checkedCountry(c, `${field}.${i}`));

const lower = (values: string[]) => [...new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean))];

/**
 * Turns the filter into SQL over `creators c`, refusing values that make no sense with the field named.
 * Niches, platforms, tiers and followers are also given as a `CandidateFilter` with the same meaning.
 */
export function filterSql(filter: CreatorSearchFilter | undefined, sql = new Sql()): Sql {
  const f = filter ?? {};
  const add = (condition: string) => {
    sql.conditions.push(condition);
    sql.candidatesAreExact = false;
  };
  const addWithCandidates = (condition: string, candidates: CandidateFilter) => {
    sql.conditions.push(condition);
    Object.assign(sql.candidates, candidates);
  };
  if (f.niches?.length) {
    const niches = lower(f.niches);
    addWithCandidates(`c.niches && ${sql.p(niches)}::text[]`, { niches });
  }
  if (f.platforms?.length) addWithCandidates(`c.platforms && ${sql.p(f.platforms)}::text[]`, { platforms: f.platforms });
  if (f.contentStyles?.length) add(`c.content_styles && ${sql.p(lower(f.contentStyles))}::text[]`);
  if (f.languages?.length) add(`c.languages && ${sql.p(lower(f.languages))}::text[]`);
  // One country is an equality, so the per-country sort indexes return it in order (ANY would not);
  // several are bpchar[], the column's own type: with text[] the column is cast and no index is used.
  const countries = [...new Set(checkedCountries(f.countries ?? [], 'filter.countries'))];
  if (countries.length === 1) add(`c.country = ${sql.p(countries[0])}::bpchar`);
  else if (countries.length > 1) add(`c.country = ANY(${sql.p(countries)}::bpchar[])`);
  const tiers = [...new Set(f.tiers ?? [])];
  if (tiers.length) sql.conditions.push(`(${tiers.map((t) => `(${TIER_SQL[t]})`).join(' OR ')})`);
  const followers = checkedRange(f.followers, 'filter.followers', 2_000_000_000);
  const min = followers?.min != null ? Math.ceil(followers.min) : null;
  const max = followers?.max != null ? Math.floor(followers.max) : null;
  if (min !== null) sql.conditions.push(`c.followers >= ${sql.p(min)}`);
  if (max !== null) sql.conditions.push(`c.followers <= ${sql.p(max)}`);
  if (tiers.length || min !== null || max !== null) {
    // Any of the tiers, each within the range.
    sql.candidates.followers = (tiers.length ? tiers.map((t) => TIER_FOLLOWERS[t]) : [{ min: 0, max: Infinity }])
      .map((r) => ({ min: Math.max(r.min, min ?? 0), max: Math.min(r.max, max ?? Infinity) }))
      .filter((r) => r.min <= r.max);
  }

  const rate = checkedRange(f.engagementRate, 'filter.engagementRate', 100);
  if (rate?.min != null) add(`c.engagement_rate >= ${sql.p(rate.min)}`);
  if (rate?.max != null) add(`c.engagement_rate <= ${sql.p(rate.max)}`);

  (f.audienceCountries ?? []).forEach((ac, i) => {
    const country = checkedCountry(ac.country, `filter.audienceCountries.${i}.country`);
    const share = checkedShare(ac.minShare, `filter.audienceCountries.${i}.minShare`);
    add(`c.id IN (SELECT creator_id FROM creator_audience_countries WHERE country = ${sql.p(country)} AND share >= ${sql.p(share)}::real)`);
  });

  if (f.audienceAge) {
    if (!f.audienceAge.buckets.length) throw badInput('filter.audienceAge.buckets', 'give at least one age bucket');
    const share = checkedShare(f.audienceAge.minShare, 'filter.audienceAge.minShare');
    add(`(${ageSum(f.audienceAge.buckets)}) >= ${sql.p(share)}::real`);
  }

  if (f.price) {
    if (f.price.currency !== SEARCH_CURRENCY) throw badInput('filter.price.currency', `prices can be filtered in ${SEARCH_CURRENCY} only`);
    const price = checkedRange({ min: f.price.minMinor, max: f.price.maxMinor }, 'filter.price', Number.MAX_SAFE_INTEGER);
    // A creator's price is a range (cheapest to dearest format, or guidance low–high): it must overlap.
    if (price?.min != null) add(`c.price_high_minor >= ${sql.p(price.min)}`);
    if (price?.max != null) add(`c.price_low_minor <= ${sql.p(price.max)}`);
  }

  if (f.minAuthenticity != null) {
    if (!Number.isInteger(f.minAuthenticity) || f.minAuthenticity < 0 || f.minAuthenticity > 100) {
      throw badInput('filter.minAuthenticity', 'must be a whole number between 0 and 100');
    }
    add(`c.authenticity_score >= ${sql.p(f.minAuthenticity)}`);
  }

  const keywords = f.keywords?.trim();
  if (keywords) {
    if (keywords.length > 200) throw badInput('filter.keywords', 'must be at most 200 characters');
    add(
      `c.id IN (SELECT creator_id FROM creator_search_text WHERE search_text @@ websearch_to_tsquery('simple', ${sql.p(keywords.replace(/#/g, ''))}))`,
    );
  }
  return sql;
}

function ageSum(buckets: string[]): string {
  return [...new Set(buckets)].map((b) => `coalesce(c.audience_ages[${AGE_BUCKETS.indexOf(b as never) + 1}], 0)`).join(' + ') || '0';
}

/**
 * Audience match in SQL: the same weighted sum as rules/audience-match.ts (× 100, not rounded, so it
 * orders finely). Null for an empty target.
 */
export function audienceMatchSql(target: AudienceTarget, sql: Sql): string | null {
  const parts: { weight: number; value: string }[] = [];
  if (target.ages?.length) parts.push({ weight: AUDIENCE_MATCH_WEIGHTS.ages, value: ageSum(target.ages) });
  if (target.genders?.length) {
    const value = [...new Set(target.genders)].map((g) => `coalesce(c.audience_genders[${GENDERS.indexOf(g) + 1}], 0)`).join(' + ');
    parts.push({ weight: AUDIENCE_MATCH_WEIGHTS.genders, value });
  }
  if (target.countries?.length) {
    const value = [...new Set(target.countries)]
      .map((country) => `coalesce((c.audience_countries ->> ${sql.p(country)})::real, 0)`)
      .join(' + ');
    parts.push({ weight: AUDIENCE_MATCH_WEIGHTS.countries, value });
  }
  if (target.interests?.length) {
    const wanted = lower(target.interests);
    const value = `(${wanted.map((i) => `(c.audience_interests @> ARRAY[${sql.p(i)}::text])::int`).join(' + ')})::real / ${wanted.length}`;
    parts.push({ weight: AUDIENCE_MATCH_WEIGHTS.interests, value });
  }
  if (target.platforms?.length)
    parts.push({ weight: AUDIENCE_MATCH_WEIGHTS.platforms, value: `(c.platforms && ${sql.p(target.platforms)}::text[])::int` });
  if (parts.length === 0) return null;
  const total = parts.reduce((s, p) => s + p.weight, 0);
  return `(100 * (${parts.map((p) => `${p.weight} * (${p.value})`).join(' + ')}) / ${total})::real`;
}

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

export function buildSearchSql(args: SearchCreatorsArgs, columns: string, options: { fewMatches?: boolean } = {}): SearchSql {
  const limit = pageSize(args.first);
  const sortBy = args.sort ?? CreatorSort.ENGAGEMENT;
  const sql = filterSql(args.filter);
  const target = targetOf(args.target);
  const filter: SearchQuery = { where: sql.conditions.length ? sql.conditions.join(' AND ') : 'true', params: [...sql.params] };

  let key: string;
  let direction: 'DESC' | 'ASC';
  if (sortBy === CreatorSort.AUDIENCE_MATCH) {
    const match = target && audienceMatchSql(target, sql);
    if (!match) throw badInput('target', 'sorting by AUDIENCE_MATCH needs a target audience');
    key = match;
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
  if (args.after) {
    const [sort, value, id] = decodeCursor(args.after, ['string', 'decimal', 'uuid']);
    if (sort !== sortBy) {
      throw badInput('after', 'this cursor belongs to another sort or search: start again without `after`');
    }
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

export function fewMatchesIn(explained: { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }[]): boolean {
  return explained[0]['QUERY PLAN'][0].Plan['Plan Rows'] < SEARCH_THRESHOLDS.fewMatches;
}

/**
 * Refuses, with the field named, what reads audiences to a caller who may not see every creator's:
 * bisecting `minShare` on one creator (a keyword filter on the handle) recovers a share, and so does the
 * order of a one-part target. Checked before any SQL.
 */
export function refuseAudienceSearch(ctx: RequestContext, args: SearchCreatorsArgs): void {
  if (canSeeDetails(ctx)) return;
  const refuse = (field: string): never => {
    throw new AppError(ErrorCode.FORBIDDEN, `${field} reads creators' audiences: only brand members, analysts and admins may use it`, {
      field,
    });
  };
  if (args.filter?.audienceCountries?.length) refuse('filter.audienceCountries');
  if (args.filter?.audienceAge) refuse('filter.audienceAge');
  if (args.sort === CreatorSort.AUDIENCE_MATCH) refuse('sort');
  if (args.target) refuse('target');
}

/** A `creators` row as search reads it, with its sort key as text. */
type SearchRow = Record<string, unknown> & { sort_value: string };

function rankPosition(after: string): RankPosition {
  const [, value, id] = decodeCursor(after, ['string', 'decimal', 'uuid']);
  return { score: Number(value), id: id as string };
}

/** The Creator fields audience match reads (a page that shows the match reads their columns). */
export const AUDIENCE_MATCH_FIELDS = ['platforms', 'audienceAges', 'audienceGenders', 'audienceCountries', 'audienceInterests'] as const;

/** Creator search over the derived columns of `creators` (see docs/discovery.md for the indexes). */
export class SearchService {
  /** `audienceIndex`: the process's audience index; without one (or while it loads) SQL scores audience match. */
  constructor(private readonly audienceIndex?: AudienceIndexSync) {}

  /**
   * How creators match `target`, for this caller: a function giving a creator's audience match (from the
   * headline account's audience as search stores and ranks it), or null for it when the caller may not
   * see that creator's audience (with a one-part target the score is the share itself) or the target is
   * empty. Null without a target.
   */
  audienceMatcher(ctx: RequestContext, input: AudienceTargetInput | undefined): ((creator: Creator) => AudienceMatch | null) | null {
    const target = targetOf(input);
    if (!target) return null;
    return (creator) => {
      if (!canSeeDetails(ctx, creator.id)) return null;
      const match = audienceMatch(target, storedAudienceOf(creator), creator.platforms);
      return match.score === null ? null : (match as AudienceMatch);
    };
  }

  /** `fields`: the Creator fields the caller will read (null: all); the page reads only their columns. */
  async search(
    ctx: RequestContext,
    args: SearchCreatorsArgs,
    fields: ReadonlySet<string> | null = null,
  ): Promise<Omit<CreatorSearchConnection, 'edges'> & { edges: { node: Creator; cursor: string }[] }> {
    refuseAudienceSearch(ctx, args);
    const columns = creatorColumns(ctx.dataSource, fields);
    let built: SearchSql;
    let rows: SearchRow[];
    if ((args.sort ?? CreatorSort.ENGAGEMENT) === CreatorSort.AUDIENCE_MATCH) {
      built = buildSearchSql(args, columns);
      const sync = this.audienceIndex;
      // Without the index (while a process loads it) the SQL scores every match itself.
      rows = sync?.ready
        ? await this.rankByAudienceMatch(ctx, args, sync, built, columns)
        : await ctx.dataSource.query(built.text, built.params);
    } else {
      built = buildSearchSql(args, columns, { fewMatches: await this.fewMatches(ctx, args) });
      rows = await ctx.dataSource.query(built.text, built.params);
    }
    const { limit, sortBy, filter } = built;
    // The key travels as PostgreSQL's own text of it ('Infinity' included): exact, whatever its type.
    const edges = rows.slice(0, limit).map((row) => {
      const node = toCreator(ctx, row);
      return { node, cursor: encodeCursor([sortBy, row.sort_value, node.id]) };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > limit,
        hasPreviousPage: !!args.after,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      query: filter,
    };
  }

  /**
   * One page and one more of creators matching the filter in audience-match order, scored by the
   * in-memory index, which applies the filter's niches, platforms, tiers and followers itself: only those
   * candidates are scored. When that is the whole filter, the best candidates are the page. Otherwise
   * PostgreSQL checks the rest of the filter: on the best-scored candidates in growing batches for broad
   * filters, or by reading every match for selective ones (or when a walk finds too few).
   */
  private async rankByAudienceMatch(
    ctx: RequestContext,
    args: SearchCreatorsArgs,
    sync: AudienceIndexSync,
    built: SearchSql,
    columns: string,
  ): Promise<SearchRow[]> {
    const target = targetOf(args.target)!;
    const from = args.after ? rankPosition(args.after) : null;
    const wanted = built.limit + 1;
    // A filter the index covers whole and a target of columns only: the index picks the page in one walk.
    // Otherwise it scores the candidates, and the page is picked from them (below).
    const score = (index: AudienceIndex) => {
      const best = built.candidatesAreExact ? index.best(target, built.candidates, from, wanted) : null;
      return best ? { best, pass: null } : { best: null, pass: index.scoreAll(target, built.candidates)! };
    };
    // Scores the index as loaded while PostgreSQL answers the catch-up (its query is sent once this
    // yields), and scores again in the rare case the catch-up brought changes.
    const caughtUp = sync.current();
    await new Promise(setImmediate);
    let index = sync.loaded!;
    const version = index.version;
    let scored = score(index);
    const latest = (await caughtUp)!;
    if (latest !== index || latest.version !== version) {
      if (scored.pass) index.release(scored.pass);
      index = latest;
      scored = score(index);
    }
    const { best, pass } = scored;
    try {
      let page: { slot: number; score: number }[];
      if (best) {
        page = best;
      } else {
        const withScores = (slots: number[]) => slots.map((slot) => ({ slot, score: pass!.scores[slot] }));
        if (built.candidatesAreExact) page = withScores(index.top(pass!, from, wanted));
        else if (pass!.size < SEARCH_THRESHOLDS.fewMatches || (await this.fewMatches(ctx, args)))
          page = withScores(await this.rankAllMatches(ctx, index, pass!, from, built.filter, wanted));
        else page = withScores(await this.walkRanked(ctx, index, pass!, from, built.filter, wanted));
      }
      // The page's creators, whole, in rank order.
      const rows: SearchRow[] = await ctx.dataSource.query(`SELECT ${columns} FROM creators c WHERE c.id = ANY($1::uuid[])`, [
        page.map((p) => index.idAt(p.slot)),
      ]);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      return page.flatMap((p) => {
        const row = byId.get(index.idAt(p.slot));
        return row ? [{ ...row, sort_value: String(p.score) }] : [];
      });
    } finally {
      if (pass) index.release(pass);
    }
  }

  /** The best-scored candidates, in growing batches, that PostgreSQL finds matching the whole filter. */
  private async walkRanked(
    ctx: RequestContext,
    index: AudienceIndex,
    pass: ScorePass,
    from: RankPosition | null,
    filter: SearchQuery,
    wanted: number,
  ): Promise<number[]> {
    const idsParam = `$${filter.params.length + 1}::uuid[]`;
    // Which of these ids match the filter (ids only: a batch may hold thousands).
    const matchingOf = async (slots: number[]): Promise<Set<string>> => {
      const rows: { id: string }[] = await ctx.dataSource.query(
        `SELECT c.id FROM creators c WHERE c.id = ANY(${idsParam}) AND (${filter.where})`,
        [...filter.params, slots.map((s) => index.idAt(s))],
      );
      return new Set(rows.map((r) => r.id));
    };
    const page: number[] = [];
    const { rankBatch, maxStep, maxWalk } = SEARCH_THRESHOLDS;
    let checked = 0;
    let step = wanted * 4;
    for (const batch of index.ranked(pass, from, rankBatch)) {
      for (let at = 0; at < batch.length; at += step, step = Math.min(step * 4, maxStep)) {
        const slots = batch.slice(at, at + step);
        const matching = await matchingOf(slots);
        for (const slot of slots) if (matching.has(index.idAt(slot)) && page.push(slot) === wanted) return page;
        checked += slots.length;
        if (checked > maxWalk) return this.rankAllMatches(ctx, index, pass, from, filter, wanted);
      }
    }
    return page;
  }

  /** Reads every matching id and ranks them: for selective filters, or when a walk finds too few. */
  private async rankAllMatches(
    ctx: RequestContext,
    index: AudienceIndex,
    pass: ScorePass,
    from: RankPosition | null,
    filter: SearchQuery,
    wanted: number,
  ): Promise<number[]> {
    const matching: { id: string }[] = await ctx.dataSource.query(`SELECT c.id FROM creators c WHERE ${filter.where}`, filter.params);
    const ranked = index.rankedAmong(
      pass,
      matching.map((r) => r.id),
      from,
    );
    return ranked.slice(0, wanted);
  }

  private async fewMatches(ctx: RequestContext, args: SearchCreatorsArgs): Promise<boolean> {
    const estimate = estimateSql(args);
    return estimate ? fewMatchesIn(await ctx.dataSource.query(estimate.text, estimate.params)) : false;
  }

  async totalCount(ctx: RequestContext, query: SearchQuery): Promise<number> {
    const [row] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM creators c WHERE ${query.where}`, query.params);
    return row.n;
  }

  async facets(ctx: RequestContext, query: SearchQuery): Promise<CreatorFacets> {
    const run = (select: string) =>
      ctx.dataSource.query(
        `SELECT value, count(*)::int AS count FROM (SELECT ${select} AS value FROM creators c WHERE ${query.where}) f
         WHERE value IS NOT NULL GROUP BY value ORDER BY count DESC, value LIMIT 20`,
        query.params,
      ) as Promise<{ value: string; count: number }[]>;
    const tierCase = `CASE ${Object.entries(TIER_SQL)
      .map(([tier, cond]) => `WHEN ${cond} THEN '${tier.toUpperCase()}'`)
      .join(' ')} END`;
    const [niches, platforms, tiers, countries] = await Promise.all([
      run('unnest(c.niches)'),
      run('upper(unnest(c.platforms))'),
      run(tierCase),
      run('c.country'),
    ]);
    return { niches, platforms, tiers, countries };
  }
}

/**
 * The entity's columns a page needs (the indexed text is never one: large, and never shown). With
 * `fields`, the id and the columns of those fields, when each is a column's own field; any other field
 * (a getter, a field resolver) may read anything, so then every column. Arrays come as JSON: parsed
 * natively, a page of creators reads a third faster than through pg's array parser.
 */
export function creatorColumns(dataSource: DataSource, fields: ReadonlySet<string> | null = null): string {
  const all = dataSource.getMetadata(Creator).columns;
  const own = new Set(all.map((c) => c.propertyName));
  const columns =
    fields && [...fields].every((f) => own.has(f)) ? all.filter((c) => c.propertyName === 'id' || fields.has(c.propertyName)) : all;
  return columns.map((c) => (c.isArray ? `to_json(c.${c.databaseName}) AS ${c.databaseName}` : `c.${c.databaseName}`)).join(', ');
}

/** A raw `creators` row as the entity (the same mapping TypeORM would apply). */
function toCreator(ctx: RequestContext, row: Record<string, unknown>): Creator {
  const metadata = ctx.dataSource.getMetadata(Creator);
  const creator = new Creator();
  for (const column of metadata.columns) {
    let value = row[column.databaseName];
    if (column.transformer && !Array.isArray(column.transformer)) value = column.transformer.from(value);
    (creator as unknown as Record<string, unknown>)[column.propertyName] = value;
  }
  return creator;
}
