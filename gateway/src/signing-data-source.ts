import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity } from '@influenceflow/kit';
import type { GatewayContext } from './context';

/**
 * Calls a subgraph with the caller's verified identity in a signed header (subgraphs refuse unsigned
 * requests) and the request id, and gives up after a timeout (the gateway applies none by itself).
 */
export class SigningDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
    timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    const ctx = context as Partial<GatewayContext>;
    // Health checks and schema loading run without a client request: they go out as anonymous.
    headers.set(IDENTITY_HEADER, signIdentity(ctx.identity ?? null, this.secret));
    if (ctx.requestId) headers.set(REQUEST_ID_HEADER, ctx.requestId);
  }
}
