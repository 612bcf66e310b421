import type { Identity } from '@influenceflow/kit';

export interface GatewayContext {
  requestId: string;
  identity: Identity | null;
}
