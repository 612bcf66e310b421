import { MAX_ATTEMPTS, RETRY_DELAYS_MS, RETRY_JITTER, retryDelayMs } from './webhook-schedule';

describe('the retry schedule', () => {
  it("is the specification's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, about three days", () => {
    expect(RETRY_DELAYS_MS).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5]);
    expect(MAX_ATTEMPTS).toBe(10);
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 86_400_000).toBeGreaterThan(3);
    expect(total / 86_400_000).toBeLessThan(3.5);
  });

  it('adds at most ±10 % jitter to each delay, and no retry after the last', () => {
    RETRY_DELAYS_MS.forEach((base, i) => {
      expect(retryDelayMs(i + 1, () => 0.5)).toBe(base);
      expect(retryDelayMs(i + 1, () => 0)).toBe(Math.round(base * (1 - RETRY_JITTER)));
      expect(retryDelayMs(i + 1, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * (1 + RETRY_JITTER)));
      expect(retryDelayMs(i + 1, () => 0.999999)).toBeGreaterThan(base);
      for (let n = 0; n < 50; n++) {
        const d = retryDelayMs(i + 1)!;
        expect(d).toBeGreaterThanOrEqual(base * 0.9 - 1);
        expect(d).toBeLessThanOrEqual(base * 1.1 + 1);
      }
    });
    expect(retryDelayMs(MAX_ATTEMPTS)).toBeNull();
    expect(retryDelayMs(0)).toBeNull();
  });
});
