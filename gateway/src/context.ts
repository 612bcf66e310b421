import type { ClientInfo, Identity } from '@influenceflow/kit';

export interface GatewayContext {
  requestId: string;
  identity: Identity | null;
  /** The client's address (the socket's, or as TRUSTED_PROXIES allow) and user agent, signed to subgraphs. */
  client?: ClientInfo | null;
}
