/**
 * The audience index: every creator's audience as compact typed arrays in the service's memory, so the
 * AUDIENCE_MATCH sort scores a million creators in milliseconds. PostgreSQL cannot index a score that
 * depends on the brand's target; read row by row it took ~270 ms for 56,000 candidates (bench/README.md).
 *
 * Layout (≈ 65 bytes a creator at a million; shares as integers in 1/65,535ths, each within 0.0000077):
 *  - one Uint16Array per age bucket and per gender (shares, 0 where unknown), a Uint16 platform mask,
 *    the id as four Uint32 words (uuid byte order, so ties sort as PostgreSQL sorts uuids);
 *  - countries and interests as inverted lists (country → slots and shares, interest → slots), built once,
 *    the ascending slots stored as 16-bit gaps when they fit;
 *  - creators that changed (or arrived) since the lists were built keep their countries and interests in
 *    an overlay that scoring applies after the lists. The owner rebuilds the index when the overlay grows.
 *
 * Scores follow rules/audience-match.ts (same parts and weights; with shares to 1/65,535 a score is within
 * 0.005 of the rule's unrounded one, far below the whole points it shows). `scoreOf` and the dense pass perform the same operations on the same
 * integers, so a score is the same float32 however it was computed, and cursors built from it compare
 * exactly.
 */
import { AUDIENCE_MATCH_WEIGHTS, AudienceTarget } from '../rules/audience-match';
import { AGE_BUCKETS, GENDERS, Platform, PLATFORMS } from '../rules/types';

/** What the index holds of one creator: the audience columns of `creators`. */
export interface AudienceVector {
  id: string;
  platforms: readonly string[];
  /** Shares in AGE_BUCKETS order; null when the audience is unknown. */
  ages: readonly number[] | null;
  /** Shares in GENDERS order; null when the audience is unknown. */
  genders: readonly number[] | null;
  countries: Readonly<Record<string, number>>;
  interests: readonly string[];
}

/** A target prepared for scoring (validated, deduplicated, normalised as the rule does). */
interface PreparedTarget {
  ages: number[];
  genders: number[];
  countries: string[];
  interests: string[];
  platformMask: number;
  hasPlatforms: boolean;
  total: number;
}

interface OverlayEntry {
  /** Shares in SHARE_UNITS. */
  countries: Map<string, number>;
  interests: Set<string>;
}

const normaliseInterest = (s: string) => s.trim().toLowerCase();

/** Shares are held as integers in 1/65,535ths: half the memory of float32, and sums that are exact. */
const SHARE_UNITS = 65_535;
const toUnits = (share: number) => Math.round(Math.min(1, Math.max(0, share)) * SHARE_UNITS);

/** An inverted list's ascending slots: 16-bit gaps from 0 when every gap fits, else the slots themselves. */
type SlotList = Uint16Array | Uint32Array;
type CountryList = { slots: SlotList; shares: Uint16Array };

export function platformMask(platforms: readonly string[]): number {
  let mask = 0;
  for (const p of platforms) {
    const bit = PLATFORMS.indexOf(p as Platform);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

/** A uuid as four 32-bit words, most significant first (PostgreSQL's uuid order). */
function uuidWords(id: string): [number, number, number, number] {
  const hex = id.replace(/-/g, '');
  if (hex.length !== 32) throw new Error(`not a uuid: ${id}`);
  return [0, 8, 16, 24].map((i) => parseInt(hex.slice(i, i + 8), 16)) as [number, number, number, number];
}

function wordsToUuid(w: Uint32Array, at: number): string {
  const hex = [0, 1, 2, 3].map((k) => w[at + k].toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where a ranked walk resumes: after this score and id in (score DESC, id DESC) order. */
export interface RankPosition {
  score: number;
  id: string;
}

/** A freshly loaded index as plain typed arrays, to move it between processes. */
export interface AudienceIndexParts {
  capacity: number;
  count: number;
  ids: Uint32Array;
  ageColumns: Uint16Array[];
  genderColumns: Uint16Array[];
  platforms: Uint16Array;
  countryLists: [string, CountryList][];
  interestLists: [string, SlotList][];
}

export class AudienceIndex {
  private capacity: number;
  private count = 0;
  /** Slots [0, sortedCount) were added in ascending id order and are found by binary search. */
  private sortedCount = 0;
  private readonly unsorted = new Map<string, number>();
  private ids: Uint32Array;
  private ageColumns: Uint16Array[];
  private genderColumns: Uint16Array[];
  private platforms: Uint16Array;
  private countryLists = new Map<string, CountryList>();
  private interestLists = new Map<string, SlotList>();
  private readonly overlay = new Map<number, OverlayEntry>();
  private sealed = false;
  /** Filled while adding in bulk, turned into the inverted lists by `seal`. */
  private pendingCountries: Map<string, { slots: GrowableArray<Uint32Array>; shares: GrowableArray<Uint16Array> }> | null = new Map();
  private pendingInterests: Map<string, GrowableArray<Uint32Array>> | null = new Map();
  /** Scratch arrays reused by every scoring pass (scoring is synchronous), and score arrays given back. */
  private scratch: { part: Uint32Array; matched: Uint8Array } | null = null;
  private readonly spareScores: Float32Array[] = [];

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    this.ids = new Uint32Array(this.capacity * 4);
    this.ageColumns = AGE_BUCKETS.map(() => new Uint16Array(this.capacity));
    this.genderColumns = GENDERS.map(() => new Uint16Array(this.capacity));
    this.platforms = new Uint16Array(this.capacity);
  }

  /** A sealed index straight from a bulk load (nothing in the overlay) as its arrays. */
  toParts(): AudienceIndexParts {
    if (!this.sealed || this.overlay.size > 0 || this.unsorted.size > 0) throw new Error('only a freshly loaded index moves as parts');
    return {
      capacity: this.capacity,
      count: this.count,
      ids: this.ids,
      ageColumns: this.ageColumns,
      genderColumns: this.genderColumns,
      platforms: this.platforms,
      countryLists: [...this.countryLists],
      interestLists: [...this.interestLists],
    };
  }

  static fromParts(parts: AudienceIndexParts): AudienceIndex {
    const index = new AudienceIndex(1);
    index.capacity = parts.capacity;
    index.count = parts.count;
    index.sortedCount = parts.count;
    index.ids = parts.ids;
    index.ageColumns = parts.ageColumns;
    index.genderColumns = parts.genderColumns;
    index.platforms = parts.platforms;
    index.countryLists = new Map(parts.countryLists);
    index.interestLists = new Map(parts.interestLists);
    index.pendingCountries = null;
    index.pendingInterests = null;
    index.sealed = true;
    return index;
  }

  get size(): number {
    return this.count;
  }

  /** Creators whose countries and interests live in the overlay: the owner rebuilds when this grows. */
  get overlaySize(): number {
    return this.overlay.size;
  }

  /**
   * Adds or replaces a creator. Before `seal`, creators must come in ascending id order (a full load);
   * after it, anything goes (changes caught up from the database).
   */
  upsert(v: AudienceVector): void {
    let slot = this.slotOf(v.id);
    if (slot === -1) {
      slot = this.count++;
      if (slot >= this.capacity) this.grow();
      this.ids.set(uuidWords(v.id), slot * 4);
      if (!this.sealed) {
        if (slot > 0 && this.compareSlotTo(slot - 1, slot) >= 0) throw new Error('a bulk load must come in ascending id order');
        this.sortedCount = slot + 1;
      } else {
        this.unsorted.set(v.id.toLowerCase(), slot);
      }
    }
    AGE_BUCKETS.forEach((_, b) => (this.ageColumns[b][slot] = toUnits(v.ages?.[b] ?? 0)));
    GENDERS.forEach((_, g) => (this.genderColumns[g][slot] = toUnits(v.genders?.[g] ?? 0)));
    this.platforms[slot] = platformMask(v.platforms);
    const interests = [...new Set(v.interests.map(normaliseInterest))];
    if (this.sealed) {
      const countries = new Map<string, number>();
      for (const [c, share] of Object.entries(v.countries)) countries.set(c.toUpperCase(), toUnits(share));
      this.overlay.set(slot, { countries, interests: new Set(interests) });
      return;
    }
    for (const [c, share] of Object.entries(v.countries)) {
      if (!(share > 0)) continue;
      const code = c.toUpperCase();
      let list = this.pendingCountries!.get(code);
      if (!list)
        this.pendingCountries!.set(code, (list = { slots: new GrowableArray(Uint32Array), shares: new GrowableArray(Uint16Array) }));
      list.slots.push(slot);
      list.shares.push(toUnits(share));
    }
    for (const interest of interests) {
      let list = this.pendingInterests!.get(interest);
      if (!list) this.pendingInterests!.set(interest, (list = new GrowableArray(Uint32Array)));
      list.push(slot);
    }
  }

  /** Ends the bulk load: builds the inverted lists. */
  seal(): this {
    if (this.sealed) return this;
    for (const [code, list] of this.pendingCountries!) {
      this.countryLists.set(code, { slots: list.slots.slotList(), shares: list.shares.trimmed() });
    }
    for (const [interest, slots] of this.pendingInterests!) this.interestLists.set(interest, slots.slotList());
    this.pendingCountries = null;
    this.pendingInterests = null;
    this.sealed = true;
    return this;
  }

  has(id: string): boolean {
    return this.slotOf(id) !== -1;
  }

  idAt(slot: number): string {
    return wordsToUuid(this.ids, slot * 4);
  }

  /**
   * The audience match of every creator (× 100, unrounded) for a target, or null for an empty target.
   * Give the array back with `release` when done with it: the next pass reuses it.
   */
  scoreAll(target: AudienceTarget): Float32Array | null {
    const t = prepare(target);
    if (!t) return null;
    const n = this.count;
    let score = this.spareScores.pop();
    if (!score || score.length !== this.capacity) score = new Float32Array(this.capacity);
    if (!this.scratch || this.scratch.part.length < this.capacity) {
      this.scratch = { part: new Uint32Array(this.capacity), matched: new Uint8Array(this.capacity) };
    }
    const { part, matched } = this.scratch;
    // Countries and interests come from the inverted lists first, then the overlay's creators.
    if (t.countries.length) {
      part.fill(0, 0, n);
      for (const code of t.countries) {
        const list = this.countryLists.get(code);
        if (!list) continue;
        const { slots, shares } = list;
        if (slots instanceof Uint16Array) {
          for (let j = 0, slot = 0; j < slots.length; j++) part[(slot += slots[j])] += shares[j];
        } else {
          for (let j = 0; j < slots.length; j++) part[slots[j]] += shares[j];
        }
      }
      for (const [slot, entry] of this.overlay) part[slot] = overlayCountries(entry, t.countries);
    }
    if (t.interests.length) {
      matched.fill(0, 0, n);
      for (const interest of t.interests) {
        const slots = this.interestLists.get(interest);
        if (slots instanceof Uint16Array) {
          for (let j = 0, slot = 0; j < slots.length; j++) matched[(slot += slots[j])]++;
        } else if (slots) {
          for (let j = 0; j < slots.length; j++) matched[slots[j]]++;
        }
      }
      for (const [slot, entry] of this.overlay) matched[slot] = overlayInterests(entry, t.interests);
    }
    // Then every part in the rule's order, the same operations as scoreOf.
    combineParts(
      this.count,
      score,
      t.ages.map((b) => this.ageColumns[b]),
      t.genders.map((g) => this.genderColumns[g]),
      t.countries.length > 0 ? part : null,
      t.interests.length > 0 ? matched : null,
      t.interests.length,
      t.hasPlatforms ? this.platforms : null,
      t.platformMask,
      t.total,
    );
    return score;
  }

  /** Gives a `scoreAll` array back for reuse. */
  release(score: Float32Array): void {
    if (score.length === this.capacity && this.spareScores.length < 2) this.spareScores.push(score);
  }

  /**
   * One creator's score, the same float32 `scoreAll` gives it; null for an unknown id or empty target.
   * Reads the gap-coded lists from their start: for checks and single creators, not for ranking.
   */
  scoreOf(id: string, target: AudienceTarget): number | null {
    const slot = this.slotOf(id);
    const t = prepare(target);
    if (slot === -1 || !t) return null;
    let score = 0;
    if (t.ages.length) {
      let a = 0;
      for (const b of t.ages) a += this.ageColumns[b][slot];
      score = AUDIENCE_MATCH_WEIGHTS.ages * (a / SHARE_UNITS);
    }
    if (t.genders.length) {
      let part = 0;
      for (const g of t.genders) part += this.genderColumns[g][slot];
      score += AUDIENCE_MATCH_WEIGHTS.genders * (part / SHARE_UNITS);
    }
    const entry = this.overlay.get(slot) ?? this.listEntry(slot, t);
    if (t.countries.length) score += AUDIENCE_MATCH_WEIGHTS.countries * (overlayCountries(entry, t.countries) / SHARE_UNITS);
    if (t.interests.length) score += AUDIENCE_MATCH_WEIGHTS.interests * (overlayInterests(entry, t.interests) / t.interests.length);
    if (t.hasPlatforms) score += AUDIENCE_MATCH_WEIGHTS.platforms * ((this.platforms[slot] & t.platformMask) !== 0 ? 1 : 0);
    return Math.fround((100 * score) / t.total);
  }

  /**
   * Walks creators in (score DESC, id DESC) order, after `from` when given, in batches of about
   * `batchSize` slots (larger when many share a score), without sorting everything: a histogram of the
   * scores picks each batch's score range.
   */
  *ranked(score: Float32Array, from: RankPosition | null, batchSize: number): Generator<number[]> {
    const n = this.count;
    // Creators at or before `from` in (score DESC, id DESC) order are left out; only ties need the id.
    const fromScore = from ? from.score : Infinity;
    const fromWords = from ? uuidWords(from.id) : null;
    const after = (i: number) => this.compareSlotToWords(i, fromWords!) < 0;
    const histogram = scoreHistogram(score, n, fromScore, after);
    let top = BINS - 1;
    while (top >= 0) {
      let low = top;
      let taken = histogram[top];
      while (taken < batchSize && low > 0) taken += histogram[--low];
      if (taken > 0) {
        const batch = slotsInBins(score, n, low, top, fromScore, after);
        batch.sort((a, b) => score[b] - score[a] || this.compareSlotTo(b, a));
        yield batch;
      }
      top = low - 1;
    }
  }

  /** These creators (unknown ids are skipped) in (score DESC, id DESC) order, after `from` when given. */
  rankedAmong(score: Float32Array, ids: string[], from: RankPosition | null): number[] {
    const fromWords = from ? uuidWords(from.id) : null;
    const slots: number[] = [];
    for (const id of ids) {
      const i = this.slotOf(id);
      if (i === -1) continue;
      if (!from || score[i] < from.score || (score[i] === from.score && this.compareSlotToWords(i, fromWords!) < 0)) slots.push(i);
    }
    return slots.sort((a, b) => score[b] - score[a] || this.compareSlotTo(b, a));
  }

  private listEntry(slot: number, t: PreparedTarget): OverlayEntry {
    const countries = new Map<string, number>();
    for (const code of t.countries) {
      const list = this.countryLists.get(code);
      const at = list ? positionIn(list.slots, slot) : -1;
      if (at >= 0) countries.set(code, list!.shares[at]);
    }
    const interests = new Set(t.interests.filter((i) => positionIn(this.interestLists.get(i), slot) >= 0));
    return { countries, interests };
  }

  private slotOf(id: string): number {
    const key = id.toLowerCase();
    const unsorted = this.unsorted.get(key);
    if (unsorted !== undefined) return unsorted;
    let words: [number, number, number, number];
    try {
      words = uuidWords(key);
    } catch {
      return -1;
    }
    let lo = 0;
    let hi = this.sortedCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareSlotToWords(mid, words);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private compareSlotToWords(slot: number, words: ArrayLike<number>): number {
    for (let k = 0; k < 4; k++) {
      const d = this.ids[slot * 4 + k] - words[k];
      if (d !== 0) return d;
    }
    return 0;
  }

  private compareSlotTo(a: number, b: number): number {
    return this.compareSlotToWords(a, this.ids.subarray(b * 4, b * 4 + 4));
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const ids = new Uint32Array(capacity * 4);
    ids.set(this.ids);
    this.ids = ids;
    const widen = (col: Uint16Array) => {
      const next = new Uint16Array(capacity);
      next.set(col);
      return next;
    };
    this.ageColumns = this.ageColumns.map(widen);
    this.genderColumns = this.genderColumns.map(widen);
    const platforms = new Uint16Array(capacity);
    platforms.set(this.platforms);
    this.platforms = platforms;
    this.capacity = capacity;
  }
}

function prepare(target: AudienceTarget): PreparedTarget | null {
  const ages = [...new Set(target.ages ?? [])].map((b) => AGE_BUCKETS.indexOf(b));
  const genders = [...new Set(target.genders ?? [])].map((g) => GENDERS.indexOf(g));
  const countries = [...new Set((target.countries ?? []).map((c) => c.trim().toUpperCase()))];
  const interests = [...new Set((target.interests ?? []).map(normaliseInterest))];
  const hasPlatforms = (target.platforms?.length ?? 0) > 0;
  const w = AUDIENCE_MATCH_WEIGHTS;
  const total =
    (ages.length ? w.ages : 0) +
    (genders.length ? w.genders : 0) +
    (countries.length ? w.countries : 0) +
    (interests.length ? w.interests : 0) +
    (hasPlatforms ? w.platforms : 0);
  if (total === 0) return null;
  return { ages, genders, countries, interests, platformMask: platformMask(target.platforms ?? []), hasPlatforms, total };
}

/**
 * score[i] = 100 × (Σ weight × part) ÷ total, the parts in the rule's order and the same operations as
 * `scoreOf` (integer share sums are exact, so only the order of the double operations matters). A plain
 * function with its arrays as arguments: V8 keeps this loop, the hottest of search, monomorphic.
 */
function combineParts(
  n: number,
  score: Float32Array,
  ages: Uint16Array[],
  genders: Uint16Array[],
  countries: Uint32Array | null,
  interests: Uint8Array | null,
  interestCount: number,
  platforms: Uint16Array | null,
  mask: number,
  total: number,
): void {
  const { ages: wA, genders: wG, countries: wC, interests: wI, platforms: wP } = AUDIENCE_MATCH_WEIGHTS;
  const hasAges = ages.length > 0;
  const hasGenders = genders.length > 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (hasAges) {
      let a = 0;
      for (let c = 0; c < ages.length; c++) a += ages[c][i];
      s = wA * (a / SHARE_UNITS);
    }
    if (hasGenders) {
      let g = 0;
      for (let c = 0; c < genders.length; c++) g += genders[c][i];
      s += wG * (g / SHARE_UNITS);
    }
    if (countries !== null) s += wC * (countries[i] / SHARE_UNITS);
    if (interests !== null) s += wI * (interests[i] / interestCount);
    if (platforms !== null) s += wP * ((platforms[i] & mask) !== 0 ? 1 : 0);
    score[i] = (100 * s) / total;
  }
}

/** Bins of the ranking histogram over scores 0–100 (hot loops: plain functions, not the generator). */
const BINS = 4096;
const BIN_SCALE = BINS / 100;

function binOf(s: number): number {
  return s >= 100 ? BINS - 1 : s <= 0 ? 0 : Math.floor(s * BIN_SCALE);
}

function scoreHistogram(score: Float32Array, n: number, fromScore: number, after: (i: number) => boolean): Uint32Array {
  const histogram = new Uint32Array(BINS);
  for (let i = 0; i < n; i++) {
    const s = score[i];
    if (s > fromScore || (s === fromScore && !after(i))) continue;
    histogram[binOf(s)]++;
  }
  return histogram;
}

function slotsInBins(score: Float32Array, n: number, low: number, top: number, fromScore: number, after: (i: number) => boolean): number[] {
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = score[i];
    const bin = binOf(s);
    if (bin < low || bin > top || s > fromScore || (s === fromScore && !after(i))) continue;
    slots.push(i);
  }
  return slots;
}

/** Σ shares over the target countries, added in the target's order (as the inverted lists add them). */
function overlayCountries(entry: OverlayEntry, countries: string[]): number {
  let sum = 0;
  for (const code of countries) {
    const share = entry.countries.get(code);
    if (share !== undefined && share > 0) sum += share;
  }
  return sum;
}

function overlayInterests(entry: OverlayEntry, interests: string[]): number {
  let matched = 0;
  for (const i of interests) if (entry.interests.has(i)) matched++;
  return matched;
}

/** Where `slot` is in a list (-1 if absent): a scan of the gaps, or a binary search of the slots. */
function positionIn(list: SlotList | undefined, slot: number): number {
  if (!list) return -1;
  if (list instanceof Uint16Array) {
    for (let j = 0, at = 0; j < list.length && at <= slot; j++) if ((at += list[j]) === slot) return j;
    return -1;
  }
  const sorted = list;
  const value = slot;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === value) return mid;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * An append-only typed array kept in fixed chunks (for building the inverted lists). Not a doubling
 * array: each buffer a doubling array frees raises glibc's mmap threshold to its size, after which
 * allocations below it come from heap arenas that never shrink, and a load left ~70 MB behind.
 */
class GrowableArray<T extends Uint32Array | Uint16Array> {
  private static readonly CHUNK = 65_536;
  private readonly chunks: T[] = [];
  private length = 0;

  constructor(private readonly type: { new (length: number): T }) {}

  push(value: number): void {
    const at = this.length % GrowableArray.CHUNK;
    if (at === 0) this.chunks.push(new this.type(GrowableArray.CHUNK));
    this.chunks[this.chunks.length - 1][at] = value;
    this.length++;
  }

  /** Ascending slots as a SlotList: 16-bit gaps from 0 when every gap fits, else the slots. */
  slotList(): SlotList {
    let previous = 0;
    let narrow = true;
    this.forEach((slot) => {
      if (slot - previous > 0xffff) narrow = false;
      previous = slot;
    });
    if (!narrow) return this.trimmed() as Uint32Array;
    const gaps = new Uint16Array(this.length);
    previous = 0;
    let j = 0;
    this.forEach((slot) => {
      gaps[j++] = slot - previous;
      previous = slot;
    });
    return gaps;
  }

  private forEach(visit: (value: number) => void): void {
    for (let i = 0; i < this.length; i++) visit(this.chunks[Math.floor(i / GrowableArray.CHUNK)][i % GrowableArray.CHUNK]);
  }

  trimmed(): T {
    const out = new this.type(this.length);
    this.chunks.forEach((chunk, i) => {
      const start = i * GrowableArray.CHUNK;
      out.set(chunk.subarray(0, Math.min(GrowableArray.CHUNK, this.length - start)), start);
    });
    return out;
  }
}
