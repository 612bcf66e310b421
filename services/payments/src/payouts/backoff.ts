/** How failed payout attempts are retried (PAYMENTS_RETRY_*). */
export interface RetryPolicy {
  /** The delay before the second attempt. */
  baseMs: number;
  /** Each further delay is this many times the previous one. */
  factor: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /** Attempts in all, the first included; after the last one fails the payout stays FAILED (final). */
  maxAttempts: number;
}

/**
 * The delay before attempt `failedAttempt + 1`, or null when `failedAttempt` was the last one:
 * exponential (base × factor^(n−1), capped at maxDelayMs) with "equal jitter" — half of it fixed, the
 * other half random — so retries of many payouts failing together spread out but never come early.
 * `random` returns a number in [0, 1) (Math.random; tests pass their own).
 */
export function retryDelayMs(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) throw new Error(`attempt must be a positive integer, got ${failedAttempt}`);
  if (failedAttempt >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * policy.factor ** (failedAttempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
