/**
 * The audience index's storage: every creator's audience as compact typed arrays, kept current by
 * `upsert` (audience-index.ts puts filtering and scoring on top of it).
 *
 * Layout (≈ 75 bytes a creator at a million; shares as integers in 1/65,535ths, each within 0.0000077):
 *  - one Uint16Array per age bucket and per gender (shares, 0 where unknown), a Uint16 platform mask,
 *    followers as Uint32, the id as four Uint32 words (uuid byte order, so ties sort as PostgreSQL sorts
 *    uuids);
 *  - countries, interests and niches as inverted lists (country → slots and shares, interest or niche →
 *    slots), built once, the ascending slots stored as 16-bit gaps when they fit (audience-index.lists.ts);
 *  - the commonest instead as columns, read only for the creators being scored and kept current in place:
 *    a country on a quarter of the audiences or more (the US) as a column of shares, and up to 32
 *    interests on a sixteenth or more as bits of one Uint32 column;
 *  - creators that changed (or arrived) since the lists were built keep their countries, interests and
 *    niches in an overlay that scoring and filtering apply after the lists (columns need none). The owner
 *    rebuilds the index when the overlay grows.
 *
 * The fields are read by the filtering and scoring modules (audience-index.filter.ts, .score.ts,
 * .rank.ts) and written only here.
 */
import { normaliseInterest } from '../rules/audience-match';
import { AGE_BUCKETS, GENDERS, Platform, PLATFORMS } from '../rules/types';
import { appendSlot, CountryList, GrowableArray, SlotList, widened } from './audience-index.lists';

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

export interface OverlayEntry {
  /** Shares in SHARE_UNITS. */
  countries: Map<string, number>;
  interests: Set<string>;
  niches: Set<string>;
}

/** Shares are held as integers in 1/65,535ths: half the memory of float32, and sums that are exact. */
export const SHARE_UNITS = 65_535;
const toUnits = (share: number) => Math.round(Math.min(1, Math.max(0, share)) * SHARE_UNITS);

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
export function uuidWords(id: string): [number, number, number, number] {
  const hex = id.replace(/-/g, '');
  if (hex.length !== 32) throw new Error(`not a uuid: ${id}`);
  return [0, 8, 16, 24].map((i) => parseInt(hex.slice(i, i + 8), 16)) as [number, number, number, number];
}

function wordsToUuid(w: Uint32Array, at: number): string {
  const hex = [0, 1, 2, 3].map((k) => w[at + k].toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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

export class AudienceStore {
  capacity: number;
  count = 0;
  /** Slots [0, sortedCount) were added in ascending id order and are found by binary search. */
  private sortedCount = 0;
  private readonly unsorted = new Map<string, number>();
  ids: Uint32Array;
  ageColumns: Uint16Array[];
  genderColumns: Uint16Array[];
  platforms: Uint16Array;
  followers: Uint32Array;
  countryLists = new Map<string, CountryList>();
  countryColumns = new Map<string, Uint16Array>();
  interestLists = new Map<string, SlotList>();
  interestBits = new Map<string, number>();
  interestMask: Uint32Array;
  nicheLists = new Map<string, SlotList>();
  readonly overlay = new Map<number, OverlayEntry>();
  /** 1 for the slots in the overlay, so list walks can skip their stale entries without a map lookup. */
  inOverlay: Uint8Array;
  private sealed = false;
  /** Goes up with every change: a pass scored at one version is stale at another. */
  version = 0;
  /** Filled while adding in bulk, turned into the inverted lists by `seal`. */
  private pendingCountries: Map<string, { slots: GrowableArray<Uint32Array>; shares: GrowableArray<Uint16Array> }> | null = new Map();
  private pendingInterests: Map<string, GrowableArray<Uint32Array>> | null = new Map();
  private pendingNiches: Map<string, GrowableArray<Uint32Array>> | null = new Map();

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

  /** A store (or an index) from the arrays `toParts` gave, in another process. */
  static fromParts<T extends AudienceStore>(this: new (expected?: number) => T, parts: AudienceIndexParts): T {
    const index = new this(1);
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

  slotOf(id: string): number {
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

  compareSlotToWords(slot: number, words: ArrayLike<number>): number {
    for (let k = 0; k < 4; k++) {
      const d = this.ids[slot * 4 + k] - words[k];
      if (d !== 0) return d;
    }
    return 0;
  }

  compareSlotTo(a: number, b: number): number {
    return this.compareSlotToWords(a, this.ids.subarray(b * 4, b * 4 + 4));
  }

  /** The bits of these interests that are kept as bits. */
  bitsOf(interests: readonly string[]): number {
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
