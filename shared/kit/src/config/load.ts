import { z } from 'zod';
import { envPrefix, gatewaySchema, serviceSchema, ServiceName, DEV_SIGNING_SECRET, SERVICE_NAMES, subgraphTimeoutVariable } from './schema';

/** A configuration problem, reported as one readable message instead of a stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly process: string,
    readonly problems: { variable: string; problem: string; got?: string }[],
  ) {
    super(
      `Invalid configuration for ${process}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.problem}${p.got !== undefined ? ` (got "${p.got}")` : ''}`).join('\n') +
        `\nSet the variable in the environment (see docs/configuration.md) and start again.`,
    );
    this.name = 'ConfigError';
  }
}

/** What production refuses to start with: development conveniences that would open the platform. */
function productionProblems(processName: string, v: Record<string, unknown>): { variable: string; problem: string }[] {
  const problems: { variable: string; problem: string }[] = [];
  if (v.GATEWAY_SIGNING_SECRET === DEV_SIGNING_SECRET) {
    problems.push({ variable: 'GATEWAY_SIGNING_SECRET', problem: 'the development default must not be used in production' });
  }
  if (processName === 'gateway') {
    if (!v.JWKS_URL) {
      problems.push({
        variable: 'JWKS_URL',
        problem: "production needs your identity provider's key set (the development issuer is not trusted there)",
      });
    }
    if (v.GRAPHIQL_HEADERS_FILE) {
      problems.push({ variable: 'GRAPHIQL_HEADERS_FILE', problem: 'must not be set in production: it puts a token into a public page' });
    }
    if (v.DEV_USERS_FILE) {
      problems.push({ variable: 'DEV_USERS_FILE', problem: 'must not be set in production: the development sign-in hands out tokens' });
    }
    if (Boolean(v.WEB_OIDC_ISSUER) !== Boolean(v.WEB_OIDC_CLIENT_ID)) {
      problems.push({ variable: 'WEB_OIDC_CLIENT_ID', problem: 'WEB_OIDC_ISSUER and WEB_OIDC_CLIENT_ID are set together or not at all' });
    }
  }
  return problems;
}

function parseOrThrow<S extends z.ZodTypeAny>(processName: string, schema: S, env: NodeJS.ProcessEnv, own?: OwnConfig): z.infer<S> {
  // Empty strings mean "unset" so that `FOO= cmd` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problemsOf = (error: z.ZodError) =>
    error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '?');
      return { variable, problem: issue.message, got: cleaned[variable] };
    });
  const result = schema.safeParse(cleaned);
  const ownResult = own?.schema.safeParse(cleaned);
  const problems = [
    ...(result.success ? [] : problemsOf(result.error)),
    ...(ownResult && !ownResult.success ? problemsOf(ownResult.error) : []),
  ];
  if (problems.length > 0) throw new ConfigError(processName, problems);
  const parsed = result.data as { NODE_ENV: string; GATEWAY_SIGNING_SECRET: string };
  const ownValues = ownResult?.success ? ownResult.data : undefined;
  if (parsed.NODE_ENV === 'production') {
    const refused = [
      ...productionProblems(processName, result.data as Record<string, unknown>),
      ...(own && ownValues ? (own.productionProblems?.(ownValues) ?? []) : []),
    ];
    if (refused.length > 0) throw new ConfigError(processName, refused);
  }
  return ownValues ? { ...result.data, [OWN_SETTINGS]: ownValues } : result.data;
}

/** Where parseOrThrow leaves the own settings among the parsed values. */
const OWN_SETTINGS = Symbol('own settings');

export interface CommonConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  /**
   * `groupPrefix` (default: `topicPrefix`) prefixes the consumer groups: processes sharing one share the
   * work (replicas); tests give each subgraph its own so none steals another's events.
   */
  kafka: { brokers: string[]; topicPrefix: string; groupPrefix?: string };
  gatewaySigningSecret: string;
  bindHost: string;
}

export interface ServiceConfig extends CommonConfig {
  service: ServiceName;
  port: number;
  databaseUrl: string;
  outboxPollMs: number;
  publicBaseUrl?: string;
  /** LINK_ALLOW_IP_HOSTS: links users set may name a public IP address (default false). */
  linkAllowIpHosts?: boolean;
  /** TRUSTED_PROXIES: the proxies whose X-Forwarded-For is believed (default none; see clientAddressResolver). */
  trustedProxies?: string[];
  /** The service's own settings: its own variables, parsed by the `OwnConfig` it loaded them with. */
  settings?: Readonly<Record<string, unknown>>;
}

/**
 * Variables one service reads besides the kit's (e.g. credentials of the outside APIs it calls): parsed
 * with the kit's, so one message names every problem, and checked for production like the kit's secrets.
 */
export interface OwnConfig<T extends Record<string, unknown> = Record<string, unknown>> {
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** What production refuses of the parsed values (e.g. a development key). */
  productionProblems?: (values: T) => { variable: string; problem: string }[];
}

export interface GatewayConfig extends CommonConfig {
  port: number;
  subgraphUrls: Record<ServiceName, string>;
  jwksUrl?: string;
  jwtIssuer: string;
  jwtAudience: string;
  devIssuerKeyDir: string;
  /** The default timeout of a subgraph call (SUBGRAPH_TIMEOUT_MS); `subgraphTimeoutOf` gives one subgraph's. */
  subgraphTimeoutMs: number;
  /** `<SERVICE>_SUBGRAPH_TIMEOUT_MS`: the subgraphs whose timeout is their own. */
  subgraphTimeoutsMs?: Partial<Record<ServiceName, number>>;
  graphiqlHeadersFile?: string;
  /** Partner access tokens (docs/partners.md): the signing key's file, the issuer, the lifetime, the token endpoint's rate. */
  partnerTokens?: { keyFile?: string; issuer: string; lifetimeSeconds: number; ratePerMinute: number };
  /** An Apollo persisted query manifest: when set, only its operations run (gateway/src/trusted-operations.ts). */
  trustedOperationsFile?: string;
  /** GraphQL requests a minute per token (anonymous callers: per address); 0 is no limit. */
  rateLimitPerMinute?: number;
  /** GraphiQL is served (development by default; production only when asked for, never with a token). */
  graphiql: boolean;
  /** The web dashboard (docs/web.md): its build, the OpenID Connect provider it signs in with, the demo users of development. */
  web?: { dir?: string; oidc?: { issuer: string; clientId: string; scope: string }; devUsersFile?: string };
  jwtMaxLifetimeSeconds: number;
  /** TRUSTED_PROXIES: the proxies in front of the gateway whose X-Forwarded-For is believed (see clientAddressResolver). */
  trustedProxies?: string[];
}

function common(v: z.infer<typeof gatewaySchema> | Record<string, unknown>): CommonConfig {
  const c = v as z.infer<typeof gatewaySchema>;
  return {
    nodeEnv: c.NODE_ENV,
    logLevel: c.LOG_LEVEL,
    kafka: { brokers: c.KAFKA_BROKERS, topicPrefix: c.KAFKA_TOPIC_PREFIX },
    gatewaySigningSecret: c.GATEWAY_SIGNING_SECRET,
    bindHost: c.BIND_HOST,
  };
}

/** The configuration of a subgraph; `own`, the variables the service reads besides the kit's (`settings`). */
export function loadServiceConfig<T extends Record<string, unknown>>(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
  own?: OwnConfig<T>,
): ServiceConfig {
  const v = parseOrThrow(service, serviceSchema(service), env, own as OwnConfig | undefined) as Record<string | symbol, unknown>;
  const p = envPrefix(service);
  return {
    ...common(v),
    service,
    port: v[`${p}_PORT`] as number,
    databaseUrl: v[`${p}_DATABASE_URL`] as string,
    outboxPollMs: v.OUTBOX_POLL_MS as number,
    publicBaseUrl: v.PUBLIC_BASE_URL as string | undefined,
    linkAllowIpHosts: v.LINK_ALLOW_IP_HOSTS as boolean,
    trustedProxies: v.TRUSTED_PROXIES as string[],
    ...(own ? { settings: v[OWN_SETTINGS] as Record<string, unknown> } : {}),
  };
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const v = parseOrThrow('gateway', gatewaySchema, env);
  return {
    ...common(v),
    port: v.GATEWAY_PORT,
    subgraphUrls: {
      discovery: v.DISCOVERY_URL,
      campaign: v.CAMPAIGN_URL,
      contracts: v.CONTRACTS_URL,
      payments: v.PAYMENTS_URL,
      analytics: v.ANALYTICS_URL,
    },
    jwksUrl: v.JWKS_URL,
    jwtIssuer: v.JWT_ISSUER,
    jwtAudience: v.JWT_AUDIENCE,
    devIssuerKeyDir: v.DEV_ISSUER_KEY_DIR,
    subgraphTimeoutMs: v.SUBGRAPH_TIMEOUT_MS,
    subgraphTimeoutsMs: Object.fromEntries(
      SERVICE_NAMES.flatMap((s) => {
        const ms = v[subgraphTimeoutVariable(s)];
        return ms === undefined ? [] : [[s, ms]];
      }),
    ),
    // on by default in production only: development and the tests send as fast as they like
    rateLimitPerMinute: v.GATEWAY_RATE_LIMIT_PER_MINUTE ?? (v.NODE_ENV === 'production' ? 1200 : 0),
    graphiqlHeadersFile: v.GRAPHIQL_HEADERS_FILE,
    trustedOperationsFile: v.TRUSTED_OPERATIONS_FILE,
    partnerTokens: {
      keyFile: v.PARTNER_TOKEN_KEY_FILE,
      issuer: v.PARTNER_TOKEN_ISSUER,
      lifetimeSeconds: v.PARTNER_TOKEN_LIFETIME_SECONDS,
      ratePerMinute: v.PARTNER_TOKEN_RATE_LIMIT_PER_MINUTE,
    },
    graphiql: v.GRAPHIQL_ENABLED ?? v.NODE_ENV !== 'production',
    web: {
      dir: v.WEB_DIR,
      oidc:
        v.WEB_OIDC_ISSUER && v.WEB_OIDC_CLIENT_ID
          ? { issuer: v.WEB_OIDC_ISSUER, clientId: v.WEB_OIDC_CLIENT_ID, scope: v.WEB_OIDC_SCOPE }
          : undefined,
      devUsersFile: v.DEV_USERS_FILE,
    },
    jwtMaxLifetimeSeconds: v.JWT_MAX_LIFETIME_SECONDS,
    trustedProxies: v.TRUSTED_PROXIES,
  };
}

/** How long the gateway waits for this subgraph: its own `<SERVICE>_SUBGRAPH_TIMEOUT_MS`, else SUBGRAPH_TIMEOUT_MS. */
export function subgraphTimeoutOf(config: Pick<GatewayConfig, 'subgraphTimeoutMs' | 'subgraphTimeoutsMs'>, service: ServiceName): number {
  return config.subgraphTimeoutsMs?.[service] ?? config.subgraphTimeoutMs;
}
