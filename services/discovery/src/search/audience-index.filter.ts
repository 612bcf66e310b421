/**
 * The audience index's filtering: which creators a search's candidate filter (search/candidate-filter.ts:
 * any of the niches, any of the platforms, followers within any range) lets through, read from the
 * store's niche lists, overlay and columns. It keeps exactly what `passesCandidateFilter` keeps, and what
 * the SQL made from the same filter keeps (both tested).
 */
import type { CandidateFilter } from './candidate-filter';
import { SlotList } from './audience-index.lists';
import { AudienceStore, platformMask } from './audience-index.store';

/** Marks of `select`: 1 is selected; these are not. */
const UNSEEN = 0;
const SEEN = 2;

/** The platform and follower part of a CandidateFilter, for one slot at a time. */
export class SlotTest {
  private readonly lows: number[];
  private readonly highs: number[];

  constructor(
    private readonly platforms: Uint16Array | null,
    private readonly mask: number,
    private readonly followers: Uint32Array | null,
    ranges: readonly { min: number; max: number }[],
  ) {
    this.lows = ranges.map((r) => r.min);
    this.highs = ranges.map((r) => r.max);
  }

  passes(slot: number): boolean {
    if (this.platforms !== null && (this.platforms[slot] & this.mask) === 0) return false;
    if (this.followers === null) return true;
    const f = this.followers[slot];
    if (this.lows.length === 1) return f >= this.lows[0] && f <= this.highs[0];
    for (let r = 0; r < this.lows.length; r++) if (f >= this.lows[r] && f <= this.highs[r]) return true;
    return false;
  }
}

/** The filter's platform and follower tests over the store's columns. */
export function slotTest(store: AudienceStore, filter: CandidateFilter): SlotTest {
  return new SlotTest(
    filter.platforms ? store.platforms : null,
    platformMask(filter.platforms ?? []),
    filter.followers ? store.followers : null,
    filter.followers ?? [],
  );
}

/**
 * The slots the filter lets through into `selected`, and how many; `marked` when `marks` then holds 1
 * for each of them and another value for every other slot. With niches, only their lists (and the
 * overlay) are read, and the marks are needed only to see a creator once: on several lists, or in the
 * overlay too.
 */
export function selectCandidates(
  store: AudienceStore,
  filter: CandidateFilter,
  selected: Int32Array,
  marks: Uint8Array,
): { size: number; marked: boolean } {
  const n = store.count;
  const keep = slotTest(store, filter);
  if (!filter.niches) {
    let size = 0;
    for (let i = 0; i < n; i++) {
      const kept = keep.passes(i);
      marks[i] = kept ? 1 : 0;
      if (kept) selected[size++] = i;
    }
    return { size, marked: true };
  }
  const niches = [...new Set(filter.niches)];
  if (niches.length === 1) {
    // One list sees each creator once: no marks, the overlay's creators taken from the overlay.
    let size = 0;
    for (const [slot, entry] of store.overlay) if (entry.niches.has(niches[0]) && keep.passes(slot)) selected[size++] = slot;
    const skip = store.overlay.size > 0 ? store.inOverlay : null;
    return { size: selectListed(store.nicheLists.get(niches[0]), null, selected, size, keep, skip), marked: false };
  }
  marks.fill(UNSEEN, 0, n);
  let size = 0;
  // The overlay's creators are decided by their current niches, whatever the lists still say.
  for (const [slot, entry] of store.overlay) {
    const kept = countIn(entry.niches, niches) > 0 && keep.passes(slot);
    marks[slot] = kept ? 1 : SEEN;
    if (kept) selected[size++] = slot;
  }
  for (const niche of niches) size = selectListed(store.nicheLists.get(niche), marks, selected, size, keep);
  return { size, marked: true };
}

/**
 * Selects the slots of a list that pass the test; returns the new size. With marks, only unseen slots;
 * without, every slot but those `skip` flags.
 */
function selectListed(
  list: SlotList | undefined,
  marks: Uint8Array | null,
  selected: Int32Array,
  size: number,
  keep: SlotTest,
  skip: Uint8Array | null = null,
): number {
  if (!list) return size;
  if (marks === null) {
    const gaps = list instanceof Uint16Array;
    for (let j = 0, slot = 0; j < list.length; j++) {
      slot = gaps ? slot + list[j] : list[j];
      if ((skip === null || skip[slot] === 0) && keep.passes(slot)) selected[size++] = slot;
    }
    return size;
  }
  if (list instanceof Uint16Array) {
    for (let j = 0, slot = 0; j < list.length; j++) {
      slot += list[j];
      if (marks[slot] !== UNSEEN) continue;
      const kept = keep.passes(slot);
      marks[slot] = kept ? 1 : SEEN;
      if (kept) selected[size++] = slot;
    }
  } else {
    for (let j = 0; j < list.length; j++) {
      const slot = list[j];
      if (marks[slot] !== UNSEEN) continue;
      const kept = keep.passes(slot);
      marks[slot] = kept ? 1 : SEEN;
      if (kept) selected[size++] = slot;
    }
  }
  return size;
}

/** How many of `wanted` the set holds. */
export function countIn(set: Set<string>, wanted: readonly string[]): number {
  let matched = 0;
  for (const w of wanted) if (set.has(w)) matched++;
  return matched;
}
