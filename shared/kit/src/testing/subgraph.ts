import { Identity } from '../auth/identity';
import { ClientInfo, signGatewayCall, IDENTITY_HEADER } from '../auth/gateway-signature';
import { ServiceConfig } from '../config/load';
import { DEV_SIGNING_SECRET } from '../config/schema';
import { createLogger } from '../logging/logger';
import { startSubgraph, SubgraphModule, RunningSubgraph } from '../server/subgraph';
import { createTestDatabase } from './databases';
import { ensureEventTopics } from '../events/topic-admin';
import { testTopicPrefix } from './run';

export const TEST_KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export interface TestSubgraph<S extends object = object> extends RunningSubgraph<S> {
  config: ServiceConfig;
  /** Calls the subgraph as the gateway would, signing `identity` (null = anonymous). */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity | null,
    /** The client the gateway would report (address, user agent). */
    client?: ClientInfo | null,
  ): Promise<GraphQLResponse<T>>;
  /** Stops the subgraph and drops its database. */
  close(): Promise<void>;
}

const testTopics = new Map<string, Promise<unknown>>();

/** Creates these topics (and their dead-letter twins) under this test file's prefix, once each. */
export function ensureTestTopics(topics: readonly string[]): Promise<unknown> {
  const missing = topics.filter((t) => !testTopics.has(t));
  if (missing.length > 0) {
    const made = ensureEventTopics(TEST_KAFKA_BROKERS, testTopicPrefix(), missing).catch((err: unknown) => {
      for (const t of missing) testTopics.delete(t);
      throw err;
    });
    for (const t of missing) testTopics.set(t, made);
  }
  return Promise.all(topics.map((t) => testTopics.get(t)));
}

/** The config a test subgraph runs with: its own database, this run's topics, an ephemeral port. */
export function testServiceConfig(
  service: SubgraphModule['name'],
  databaseUrl: string,
  overrides: Partial<ServiceConfig> = {},
): ServiceConfig {
  return {
    service,
    nodeEnv: 'test',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    // One consumer group per database: subgraphs of parallel test files must not split each other's
    // events; processes on one database (replicas, restarts) still share theirs.
    kafka: {
      brokers: TEST_KAFKA_BROKERS,
      topicPrefix: testTopicPrefix(),
      groupPrefix: `${testTopicPrefix()}${new URL(databaseUrl).pathname.slice(1)}.`,
    },
    gatewaySigningSecret: DEV_SIGNING_SECRET,
    bindHost: '127.0.0.1',
    port: 0,
    databaseUrl,
    outboxPollMs: 50,
    ...overrides,
  };
}

/** The headers the gateway would send with `body` to `subgraph`, signed for `identity` (null = anonymous). */
export function gatewayCallHeaders(
  subgraph: string,
  body: string,
  identity: Identity | null,
  secret = DEV_SIGNING_SECRET,
  client: ClientInfo | null = null,
): Record<string, string> {
  return { [IDENTITY_HEADER]: signGatewayCall(identity, { method: 'POST', subgraph, body, client }, secret) };
}

/** Starts one subgraph on a fresh copy of its migrated database, with real Kafka. */
export async function startTestSubgraph<S extends object>(
  module: SubgraphModule<S>,
  overrides: Partial<ServiceConfig> = {},
): Promise<TestSubgraph<S>> {
  // A subgraph given its own Kafka settings (another broker, another prefix) brings its own topics.
  if (!overrides.kafka) await ensureTestTopics(module.eventTopics);
  const db = await createTestDatabase(module.name);
  const config = testServiceConfig(module.name, db.url, overrides);
  const running = await startSubgraph(module, config, {
    logger: createLogger(module.name, config.logLevel),
    retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
  });
  // Tests talk to a warm service, as a load balancer would (it waits for /readyz).
  await running.ready();
  return {
    ...running,
    config,
    async query<T>(
      query: string,
      variables: Record<string, unknown> = {},
      identity: Identity | null = null,
      client: ClientInfo | null = null,
    ) {
      const body = JSON.stringify({ query, variables });
      const res = await fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...gatewayCallHeaders(module.name, body, identity, config.gatewaySigningSecret, client),
        },
        body,
      });
      return (await res.json()) as GraphQLResponse<T>;
    },
    async close() {
      // The database goes even when stopping fails, so no later file can ever meet its rows.
      try {
        await running.stop();
      } finally {
        await db.drop();
      }
    },
  };
}

/** Identities for tests, shaped like the gateway forwards them. */
export const identities = {
  admin: (): Identity => ({ sub: 'admin-1', roles: ['admin'], brandIds: [], creatorId: null }),
  brandMember: (brandId: string, sub = `member-of-${brandId}`): Identity => ({
    sub,
    roles: ['brand_member'],
    brandIds: [brandId],
    creatorId: null,
  }),
  analyst: (brandId: string): Identity => ({ sub: `analyst-of-${brandId}`, roles: ['analyst'], brandIds: [brandId], creatorId: null }),
  creator: (creatorId: string): Identity => ({ sub: `creator-${creatorId}`, roles: ['creator'], brandIds: [], creatorId }),
};
