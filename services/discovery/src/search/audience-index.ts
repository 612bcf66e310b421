/**
 * The audience index: every creator's audience as compact typed arrays in the service's memory, so the
 * AUDIENCE_MATCH sort scores a million creators in milliseconds. PostgreSQL cannot index a score that
 * depends on the brand's target; read row by row it took ~270 ms for 56,000 candidates (bench/README.md).
 * It also holds the facts the commonest filters test (niches, platforms, followers), so a search scores
 * and ranks only the creators those filters let through (`CandidateFilter`).
 *
 * In parts: storage (audience-index.store.ts, the layout; its lists in audience-index.lists.ts),
 * filtering (audience-index.filter.ts), scoring (audience-index.score.ts, from the audience-match rule's
 * parts and weights) and ranking (audience-index.rank.ts). This class puts them together; loading it from
 * the database and keeping it current are audience-index.load.ts and audience-index.sync.ts.
 */
import type { AudienceTarget } from '../rules/audience-match';
import type { CandidateFilter } from './candidate-filter';
import { RankPosition, ranked, rankedAmong, top } from './audience-index.rank';
import { best, ScoreBuffers, scoreAll, scoreOf, ScorePass } from './audience-index.score';
import { AudienceStore } from './audience-index.store';

export type { CandidateFilter } from './candidate-filter';
export type { RankPosition } from './audience-index.rank';
export { ScorePass } from './audience-index.score';
export { platformMask } from './audience-index.store';
export type { AudienceIndexParts, AudienceVector } from './audience-index.store';

export class AudienceIndex extends AudienceStore {
  private readonly buffers = new ScoreBuffers();

  /**
   * The audience match (× 100, unrounded) of every creator the filter lets through, or null for an empty
   * target. Give the pass back with `release` when done with it.
   */
  scoreAll(target: AudienceTarget, filter: CandidateFilter = {}): ScorePass | null {
    return scoreAll(this, this.buffers, target, filter);
  }

  /** Gives a pass's arrays back for reuse. */
  release(pass: ScorePass): void {
    this.buffers.release(pass, this.capacity);
  }

  /**
   * The best `k` creators the filter lets through after `from`, with their scores, in one walk; null
   * when the target or the filter needs a scoring pass (then `scoreAll` and `top`).
   */
  best(target: AudienceTarget, filter: CandidateFilter, from: RankPosition | null, k: number): { slot: number; score: number }[] | null {
    return best(this, target, filter, from, k);
  }

  /** One creator's score, the same float32 `scoreAll` gives it; null for an unknown id or empty target. */
  scoreOf(id: string, target: AudienceTarget): number | null {
    return scoreOf(this, id, target);
  }

  /** The pass's creators in (score DESC, id DESC) order after `from`, in batches of about `batchSize`. */
  ranked(pass: ScorePass, from: RankPosition | null, batchSize: number): Generator<number[]> {
    return ranked(this, pass, from, batchSize);
  }

  /** The first `k` creators of the pass in (score DESC, id DESC) order after `from`. */
  top(pass: ScorePass, from: RankPosition | null, k: number): number[] {
    return top(this, pass, from, k);
  }

  /** These creators in (score DESC, id DESC) order after `from`; ids the pass did not score are skipped. */
  rankedAmong(pass: ScorePass, ids: string[], from: RankPosition | null): number[] {
    return rankedAmong(this, pass, ids, from);
  }
}
