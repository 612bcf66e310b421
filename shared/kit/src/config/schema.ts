import { z } from 'zod';
import { trustedProxiesProblem } from '../network/client-address';

/** The five subgraphs, in the order the gateway lists them. */
export const SERVICE_NAMES = ['discovery', 'campaign', 'contracts', 'payments', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default ports; the docker-compose file and the scripts use the same. */
export const DEFAULT_PORTS: Record<ServiceName | 'gateway', number> = {
  gateway: 4000,
  discovery: 4001,
  campaign: 4002,
  contracts: 4003,
  payments: 4004,
  analytics: 4005,
};

export const DEV_SIGNING_SECRET = 'influenceflow-dev-gateway-secret-change-me';

export function envPrefix(service: ServiceName): string {
  return service.toUpperCase();
}

export function defaultDatabaseUrl(service: ServiceName): string {
  return `postgres://postgres@127.0.0.1:5432/influenceflow_${service}`;
}

const port = z.coerce.number().int().min(0).max(65535);
const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');
const brokerList = z
  .string()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((b) => /^[\w.-]+:\d+$/.test(b)), 'must be host:port[,host:port...]');

/** "true"/"false" (also 1/0, on/off, yes/no). */
export const booleanFlag = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

/** Variables every process reads. */
export const commonSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAFKA_BROKERS: brokerList.default('127.0.0.1:9092'),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"')
    .default(''),
  /** 127.0.0.1 keeps services off the network on a developer machine; containers use 0.0.0.0. */
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SIGNING_SECRET),
});

/** The proxies whose X-Forwarded-For is believed (see clientAddressResolver); empty = trust nobody. */
const trustedProxies = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .superRefine((list, ctx) => {
    const problem = trustedProxiesProblem(list);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/** Variables of one subgraph; `<SERVICE>_` is the service's prefix, e.g. `CAMPAIGN_PORT`. */
export function serviceSchema(service: ServiceName) {
  const p = envPrefix(service);
  return commonSchema.extend({
    [`${p}_PORT`]: port.default(DEFAULT_PORTS[service]),
    [`${p}_DATABASE_URL`]: postgresUrl.default(defaultDatabaseUrl(service)),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    /** The public origin (and optional path prefix) links are handed out under: http(s), nothing after the path. */
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .refine((v) => {
        const url = new URL(v);
        return /^https?:$/.test(url.protocol) && !url.username && !url.password && !url.search && !url.hash;
      }, 'must be an http(s) URL without user name, password, query or fragment, e.g. https://go.example.com')
      .optional(),
    /** Links users set (landing pages, brand websites) may name a public IP address instead of a domain. */
    LINK_ALLOW_IP_HOSTS: booleanFlag.default('false'),
    TRUSTED_PROXIES: trustedProxies,
  });
}

/** How long the gateway waits for a subgraph's answer, in ms. */
const subgraphTimeoutMs = z.coerce.number().int().min(100).max(120_000);

/** `<SERVICE>_SUBGRAPH_TIMEOUT_MS`: the gateway's timeout for that one subgraph, in place of SUBGRAPH_TIMEOUT_MS. */
export function subgraphTimeoutVariable(service: ServiceName): `${Uppercase<ServiceName>}_SUBGRAPH_TIMEOUT_MS` {
  return `${envPrefix(service) as Uppercase<ServiceName>}_SUBGRAPH_TIMEOUT_MS`;
}

const perSubgraphTimeouts = Object.fromEntries(
  SERVICE_NAMES.map((s) => [subgraphTimeoutVariable(s), subgraphTimeoutMs.optional()]),
) as Record<ReturnType<typeof subgraphTimeoutVariable>, z.ZodOptional<typeof subgraphTimeoutMs>>;

/** Variables of the gateway. */
export const gatewaySchema = commonSchema.extend({
  GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
  DISCOVERY_URL: z.string().url().default(`http://127.0.0.1:${DEFAULT_PORTS.discovery}/graphql`),
  CAMPAIGN_URL: z.string().url().default(`http://127.0.0.1:${DEFAULT_PORTS.campaign}/graphql`),
  CONTRACTS_URL: z.string().url().default(`http://127.0.0.1:${DEFAULT_PORTS.contracts}/graphql`),
  PAYMENTS_URL: z.string().url().default(`http://127.0.0.1:${DEFAULT_PORTS.payments}/graphql`),
  ANALYTICS_URL: z.string().url().default(`http://127.0.0.1:${DEFAULT_PORTS.analytics}/graphql`),
  /** Where the gateway fetches the keys that sign tokens; unset = the built-in development issuer. */
  JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).default('influenceflow-dev'),
  JWT_AUDIENCE: z.string().min(1).default('influenceflow'),
  DEV_ISSUER_KEY_DIR: z.string().min(1).default('.data/dev-issuer'),
  /** A JSON file of the headers GraphiQL opens with, read on each page load (the start command writes a demo token there). */
  GRAPHIQL_HEADERS_FILE: z.string().optional(),
  TRUSTED_OPERATIONS_FILE: z.string().min(1).optional(),
  SUBGRAPH_TIMEOUT_MS: subgraphTimeoutMs.default(10_000),
  ...perSubgraphTimeouts,
  GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** The ES256 (P-256) private key, PKCS#8 PEM, that signs partner access tokens (docs/partners.md); unset in production: partner tokens are off. */
  PARTNER_TOKEN_KEY_FILE: z.string().min(1).optional(),
  PARTNER_TOKEN_ISSUER: z.string().min(1).default('influenceflow-partners'),
  PARTNER_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  /** Token requests per minute per client address at POST /oauth/token. */
  PARTNER_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** The web dashboard's build (web/dist), served under /app/ when it holds an index.html (docs/web.md). */
  WEB_DIR: z.string().min(1).optional(),
  /** The OpenID Connect provider the dashboard signs in with in production (authorization code + PKCE). */
  WEB_OIDC_ISSUER: z.string().url().optional(),
  WEB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  WEB_OIDC_SCOPE: z.string().min(1).default('openid profile email'),
  /** Development only: a JSON file of the demo users the dashboard's sign-in page offers (the start command writes it). */
  DEV_USERS_FILE: z.string().min(1).optional(),
  /** Serve GraphiQL at / and GET /graphql (default: on in development, off in production). */
  GRAPHIQL_ENABLED: booleanFlag.optional(),
  /** The longest lifetime (exp − iat) a token may have; longer-lived tokens are refused. */
  /** The proxies in front of the gateway (the client address it signs to subgraphs). */
  TRUSTED_PROXIES: trustedProxies,
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
});

/** Every variable any process reads: docs and the docker-compose check use this list. */
export function allConfigVariables(): string[] {
  const names = new Set<string>(Object.keys(gatewaySchema.shape));
  for (const s of SERVICE_NAMES) for (const k of Object.keys(serviceSchema(s).shape)) names.add(k);
  return [...names].sort();
}
