/**
 * The audience index's inverted lists (audience-index.store.ts): ascending slots stored as 16-bit gaps when
 * every gap fits, else as the slots, with the helpers that walk them, and the chunked arrays they are
 * built in. Plain functions over typed arrays: they sit in the hottest loops of search.
 */

/** An inverted list's ascending slots: 16-bit gaps from 0 when every gap fits, else the slots themselves. */
export type SlotList = Uint16Array | Uint32Array;
/** A country's list: its slots, and each one's share (in SHARE_UNITS). */
export type CountryList = { slots: SlotList; shares: Uint16Array };

/** Zeroes the given slots (null: slots 0 to size − 1). */
export function clear(values: Uint32Array | Uint8Array, size: number, slots: Int32Array | null): void {
  if (slots === null) values.fill(0, 0, size);
  else for (let k = 0; k < size; k++) values[slots[k]] = 0;
}

/** Adds a country list's shares to the sums of its slots. */
export function addListed(list: CountryList | undefined, sums: Uint32Array): void {
  if (!list) return;
  const { slots, shares } = list;
  if (slots instanceof Uint16Array) {
    for (let j = 0, slot = 0; j < slots.length; j++) sums[(slot += slots[j])] += shares[j];
  } else {
    for (let j = 0; j < slots.length; j++) sums[slots[j]] += shares[j];
  }
}

/** Adds one to the counter of every slot on a list. */
export function countListed(list: SlotList | undefined, counters: Uint8Array): void {
  if (!list) return;
  if (list instanceof Uint16Array) {
    for (let j = 0, slot = 0; j < list.length; j++) counters[(slot += list[j])]++;
  } else {
    for (let j = 0; j < list.length; j++) counters[list[j]]++;
  }
}

export function appendSlot(pending: Map<string, GrowableArray<Uint32Array>>, key: string, slot: number): void {
  let list = pending.get(key);
  if (!list) pending.set(key, (list = new GrowableArray(Uint32Array)));
  list.push(slot);
}

/** Where `slot` is in a list (-1 if absent): a scan of the gaps, or a binary search of the slots. */
export function positionIn(list: SlotList | undefined, slot: number): number {
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

/** A copy of a typed array in a longer one of the same type. */
export function widened<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * An append-only typed array kept in fixed chunks (for building the inverted lists). Not a doubling
 * array: each buffer a doubling array frees raises glibc's mmap threshold to its size, after which
 * allocations below it come from heap arenas that never shrink, and a load left ~70 MB behind.
 */
export class GrowableArray<T extends Uint32Array | Uint16Array> {
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
