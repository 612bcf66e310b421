import 'reflect-metadata';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Express } from 'express';
import type { Kafka } from 'kafkajs';
import { bodyMatches, verifyGatewayCall, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../auth/gateway-signature';
import type { ServiceConfig } from '../config/load';
import { DEV_SIGNING_SECRET, ServiceName } from '../config/schema';
import { createDataSource, describePostgresError, initializeDataSource } from '../database/data-source';
import { ErrorCode } from '../errors/codes';
import { toClientError } from '../errors/format';
import { InboxConsumer, ConsumerDefinition, RetryPolicy } from '../events/inbox-consumer';
import { createKafka, isKafkaReachable } from '../events/kafka';
import { Outbox } from '../events/outbox';
import { OutboxRelay } from '../events/outbox-relay';
import { createLogger, Logger } from '../logging/logger';
import { buildFederatedSchema, SchemaModule } from './federated-schema';
import { CallLedger } from './call-ledger';
import { closeServer, listen, RawHandler } from './http';
import {
  HttpRefusal,
  jsonErrorHandler,
  notFoundHandler,
  parseJsonBody,
  rawBody,
  sendGraphQLError,
  SUBGRAPH_BODY_LIMIT,
} from './request-body';
import { RequestContext, requestIdOf, ServiceRuntime } from './request-context';
import { requestGuardPlugin } from './request-guard';
import { StartupError } from './startup-error';
import { childSpan, parseTraceparent, runInTrace, TRACEPARENT_HEADER, traceLogFields } from '../tracing/trace-context';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

/**
 * Everything that makes a subgraph; a service's `schema.ts` exports one, its `main.ts` runs it.
 * `services` is the one place its parts are made, once per process, from what they need (the runtime:
 * database, config, logger, outbox); resolvers reach them as `ctx.services`, and consumers, routes and
 * background tasks are given them. No module-level singletons hold state.
 */
export interface SubgraphModule<S extends object = object> extends SchemaModule {
  name: ServiceName;
  entities: Constructor[];
  migrations: Constructor[];
  /** The topics its events travel on, published or consumed (tests create them; scripts create all). */
  eventTopics: readonly string[];
  services: (runtime: SubgraphRuntime) => S;
  consumers?: (services: S, runtime: SubgraphRuntime) => ConsumerDefinition[];
  /** Extra public HTTP routes (e.g. a webhook), mounted outside /graphql. */
  routes?: (app: Express, services: S, runtime: SubgraphRuntime) => void;
  /** Public handlers that run before Express, for hot paths (a tracking redirect): see RawHandler. */
  rawRoutes?: (services: S, runtime: SubgraphRuntime) => RawHandler[];
  /** Work the process does beside serving requests (an in-memory index kept current, a scheduler). */
  background?: (services: S, runtime: SubgraphRuntime) => BackgroundTask[];
}

/** A subgraph module whatever its services (lists of the five, tools that start any of them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraphModule = SubgraphModule<any>;

/**
 * A task that runs for the life of the process. The subgraph serves while it starts, but reports itself
 * ready (`/readyz`, `RunningSubgraph.ready`) only once every task's `start` has resolved.
 */
export interface BackgroundTask {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SubgraphRuntime extends ServiceRuntime {
  config: ServiceConfig;
  logger: Logger;
  kafka: Kafka;
  relay: OutboxRelay;
}

export interface RunningSubgraph<S extends object = object> {
  name: ServiceName;
  url: string;
  port: number;
  runtime: SubgraphRuntime;
  /** What `module.services` built for this process. */
  services: S;
  consumers: InboxConsumer[];
  /** Resolves once every background task has started (rejects if one failed to). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  retry?: RetryPolicy;
}

/**
 * Boots a subgraph: config → datasource → migrations → schema → HTTP server → outbox relay → consumers.
 * Failing dependencies become a StartupError with one clear message.
 */
export async function startSubgraph<S extends object>(
  module: SubgraphModule<S>,
  config: ServiceConfig,
  options: StartOptions = {},
): Promise<RunningSubgraph<S>> {
  const logger = options.logger ?? createLogger(module.name, config.logLevel);
  const dataSource = createDataSource({ url: config.databaseUrl, entities: module.entities, migrations: module.migrations, logger });
  try {
    await initializeDataSource(dataSource, logger);
  } catch (err) {
    if ((err as { code?: string }).code) throw new StartupError(describePostgresError(config.databaseUrl, err));
    throw err;
  }
  const cleanup: (() => Promise<unknown>)[] = [() => dataSource.destroy()];
  try {
    if (!(await isKafkaReachable(config.kafka.brokers, 5000, 3))) {
      throw new StartupError(
        `Kafka is not reachable at ${config.kafka.brokers.join(', ')}. Start it (pnpm kafka:start) or set KAFKA_BROKERS to a running broker.`,
      );
    }
    const kafka = createKafka(`${module.name}-${process.pid}`, config.kafka.brokers, logger);
    const relay = new OutboxRelay({
      dataSource,
      kafka,
      topicPrefix: config.kafka.topicPrefix,
      logger: logger.child({ component: 'outbox' }),
      pollMs: config.outboxPollMs,
    });
    const runtime: SubgraphRuntime = {
      config,
      dataSource,
      outbox: new Outbox(module.name),
      onEventsCommitted: () => relay.wake(),
      logger,
      kafka,
      relay,
    };
    const services = module.services(runtime);
    const schema = await buildFederatedSchema(module);
    relay.start();
    cleanup.unshift(() => relay.stop());

    const consumers = (module.consumers?.(services, runtime) ?? []).map(
      (definition) =>
        new InboxConsumer({
          service: module.name,
          definition,
          dataSource,
          kafka,
          topicPrefix: config.kafka.topicPrefix,
          groupPrefix: config.kafka.groupPrefix,
          logger: logger.child({ component: 'consumer', consumer: definition.name }),
          retry: options.retry,
        }),
    );
    cleanup.unshift(() => Promise.all(consumers.map((c) => c.stop())));
    await Promise.all(consumers.map((c) => c.start()));

    const tasks = module.background?.(services, runtime) ?? [];
    cleanup.unshift(() => Promise.all(tasks.map((t) => t.stop())));
    let tasksStarted = false;
    const tasksReady = Promise.all(
      tasks.map((t) =>
        t.start().catch((err) => {
          logger.error({ err, task: t.name }, 'background task failed to start');
          throw err;
        }),
      ),
    ).then(() => void (tasksStarted = true));
    tasksReady.catch(() => undefined); // reported by the log and by /readyz

    let draining = false;
    const app = express();
    app.disable('x-powered-by');
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', service: module.name });
    });
    app.get('/readyz', async (_req, res) => {
      const checks = { database: false, kafka: relay.healthy, background: tasksStarted, draining };
      checks.database = await dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      );
      const ready = checks.database && checks.kafka && tasksStarted && !draining;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
    });
    module.routes?.(app, services, runtime);

    const holder: { server?: Server } = {};
    const production = config.nodeEnv === 'production';
    const ledger = new CallLedger(dataSource, logger);
    ledger.start();
    cleanup.unshift(async () => ledger.stop());
    const apollo = new ApolloServer<RequestContext<S>>({
      schema,
      introspection: !production,
      includeStacktraceInErrorResponses: false,
      // runProcess handles SIGINT/SIGTERM and stops things in order; Apollo must not race it.
      stopOnTerminationSignals: false,
      plugins: [
        // Inline traces are for Apollo Studio, which a self-hosted install does not talk to.
        ApolloServerPluginInlineTraceDisabled(),
        requestGuardPlugin<RequestContext<S>>({ status: 200, claimMutation: async (ctx) => !!ctx.callId && ledger.claim(ctx.callId) }),
        {
          // The gateway relays a subgraph's errors with their codes only from a 2xx answer: a 400 of
          // Apollo's (a value graphql-js refused, such as a custom scalar's) would reach the client as INTERNAL.
          async requestDidStart() {
            return {
              async willSendResponse({ response }) {
                if (response.http.status === 400) response.http.status = 200;
              },
            };
          },
        },
      ],
      formatError: (formatted, error) => toClientError(formatted, error, logger, { production }),
    });
    await apollo.start();
    cleanup.unshift(() => apollo.stop());

    if (config.gatewaySigningSecret === DEV_SIGNING_SECRET && config.nodeEnv === 'development') {
      logger.warn('GATEWAY_SIGNING_SECRET is the development default: anyone who knows it can call this subgraph as anyone');
    }
    app.use(
      '/graphql',
      (req, res, next) => {
        // Only the gateway may call a subgraph: it signs who the caller is, and this very call. The header
        // is checked before the body is read, the body's digest before it is parsed.
        if (req.method !== 'POST') {
          sendGraphQLError(res, 405, ErrorCode.BAD_REQUEST, 'Subgraphs accept only POST requests from the gateway');
          return;
        }
        const check = verifyGatewayCall(
          req.header(IDENTITY_HEADER),
          { method: req.method, subgraph: module.name },
          config.gatewaySigningSecret,
        );
        if (!check.ok) {
          sendGraphQLError(res, 401, ErrorCode.UNAUTHENTICATED, `Subgraphs accept requests only from the gateway (${check.reason})`);
          return;
        }
        const requestId = requestIdOf(req.header(REQUEST_ID_HEADER));
        // The gateway sends each call a span of the client's trace; this request is a span below it.
        const parent = parseTraceparent(req.header(TRACEPARENT_HEADER));
        const trace = parent && childSpan(parent);
        res.locals.context = new RequestContext(
          requestId,
          check.identity,
          logger.child({ requestId, ...traceLogFields(trace) }),
          runtime,
          services,
          check.callId,
          check.client,
          trace,
        );
        res.locals.bodyDigest = check.bodyDigest;
        next();
      },
      ...rawBody(SUBGRAPH_BODY_LIMIT, false),
      (req, res, next) => {
        if (!bodyMatches(res.locals.bodyDigest as string, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))) {
          return next(
            new HttpRefusal(
              401,
              'Subgraphs accept requests only from the gateway (the body is not the one signed)',
              ErrorCode.UNAUTHENTICATED,
            ),
          );
        }
        next();
      },
      parseJsonBody,
      // Entered here, once the body is read (the body's stream events run outside it): the operation and
      // everything it calls see the trace, so the events it records carry it (createEvent).
      (_req, res, next) => runInTrace((res.locals.context as RequestContext<S>).trace, next),
      expressMiddleware(apollo, { context: async ({ res }) => res.locals.context as RequestContext<S> }),
    );
    app.use(notFoundHandler);
    app.use(jsonErrorHandler(logger));

    const { server, port } = await listen(app, config.port, config.bindHost, module.rawRoutes?.(services, runtime) ?? []).catch(
      (err: Error) => {
        throw new StartupError(`${module.name}: ${err.message} (set ${module.name.toUpperCase()}_PORT)`);
      },
    );
    holder.server = server;
    const base = `http://${config.bindHost === '0.0.0.0' ? '127.0.0.1' : config.bindHost}:${port}`;
    runtime.publicBaseUrl = (config.publicBaseUrl ?? base).replace(/\/+$/, '');
    const url = `${base}/graphql`;
    logger.info({ url }, 'subgraph ready');

    let stopped: Promise<void> | null = null;
    return {
      name: module.name,
      url,
      port,
      runtime,
      services,
      consumers,
      ready: () => tasksReady,
      stop: () =>
        (stopped ??= (async () => {
          draining = true;
          // Drain HTTP first (no new work), then consumers and relay, then the database.
          await closeServer(server);
          for (const step of cleanup) await step().catch((err) => logger.warn({ err }, 'shutdown step failed'));
          logger.info('subgraph stopped');
        })()),
    };
  } catch (err) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw err;
  }
}
