import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Express } from 'express';
import type { Kafka } from 'kafkajs';
import { verifyIdentityHeader, IDENTITY_HEADER, REQUEST_ID_HEADER } from '../auth/gateway-signature';
import type { ServiceConfig } from '../config/load';
import type { ServiceName } from '../config/schema';
import { createDataSource, describePostgresError, initializeDataSource } from '../database/data-source';
import { ErrorCode } from '../errors/codes';
import { toClientError } from '../errors/format';
import { InboxConsumer, ConsumerDefinition, RetryPolicy } from '../events/inbox-consumer';
import { createKafka, isKafkaReachable } from '../events/kafka';
import { Outbox } from '../events/outbox';
import { OutboxRelay } from '../events/outbox-relay';
import { createLogger, Logger } from '../logging/logger';
import { buildFederatedSchema, SchemaModule } from './federated-schema';
import { closeServer, listen, RawHandler } from './http';
import { RequestContext, ServiceRuntime } from './request-context';
import { StartupError } from './startup-error';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

/** Everything that makes a subgraph; a service's `service.ts` exports one, its `main.ts` runs it. */
export interface SubgraphModule extends SchemaModule {
  name: ServiceName;
  entities: Constructor[];
  migrations: Constructor[];
  consumers?: ConsumerDefinition[];
  /** Extra public HTTP routes (e.g. a webhook), mounted outside /graphql. */
  routes?: (app: Express, runtime: SubgraphRuntime) => void;
  /** Public handlers that run before Express, for hot paths (a tracking redirect): see RawHandler. */
  rawRoutes?: (runtime: SubgraphRuntime) => RawHandler[];
  /** Work the process does beside serving requests (an in-memory index kept current, a scheduler). */
  background?: (runtime: SubgraphRuntime) => BackgroundTask[];
}

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

export interface RunningSubgraph {
  name: ServiceName;
  url: string;
  port: number;
  runtime: SubgraphRuntime;
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
export async function startSubgraph(module: SubgraphModule, config: ServiceConfig, options: StartOptions = {}): Promise<RunningSubgraph> {
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
    if (!(await isKafkaReachable(config.kafka.brokers))) {
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
    const schema = await buildFederatedSchema(module);
    relay.start();
    cleanup.unshift(() => relay.stop());

    const consumers = (module.consumers ?? []).map(
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

    const tasks = module.background?.(runtime) ?? [];
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
    module.routes?.(app, runtime);

    const holder: { server?: Server } = {};
    const apollo = new ApolloServer<RequestContext>({
      schema,
      introspection: true,
      includeStacktraceInErrorResponses: false,
      // runProcess handles SIGINT/SIGTERM and stops things in order; Apollo must not race it.
      stopOnTerminationSignals: false,
      // Inline traces are for Apollo Studio, which a self-hosted install does not talk to.
      plugins: [ApolloServerPluginInlineTraceDisabled()],
      formatError: (formatted, error) => toClientError(formatted, error, logger),
    });
    await apollo.start();
    cleanup.unshift(() => apollo.stop());

    app.use(
      '/graphql',
      express.json({ limit: '1mb' }),
      (req, res, next) => {
        // Only the gateway may call a subgraph: it signs who the caller is.
        const check = verifyIdentityHeader(req.header(IDENTITY_HEADER), config.gatewaySigningSecret);
        if (!check.ok) {
          res.status(401).json({
            errors: [
              {
                message: `Subgraphs accept requests only from the gateway (${check.reason})`,
                extensions: { code: ErrorCode.UNAUTHENTICATED },
              },
            ],
          });
          return;
        }
        const requestId = req.header(REQUEST_ID_HEADER) ?? randomUUID();
        res.locals.context = new RequestContext(requestId, check.identity, logger.child({ requestId }), runtime);
        next();
      },
      expressMiddleware(apollo, { context: async ({ res }) => res.locals.context as RequestContext }),
    );

    const { server, port } = await listen(app, config.port, config.bindHost, module.rawRoutes?.(runtime) ?? []).catch((err: Error) => {
      throw new StartupError(`${module.name}: ${err.message} (set ${module.name.toUpperCase()}_PORT)`);
    });
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
