import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CompensationService } from './compensation/compensation.service';
import { CompensationViews } from './compensation/compensation.views';
import type { PayoutRequests } from './payouts/payout-requests';
import { BrandRateCardService } from './rate-cards/brand-rate-card.service';
import { RateCardService } from './rate-cards/rate-card.service';
import { Ledger } from './ledger/ledger';
import { FundingService } from './ledger/funding.service';
import { PaymentsSettings, paymentsSettings } from './settings';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  brandRateCards: BrandRateCardService;
  /** The double-entry ledger: every money movement goes through its postings. */
  ledger: Ledger;
  funding: FundingService;
  settings: PaymentsSettings;
  compensation: CompensationService;
  compensationViews: CompensationViews;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** Parts made elsewhere until they are wired here (payouts); tests give their own. */
export interface PaymentsParts {
  payouts?: PayoutRequests;
}

/** A part not wired yet: every call fails, so the event using it is retried and dead-lettered, never lost. */
function unwired<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`${what} is not wired into payments yet`)),
  });
}

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(
  runtime: SubgraphRuntime,
  settings: PaymentsSettings = paymentsSettings(),
  parts: PaymentsParts = {},
): PaymentsServices {
  const ledger = new Ledger(runtime.outbox, { platformFeeBasisPoints: settings.platformFeeBasisPoints });
  const funding = new FundingService(ledger);
  const compensation = new CompensationService({
    ledger,
    payouts: parts.payouts ?? unwired<PayoutRequests>('payouts'),
    outbox: runtime.outbox,
    logger: runtime.logger.child({ component: 'compensation' }),
  });
  // A campaign's end pays what falls due then (ON_CAMPAIGN_END, what waited for funds, commission) before its escrow returns.
  funding.beforeEscrowReturn((tx, campaign) => compensation.beforeEscrowReturn(tx, campaign.id, campaign.status === 'completed'));
  return {
    rateCards: new RateCardService(),
    brandRateCards: new BrandRateCardService(),
    ledger,
    funding,
    settings,
    compensation,
    compensationViews: new CompensationViews(),
  };
}
