import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { RateCardService } from './rate-cards/rate-card.service';
import { Ledger } from './ledger/ledger';
import { FundingService } from './ledger/funding.service';
import { PaymentsSettings, paymentsSettings } from './settings';
import { PayoutService } from './payouts/payout.service';
import { PayoutWorker } from './payouts/payout-worker';
import { PayoutSettings, payoutSettings } from './payouts/payout-settings';
import { ManualTransferProvider, SimulatedProvider } from './payouts/providers';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  /** The double-entry ledger: every money movement goes through its postings. */
  ledger: Ledger;
  funding: FundingService;
  settings: PaymentsSettings;
  /** Payouts: requests (the seam compensation calls), the API, admins' moves (docs/payments-payouts.md). */
  payouts: PayoutService;
  /** Sends queued attempts, retries failed ones, reconciles stuck ones (a background task). */
  payoutWorker: PayoutWorker;
  /** The simulated provider of this process (tests count its calls and make it fail). */
  simulatedProvider: SimulatedProvider;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(
  runtime: SubgraphRuntime,
  settings: PaymentsSettings = paymentsSettings(),
  payoutConfig: PayoutSettings = payoutSettings(),
): PaymentsServices {
  const ledger = new Ledger(runtime.outbox, { platformFeeBasisPoints: settings.platformFeeBasisPoints });
  const simulatedProvider = SimulatedProvider.fromSettings(payoutConfig);
  const providers = { simulated: simulatedProvider, manual: new ManualTransferProvider() };
  const payouts = new PayoutService(runtime, ledger, providers, payoutConfig, runtime.logger.child({ component: 'payouts' }));
  return {
    rateCards: new RateCardService(),
    ledger,
    funding: new FundingService(ledger),
    settings,
    payouts,
    payoutWorker: new PayoutWorker(payouts, payoutConfig.pollMs, runtime.logger.child({ component: 'payout-worker' })),
    simulatedProvider,
  };
}
