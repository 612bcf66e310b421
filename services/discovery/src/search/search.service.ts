import { AppError, encodeCursor, ErrorCode, RequestContext } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { canSeeDetails } from '../accounts/visibility';
import { Creator } from '../creators/creator.entity';
import { storedAudienceOf } from '../creators/search-profile.store';
import { audienceMatch } from '../rules/audience-match';
import { shareToPercent } from '../rules/types';
import type { AudienceIndexSync } from './audience-index.sync';
import { AudienceRanking, IndexAudienceRanking, SearchRow, SqlAudienceRanking } from './audience-ranking';
import { TIER_SQL } from './candidate-filter';
import { buildSearchSql, fewMatches, SearchQuery, SearchSql, targetOf } from './search.sql';
import {
  AudienceMatch,
  AudienceMatchPartKind,
  AudienceTargetInput,
  CreatorFacets,
  CreatorSearchConnection,
  CreatorSort,
  SearchCreatorsArgs,
} from './search.types';

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

/** The Creator fields audience match reads (a page that shows the match reads their columns). */
export const AUDIENCE_MATCH_FIELDS = ['platforms', 'audienceAges', 'audienceGenders', 'audienceCountries', 'audienceInterests'] as const;

/** Creator search over the derived columns of `creators` (see docs/discovery.md for the indexes). */
export class SearchService {
  private readonly bySql = new SqlAudienceRanking();
  private readonly byIndex: IndexAudienceRanking | null;

  /** `audienceIndex`: the process's audience index; without one (or while it loads) SQL scores audience match. */
  constructor(private readonly audienceIndex?: AudienceIndexSync) {
    this.byIndex = audienceIndex ? new IndexAudienceRanking(audienceIndex) : null;
  }

  /** How audience match is ranked now: by the index once it is loaded, by SQL until then. */
  private audienceRanking(): AudienceRanking {
    return this.byIndex && this.audienceIndex?.ready ? this.byIndex : this.bySql;
  }

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
      if (match.score === null) return null;
      // The API's unit is percent (docs/metrics.md, "Units"); `key` and `value` stay for older clients.
      const parts = match.parts.map((p) => ({ ...p, kind: p.key as AudienceMatchPartKind, percent: shareToPercent(p.value) }));
      return { score: match.score, parts };
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
    // Built first: every bad argument is refused at once, before the planner is asked anything.
    built = buildSearchSql(args, columns);
    if ((args.sort ?? CreatorSort.ENGAGEMENT) === CreatorSort.AUDIENCE_MATCH) {
      rows = await this.audienceRanking().page(ctx, args, built, columns);
    } else {
      if (await fewMatches(ctx, args)) built = buildSearchSql(args, columns, { fewMatches: true });
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
