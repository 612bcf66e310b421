import { ConfigError } from '@influenceflow/kit';
import { z } from 'zod';

/** What the payments service reads beyond every subgraph's configuration (docs/configuration.md, "Payments"). */
export interface PaymentsSettings {
  /** PAYMENTS_PLATFORM_FEE_BP: the platform's fee on each accrual, in basis points, charged to the escrow on top (default 0). */
  platformFeeBasisPoints: number;
}

const schema = z.object({
  PAYMENTS_PLATFORM_FEE_BP: z.coerce.number().int().min(0).max(5_000).default(0),
});

/** The payments settings from the environment; a bad value stops the service with one message per variable. */
export function paymentsSettings(env: NodeJS.ProcessEnv = process.env): PaymentsSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      'payments',
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return { variable, problem: issue.message, got: cleaned[variable] };
      }),
    );
  }
  return { platformFeeBasisPoints: result.data.PAYMENTS_PLATFORM_FEE_BP };
}
