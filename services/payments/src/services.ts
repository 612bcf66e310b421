import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CompensationService } from './compensation/compensation.service';
import { CompensationViews } from './compensation/compensation.views';
import type { LedgerPostings } from './ledger/postings';
import type { PayoutRequests } from './payouts/payout-requests';
import { BrandRateCardService } from './rate-cards/brand-rate-card.service';
import { RateCardService } from './rate-cards/rate-card.service';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  brandRateCards: BrandRateCardService;
  compensation: CompensationService;
  compensationViews: CompensationViews;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** Parts made elsewhere (the ledger, payouts) until they are wired here; tests give their own. */
export interface PaymentsParts {
  ledger?: LedgerPostings;
  payouts?: PayoutRequests;
}

/** A part not wired yet: every call fails, so the event using it is retried and dead-lettered, never lost. */
function unwired<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`${what} is not wired into payments yet`)),
  });
}

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(runtime: SubgraphRuntime, parts: PaymentsParts = {}): PaymentsServices {
  const ledger = parts.ledger ?? unwired<LedgerPostings>('the ledger');
  const payouts = parts.payouts ?? unwired<PayoutRequests>('payouts');
  return {
    rateCards: new RateCardService(),
    brandRateCards: new BrandRateCardService(),
    compensation: new CompensationService({
      ledger,
      payouts,
      outbox: runtime.outbox,
      logger: runtime.logger.child({ component: 'compensation' }),
    }),
    compensationViews: new CompensationViews(),
  };
}
