/**
 * The audience index's ranking: creators of a scoring pass in (score DESC, id DESC) order, the order
 * search pages by, after a cursor's position: in batches (`ranked`), the first k (`top`, `TopPicker`), or
 * a given set (`rankedAmong`). Ties are broken by id as PostgreSQL orders uuids.
 */
import { AudienceStore, uuidWords } from './audience-index.store';

/** What ranking reads of a scoring pass (audience-index.score.ts ScorePass). */
export interface ScoredSlots {
  /** Scores by slot; only those of `slots` (every slot when null) are this pass's. */
  readonly scores: Float32Array;
  readonly size: number;
  readonly slots: Int32Array | null;
  includes(slot: number): boolean;
}

/** Where a ranked walk resumes: after this score and id in (score DESC, id DESC) order. */
export interface RankPosition {
  score: number;
  id: string;
}

/** Bins of the ranking histogram over scores 0–100 (hot loops: plain functions, not the generator). */
const BINS = 4096;
const BIN_SCALE = BINS / 100;

function binOf(s: number): number {
  return s >= 100 ? BINS - 1 : s <= 0 ? 0 : Math.floor(s * BIN_SCALE);
}

function scoreHistogram(
  score: Float32Array,
  size: number,
  slots: Int32Array | null,
  fromScore: number,
  after: (i: number) => boolean,
): Uint32Array {
  const histogram = new Uint32Array(BINS);
  for (let k = 0; k < size; k++) {
    const i = slots === null ? k : slots[k];
    const s = score[i];
    if (s > fromScore || (s === fromScore && !after(i))) continue;
    histogram[binOf(s)]++;
  }
  return histogram;
}

function slotsInBins(
  score: Float32Array,
  size: number,
  slots: Int32Array | null,
  low: number,
  top: number,
  fromScore: number,
  after: (i: number) => boolean,
): number[] {
  const found: number[] = [];
  for (let k = 0; k < size; k++) {
    const i = slots === null ? k : slots[k];
    const s = score[i];
    const bin = binOf(s);
    if (bin < low || bin > top || s > fromScore || (s === fromScore && !after(i))) continue;
    found.push(i);
  }
  return found;
}

/** Keeps the best k offered (slot, score) in (score DESC, id DESC) order, after a position. */
export class TopPicker {
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];
  private readonly fromScore: number;
  private readonly fromWords: number[] | null;

  constructor(
    private readonly index: AudienceStore,
    private readonly k: number,
    from: RankPosition | null,
  ) {
    this.fromScore = from ? from.score : Infinity;
    this.fromWords = from ? uuidWords(from.id) : null;
  }

  offer(slot: number, s: number): void {
    const { slots, scores, k } = this;
    if (s > this.fromScore || (s === this.fromScore && this.index.compareSlotToWords(slot, this.fromWords!) >= 0)) return;
    if (slots.length === k) {
      const last = scores[k - 1];
      if (s < last || (s === last && this.index.compareSlotTo(slot, slots[k - 1]) < 0)) return;
      slots.pop();
      scores.pop();
    }
    // Insert in order: k is a page, so a step back from the end is short.
    let at = slots.length;
    while (at > 0 && (scores[at - 1] < s || (scores[at - 1] === s && this.index.compareSlotTo(slots[at - 1], slot) < 0))) at--;
    slots.splice(at, 0, slot);
    scores.splice(at, 0, s);
  }

  result(): { slot: number; score: number }[] {
    return this.slots.map((slot, j) => ({ slot, score: this.scores[j] }));
  }
}

/**
 * Walks creators in (score DESC, id DESC) order, after `from` when given, in batches of about
 * `batchSize` slots (larger when many share a score), without sorting everything: a histogram of the
 * scores picks each batch's score range.
 */
export function* ranked(store: AudienceStore, pass: ScoredSlots, from: RankPosition | null, batchSize: number): Generator<number[]> {
  const { scores: score, size, slots } = pass;
  // Creators at or before `from` in (score DESC, id DESC) order are left out; only ties need the id.
  const fromScore = from ? from.score : Infinity;
  const fromWords = from ? uuidWords(from.id) : null;
  const after = (i: number) => store.compareSlotToWords(i, fromWords!) < 0;
  const histogram = scoreHistogram(score, size, slots, fromScore, after);
  let top = BINS - 1;
  while (top >= 0) {
    let low = top;
    let taken = histogram[top];
    while (taken < batchSize && low > 0) taken += histogram[--low];
    if (taken > 0) {
      const batch = slotsInBins(score, size, slots, low, top, fromScore, after);
      batch.sort((a, b) => score[b] - score[a] || store.compareSlotTo(b, a));
      yield batch;
    }
    top = low - 1;
  }
}

/**
 * The first `k` creators of the pass in (score DESC, id DESC) order after `from`: what `ranked` yields
 * first, in one pass over the scored creators that keeps only the best k.
 */
export function top(store: AudienceStore, pass: ScoredSlots, from: RankPosition | null, k: number): number[] {
  const { scores, size, slots } = pass;
  const picker = new TopPicker(store, k, from);
  for (let j = 0; j < size; j++) {
    const i = slots === null ? j : slots[j];
    picker.offer(i, scores[i]);
  }
  return picker.result().map((b) => b.slot);
}

/**
 * These creators in (score DESC, id DESC) order, after `from` when given; ids the pass did not score
 * (unknown, or left out by its filter) are skipped.
 */
export function rankedAmong(store: AudienceStore, pass: ScoredSlots, ids: string[], from: RankPosition | null): number[] {
  const score = pass.scores;
  const fromWords = from ? uuidWords(from.id) : null;
  const slots: number[] = [];
  for (const id of ids) {
    const i = store.slotOf(id);
    if (i === -1 || !pass.includes(i)) continue;
    if (!from || score[i] < from.score || (score[i] === from.score && store.compareSlotToWords(i, fromWords!) < 0)) slots.push(i);
  }
  return slots.sort((a, b) => score[b] - score[a] || store.compareSlotTo(b, a));
}
