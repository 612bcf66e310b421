import type { LedgerPostings } from './ledger/postings';
import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { RateCardService } from './rate-cards/rate-card.service';
import { PayoutService } from './payouts/payout.service';
import { PayoutWorker } from './payouts/payout-worker';
import { PayoutSettings, payoutSettings } from './payouts/payout-settings';
import { ManualTransferProvider, SimulatedProvider } from './payouts/providers';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  /** Payouts: requests (the seam compensation calls), the API, admins' moves (docs/payments-payouts.md). */
  payouts: PayoutService;
  /** Sends queued attempts, retries failed ones, reconciles stuck ones (a background task). */
  payoutWorker: PayoutWorker;
  /** The simulated provider of this process (tests count its calls and make it fail). */
  simulatedProvider: SimulatedProvider;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

// TEMP until P1's ledger is merged: replaced by `new Ledger(runtime.outbox)`.
const ledgerOf = (_runtime: SubgraphRuntime): LedgerPostings =>
  new Proxy({} as LedgerPostings, {
    get: () => () => Promise.reject(new Error('the ledger is not wired yet')),
  });

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(runtime: SubgraphRuntime, settings: PayoutSettings = payoutSettings()): PaymentsServices {
  const ledger = ledgerOf(runtime);
  const simulatedProvider = SimulatedProvider.fromSettings(settings);
  const providers = { simulated: simulatedProvider, manual: new ManualTransferProvider() };
  const payouts = new PayoutService(runtime, ledger, providers, settings, runtime.logger.child({ component: 'payouts' }));
  return {
    rateCards: new RateCardService(),
    payouts,
    payoutWorker: new PayoutWorker(payouts, settings.pollMs, runtime.logger.child({ component: 'payout-worker' })),
    simulatedProvider,
  };
}
