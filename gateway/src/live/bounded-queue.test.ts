import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('hands events over in order while the reader keeps up', async () => {
    const q = new BoundedQueue<number>(3);
    q.push(1);
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, missedBefore: 0 });
    expect(await q.next()).toEqual({ value: 2, missedBefore: 0 });
    const waiting = q.next();
    q.push(3);
    expect(await waiting).toEqual({ value: 3, missedBefore: 0 });
  });

  it('drops the oldest when full and tells the next read how many it missed, once', async () => {
    const q = new BoundedQueue<number>(2);
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.size).toBe(2);
    expect(await q.next()).toEqual({ value: 4, missedBefore: 3 });
    expect(await q.next()).toEqual({ value: 5, missedBefore: 0 });
  });

  it('ends a waiting read on close and takes nothing after', async () => {
    const q = new BoundedQueue<number>(2);
    const waiting = q.next();
    q.close();
    expect(await waiting).toBeNull();
    q.push(1);
    expect(await q.next()).toBeNull();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });
});
