/**
 * A subscription's pending events, at most `capacity`: when a client reads slower than events come, the
 * oldest are dropped and counted, and the next event it gets says how many it missed (`missedBefore`).
 * A slow client thus costs bounded memory and never holds up the others (docs/live-events.md).
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private dropped = 0;
  private waiting: ((item: { value: T; missedBefore: number } | null) => void) | null = null;
  private closed = false;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake(this.take(item));
      return;
    }
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
  }

  /** The next event and how many were dropped before it; null once closed. */
  next(): Promise<{ value: T; missedBefore: number } | null> {
    const head = this.items.shift();
    if (head !== undefined) return Promise.resolve(this.take(head));
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    this.closed = true;
    this.items.length = 0;
    const wake = this.waiting;
    this.waiting = null;
    wake?.(null);
  }

  private take(value: T): { value: T; missedBefore: number } {
    const missedBefore = this.dropped;
    this.dropped = 0;
    return { value, missedBefore };
  }
}
