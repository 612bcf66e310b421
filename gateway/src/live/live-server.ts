import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeJwt } from 'jose';
import { GraphQLError, GraphQLSchema, parse, validate, specifiedRules, getOperationAST, type DocumentNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ClientInfo, ErrorCode, Identity, isUuid, Logger, toClientError } from '@influenceflow/kit';
import { LIVE_EVENT_TYPES, liveEnumOf, liveTypeOfEnum } from '@influenceflow/vocabulary';
import { BoundedQueue } from './bounded-queue';

// graphql-ws's ws adapter is a subpath export, which this repo's module resolution ("node") cannot see
// for types: the types come from its file, the code from the export.
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');
import { AskLiveAccess, isRefusal, LiveAccess } from './live-access';
import { buildLiveSchema } from './live-schema';
import type { LiveEvent, LiveHub } from './live-hub';

export interface LiveLimits {
  /** Events a subscription holds for a slow client before it drops the oldest. */
  queueCapacity: number;
  subscriptionsPerConnection: number;
  connectionsPerToken: number;
  /** How often a subscription asks again whether its caller may still receive the campaign's events. */
  recheckMs: number;
  /** The largest message a client may send (bytes); larger ones close the socket (1009). */
  maxMessageBytes: number;
  /** ws ping interval: a client that does not answer a ping in time is dropped. */
  keepAliveMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  queueCapacity: 100,
  subscriptionsPerConnection: 20,
  connectionsPerToken: 5,
  recheckMs: 60_000,
  maxMessageBytes: 64 * 1024,
  keepAliveMs: 12_000,
};

/** Close codes beyond graphql-ws's own (4401, 4403, 4400...): docs/live-events.md. */
export const LIVE_CLOSE = { tooManyConnections: 4429, tokenExpired: 4401 } as const;

const MAX_TOKENS = 500;

interface Connection {
  identity: Identity;
  client: ClientInfo | null;
  subscriptions: number;
  expiry: NodeJS.Timeout | null;
}

interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
  live?: Connection;
}

export interface LiveServerOptions {
  server: Server;
  hub: LiveHub;
  askAccess: AskLiveAccess;
  /** The caller of an `Authorization` value, as for HTTP (throws UNAUTHENTICATED when it is invalid). */
  callerOf: (authorization: string) => Promise<Identity>;
  clientOf: (req: IncomingMessage) => ClientInfo;
  logger: Logger;
  production: boolean;
  limits?: Partial<LiveLimits>;
  /** Upgrades a minute per client address (GATEWAY_RATE_LIMIT_PER_MINUTE); 0: none. */
  upgradesPerMinute?: number;
}

export interface LiveServer {
  stop(): Promise<void>;
}

const fail = (message: string, code: ErrorCode, field?: string) =>
  new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });

/**
 * The WebSocket side of /graphql (graphql-transport-ws): the token is verified at connect as for HTTP,
 * each subscription asks the campaign subgraph what the caller may receive (and asks again every
 * `recheckMs`), events come from the hub through a bounded queue per subscription.
 */
export function startLiveServer(options: LiveServerOptions): LiveServer {
  const limits = { ...DEFAULT_LIVE_LIMITS, ...options.limits };
  const { logger, hub } = options;
  const schema = buildLiveSchema();
  wireResolvers(schema, hub, options.askAccess, limits);
  const perToken = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const upgrades = options.upgradesPerMinute ? new RateLimiterMemory({ points: options.upgradesPerMinute, duration: 60 }) : null;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = () => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    if (!upgrades) return accept();
    upgrades.consume(options.clientOf(req).ip ?? 'unknown').then(accept, () => {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 60\r\nContent-Length: 0\r\n\r\n');
    });
  };
  options.server.on('upgrade', onUpgrade);

  const disposable = useServer<Record<string, unknown>, { live?: Connection }>(
    {
      schema,
      context: (ctx) => ({ connection: (ctx.extra as Extra).live }),
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra;
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== 'string' || authorization === '') {
          extra.socket.close(CloseCode.Unauthorized, 'connectionParams.authorization must be "Bearer <token>"');
          return false;
        }
        let identity: Identity;
        try {
          identity = await options.callerOf(authorization);
        } catch (err) {
          extra.socket.close(CloseCode.Unauthorized, err instanceof GraphQLError ? err.message.slice(0, 120) : 'Invalid token');
          return false;
        }
        const count = perToken.get(identity.sub) ?? 0;
        if (count >= limits.connectionsPerToken) {
          extra.socket.close(LIVE_CLOSE.tooManyConnections, `At most ${limits.connectionsPerToken} live connections per caller`);
          return false;
        }
        perToken.set(identity.sub, count + 1);
        // the connection ends with its token: a client reconnects with a fresh one
        const exp = decodeJwt(authorization.replace(/^Bearer\s+/i, '')).exp;
        const expiry = exp
          ? setTimeout(() => extra.socket.close(LIVE_CLOSE.tokenExpired, 'The token has expired'), Math.max(0, exp * 1000 - Date.now()))
          : null;
        expiry?.unref();
        extra.live = { identity, client: options.clientOf(extra.request), subscriptions: 0, expiry };
        return true;
      },
      onClose: (ctx) => {
        const live = (ctx.extra as Extra).live;
        if (!live) return;
        if (live.expiry) clearTimeout(live.expiry);
        const count = (perToken.get(live.identity.sub) ?? 1) - 1;
        if (count <= 0) perToken.delete(live.identity.sub);
        else perToken.set(live.identity.sub, count);
      },
      onSubscribe: (ctx, _id, payload) => {
        const live = (ctx.extra as Extra).live!;
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (err) {
          return [fail(err instanceof GraphQLError ? err.message : 'The document could not be parsed', ErrorCode.BAD_REQUEST)];
        }
        const errors = validate(schema, document, specifiedRules);
        if (errors.length > 0) return errors.slice(0, 5).map((e) => fail(e.message, ErrorCode.BAD_REQUEST));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription' && operation?.operation !== 'query') {
          return [fail('Send one subscription (or query) operation; mutations are served on HTTP', ErrorCode.BAD_REQUEST)];
        }
        if (operation.operation === 'subscription' && live.subscriptions >= limits.subscriptionsPerConnection) {
          return [fail(`At most ${limits.subscriptionsPerConnection} subscriptions per connection`, ErrorCode.RATE_LIMITED)];
        }
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: { connection: live },
        };
      },
      // what reaches the client of an error: its code, field and message, never a stack or an internal name
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => toClientError(e.toJSON(), e, logger, { production: options.production })) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toClientError(e.toJSON(), e, logger, { production: options.production })),
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    stop: async () => {
      options.server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'The gateway is stopping');
      await disposable.dispose();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}

interface Subscriber {
  connection: Connection;
}

/** The subscription's resolvers on the schema built from the SDL. */
function wireResolvers(schema: GraphQLSchema, hub: LiveHub, askAccess: AskLiveAccess, limits: LiveLimits): void {
  const query = schema.getQueryType()!.getFields();
  query.liveEventTypes.resolve = () => LIVE_EVENT_TYPES.map(liveEnumOf);
  const field = schema.getSubscriptionType()!.getFields().campaignEvents;
  field.subscribe = async (_root, args: { campaignId: string; types?: string[] | null }, context: Subscriber) => {
    if (!isUuid(args.campaignId)) throw fail('campaignId must be a UUID', ErrorCode.BAD_USER_INPUT, 'campaignId');
    const { connection } = context;
    const campaignId = args.campaignId.toLowerCase();
    const requested = args.types?.length ? new Set(args.types.map((t) => liveTypeOfEnum(t)!)) : null;
    let access = await askAccess(connection.identity, connection.client, campaignId);
    const allowed = (a: LiveAccess) => new Set(a.eventTypes.filter((t) => !requested || requested.has(t as never)));
    let types = allowed(access);
    if (types.size === 0) throw fail('You may not receive these event types of this campaign', ErrorCode.FORBIDDEN, 'types');
    const queue = new BoundedQueue<LiveEvent>(limits.queueCapacity);
    const unlisten = hub.listen(campaignId, (event) => {
      if (!types.has(event.envelope.type)) return;
      if (access.partnershipIds && !(event.route.partnershipId && access.partnershipIds.includes(event.route.partnershipId))) return;
      queue.push(event);
    });
    connection.subscriptions++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(recheck);
      unlisten();
      queue.close();
      connection.subscriptions--;
    };
    // a grant revoked or a membership removed ends the subscription at the next check; a failed check
    // (the subgraph briefly away) keeps it as it was
    const recheck = setInterval(() => {
      askAccess(connection.identity, connection.client, campaignId).then(
        (fresh) => {
          access = fresh;
          types = allowed(fresh);
          if (types.size === 0) end();
        },
        (err: unknown) => {
          if (isRefusal(err)) end();
        },
      );
    }, limits.recheckMs);
    recheck.unref();
    const iterator: AsyncIterableIterator<unknown> = {
      next: async () => {
        const item = await queue.next();
        return item ? { value: { ...item.value, missedBefore: item.missedBefore }, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        end();
        return { value: undefined, done: true };
      },
      throw: async (err: unknown) => {
        end();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  };
  field.resolve = (item: LiveEvent & { missedBefore: number }) => ({
    id: item.envelope.id,
    type: liveEnumOf(item.envelope.type as never),
    time: item.envelope.time,
    subject: item.envelope.subject,
    campaignId: item.route.campaignId,
    partnershipId: item.route.partnershipId,
    data: item.envelope.data,
    missedBefore: item.missedBefore,
  });
}
