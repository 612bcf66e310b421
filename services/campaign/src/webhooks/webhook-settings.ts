import { ConfigError } from '@influenceflow/kit';
import { z } from 'zod';

/** The development key (32 bytes, base64). Production refuses it: every endpoint's secret is sealed with it. */
export const DEV_WEBHOOK_SECRET_KEY = Buffer.from('influenceflow-dev-webhooks-key-1').toString('base64');

/** What the webhook deliverer reads (docs/configuration.md, "Webhooks"). */
export interface WebhookSettings {
  /** WEBHOOK_DELIVERY: whether this process runs the deliverer (its Kafka consumer and its worker). */
  delivery: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: http:// and private, loopback and link-local destinations allowed. */
  allowPrivateDestinations: boolean;
  /** WEBHOOK_SECRET_KEY: the key endpoint secrets are sealed with at rest. */
  secretKey: Buffer;
  /** WEBHOOK_TIMEOUT_MS: how long an attempt may take, connecting and answering. */
  timeoutMs: number;
  /** WEBHOOK_POLL_MS: how often the worker looks for due deliveries when it has nothing to do. */
  pollMs: number;
  /** WEBHOOK_CONCURRENCY: attempts in flight at once per process. */
  concurrency: number;
}

const flag = z.enum(['on', 'off', 'true', 'false']).transform((v) => v === 'on' || v === 'true');

const schema = z.object({
  NODE_ENV: z.string().optional(),
  WEBHOOK_DELIVERY: flag.default('on'),
  WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: flag.default('false'),
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    )
    .default(DEV_WEBHOOK_SECRET_KEY),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(60_000).default(10_000),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
});

/** The webhook settings from the environment; a bad value stops the service with one message per variable. */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      'campaign',
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return { variable, problem: issue.message, got: variable === 'WEBHOOK_SECRET_KEY' ? '(hidden)' : cleaned[variable] };
      }),
    );
  }
  const v = result.data;
  if (v.NODE_ENV === 'production' && v.WEBHOOK_SECRET_KEY === DEV_WEBHOOK_SECRET_KEY) {
    throw new ConfigError('campaign', [
      {
        variable: 'WEBHOOK_SECRET_KEY',
        problem: "the development key must not be used in production: webhook endpoints' secrets are sealed with it",
      },
    ]);
  }
  return {
    delivery: v.WEBHOOK_DELIVERY,
    allowPrivateDestinations: v.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
    secretKey: Buffer.from(v.WEBHOOK_SECRET_KEY, 'base64'),
    timeoutMs: v.WEBHOOK_TIMEOUT_MS,
    pollMs: v.WEBHOOK_POLL_MS,
    concurrency: v.WEBHOOK_CONCURRENCY,
  };
}
