import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  closeServer,
  createLogger,
  ErrorCode,
  GatewayConfig,
  listen,
  Logger,
  REQUEST_ID_HEADER,
  SERVICE_NAMES,
  StartupError,
  toClientError,
} from '@influenceflow/kit';
import type { JWK } from 'jose';
import { createTokenVerifier, InvalidTokenError } from './auth/token-verifier';
import type { GatewayContext } from './context';
import { mountGraphiQL } from './graphiql';
import { mountMediaKitPages } from './media-kit-page';
import { DEFAULT_LIMITS, limitRules, QueryLimits } from './limits';
import { SigningDataSource } from './signing-data-source';

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

/** The composed supergraph, committed beside the gateway (`pnpm compose` writes it). */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

export interface GatewayOptions {
  supergraphSdl?: string;
  /** Keys of the development issuer, served at /.well-known/jwks.json and trusted for tokens. */
  devJwks?: { keys: JWK[] };
  logger?: Logger;
  limits?: QueryLimits;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/** Starts the gateway: verifies tokens, applies limits, plans over the subgraphs with signed identity. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  if (!config.jwksUrl && !options.devJwks) {
    throw new StartupError('no token keys: set JWKS_URL to your identity provider, or run with the development issuer');
  }
  const verify = createTokenVerifier({
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    jwksUrl: config.jwksUrl,
    jwks: config.jwksUrl ? undefined : options.devJwks,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService: ({ name }) => {
      if (!(SERVICE_NAMES as readonly string[]).includes(name)) throw new StartupError(`unknown subgraph "${name}" in the supergraph`);
      return new SigningDataSource(
        config.subgraphUrls[name as (typeof SERVICE_NAMES)[number]],
        config.gatewaySigningSecret,
        config.subgraphTimeoutMs,
      );
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // runProcess handles SIGINT/SIGTERM and stops things in order; Apollo must not race it.
    stopOnTerminationSignals: false,
    validationRules: limitRules(options.limits ?? DEFAULT_LIMITS),
    formatError: (formatted, error) => toClientError(formatted, error, logger),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  if (options.devJwks) {
    const jwks = options.devJwks;
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json(jwks);
    });
  }
  mountGraphiQL(app, { endpoint: '/graphql', headersFile: config.graphiqlHeadersFile });
  mountMediaKitPages(app, apollo);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GatewayContext> => {
        const requestId = req.header(REQUEST_ID_HEADER) ?? randomUUID();
        const auth = req.header('authorization');
        if (!auth) return { requestId, identity: null };
        const match = /^Bearer\s+(\S+)$/i.exec(auth);
        if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
        try {
          return { requestId, identity: await verify(match[1]) };
        } catch (err) {
          if (err instanceof InvalidTokenError) throw unauthenticated(`Invalid token: ${err.message}`);
          logger.error({ err }, 'token verification failed');
          throw unauthenticated('The token could not be verified');
        }
      },
    }),
  );

  const { server, port } = await listen(app, config.port, config.bindHost).catch((err: Error) => {
    throw new StartupError(`gateway: ${err.message} (set GATEWAY_PORT)`);
  });
  const url = `http://${config.bindHost === '0.0.0.0' ? '127.0.0.1' : config.bindHost}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    stop: () =>
      (stopped ??= (async () => {
        await closeServer(server);
        await apollo.stop();
      })()),
  };
}
