/**
 * The audience index: every creator's audience as compact typed arrays in the service's memory, so the
 * AUDIENCE_MATCH sort scores a million creators in milliseconds. PostgreSQL cannot index a score that
 * depends on the brand's target; read row by row it took ~270 ms for 56,000 candidates (bench/README.md).
 * It also holds the facts the commonest filters test (niches, platforms, followers), so a search scores
 * and ranks only the creators those filters let through (`CandidateFilter`).
 *
 * Layout (≈ 75 bytes a creator at a million; shares as integers in 1/65,535ths, each within 0.0000077):
 *  - one Uint16Array per age bucket and per gender (shares, 0 where unknown), a Uint16 platform mask,
 *    followers as Uint32, the id as four Uint32 words (uuid byte order, so ties sort as PostgreSQL sorts
 *    uuids);
 *  - countries, interests and niches as inverted lists (country → slots and shares, interest or niche →
 *    slots), built once, the ascending slots stored as 16-bit gaps when they fit;
 *  - the commonest instead as columns, read only for the creators being scored and kept current in place:
 *    a country on a quarter of the audiences or more (the US) as a column of shares, and up to 16
 *    32 interests on a sixteenth or more as bits of one Uint32 column;
 *  - creators that changed (or arrived) since the lists were built keep their countries, interests and
 *    niches in an overlay that scoring and filtering apply after the lists (columns need none). The owner rebuilds the index
 *    when the overlay grows.
 *
 * Scores follow rules/audience-match.ts (same parts and weights; with shares to 1/65,535 a score is within
 * 0.005 of the rule's unrounded one, far below the whole points it shows). `scoreOf` and the dense pass perform the same operations on the same
 * integers, so a score is the same float32 however it was computed, and cursors built from it compare
 * exactly.
 */
import { AUDIENCE_MATCH_WEIGHTS, AudienceTarget } from '../rules/audience-match';
import { AGE_BUCKETS, GENDERS, Platform, PLATFORMS } from '../rules/types';

/** What the index holds of one creator: the audience columns of `creators`, and what filters test first. */
export interface AudienceVector {
  id: string;
  platforms: readonly string[];
  niches: readonly string[];
  followers: number;
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
  /** What each part's sum is multiplied by (its weight over its units), and the whole by the end. */
  factors: Factors;
}

interface Factors {
  ages: number;
  genders: number;
  countries: number;
  interests: number;
  platforms: number;
  scale: number;
}

interface OverlayEntry {
  /** Shares in SHARE_UNITS. */
  countries: Map<string, number>;
  interests: Set<string>;
  niches: Set<string>;
}

/**
 * The part of a search filter the index applies itself (each field as `creators` holds it and search's
 * SQL compares it). Null fields do not filter.
 */
export interface CandidateFilter {
  /** Any of these niches, compared as stored. */
  niches?: readonly string[] | null;
  /** Any of these platforms. */
  platforms?: readonly string[] | null;
  /** Followers within any of these inclusive ranges. */
  followers?: readonly { min: number; max: number }[] | null;
}

/**
 * One scoring pass: the scores of the creators a filter let through (`slots`, in no order; null = every
 * creator). Scores of other slots are left over from earlier passes: read them only through `includes`.
 * Give it back with `release`: the next pass reuses its arrays.
 */
interface PassBuffers {
  scores: Float32Array;
  selected: Int32Array;
  marks: Uint8Array;
}

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

const normaliseInterest = (s: string) => s.trim().toLowerCase();

/** Shares are held as integers in 1/65,535ths: half the memory of float32, and sums that are exact. */
const SHARE_UNITS = 65_535;
const toUnits = (share: number) => Math.round(Math.min(1, Math.max(0, share)) * SHARE_UNITS);

/** An inverted list's ascending slots: 16-bit gaps from 0 when every gap fits, else the slots themselves. */
type SlotList = Uint16Array | Uint32Array;
type CountryList = { slots: SlotList; shares: Uint16Array };

/** A country on at least this share of the audiences is kept as a column of shares, not a list. */
const COUNTRY_COLUMN_DENSITY = 0.25;
/** Interests on at least this share of the audiences are kept as bits of a column, the commonest first. */
const INTEREST_BIT_DENSITY = 1 / 16;
const INTEREST_BITS = 32;

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
  followers: Uint32Array;
  countryLists: [string, CountryList][];
  countryColumns: [string, Uint16Array][];
  interestLists: [string, SlotList][];
  /** Interests kept as bits, in bit order, and the column of bits. */
  interestBits: string[];
  interestMask: Uint32Array;
  nicheLists: [string, SlotList][];
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
  private followers: Uint32Array;
  private countryLists = new Map<string, CountryList>();
  private countryColumns = new Map<string, Uint16Array>();
  private interestLists = new Map<string, SlotList>();
  private interestBits = new Map<string, number>();
  private interestMask: Uint32Array;
  private nicheLists = new Map<string, SlotList>();
  private readonly overlay = new Map<number, OverlayEntry>();
  /** 1 for the slots in the overlay, so list walks can skip their stale entries without a map lookup. */
  private inOverlay: Uint8Array;
  private sealed = false;
  /** Goes up with every change: a pass scored at one version is stale at another. */
  version = 0;
  /** Filled while adding in bulk, turned into the inverted lists by `seal`. */
  private pendingCountries: Map<string, { slots: GrowableArray<Uint32Array>; shares: GrowableArray<Uint16Array> }> | null = new Map();
  private pendingInterests: Map<string, GrowableArray<Uint32Array>> | null = new Map();
  private pendingNiches: Map<string, GrowableArray<Uint32Array>> | null = new Map();
  /** Scratch arrays reused by every scoring pass (scoring is synchronous), and pass arrays given back. */
  private scratch: { part: Uint32Array; matched: Uint8Array } | null = null;
  private readonly sparePasses: PassBuffers[] = [];

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    this.ids = new Uint32Array(this.capacity * 4);
    this.ageColumns = AGE_BUCKETS.map(() => new Uint16Array(this.capacity));
    this.genderColumns = GENDERS.map(() => new Uint16Array(this.capacity));
    this.platforms = new Uint16Array(this.capacity);
    this.followers = new Uint32Array(this.capacity);
    this.interestMask = new Uint32Array(this.capacity);
    this.inOverlay = new Uint8Array(this.capacity);
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
      followers: this.followers,
      countryLists: [...this.countryLists],
      countryColumns: [...this.countryColumns],
      interestLists: [...this.interestLists],
      interestBits: [...this.interestBits.keys()],
      interestMask: this.interestMask,
      nicheLists: [...this.nicheLists],
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
    index.followers = parts.followers;
    index.countryLists = new Map(parts.countryLists);
    index.countryColumns = new Map(parts.countryColumns);
    index.interestLists = new Map(parts.interestLists);
    index.interestBits = new Map(parts.interestBits.map((interest, bit) => [interest, bit]));
    index.interestMask = parts.interestMask;
    index.inOverlay = new Uint8Array(parts.capacity);
    index.nicheLists = new Map(parts.nicheLists);
    index.pendingCountries = null;
    index.pendingInterests = null;
    index.pendingNiches = null;
    index.sealed = true;
    return index;
  }

  get size(): number {
    return this.count;
  }

  /** Creators whose countries, interests and niches live in the overlay: the owner rebuilds when this grows. */
  get overlaySize(): number {
    return this.overlay.size;
  }

  /**
   * Adds or replaces a creator. Before `seal`, creators must come in ascending id order (a full load);
   * after it, anything goes (changes caught up from the database).
   */
  upsert(v: AudienceVector): void {
    this.version++;
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
    this.followers[slot] = Math.min(0xffffffff, Math.max(0, Math.round(v.followers)));
    const interests = [...new Set(v.interests.map(normaliseInterest))];
    const niches = [...new Set(v.niches)];
    if (this.sealed) {
      const countries = new Map<string, number>();
      for (const [c, share] of Object.entries(v.countries)) countries.set(c.toUpperCase(), toUnits(share));
      for (const [code, column] of this.countryColumns) column[slot] = countries.get(code) ?? 0;
      this.interestMask[slot] = this.bitsOf(interests);
      this.overlay.set(slot, { countries, interests: new Set(interests), niches: new Set(niches) });
      this.inOverlay[slot] = 1;
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
    for (const interest of interests) appendSlot(this.pendingInterests!, interest, slot);
    for (const niche of niches) appendSlot(this.pendingNiches!, niche, slot);
  }

  /** Ends the bulk load: builds the inverted lists. */
  seal(): this {
    if (this.sealed) return this;
    for (const [code, list] of this.pendingCountries!) {
      if (list.slots.length >= this.count * COUNTRY_COLUMN_DENSITY) {
        const column = new Uint16Array(this.capacity);
        list.slots.forEach((slot, j) => (column[slot] = list.shares.at(j)));
        this.countryColumns.set(code, column);
      } else {
        this.countryLists.set(code, { slots: list.slots.slotList(), shares: list.shares.trimmed() });
      }
    }
    const byUse = [...this.pendingInterests!].sort(([, a], [, b]) => b.length - a.length);
    for (const [interest, slots] of byUse) {
      if (this.interestBits.size < INTEREST_BITS && slots.length >= this.count * INTEREST_BIT_DENSITY) {
        const bit = 1 << this.interestBits.size;
        this.interestBits.set(interest, this.interestBits.size);
        slots.forEach((slot) => (this.interestMask[slot] |= bit));
      } else {
        this.interestLists.set(interest, slots.slotList());
      }
    }
    for (const [niche, slots] of this.pendingNiches!) this.nicheLists.set(niche, slots.slotList());
    this.pendingCountries = null;
    this.pendingInterests = null;
    this.pendingNiches = null;
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
   * The audience match (× 100, unrounded) of every creator the filter lets through, or null for an empty
   * target. Give the pass back with `release` when done with it.
   */
  scoreAll(target: AudienceTarget, filter: CandidateFilter = {}): ScorePass | null {
    const t = prepare(target);
    if (!t) return null;
    const n = this.count;
    const { scores, selected, marks } = this.takeBuffers();
    const all = !filter.niches && !filter.platforms && !filter.followers;
    const { size, marked } = all ? { size: n, marked: false } : this.select(filter, selected, marks);
    const slots = all ? null : selected.subarray(0, size);
    if (!this.scratch || this.scratch.part.length < this.capacity) {
      this.scratch = { part: new Uint32Array(this.capacity), matched: new Uint8Array(this.capacity) };
    }
    const { part, matched } = this.scratch;
    // Countries and interests kept in lists are summed first (then the overlay's creators, whose list
    // entries may be stale); columns are read as each creator is scored. Only the scored slots are read:
    // lists also add to the others, which are cleared when next scored.
    const listedCountries = t.countries.filter((c) => !this.countryColumns.has(c));
    const listedInterests = t.interests.filter((i) => !this.interestBits.has(i));
    if (listedCountries.length) {
      clear(part, size, slots);
      for (const code of listedCountries) addListed(this.countryLists.get(code), part);
      for (const [slot, entry] of this.overlay) part[slot] = overlayCountries(entry, listedCountries);
    }
    if (listedInterests.length) {
      clear(matched, size, slots);
      for (const interest of listedInterests) countListed(this.interestLists.get(interest), matched);
      for (const [slot, entry] of this.overlay) matched[slot] = countIn(entry.interests, listedInterests);
    }
    // Then every part in the rule's order, the same operations as scoreOf.
    combineParts(
      size,
      slots,
      scores,
      this.partsOf(t, listedCountries.length > 0 ? part : null, listedInterests.length > 0 ? matched : null),
    );
    return new ScorePass(scores, selected, marks, size, all, marked, n);
  }

  /**
   * The best `k` creators the filter lets through after `from`, with their scores, in one walk that
   * selects, scores and keeps the best: for targets whose every part is a column, and no more than one
   * niche. Null otherwise (then `scoreAll` and `top`). The walk repeats `select`'s one-niche loop on
   * purpose: selecting into an array first and scoring after measured ~25 % slower on this hot path.
   */
  best(target: AudienceTarget, filter: CandidateFilter, from: RankPosition | null, k: number): { slot: number; score: number }[] | null {
    const t = prepare(target);
    const niches = filter.niches ? [...new Set(filter.niches)] : null;
    if (!t || (niches && niches.length > 1)) return null;
    if (t.countries.some((c) => !this.countryColumns.has(c)) || t.interests.some((i) => !this.interestBits.has(i))) return null;
    const parts = this.partsOf(t, null, null);
    const keep = this.slotTest(filter);
    const picker = new TopPicker(this, k, from);
    if (!niches) {
      for (let i = 0; i < this.count; i++) if (keep.passes(i)) picker.offer(i, Math.fround(scoreSlot(i, parts)));
      return picker.result();
    }
    // The overlay's creators by their current niches; the list's entries for them are stale.
    for (const [slot, entry] of this.overlay) {
      if (entry.niches.has(niches[0]) && keep.passes(slot)) picker.offer(slot, Math.fround(scoreSlot(slot, parts)));
    }
    const list = this.nicheLists.get(niches[0]);
    if (list) {
      const skip = this.overlay.size > 0 ? this.inOverlay : null;
      const gaps = list instanceof Uint16Array;
      for (let j = 0, slot = 0; j < list.length; j++) {
        slot = gaps ? slot + list[j] : list[j];
        if ((skip === null || skip[slot] === 0) && keep.passes(slot)) picker.offer(slot, Math.fround(scoreSlot(slot, parts)));
      }
    }
    return picker.result();
  }

  /** The filter's platform and follower tests over this index's columns. */
  private slotTest(filter: CandidateFilter): SlotTest {
    return new SlotTest(
      filter.platforms ? this.platforms : null,
      platformMask(filter.platforms ?? []),
      filter.followers ? this.followers : null,
      filter.followers ?? [],
    );
  }

  private partsOf(t: PreparedTarget, listedCountries: Uint32Array | null, listedInterests: Uint8Array | null): PartSources {
    return {
      ages: t.ages.map((b) => this.ageColumns[b]),
      genders: t.genders.map((g) => this.genderColumns[g]),
      hasCountries: t.countries.length > 0,
      countryColumns: t.countries.filter((c) => this.countryColumns.has(c)).map((c) => this.countryColumns.get(c)!),
      listedCountries,
      interestCount: t.interests.length,
      interestMask: this.interestMask,
      interestBits: this.bitsOf(t.interests),
      listedInterests,
      platforms: t.hasPlatforms ? this.platforms : null,
      platformMask: t.platformMask,
      factors: t.factors,
    };
  }

  /** Gives a pass's arrays back for reuse. */
  release(pass: ScorePass): void {
    const buffers = pass.buffers();
    if (buffers.scores.length === this.capacity && this.sparePasses.length < 2) this.sparePasses.push(buffers);
  }

  /** Arrays for one pass, from those given back when their size still fits. */
  private takeBuffers(): PassBuffers {
    const spare = this.sparePasses.pop();
    if (spare && spare.scores.length === this.capacity) return spare;
    return { scores: new Float32Array(this.capacity), selected: new Int32Array(this.capacity), marks: new Uint8Array(this.capacity) };
  }

  /**
   * The slots the filter lets through into `selected`, and how many; `marked` when `marks` then holds 1
   * for each of them and another value for every other slot. With niches, only their lists (and the
   * overlay) are read, and the marks are needed only to see a creator once: on several lists, or in the
   * overlay too.
   */
  private select(filter: CandidateFilter, selected: Int32Array, marks: Uint8Array): { size: number; marked: boolean } {
    const n = this.count;
    const keep = this.slotTest(filter);
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
      for (const [slot, entry] of this.overlay) if (entry.niches.has(niches[0]) && keep.passes(slot)) selected[size++] = slot;
      const skip = this.overlay.size > 0 ? this.inOverlay : null;
      return { size: selectListed(this.nicheLists.get(niches[0]), null, selected, size, keep, skip), marked: false };
    }
    marks.fill(UNSEEN, 0, n);
    let size = 0;
    // The overlay's creators are decided by their current niches, whatever the lists still say.
    for (const [slot, entry] of this.overlay) {
      const kept = countIn(entry.niches, niches) > 0 && keep.passes(slot);
      marks[slot] = kept ? 1 : SEEN;
      if (kept) selected[size++] = slot;
    }
    for (const niche of niches) size = selectListed(this.nicheLists.get(niche), marks, selected, size, keep);
    return { size, marked: true };
  }

  /**
   * One creator's score, the same float32 `scoreAll` gives it; null for an unknown id or empty target.
   * Reads the gap-coded lists from their start: for checks and single creators, not for ranking.
   */
  scoreOf(id: string, target: AudienceTarget): number | null {
    const slot = this.slotOf(id);
    const t = prepare(target);
    if (slot === -1 || !t) return null;
    const f = t.factors;
    let score = 0;
    if (t.ages.length) {
      let a = 0;
      for (const b of t.ages) a += this.ageColumns[b][slot];
      score = f.ages * a;
    }
    if (t.genders.length) {
      let part = 0;
      for (const g of t.genders) part += this.genderColumns[g][slot];
      score += f.genders * part;
    }
    const entry = this.overlay.get(slot) ?? this.listEntry(slot, t);
    if (t.countries.length) score += f.countries * overlayCountries(entry, t.countries);
    if (t.interests.length) score += f.interests * countIn(entry.interests, t.interests);
    if (t.hasPlatforms) score += f.platforms * ((this.platforms[slot] & t.platformMask) !== 0 ? 1 : 0);
    return Math.fround(score * f.scale);
  }

  /**
   * Walks creators in (score DESC, id DESC) order, after `from` when given, in batches of about
   * `batchSize` slots (larger when many share a score), without sorting everything: a histogram of the
   * scores picks each batch's score range.
   */
  *ranked(pass: ScorePass, from: RankPosition | null, batchSize: number): Generator<number[]> {
    const { scores: score, size, slots } = pass;
    // Creators at or before `from` in (score DESC, id DESC) order are left out; only ties need the id.
    const fromScore = from ? from.score : Infinity;
    const fromWords = from ? uuidWords(from.id) : null;
    const after = (i: number) => this.compareSlotToWords(i, fromWords!) < 0;
    const histogram = scoreHistogram(score, size, slots, fromScore, after);
    let top = BINS - 1;
    while (top >= 0) {
      let low = top;
      let taken = histogram[top];
      while (taken < batchSize && low > 0) taken += histogram[--low];
      if (taken > 0) {
        const batch = slotsInBins(score, size, slots, low, top, fromScore, after);
        batch.sort((a, b) => score[b] - score[a] || this.compareSlotTo(b, a));
        yield batch;
      }
      top = low - 1;
    }
  }

  /**
   * The first `k` creators of the pass in (score DESC, id DESC) order after `from`: what `ranked` yields
   * first, in one pass over the scored creators that keeps only the best k.
   */
  top(pass: ScorePass, from: RankPosition | null, k: number): number[] {
    const { scores, size, slots } = pass;
    const picker = new TopPicker(this, k, from);
    for (let j = 0; j < size; j++) {
      const i = slots === null ? j : slots[j];
      picker.offer(i, scores[i]);
    }
    return picker.result().map((b) => b.slot);
  }

  /** Compares two slots' ids (for ties): negative when a's id sorts first. */
  compareIds(a: number, b: number): number {
    return this.compareSlotTo(a, b);
  }

  /** Compares a slot's id with a position's (for ties). */
  compareIdWith(slot: number, words: ArrayLike<number>): number {
    return this.compareSlotToWords(slot, words);
  }

  /**
   * These creators in (score DESC, id DESC) order, after `from` when given; ids the pass did not score
   * (unknown, or left out by its filter) are skipped.
   */
  rankedAmong(pass: ScorePass, ids: string[], from: RankPosition | null): number[] {
    const score = pass.scores;
    const fromWords = from ? uuidWords(from.id) : null;
    const slots: number[] = [];
    for (const id of ids) {
      const i = this.slotOf(id);
      if (i === -1 || !pass.includes(i)) continue;
      if (!from || score[i] < from.score || (score[i] === from.score && this.compareSlotToWords(i, fromWords!) < 0)) slots.push(i);
    }
    return slots.sort((a, b) => score[b] - score[a] || this.compareSlotTo(b, a));
  }

  /** What scoring needs of a slot's countries and interests, read from the inverted lists. */
  private listEntry(slot: number, t: PreparedTarget): Pick<OverlayEntry, 'countries' | 'interests'> {
    const countries = new Map<string, number>();
    for (const code of t.countries) {
      const column = this.countryColumns.get(code);
      if (column) {
        if (column[slot] > 0) countries.set(code, column[slot]);
        continue;
      }
      const list = this.countryLists.get(code);
      const at = list ? positionIn(list.slots, slot) : -1;
      if (at >= 0) countries.set(code, list!.shares[at]);
    }
    const interests = new Set(
      t.interests.filter((i) => {
        const bit = this.interestBits.get(i);
        return bit !== undefined ? (this.interestMask[slot] & (1 << bit)) !== 0 : positionIn(this.interestLists.get(i), slot) >= 0;
      }),
    );
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

  /** The bits of these interests that are kept as bits. */
  private bitsOf(interests: readonly string[]): number {
    let bits = 0;
    for (const interest of interests) {
      const bit = this.interestBits.get(interest);
      if (bit !== undefined) bits |= 1 << bit;
    }
    return bits;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.ids = widened(this.ids, capacity * 4);
    this.ageColumns = this.ageColumns.map((column) => widened(column, capacity));
    this.genderColumns = this.genderColumns.map((column) => widened(column, capacity));
    this.platforms = widened(this.platforms, capacity);
    this.followers = widened(this.followers, capacity);
    for (const [code, column] of this.countryColumns) this.countryColumns.set(code, widened(column, capacity));
    this.interestMask = widened(this.interestMask, capacity);
    this.inOverlay = widened(this.inOverlay, capacity);
    this.capacity = capacity;
  }
}

/** A copy of a typed array in a longer one of the same type. */
function widened<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
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
  const factors: Factors = {
    ages: w.ages / SHARE_UNITS,
    genders: w.genders / SHARE_UNITS,
    countries: w.countries / SHARE_UNITS,
    interests: interests.length ? w.interests / interests.length : 0,
    platforms: w.platforms,
    scale: 100 / total,
  };
  return { ages, genders, countries, interests, platformMask: platformMask(target.platforms ?? []), hasPlatforms, factors };
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
 * the double operations matters; each part's weight over its units is one precomputed factor), for the given slots (null: slots 0 to size − 1). A plain function
 * with plain arguments: V8 keeps this loop, the hottest of search, monomorphic.
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
class TopPicker {
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];
  private readonly fromScore: number;
  private readonly fromWords: number[] | null;

  constructor(
    private readonly index: AudienceIndex,
    private readonly k: number,
    from: RankPosition | null,
  ) {
    this.fromScore = from ? from.score : Infinity;
    this.fromWords = from ? uuidWords(from.id) : null;
  }

  offer(slot: number, s: number): void {
    const { slots, scores, k } = this;
    if (s > this.fromScore || (s === this.fromScore && this.index.compareIdWith(slot, this.fromWords!) >= 0)) return;
    if (slots.length === k) {
      const last = scores[k - 1];
      if (s < last || (s === last && this.index.compareIds(slot, slots[k - 1]) < 0)) return;
      slots.pop();
      scores.pop();
    }
    // Insert in order: k is a page, so a step back from the end is short.
    let at = slots.length;
    while (at > 0 && (scores[at - 1] < s || (scores[at - 1] === s && this.index.compareIds(slots[at - 1], slot) < 0))) at--;
    slots.splice(at, 0, slot);
    scores.splice(at, 0, s);
  }

  result(): { slot: number; score: number }[] {
    return this.slots.map((slot, j) => ({ slot, score: this.scores[j] }));
  }
}

/** Marks of `select`: 1 is selected; these are not. */
const UNSEEN = 0;
const SEEN = 2;

/** The platform and follower part of a CandidateFilter, for one slot at a time. */
class SlotTest {
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

/** Zeroes the given slots (null: slots 0 to size − 1). */
function clear(values: Uint32Array | Uint8Array, size: number, slots: Int32Array | null): void {
  if (slots === null) values.fill(0, 0, size);
  else for (let k = 0; k < size; k++) values[slots[k]] = 0;
}

/** Adds a country list's shares to the sums of its slots. */
function addListed(list: CountryList | undefined, sums: Uint32Array): void {
  if (!list) return;
  const { slots, shares } = list;
  if (slots instanceof Uint16Array) {
    for (let j = 0, slot = 0; j < slots.length; j++) sums[(slot += slots[j])] += shares[j];
  } else {
    for (let j = 0; j < slots.length; j++) sums[slots[j]] += shares[j];
  }
}

/** Adds one to the counter of every slot on a list. */
function countListed(list: SlotList | undefined, counters: Uint8Array): void {
  if (!list) return;
  if (list instanceof Uint16Array) {
    for (let j = 0, slot = 0; j < list.length; j++) counters[(slot += list[j])]++;
  } else {
    for (let j = 0; j < list.length; j++) counters[list[j]]++;
  }
}

function appendSlot(pending: Map<string, GrowableArray<Uint32Array>>, key: string, slot: number): void {
  let list = pending.get(key);
  if (!list) pending.set(key, (list = new GrowableArray(Uint32Array)));
  list.push(slot);
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

/** How many of `wanted` the set holds. */
function countIn(set: Set<string>, wanted: readonly string[]): number {
  let matched = 0;
  for (const w of wanted) if (set.has(w)) matched++;
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
  length = 0;

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

  forEach(visit: (value: number, index: number) => void): void {
    for (let i = 0; i < this.length; i++) visit(this.chunks[Math.floor(i / GrowableArray.CHUNK)][i % GrowableArray.CHUNK], i);
  }

  at(index: number): number {
    return this.chunks[Math.floor(index / GrowableArray.CHUNK)][index % GrowableArray.CHUNK];
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
