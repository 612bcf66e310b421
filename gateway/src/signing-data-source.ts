import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ClientInfo, IDENTITY_HEADER, Identity, REQUEST_ID_HEADER, signGatewayCall } from '@influenceflow/kit';
import type { GatewayContext } from './context';
import { subgraphFetcher } from './subgraph-fetcher';

/** Where `willSendRequest` leaves the caller for the fetcher, which signs once the body is final. */
const PENDING_IDENTITY = 'x-influenceflow-pending-identity';
const PENDING_CLIENT = 'x-influenceflow-pending-client';

/**
 * Calls a subgraph with the caller's verified identity in a signed header (subgraphs refuse unsigned
 * requests) and the request id, and gives up after a timeout (the gateway applies none by itself).
 *
 * The signature covers the exact body, so it is made in the fetcher, after Apollo has serialised the
 * request: `willSendRequest` only notes who is calling, in a header the fetcher replaces by the signature.
 */
export class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    readonly subgraph: string,
    secret: string,
    timeoutMs: number,
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
  }
}
