/**
 * When a failed delivery is tried again: the Standard Webhooks specification's schedule after the first
 * attempt — 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (about three days in all) — each delay
 * with up to ±10 % jitter, so that the retries of many deliveries failing together (an endpoint that came
 * back) do not all arrive in the same second.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
];

/** The jitter's share of each delay, either way. */
export const RETRY_JITTER = 0.1;

/** Attempts of one delivery at most: the first and one per delay of the schedule. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * The delay before the attempt after attempt number `attempt` (1 = the first) failed; null when that
 * was the last one. `random` returns a number in [0, 1) (tests pass their own).
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return null;
  const factor = 1 + RETRY_JITTER * (2 * random() - 1);
  return Math.round(base * factor);
}
