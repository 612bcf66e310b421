import { retryDelayMs } from './backoff';

const policy = { baseMs: 1000, factor: 2, maxDelayMs: 10_000, maxAttempts: 5 };

describe('retryDelayMs', () => {
  it('doubles from the base, half fixed and half random', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(2, policy, () => 0)).toBe(1000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(3000);
  });

  it('is capped at maxDelayMs', () => {
    expect(retryDelayMs(4, { ...policy, maxDelayMs: 5000 }, () => 0.999999)).toBe(5000);
    expect(retryDelayMs(4, { ...policy, maxDelayMs: 5000 }, () => 0)).toBe(2500);
  });

  it('says null after the last attempt', () => {
    expect(retryDelayMs(4, policy)).not.toBeNull();
    expect(retryDelayMs(5, policy)).toBeNull();
    expect(retryDelayMs(9, policy)).toBeNull();
    expect(retryDelayMs(1, { ...policy, maxAttempts: 1 })).toBeNull();
  });

  it('never comes early, whatever the random draw', () => {
    for (let n = 1; n < policy.maxAttempts; n++) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (n - 1));
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const d = retryDelayMs(n, policy, () => r)!;
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('refuses an attempt number that is not a positive integer', () => {
    expect(() => retryDelayMs(0, policy)).toThrow();
    expect(() => retryDelayMs(1.5, policy)).toThrow();
  });
});
