/**
 * The audience index's scoring: audience match over the store's integers, for the creators a candidate
 * filter lets through.
 *
 * The target comes from the rule's `prepareAudienceTarget` (rules/audience-match.ts): the same parts,
 * terms and weights. Each part's weight over its units (shares are in SHARE_UNITS, interests are counted)
 * is one precomputed factor; with shares to 1/65,535 a score is within 0.005 of the rule's unrounded one,
 * far below the whole points it shows. `scoreOf` and the dense pass perform the same operations on the same
 * integers, in the rule's part order, so a score is the same float32 however it was computed, and cursors
 * built from it compare exactly.
 */
import { AudienceTarget, prepareAudienceTarget, unreachable } from '../rules/audience-match';
import { AGE_BUCKETS, GENDERS } from '../rules/types';
import type { CandidateFilter } from './candidate-filter';
import { countIn, selectCandidates, slotTest } from './audience-index.filter';
import { addListed, clear, countListed, positionIn } from './audience-index.lists';
import { RankPosition, TopPicker } from './audience-index.rank';
import { AudienceStore, OverlayEntry, platformMask, SHARE_UNITS } from './audience-index.store';

/** What each part's sum is multiplied by (its weight over its units), and the whole by at the end. */
interface Factors {
  ages: number;
  genders: number;
  countries: number;
  interests: number;
  platforms: number;
  scale: number;
}

/** A target as the index scores it: the rule's parts as the store's column indexes and keys. */
export interface IndexTarget {
  ages: number[];
  genders: number[];
  countries: string[];
  interests: string[];
  platformMask: number;
  hasPlatforms: boolean;
  factors: Factors;
}

/** The rule's prepared target (validated, deduplicated, normalised) in the index's terms; null when empty. */
export function indexTarget(target: AudienceTarget): IndexTarget | null {
  const prepared = prepareAudienceTarget(target);
  if (!prepared) return null;
  const t: IndexTarget = {
    ages: [],
    genders: [],
    countries: [],
    interests: [],
    platformMask: 0,
    hasPlatforms: false,
    factors: { ages: 0, genders: 0, countries: 0, interests: 0, platforms: 0, scale: 100 / prepared.totalWeight },
  };
  for (const part of prepared.parts) {
    switch (part.key) {
      case 'ages':
        t.ages = part.buckets.map((b) => AGE_BUCKETS.indexOf(b));
        t.factors.ages = part.weight / SHARE_UNITS;
        break;
      case 'genders':
        t.genders = part.genders.map((g) => GENDERS.indexOf(g));
        t.factors.genders = part.weight / SHARE_UNITS;
        break;
      case 'countries':
        t.countries = part.countries;
        t.factors.countries = part.weight / SHARE_UNITS;
        break;
      case 'interests':
        t.interests = part.interests;
        t.factors.interests = part.weight / part.interests.length;
        break;
      case 'platforms':
        t.platformMask = platformMask(part.platforms);
        t.hasPlatforms = true;
        t.factors.platforms = part.weight;
        break;
      default:
        return unreachable(part);
    }
  }
  return t;
}

/** The arrays of one pass. */
export interface PassBuffers {
  scores: Float32Array;
  selected: Int32Array;
  marks: Uint8Array;
}

/**
 * One scoring pass: the scores of the creators a filter let through (`slots`, in no order; null = every
 * creator). Scores of other slots are left over from earlier passes: read them only through `includes`.
 * Give it back with the index's `release`: the next pass reuses its arrays.
 */
export class ScorePass {
  constructor(
    readonly scores: Float32Array,
    private readonly selected: Int32Array,
    private readonly marks: Uint8Array,
    /** How many creators were scored. */
    readonly size: number,
    private readonly all: boolean,
    /** Whether `marks` holds 1 for exactly the selected slots (else it is made on first use). */
    private marked: boolean,
    private readonly slotCount: number,
  ) {}

  get slots(): Int32Array | null {
    return this.all ? null : this.selected.subarray(0, this.size);
  }

  includes(slot: number): boolean {
    if (this.all) return true;
    if (!this.marked) {
      this.marks.fill(0, 0, this.slotCount);
      for (let k = 0; k < this.size; k++) this.marks[this.selected[k]] = 1;
      this.marked = true;
    }
    return this.marks[slot] === 1;
  }

  /** The arrays, for the index's pool. */
  buffers(): PassBuffers {
    return { scores: this.scores, selected: this.selected, marks: this.marks };
  }
}

/** Scratch arrays reused by every scoring pass (scoring is synchronous), and pass arrays given back. */
export class ScoreBuffers {
  private scratch: { part: Uint32Array; matched: Uint8Array } | null = null;
  private readonly spare: PassBuffers[] = [];

  /** Arrays for one pass, from those given back when their size still fits. */
  take(capacity: number): PassBuffers {
    const spare = this.spare.pop();
    if (spare && spare.scores.length === capacity) return spare;
    return { scores: new Float32Array(capacity), selected: new Int32Array(capacity), marks: new Uint8Array(capacity) };
  }

  /** Gives a pass's arrays back for reuse. */
  release(pass: ScorePass, capacity: number): void {
    const buffers = pass.buffers();
    if (buffers.scores.length === capacity && this.spare.length < 2) this.spare.push(buffers);
  }

  /** The sums of the parts kept in lists, for one pass. */
  sums(capacity: number): { part: Uint32Array; matched: Uint8Array } {
    if (!this.scratch || this.scratch.part.length < capacity) {
      this.scratch = { part: new Uint32Array(capacity), matched: new Uint8Array(capacity) };
    }
    return this.scratch;
  }
}

/**
 * The audience match (× 100, unrounded) of every creator the filter lets through, or null for an empty
 * target. Give the pass back (`buffers.release`) when done with it.
 */
export function scoreAll(
  store: AudienceStore,
  buffers: ScoreBuffers,
  target: AudienceTarget,
  filter: CandidateFilter = {},
): ScorePass | null {
  const t = indexTarget(target);
  if (!t) return null;
  const n = store.count;
  const { scores, selected, marks } = buffers.take(store.capacity);
  const all = !filter.niches && !filter.platforms && !filter.followers;
  const { size, marked } = all ? { size: n, marked: false } : selectCandidates(store, filter, selected, marks);
  const slots = all ? null : selected.subarray(0, size);
  const { part, matched } = buffers.sums(store.capacity);
  // Countries and interests kept in lists are summed first (then the overlay's creators, whose list
  // entries may be stale); columns are read as each creator is scored. Only the scored slots are read:
  // lists also add to the others, which are cleared when next scored.
  const listedCountries = t.countries.filter((c) => !store.countryColumns.has(c));
  const listedInterests = t.interests.filter((i) => !store.interestBits.has(i));
  if (listedCountries.length) {
    clear(part, size, slots);
    for (const code of listedCountries) addListed(store.countryLists.get(code), part);
    for (const [slot, entry] of store.overlay) part[slot] = overlayCountries(entry, listedCountries);
  }
  if (listedInterests.length) {
    clear(matched, size, slots);
    for (const interest of listedInterests) countListed(store.interestLists.get(interest), matched);
    for (const [slot, entry] of store.overlay) matched[slot] = countIn(entry.interests, listedInterests);
  }
  // Then every part in the rule's order, the same operations as scoreOf.
  combineParts(
    size,
    slots,
    scores,
    partsOf(store, t, listedCountries.length > 0 ? part : null, listedInterests.length > 0 ? matched : null),
  );
  return new ScorePass(scores, selected, marks, size, all, marked, n);
}

/**
 * The best `k` creators the filter lets through after `from`, with their scores, in one walk that
 * selects, scores and keeps the best: for targets whose every part is a column, and no more than one
 * niche. Null otherwise (then `scoreAll` and `top`). The walk repeats `selectCandidates`'s one-niche loop
 * on purpose: selecting into an array first and scoring after measured ~25 % slower on this hot path.
 */
export function best(
  store: AudienceStore,
  target: AudienceTarget,
  filter: CandidateFilter,
  from: RankPosition | null,
  k: number,
): { slot: number; score: number }[] | null {
  const t = indexTarget(target);
  const niches = filter.niches ? [...new Set(filter.niches)] : null;
  if (!t || (niches && niches.length > 1)) return null;
  if (t.countries.some((c) => !store.countryColumns.has(c)) || t.interests.some((i) => !store.interestBits.has(i))) return null;
  const parts = partsOf(store, t, null, null);
  const keep = slotTest(store, filter);
  const picker = new TopPicker(store, k, from);
  if (!niches) {
    for (let i = 0; i < store.count; i++) if (keep.passes(i)) picker.offer(i, Math.fround(scoreSlot(i, parts)));
    return picker.result();
  }
  // The overlay's creators by their current niches; the list's entries for them are stale.
  for (const [slot, entry] of store.overlay) {
    if (entry.niches.has(niches[0]) && keep.passes(slot)) picker.offer(slot, Math.fround(scoreSlot(slot, parts)));
  }
  const list = store.nicheLists.get(niches[0]);
  if (list) {
    const skip = store.overlay.size > 0 ? store.inOverlay : null;
    const gaps = list instanceof Uint16Array;
    for (let j = 0, slot = 0; j < list.length; j++) {
      slot = gaps ? slot + list[j] : list[j];
      if ((skip === null || skip[slot] === 0) && keep.passes(slot)) picker.offer(slot, Math.fround(scoreSlot(slot, parts)));
    }
  }
  return picker.result();
}

/**
 * One creator's score, the same float32 `scoreAll` gives it; null for an unknown id or empty target.
 * Reads the gap-coded lists from their start: for checks and single creators, not for ranking.
 */
export function scoreOf(store: AudienceStore, id: string, target: AudienceTarget): number | null {
  const slot = store.slotOf(id);
  const t = indexTarget(target);
  if (slot === -1 || !t) return null;
  const f = t.factors;
  let score = 0;
  if (t.ages.length) {
    let a = 0;
    for (const b of t.ages) a += store.ageColumns[b][slot];
    score = f.ages * a;
  }
  if (t.genders.length) {
    let part = 0;
    for (const g of t.genders) part += store.genderColumns[g][slot];
    score += f.genders * part;
  }
  const entry = store.overlay.get(slot) ?? listEntry(store, slot, t);
  if (t.countries.length) score += f.countries * overlayCountries(entry, t.countries);
  if (t.interests.length) score += f.interests * countIn(entry.interests, t.interests);
  if (t.hasPlatforms) score += f.platforms * ((store.platforms[slot] & t.platformMask) !== 0 ? 1 : 0);
  return Math.fround(score * f.scale);
}

/** What scoring needs of a slot's countries and interests, read from the inverted lists. */
function listEntry(store: AudienceStore, slot: number, t: IndexTarget): Pick<OverlayEntry, 'countries' | 'interests'> {
  const countries = new Map<string, number>();
  for (const code of t.countries) {
    const column = store.countryColumns.get(code);
    if (column) {
      if (column[slot] > 0) countries.set(code, column[slot]);
      continue;
    }
    const list = store.countryLists.get(code);
    const at = list ? positionIn(list.slots, slot) : -1;
    if (at >= 0) countries.set(code, list!.shares[at]);
  }
  const interests = new Set(
    t.interests.filter((i) => {
      const bit = store.interestBits.get(i);
      return bit !== undefined ? (store.interestMask[slot] & (1 << bit)) !== 0 : positionIn(store.interestLists.get(i), slot) >= 0;
    }),
  );
  return { countries, interests };
}

/** Σ shares over the target countries, added in the target's order (as the inverted lists add them). */
function overlayCountries(entry: Pick<OverlayEntry, 'countries'>, countries: string[]): number {
  let sum = 0;
  for (const code of countries) {
    const share = entry.countries.get(code);
    if (share !== undefined && share > 0) sum += share;
  }
  return sum;
}

function partsOf(
  store: AudienceStore,
  t: IndexTarget,
  listedCountries: Uint32Array | null,
  listedInterests: Uint8Array | null,
): PartSources {
  return {
    ages: t.ages.map((b) => store.ageColumns[b]),
    genders: t.genders.map((g) => store.genderColumns[g]),
    hasCountries: t.countries.length > 0,
    countryColumns: t.countries.filter((c) => store.countryColumns.has(c)).map((c) => store.countryColumns.get(c)!),
    listedCountries,
    interestCount: t.interests.length,
    interestMask: store.interestMask,
    interestBits: store.bitsOf(t.interests),
    listedInterests,
    platforms: t.hasPlatforms ? store.platforms : null,
    platformMask: t.platformMask,
    factors: t.factors,
  };
}

/** What `combineParts` reads for a target: columns, and the sums of the parts kept in lists. */
interface PartSources {
  ages: Uint16Array[];
  genders: Uint16Array[];
  hasCountries: boolean;
  countryColumns: Uint16Array[];
  listedCountries: Uint32Array | null;
  interestCount: number;
  interestMask: Uint32Array;
  interestBits: number;
  listedInterests: Uint8Array | null;
  platforms: Uint16Array | null;
  platformMask: number;
  factors: Factors;
}

/**
 * score[i] = 100 ÷ total × Σ weight × part, the parts in the rule's order and the same operations as
 * `scoreOf` (integer share sums and counts are exact, however they were gathered, so only the order of
 * the double operations matters; each part's weight over its units is one precomputed factor), for the
 * given slots (null: slots 0 to size − 1). A plain function with plain arguments: V8 keeps this loop, the hottest of search, monomorphic.
 */
function combineParts(size: number, slots: Int32Array | null, score: Float32Array, p: PartSources): void {
  for (let k = 0; k < size; k++) {
    const i = slots === null ? k : slots[k];
    score[i] = scoreSlot(i, p);
  }
}

/** One slot's score, as `combineParts` describes (small, so V8 inlines it into the loops that call it). */
function scoreSlot(i: number, p: PartSources): number {
  const f = p.factors;
  let s = 0;
  if (p.ages.length > 0) {
    let a = 0;
    for (let c = 0; c < p.ages.length; c++) a += p.ages[c][i];
    s = f.ages * a;
  }
  if (p.genders.length > 0) {
    let g = 0;
    for (let c = 0; c < p.genders.length; c++) g += p.genders[c][i];
    s += f.genders * g;
  }
  if (p.hasCountries) {
    let c = p.listedCountries === null ? 0 : p.listedCountries[i];
    for (let d = 0; d < p.countryColumns.length; d++) c += p.countryColumns[d][i];
    s += f.countries * c;
  }
  if (p.interestCount > 0) {
    const m = (p.listedInterests === null ? 0 : p.listedInterests[i]) + bitCount(p.interestMask[i] & p.interestBits);
    s += f.interests * m;
  }
  if (p.platforms !== null) s += f.platforms * ((p.platforms[i] & p.platformMask) !== 0 ? 1 : 0);
  return s * f.scale;
}

/** Set bits of a 32-bit number. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
