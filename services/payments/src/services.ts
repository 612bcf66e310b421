import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { RateCardService } from './rate-cards/rate-card.service';
import { Ledger } from './ledger/ledger';
import { FundingService } from './ledger/funding.service';
import { PaymentsSettings, paymentsSettings } from './settings';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  /** The double-entry ledger: every money movement goes through its postings. */
  ledger: Ledger;
  funding: FundingService;
  settings: PaymentsSettings;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(runtime: SubgraphRuntime, settings: PaymentsSettings = paymentsSettings()): PaymentsServices {
  const ledger = new Ledger(runtime.outbox, { platformFeeBasisPoints: settings.platformFeeBasisPoints });
  return {
    rateCards: new RateCardService(),
    ledger,
    funding: new FundingService(ledger),
    settings,
  };
}
