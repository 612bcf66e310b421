import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  CLIENT_BODY_LIMIT,
  clientAddressResolver,
  closeServer,
  createLogger,
  DEV_SIGNING_SECRET,
  ErrorCode,
  CloudEvent,
  currentTrace,
  GatewayConfig,
  Identity,
  jsonErrorHandler,
  listen,
  Logger,
  notFoundHandler,
  parseJsonBody,
  rawBody,
  REQUEST_ID_HEADER,
  requestGuardPlugin,
  requestIdOf,
  runInTrace,
  SERVICE_NAMES,
  StartupError,
  subgraphTimeoutOf,
  toClientError,
  traceLogFields,
} from '@influenceflow/kit';
import type { JWK } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './auth/token-verifier';
import { cachedVerifier } from './auth/token-cache';
import type { GatewayContext } from './context';
import { mountGraphiQL } from './graphiql';
import { graphqlOverHttpPlugin } from './graphql-over-http';
import { mountMediaKitPages } from './media-kit/route';
import { mountReportPages } from './report-page/route';
import { mountTrackingRedirect } from './tracking-redirect';
import { mountLandingScript } from './landing-script';
import { mountContractsPublic } from './contracts-public';
import { mountReportExports } from './report-exports';
import { mountCsvUploads } from './csv-uploads';
import { loadTrustedOperations, trustedOperationsPlugin } from './trusted-operations';
import { rateLimit } from './rate-limit';
import { mountShopWebhooks } from './shop-webhooks';
import { mountStatementDownloads } from './statements';
import { DEFAULT_LIMITS, namedLimit, QueryLimits, queryLimits } from './limits';
import { SigningDataSource } from './signing-data-source';
import { valueCompletionPlugin } from './subgraph-unavailable';
import { traceOf, traceRequests } from './tracing';
import { partnerRateKey, PartnerTokens, withPartnerTokens } from './partners/partner-tokens';
import { mountTokenEndpoint } from './partners/token-endpoint';
import { DevSignIn, mountDevSignIn, mountWebApp } from './web-app';

/** Partner tokens when the configuration names none (tests build GatewayConfig by hand). */
const DEFAULT_PARTNER_TOKENS = { issuer: 'influenceflow-partners', lifetimeSeconds: 600, ratePerMinute: 60 };
import { LiveHub } from './live/live-hub';
import { liveAccessClient } from './live/live-access';
import { LIVE_SCHEMA_SDL, LIVE_SCHEMA_PATH } from './live/live-schema';
import { LiveLimits, startLiveServer } from './live/live-server';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

/** The composed supergraph, committed beside the gateway (`pnpm compose` writes it). */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

/** What clients see of it (its API schema), committed beside it: the web dashboard's types come from it. */
export const API_SCHEMA_PATH = join(__dirname, '..', 'api-schema.graphql');

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

export interface GatewayOptions {
  supergraphSdl?: string;
  /** Keys of the development issuer, served at /.well-known/jwks.json and trusted for tokens. */
  devJwks?: { keys: JWK[] };
  logger?: Logger;
  limits?: QueryLimits;
  liveLimits?: Partial<LiveLimits>;
  /** The development sign-in of the web dashboard (never in production): the issuer's signer and the demo users. */
  devSignIn?: DevSignIn;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** The web dashboard's URL when its build is served (docs/web.md), else null. */
  webUrl: string | null;
  /** The live subscriptions' feed: consuming once its Kafka consumer has joined and fetched. */
  live: { consuming(): boolean; dispatch(event: CloudEvent): void };
  stop(): Promise<void>;
}

/** The logger, with the running request's trace id when there is one. */
function tracedLogger(logger: Logger): Logger {
  const trace = currentTrace();
  return trace ? logger.child(traceLogFields(trace)) : logger;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/** Starts the gateway: verifies tokens, applies limits, plans over the subgraphs with signed identity. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const production = config.nodeEnv === 'production';
  if (!config.jwksUrl && (production || !options.devJwks)) {
    throw new StartupError(
      production
        ? 'JWKS_URL is required in production: the development issuer is never trusted there'
        : 'no token keys: set JWKS_URL to your identity provider, or run with the development issuer',
    );
  }
  if (production && config.graphiqlHeadersFile) {
    throw new StartupError('GRAPHIQL_HEADERS_FILE must not be set in production: it puts a token into a public page');
  }
  if (config.gatewaySigningSecret === DEV_SIGNING_SECRET && config.nodeEnv === 'development') {
    logger.warn(
      'GATEWAY_SIGNING_SECRET is the development default: anyone who can reach a subgraph can call it as anyone. Set a secret of your own before exposing this stack.',
    );
  }
  const partnerSettings = config.partnerTokens ?? DEFAULT_PARTNER_TOKENS;
  if (partnerSettings.issuer === config.jwtIssuer) {
    throw new StartupError(
      "PARTNER_TOKEN_ISSUER must differ from JWT_ISSUER: partner tokens are the gateway's own, never the identity provider's",
    );
  }
  const partnerTokens = await PartnerTokens.load({ ...partnerSettings, audience: config.jwtAudience }, production);
  // A client sends the same token with each request: it is verified once, then remembered (token-cache.ts).
  const verify = cachedVerifier(
    withPartnerTokens(
      createTokenVerifier({
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        jwksUrl: config.jwksUrl,
        jwks: config.jwksUrl ? undefined : options.devJwks,
        maxLifetimeSeconds: config.jwtMaxLifetimeSeconds,
      }),
      partnerTokens,
    ),
  );

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService: ({ name }) => {
      if (!(SERVICE_NAMES as readonly string[]).includes(name)) throw new StartupError(`unknown subgraph "${name}" in the supergraph`);
      const service = name as (typeof SERVICE_NAMES)[number];
      return new SigningDataSource(
        config.subgraphUrls[service],
        name,
        config.gatewaySigningSecret,
        subgraphTimeoutOf(config, service),
        logger.child({ component: 'subgraph', subgraph: name }),
        !production,
      );
    },
  });
  const clientAddressOf = clientAddressResolver(config.trustedProxies ?? []);
  const limits = queryLimits<GatewayContext>(options.limits ?? DEFAULT_LIMITS, { hideSuggestions: production });
  // automatic persisted queries are Apollo's default (a client sends the hash, and the text once when
  // asked); with TRUSTED_OPERATIONS_FILE only the listed operations run
  const trusted = config.trustedOperationsFile
    ? [trustedOperationsPlugin<GatewayContext>(loadTrustedOperations(config.trustedOperationsFile))]
    : [];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // runProcess handles SIGINT/SIGTERM and stops things in order; Apollo must not race it.
    stopOnTerminationSignals: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // The whole operation's inputs are checked before any subgraph is called: nothing half-runs.
    plugins: [
      ...trusted,
      requestGuardPlugin<GatewayContext>({ status: 400 }),
      ...limits.plugins,
      graphqlOverHttpPlugin<GatewayContext>(),
      valueCompletionPlugin<GatewayContext>(logger),
    ],
    // formatError runs inside the request's trace (runInTrace below): what it logs names the trace
    formatError: (formatted, error) => namedLimit(toClientError(formatted, error, tracedLogger(logger), { production })),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(traceRequests());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  if (options.devJwks && !production) {
    const jwks = options.devJwks;
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json(jwks);
    });
  }
  if (config.graphiql) {
    // Production serves it only when asked for (GRAPHIQL_ENABLED), and never with a token in the page.
    mountGraphiQL(app, { endpoint: '/graphql', headersFile: production ? undefined : config.graphiqlHeadersFile });
  }
  /** The caller of an Authorization value ("Bearer <token>"), for HTTP and the live WebSocket alike. */
  const callerOf = async (auth: string): Promise<Identity> => {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    try {
      return await verify(match[1]);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw unauthenticated(`Invalid token: ${err.message}`);
      logger.error({ err }, 'token verification failed');
      throw unauthenticated('The token could not be verified');
    }
  };
  /** Who calls: the bearer token verified (none: anonymous), for /graphql and the file routes alike. */
  const contextOf = async (req: express.Request, requestId: string): Promise<GatewayContext> => {
    const client = { ip: clientAddressOf(req), userAgent: req.header('user-agent') ?? null };
    const trace = traceOf(req.res);
    const auth = req.header('authorization');
    if (!auth) return { requestId, identity: null, client, trace };
    return { requestId, identity: await callerOf(auth), client, trace };
  };
  const devSignIn = !production && options.devSignIn ? options.devSignIn : undefined;
  if (devSignIn) mountDevSignIn(app, devSignIn, logger.child({ component: 'dev-sign-in' }));
  const web = mountWebApp(app, {
    dir: config.web?.dir,
    production,
    devSignIn: Boolean(devSignIn),
    oidc: config.web?.oidc,
    logger: logger.child({ component: 'web' }),
  });
  mountMediaKitPages(app, apollo);
  mountReportPages(app, apollo, contextOf);
  mountStatementDownloads(app, apollo, contextOf);
  mountReportExports(
    app,
    config.subgraphUrls.analytics,
    config.gatewaySigningSecret,
    subgraphTimeoutOf(config, 'analytics'),
    contextOf,
    logger.child({ component: 'report-exports' }),
  );
  mountCsvUploads(
    app,
    config.subgraphUrls.analytics,
    config.gatewaySigningSecret,
    subgraphTimeoutOf(config, 'analytics'),
    contextOf,
    logger.child({ component: 'csv-uploads' }),
  );
  mountTrackingRedirect(
    app,
    config.subgraphUrls.campaign,
    subgraphTimeoutOf(config, 'campaign'),
    logger.child({ component: 'tracking-redirect' }),
  );
  mountContractsPublic(
    app,
    config.subgraphUrls.contracts,
    subgraphTimeoutOf(config, 'contracts'),
    logger.child({ component: 'contracts-public' }),
  );
  mountTokenEndpoint(app, {
    tokens: partnerTokens,
    campaignGraphqlUrl: config.subgraphUrls.campaign,
    signingSecret: config.gatewaySigningSecret,
    timeoutMs: subgraphTimeoutOf(config, 'campaign'),
    ratePerMinute: partnerSettings.ratePerMinute,
    addressOf: clientAddressOf,
    logger: logger.child({ component: 'oauth-token' }),
  });
  mountShopWebhooks(
    app,
    config.subgraphUrls.analytics,
    subgraphTimeoutOf(config, 'analytics'),
    logger.child({ component: 'shop-webhooks' }),
  );
  mountLandingScript(
    app,
    config.subgraphUrls.analytics,
    subgraphTimeoutOf(config, 'analytics'),
    logger.child({ component: 'landing-script' }),
  );
  app.get(LIVE_SCHEMA_PATH, (_req, res) => {
    res.type('text/plain; charset=utf-8').send(LIVE_SCHEMA_SDL);
  });
  const graphql = expressMiddleware(apollo, {
    context: ({ req }): Promise<GatewayContext> => contextOf(req, requestIdOf(req.header(REQUEST_ID_HEADER))),
  });
  app.use(
    '/graphql',
    ...(config.rateLimitPerMinute
      ? [rateLimit(config.rateLimitPerMinute, (req) => clientAddressOf(req) ?? 'unknown', partnerRateKey(partnerTokens, verify))]
      : []),
    ...rawBody(CLIENT_BODY_LIMIT),
    parseJsonBody,
    // the operation runs inside its trace (entered once the body is read: the body's stream events run outside)
    (req, res, next) => runInTrace(traceOf(res), () => graphql(req, res, next)),
  );
  app.use(notFoundHandler);
  app.use(jsonErrorHandler(logger));

  const { server, port } = await listen(app, config.port, config.bindHost).catch((err: Error) => {
    throw new StartupError(`gateway: ${err.message} (set GATEWAY_PORT)`);
  });
  // Subscriptions: WebSocket upgrades of /graphql, fed by this process's own Kafka consumer (docs/live-events.md).
  const hub = new LiveHub(config.kafka, logger.child({ component: 'live' }));
  hub.start();
  const live = startLiveServer({
    server,
    hub,
    askAccess: liveAccessClient(
      config.subgraphUrls.campaign,
      config.gatewaySigningSecret,
      subgraphTimeoutOf(config, 'campaign'),
      logger.child({ component: 'live' }),
    ),
    callerOf,
    clientOf: (req) => ({ ip: clientAddressOf(req), userAgent: req.headers['user-agent'] ?? null }),
    logger: logger.child({ component: 'live' }),
    production,
    limits: options.liveLimits,
    upgradesPerMinute: config.rateLimitPerMinute,
  });
  const url = `http://${config.bindHost === '0.0.0.0' ? '127.0.0.1' : config.bindHost}:${port}/graphql`;
  const webUrl = web ? url.replace(/\/graphql$/, '/app/') : null;
  logger.info({ url, webUrl }, 'gateway ready');
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    webUrl,
    live: { consuming: () => hub.consuming, dispatch: (event) => hub.dispatch(event) },
    stop: () =>
      (stopped ??= (async () => {
        await live.stop();
        await hub.stop();
        await closeServer(server);
        await apollo.stop();
      })()),
  };
}
