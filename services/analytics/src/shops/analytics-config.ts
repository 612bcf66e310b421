import type { OwnConfig, ServiceConfig } from '@influenceflow/kit';
import { z } from 'zod';

/*
 * Analytics's own variables (docs/configuration.md, "Analytics"): the key shops' webhook signing secrets
 * are sealed with at rest (the kit's SecretCipher).
 */

/** The development key (32 bytes, base64). Production refuses it: every shop's secret is sealed with it. */
export const DEV_ANALYTICS_SECRET_KEY = Buffer.from('influenceflow-dev-analytics-key1').toString('base64');

const variables = z.object({
  ANALYTICS_SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    )
    .default(DEV_ANALYTICS_SECRET_KEY),
});

/** The names of analytics's own variables (docs and the docker-compose check list them). */
export const ANALYTICS_VARIABLES = Object.keys(variables.shape);

export type AnalyticsVariables = z.infer<typeof variables>;

/** Loaded with the kit's variables (main.ts): one message names every problem. */
export const ANALYTICS_CONFIG: OwnConfig<AnalyticsVariables> = {
  schema: variables,
  productionProblems: (v) =>
    v.ANALYTICS_SECRET_KEY === DEV_ANALYTICS_SECRET_KEY
      ? [
          {
            variable: 'ANALYTICS_SECRET_KEY',
            problem: "the development key must not be used in production: shops' webhook secrets are sealed with it",
          },
        ]
      : [],
};

export interface AnalyticsSettings {
  secretKey: Buffer;
}

/**
 * The settings of a subgraph's config: those main.ts loaded, else the defaults. Production refuses the
 * development key here too, for configs built without the loader.
 */
export function analyticsSettingsOf(config: ServiceConfig): AnalyticsSettings {
  const values = (config.settings as AnalyticsVariables | undefined) ?? variables.parse({});
  const problems = config.nodeEnv === 'production' ? ANALYTICS_CONFIG.productionProblems!(values) : [];
  if (problems.length > 0) throw new Error(`Invalid configuration for analytics: ${problems[0].variable}: ${problems[0].problem}`);
  return { secretKey: Buffer.from(values.ANALYTICS_SECRET_KEY, 'base64') };
}
