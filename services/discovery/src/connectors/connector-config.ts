import type { OwnConfig, ServiceConfig } from '@influenceflow/kit';
import { z } from 'zod';

/*
 * Discovery's own variables (docs/configuration.md, "Platform connectors"): the operator's OAuth client per
 * platform, the API addresses (configuration, so tests point them at local servers), the key tokens are
 * encrypted with, and the refresh schedule. A platform without both client id and secret is not offered.
 */

/** The development key (32 zero-free bytes, base64). Production refuses it while any platform is offered. */
export const DEV_TOKEN_KEY = Buffer.from('influenceflow-dev-token-key-0001').toString('base64');

const url = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');
const key = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v),
    'must be 32 bytes in base64 (openssl rand -base64 32)',
  );

const variables = z.object({
  CONNECTOR_TOKEN_KEY: key.default(DEV_TOKEN_KEY),
  CONNECT_REDIRECT_URL: url.optional(),
  CONNECTOR_REFRESH_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(21_600),
  CONNECTOR_POLL_MS: z.coerce.number().int().min(20).max(3_600_000).default(60_000),
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  YOUTUBE_CLIENT_ID: z.string().min(1).optional(),
  YOUTUBE_CLIENT_SECRET: z.string().min(1).optional(),
  YOUTUBE_AUTH_URL: url.default('https://accounts.google.com/o/oauth2/v2/auth'),
  YOUTUBE_TOKEN_URL: url.default('https://oauth2.googleapis.com/token'),
  YOUTUBE_API_URL: url.default('https://www.googleapis.com/youtube/v3'),
  INSTAGRAM_CLIENT_ID: z.string().min(1).optional(),
  INSTAGRAM_CLIENT_SECRET: z.string().min(1).optional(),
  INSTAGRAM_AUTH_URL: url.default('https://www.facebook.com/v21.0/dialog/oauth'),
  INSTAGRAM_GRAPH_URL: url.default('https://graph.facebook.com/v21.0'),
});

/** The names of discovery's own variables (docs and the docker-compose check list them). */
export const CONNECTOR_VARIABLES = Object.keys(variables.shape);

export const connectorSchema = variables.superRefine((v, ctx) => {
  for (const p of ['YOUTUBE', 'INSTAGRAM'] as const) {
    const id = v[`${p}_CLIENT_ID`];
    const secret = v[`${p}_CLIENT_SECRET`];
    if (!!id !== !!secret) {
      ctx.addIssue({
        code: 'custom',
        path: [id ? `${p}_CLIENT_SECRET` : `${p}_CLIENT_ID`],
        message: `set both ${p}_CLIENT_ID and ${p}_CLIENT_SECRET, or neither`,
      });
    }
    if (id && secret && !v.CONNECT_REDIRECT_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECT_REDIRECT_URL'],
        message: `is needed when ${p}_CLIENT_ID is set: the page platforms send creators back to`,
      });
    }
  }
});

export type ConnectorVariables = z.infer<typeof connectorSchema>;

/** One platform's OAuth client and API addresses. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface ConnectorSettings {
  tokenKey: Buffer;
  refreshIntervalMs: number;
  pollMs: number;
  timeoutMs: number;
  youtube: (OAuthClient & { authUrl: string; tokenUrl: string; apiUrl: string }) | null;
  instagram: (OAuthClient & { authUrl: string; graphUrl: string }) | null;
}

function offered(v: ConnectorVariables): boolean {
  return !!(v.YOUTUBE_CLIENT_ID || v.INSTAGRAM_CLIENT_ID);
}

/** Loaded with the kit's variables (main.ts): one message names every problem. */
export const CONNECTOR_CONFIG: OwnConfig<ConnectorVariables> = {
  schema: connectorSchema,
  productionProblems: (v) =>
    offered(v) && v.CONNECTOR_TOKEN_KEY === DEV_TOKEN_KEY
      ? [{ variable: 'CONNECTOR_TOKEN_KEY', problem: 'the development key must not be used in production: tokens are encrypted with it' }]
      : [],
};

/** The settings of these variables. */
export function connectorSettings(v: ConnectorVariables): ConnectorSettings {
  const redirectUri = v.CONNECT_REDIRECT_URL ?? '';
  return {
    tokenKey: Buffer.from(v.CONNECTOR_TOKEN_KEY, 'base64'),
    refreshIntervalMs: v.CONNECTOR_REFRESH_INTERVAL_SECONDS * 1000,
    pollMs: v.CONNECTOR_POLL_MS,
    timeoutMs: v.CONNECTOR_TIMEOUT_MS,
    youtube:
      v.YOUTUBE_CLIENT_ID && v.YOUTUBE_CLIENT_SECRET
        ? {
            clientId: v.YOUTUBE_CLIENT_ID,
            clientSecret: v.YOUTUBE_CLIENT_SECRET,
            redirectUri,
            authUrl: v.YOUTUBE_AUTH_URL,
            tokenUrl: v.YOUTUBE_TOKEN_URL,
            apiUrl: v.YOUTUBE_API_URL,
          }
        : null,
    instagram:
      v.INSTAGRAM_CLIENT_ID && v.INSTAGRAM_CLIENT_SECRET
        ? {
            clientId: v.INSTAGRAM_CLIENT_ID,
            clientSecret: v.INSTAGRAM_CLIENT_SECRET,
            redirectUri,
            authUrl: v.INSTAGRAM_AUTH_URL,
            graphUrl: v.INSTAGRAM_GRAPH_URL,
          }
        : null,
  };
}

/**
 * The connector settings of a subgraph's config: those main.ts loaded, else the defaults (no platform
 * offered). Production refuses the development key here too, for configs built without the loader.
 */
export function connectorSettingsOf(config: ServiceConfig): ConnectorSettings {
  const variables = (config.settings as ConnectorVariables | undefined) ?? connectorSchema.parse({});
  const problems = config.nodeEnv === 'production' ? CONNECTOR_CONFIG.productionProblems!(variables) : [];
  if (problems.length > 0) throw new Error(`Invalid configuration for discovery: ${problems[0].variable}: ${problems[0].problem}`);
  return connectorSettings(variables);
}
