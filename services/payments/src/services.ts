import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { CompensationService } from './compensation/compensation.service';
import { CompensationViews } from './compensation/compensation.views';
import type { PayoutRequests } from './payouts/payout-requests';
import { BrandRateCardService } from './rate-cards/brand-rate-card.service';
import { RateCardService } from './rate-cards/rate-card.service';
import { Ledger } from './ledger/ledger';
import { FundingService } from './ledger/funding.service';
import { PaymentsSettings, paymentsSettings } from './settings';
import { PayoutService } from './payouts/payout.service';
import { PayoutWorker } from './payouts/payout-worker';
import { PayoutSettings, payoutSettings } from './payouts/payout-settings';
import { ManualTransferProvider, SimulatedProvider } from './payouts/providers';
import { HistoryService } from './history/history.service';

/** What the payments subgraph is made of, built once per process (`paymentsServices`). */
export interface PaymentsServices {
  rateCards: RateCardService;
  brandRateCards: BrandRateCardService;
  /** The double-entry ledger: every money movement goes through its postings. */
  ledger: Ledger;
  funding: FundingService;
  settings: PaymentsSettings;
  /** Payouts: requests (the seam compensation calls), the API, admins' moves (docs/payments.md, "Payouts"). */
  payouts: PayoutService;
  /** Sends queued attempts, retries failed ones, reconciles stuck ones (a background task). */
  payoutWorker: PayoutWorker;
  /** The simulated provider of this process (tests count its calls and make it fail). */
  simulatedProvider: SimulatedProvider;
  compensation: CompensationService;
  compensationViews: CompensationViews;
  /** Payment history, yearly statements (GraphQL, CSV, PDF), earnings: reads only (docs/payments.md, "History, statements and earnings"). */
  history: HistoryService;
}

/** The request context of payments's resolvers: `ctx.services` are the ones below. */
export type PaymentsContext = RequestContext<PaymentsServices>;

/** Parts tests replace (compensation's payout requests). */
export interface PaymentsParts {
  payouts?: PayoutRequests;
}

/** The one place payments's parts are made, with what each needs. */
export function paymentsServices(
  runtime: SubgraphRuntime,
  settings: PaymentsSettings = paymentsSettings(),
  payoutConfig: PayoutSettings = payoutSettings(),
  parts: PaymentsParts = {},
): PaymentsServices {
  const ledger = new Ledger(runtime.outbox, { platformFeeBasisPoints: settings.platformFeeBasisPoints });
  const funding = new FundingService(ledger, runtime.logger.child({ component: 'funding' }));
  const simulatedProvider = SimulatedProvider.fromSettings(payoutConfig);
  const providers = { simulated: simulatedProvider, manual: new ManualTransferProvider() };
  const payouts = new PayoutService(runtime, ledger, providers, payoutConfig, runtime.logger.child({ component: 'payouts' }));
  const compensation = new CompensationService({
    ledger,
    payouts: parts.payouts ?? payouts,
    outbox: runtime.outbox,
    logger: runtime.logger.child({ component: 'compensation' }),
  });
  // A campaign's end pays what falls due then (ON_CAMPAIGN_END, what waited for funds, commission) before its escrow returns.
  funding.beforeEscrowReturn((tx, campaign) => compensation.beforeEscrowReturn(tx, campaign.id, campaign.status === 'completed'));
  // A closed campaign takes funding only for what it still owes its creators (late commission: docs/payments.md, "Commission").
  funding.closedCampaignOwes((tx, campaignId) => compensation.shortfall(tx, campaignId));
  // A funding pays at once what waited for that campaign's escrow (the awaiting-funds task stays the safety net).
  funding.afterFunding(async (campaignId) => {
    await compensation.retryAwaiting(runtime.dataSource, campaignId);
  });
  return {
    rateCards: new RateCardService(),
    brandRateCards: new BrandRateCardService(),
    ledger,
    funding,
    settings,
    payouts,
    payoutWorker: new PayoutWorker(payouts, payoutConfig.pollMs, runtime.logger.child({ component: 'payout-worker' })),
    simulatedProvider,
    compensation,
    compensationViews: new CompensationViews(),
    history: new HistoryService(),
  };
}
