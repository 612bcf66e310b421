import {
  AnySubgraphModule,
  createEphemeralDevIssuer,
  createLogger,
  DEV_SIGNING_SECRET,
  DevIssuer,
  GatewayConfig,
  ServiceConfig,
  SERVICE_NAMES,
  ServiceName,
  TokenClaims,
} from '@influenceflow/kit';
import { GraphQLResponse, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { DevUser, GatewayOptions, parseDevUsers, startGateway, RunningGateway } from '@influenceflow/gateway';
import { SUBGRAPHS } from '../subgraphs';

export interface TestStack {
  gateway: RunningGateway;
  subgraphs: Record<ServiceName, TestSubgraph>;
  /** A real signed JWT from this stack's issuer. */
  token(claims: TokenClaims): Promise<string>;
  /** The stack's token issuer (tests of refused tokens sign their own claims with it). */
  issuer: DevIssuer;
  /** What the gateway runs with (a test starting another gateway over the same subgraphs starts from it). */
  gatewayConfig: GatewayConfig;
  /** A GraphQL request through the gateway, as a client sends it. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T> & { status: number }>;
  close(): Promise<void>;
}

/**
 * The five subgraphs (each on its own fresh database, on this run's Kafka topics) and the gateway,
 * in-process on ephemeral ports, with an issuer of its own for real tokens.
 */
export async function startTestStack(
  options: {
    kafka?: { brokers: string[]; topicPrefix: string };
    /** Settings of the gateway over the test defaults (e.g. production mode). */
    gateway?: Partial<GatewayConfig>;
    /** Settings of every subgraph over the test defaults. */
    subgraphs?: Partial<ServiceConfig>;
    /** A subgraph built otherwise than by default (e.g. campaign with settings of the test's own). */
    modules?: Partial<Record<ServiceName, AnySubgraphModule>>;
    /**
     * Tracking links handed out on the gateway's origin, as a deployment sets PUBLIC_BASE_URL, with the
     * gateway trusted for the visitor's address (TRUSTED_PROXIES, loopback here).
     */
    linksOnGateway?: boolean;
    /**
     * The users the dashboard's development sign-in offers (the admin is always there), read at each
     * request, so a test may add users once it knows their brand; the gateway offers the sign-in outside
     * production only, whatever is given here.
     */
    devUsers?: DevUser[];
    /** The gateway's live subscription limits over its defaults (e.g. a keep-alive a paused test client outlasts). */
    liveLimits?: GatewayOptions['liveLimits'];
  } = {},
): Promise<TestStack> {
  const issuer = await createEphemeralDevIssuer();
  const started: Partial<Record<ServiceName, TestSubgraph>> = {};
  try {
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        started[name] = await startTestSubgraph(options.modules?.[name] ?? SUBGRAPHS[name], {
          ...(options.kafka ? { kafka: options.kafka } : {}),
          ...(options.linksOnGateway && name === 'campaign' ? { trustedProxies: ['loopback'] } : {}),
          ...options.subgraphs,
        });
      }),
    );
  } catch (err) {
    await Promise.all(Object.values(started).map((s) => s?.close()));
    throw err;
  }
  const subgraphs = started as Record<ServiceName, TestSubgraph>;
  const config: GatewayConfig = {
    nodeEnv: 'test',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    kafka: subgraphs.campaign.config.kafka,
    gatewaySigningSecret: DEV_SIGNING_SECRET,
    bindHost: '127.0.0.1',
    port: 0,
    subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((n) => [n, subgraphs[n].url])) as Record<ServiceName, string>,
    jwtIssuer: issuer.issuer,
    jwtAudience: issuer.audience,
    devIssuerKeyDir: '',
    subgraphTimeoutMs: 30_000,
    graphiql: true,
    jwtMaxLifetimeSeconds: 86_400,
    ...options.gateway,
  };
  const gateway = await startGateway(config, {
    devJwks: config.jwksUrl ? undefined : issuer.jwks,
    devSignIn: { sign: (claims) => issuer.sign(claims), users: () => parseDevUsers(JSON.stringify(options.devUsers ?? [])) },
    logger: createLogger('gateway', config.logLevel),
    liveLimits: options.liveLimits,
  }).catch(async (err: unknown) => {
    await Promise.all(SERVICE_NAMES.map((n) => subgraphs[n].close()));
    throw err;
  });
  // The gateway's port is known only once it listens, after the subgraphs: PUBLIC_BASE_URL is what the
  // campaign service would have been started with.
  if (options.linksOnGateway) subgraphs.campaign.runtime.publicBaseUrl = new URL(gateway.url).origin;
  return {
    gateway,
    subgraphs,
    token: (claims) => issuer.sign(claims),
    issuer,
    gatewayConfig: config,
    async query<T>(query: string, variables: Record<string, unknown> = {}, token?: string) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { ...((await res.json()) as GraphQLResponse<T>), status: res.status };
    },
    async close() {
      await gateway.stop();
      await Promise.all(SERVICE_NAMES.map((n) => subgraphs[n].close()));
    },
  };
}
