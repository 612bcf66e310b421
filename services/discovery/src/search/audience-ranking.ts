import { decodeCursor, RequestContext } from '@influenceflow/kit';
import { AudienceIndex, RankPosition, ScorePass } from './audience-index';
import type { AudienceIndexSync } from './audience-index.sync';
import { fewMatches, SEARCH_THRESHOLDS, SearchQuery, SearchSql, targetOf } from './search.sql';
import type { SearchCreatorsArgs } from './search.types';

/** A `creators` row as search reads it, with its sort key as text. */
export type SearchRow = Record<string, unknown> & { sort_value: string };

/**
 * Ranks a page of creators by audience match, a score that depends on the brand's target, so no index of
 * PostgreSQL's orders by it. Two ways, the same order: PostgreSQL scores every match (`SqlAudienceRanking`,
 * while a process has no audience index yet), or the in-memory audience index does (`IndexAudienceRanking`).
 */
export interface AudienceRanking {
  /** One page and one more of the creators matching the search's filter, best match first, the score as `sort_value`. */
  page(ctx: RequestContext, args: SearchCreatorsArgs, built: SearchSql, columns: string): Promise<SearchRow[]>;
}

/** PostgreSQL scores every match (the page's query orders by the score in SQL, audience-match.sql.ts). */
export class SqlAudienceRanking implements AudienceRanking {
  page(ctx: RequestContext, _args: SearchCreatorsArgs, built: SearchSql, _columns?: string): Promise<SearchRow[]> {
    return ctx.dataSource.query(built.text, built.params);
  }
}

function rankPosition(after: string): RankPosition {
  const [, value, id] = decodeCursor(after, ['string', 'decimal', 'uuid']);
  return { score: Number(value), id: id as string };
}

/**
 * The in-memory audience index scores and ranks (docs/discovery.md, "Audience match"); PostgreSQL checks
 * what of the filter the index does not hold, and reads the page's rows.
 */
export class IndexAudienceRanking implements AudienceRanking {
  constructor(private readonly sync: AudienceIndexSync) {}

  /**
   * One page and one more of creators matching the filter in audience-match order, scored by the
   * in-memory index, which applies the filter's niches, platforms, tiers and followers itself: only those
   * candidates are scored. When that is the whole filter, the best candidates are the page. Otherwise
   * PostgreSQL checks the rest of the filter: on the best-scored candidates in growing batches for broad
   * filters, or by reading every match for selective ones (or when a walk finds too few).
   */
  async page(ctx: RequestContext, args: SearchCreatorsArgs, built: SearchSql, columns: string): Promise<SearchRow[]> {
    const sync = this.sync;
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
        else if (pass!.size < SEARCH_THRESHOLDS.fewMatches || (await fewMatches(ctx, args)))
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
}
