import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { RateCardService } from './rate-cards/rate-card.service';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(_runtime: SubgraphRuntime): PaymentsServices {
  return {
    rateCards: new RateCardService(),
  };
}
