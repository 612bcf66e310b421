import { ConfigError } from '@influenceflow/kit';
import { z } from 'zod';
import type { RetryPolicy } from './backoff';

/** The providers a payout can go through (docs/payments.md, "Providers"). */
export const PROVIDER_NAMES = ['simulated', 'manual'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** What payouts read beyond every subgraph's configuration (docs/configuration.md, "Payments"). */
export interface PayoutSettings {
  /** PAYMENTS_PROVIDER: the provider new payouts go through. */
  provider: ProviderName;
  /** PAYMENTS_SIMULATED_LATENCY_MS: how long the simulated provider takes to answer. */
  simulatedLatencyMs: number;
  /** PAYMENTS_SIMULATED_FAILURE_RATE: the share (0–1) of the simulated provider's calls that fail (retryable). */
  simulatedFailureRate: number;
  /** PAYMENTS_RETRY_*: how failed attempts are retried. */
  retry: RetryPolicy;
  /** PAYMENTS_PAYOUT_POLL_MS: how often the payout worker looks for work (it is also woken after each commit). */
  pollMs: number;
  /** PAYMENTS_SENDING_TIMEOUT_MS: an attempt claimed longer ago than this without an outcome is reconciled. */
  sendingTimeoutMs: number;
  /** PAYMENTS_IDEMPOTENCY_TTL_HOURS: how long an idempotency key is kept (at least 24 h). */
  idempotencyTtlHours: number;
}

const schema = z.object({
  PAYMENTS_PROVIDER: z.enum(PROVIDER_NAMES).optional(),
  PAYMENTS_SIMULATED_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  PAYMENTS_SIMULATED_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  PAYMENTS_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(30_000),
  PAYMENTS_RETRY_FACTOR: z.coerce.number().min(1).max(10).default(2),
  PAYMENTS_RETRY_MAX_DELAY_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400_000)
    .default(3_600_000),
  PAYMENTS_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  PAYMENTS_PAYOUT_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  PAYMENTS_SENDING_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  PAYMENTS_IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(24),
});

/**
 * The payout settings from the environment; a bad value stops the service with one message per variable.
 * Production must name its provider (the simulated one pays nobody); development defaults to simulated.
 */
export function payoutSettings(env: NodeJS.ProcessEnv = process.env): PayoutSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return { variable, problem: issue.message, got: cleaned[variable] };
      });
  const production = env.NODE_ENV === 'production';
  if (result.success && production && result.data.PAYMENTS_PROVIDER !== 'manual') {
    problems.push({
      variable: 'PAYMENTS_PROVIDER',
      problem: 'production pays through the manual provider: the simulated one sends no money',
      got: cleaned.PAYMENTS_PROVIDER,
    });
  }
  if (problems.length > 0 || !result.success) throw new ConfigError('payments', problems);
  const v = result.data;
  return {
    provider: v.PAYMENTS_PROVIDER ?? 'simulated',
    simulatedLatencyMs: v.PAYMENTS_SIMULATED_LATENCY_MS,
    simulatedFailureRate: v.PAYMENTS_SIMULATED_FAILURE_RATE,
    retry: {
      baseMs: v.PAYMENTS_RETRY_BASE_MS,
      factor: v.PAYMENTS_RETRY_FACTOR,
      maxDelayMs: v.PAYMENTS_RETRY_MAX_DELAY_MS,
      maxAttempts: v.PAYMENTS_RETRY_MAX_ATTEMPTS,
    },
    pollMs: v.PAYMENTS_PAYOUT_POLL_MS,
    sendingTimeoutMs: v.PAYMENTS_SENDING_TIMEOUT_MS,
    idempotencyTtlHours: v.PAYMENTS_IDEMPOTENCY_TTL_HOURS,
  };
}
