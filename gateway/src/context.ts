import type { ClientInfo, Identity, TraceContext } from '@influenceflow/kit';

export interface GatewayContext {
  requestId: string;
  identity: Identity | null;
  /** The client's address (the socket's, or as TRUSTED_PROXIES allow) and user agent, signed to subgraphs. */
  client?: ClientInfo | null;
  /** The gateway's span of the request's trace (the client's traceparent continued, or a new trace). */
  trace?: TraceContext | null;
}
