import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  childSpan,
  ClientInfo,
  currentTrace,
  formatTraceparent,
  IDENTITY_HEADER,
  Identity,
  Logger,
  REQUEST_ID_HEADER,
  signGatewayCall,
  TRACEPARENT_HEADER,
  traceLogFields,
} from '@influenceflow/kit';
import type { GatewayContext } from './context';
import { subgraphFetcher } from './subgraph-fetcher';
import { fetchDocument, isGraphQLAnswer, refusalErrors, unavailableAnswer } from './subgraph-unavailable';

/** Where `willSendRequest` leaves the caller for the fetcher, which signs once the body is final. */
const PENDING_IDENTITY = 'x-influenceflow-pending-identity';
const PENDING_CLIENT = 'x-influenceflow-pending-client';

type SubgraphAnswer = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/**
 * Calls a subgraph with the caller's verified identity in a signed header (subgraphs refuse unsigned
 * requests), the request id and a span of the client's trace (`traceparent`), and gives up after the
 * subgraph's timeout (the gateway applies none by itself).
 *
 * The signature covers the exact body, so it is made in the fetcher, after Apollo has serialised the
 * request: `willSendRequest` only notes who is calling, in a header the fetcher replaces by the signature.
 *
 * A subgraph that does not answer (refused, timed out, a 5xx, something that is not GraphQL) does not fail
 * the whole operation: its fetch answers SUBGRAPH_UNAVAILABLE errors with the paths it would have filled,
 * and the gateway returns what the other subgraphs answered (docs/edge.md).
 */
export class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    readonly subgraph: string,
    secret: string,
    timeoutMs: number,
    private readonly logger: Logger,
    /** False in production: an unavailable subgraph's error does not name it. */
    private readonly nameInErrors = true,
  ) {
    const send = subgraphFetcher(timeoutMs);
    super({
      url,
      fetcher: ((input: string, init: RequestInit & { headers: Record<string, string> }) => {
        const { [PENDING_IDENTITY]: pending, [PENDING_CLIENT]: pendingClient, ...headers } = init.headers;
        const identity = pending ? (JSON.parse(pending) as Identity | null) : null;
        const client = pendingClient ? (JSON.parse(pendingClient) as ClientInfo | null) : null;
        const method = init.method ?? 'POST';
        headers[IDENTITY_HEADER] = signGatewayCall(
          identity,
          { method, subgraph, body: (init.body as string | undefined) ?? '', client },
          secret,
        );
        return send(input, { method, headers, body: init.body as string | undefined });
      }) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    const ctx = context as Partial<GatewayContext>;
    // Health checks and schema loading run without a client request: they go out as anonymous.
    headers.set(PENDING_IDENTITY, JSON.stringify(ctx.identity ?? null));
    if (ctx.client) headers.set(PENDING_CLIENT, JSON.stringify(ctx.client));
    if (ctx.requestId) headers.set(REQUEST_ID_HEADER, ctx.requestId);
    // each call is a span of its own below the gateway's
    const trace = ctx.trace ?? currentTrace();
    if (trace) headers.set(TRACEPARENT_HEADER, formatTraceparent(childSpan(trace)));
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphAnswer> {
    // health checks and schema loading (no client operation) fail as they always did
    if (!('incomingRequestContext' in options)) return super.process(options);
    // the fetch's parsed document only when the planner is asked to keep it (it is not): parsed on failure
    const { document, request } = options;
    const variables = request.variables;
    // read before super.process, which replaces request.http
    const query = request.query;
    let reason: unknown;
    try {
      const answer = await super.process(options);
      if (isGraphQLAnswer(answer, variables?.representations)) return answer;
      reason = new Error(`the answer is not a GraphQL response (HTTP ${answer.http?.status ?? '?'})`);
    } catch (err) {
      // a refusal in GraphQL (a 4xx with errors) is the subgraph's answer, relayed without its URL
      const refused = refusalErrors(err);
      if (refused) return { errors: refused };
      reason = err;
    }
    this.logger.warn(
      { err: reason, subgraph: this.subgraph, path: options.pathInIncomingRequest, ...traceLogFields(options.context.trace) },
      'subgraph unavailable: its part of the answer is missing',
    );
    return unavailableAnswer(this.nameInErrors ? this.subgraph : null, fetchDocument(document, query), variables);
  }
}
