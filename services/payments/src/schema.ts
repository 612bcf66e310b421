import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { PaymentsServices, paymentsServices } from './services';
import { RateCardEntry } from './rate-cards/rate-card-entry.entity';
import { CreatorRateCardResolver, RateCardResolver } from './rate-cards/rate-card.resolver';
import { Creator } from './rate-cards/rate-card.types';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { Ledger1767100000000 } from './migrations/1767100000000-Ledger';
import { BrandBalanceResolver, CampaignSpendResolver, FundingResolver } from './ledger/funding.resolver';
import { Brand, Campaign } from './ledger/funding.types';
import { ledgerConsumers } from './ledger/consumers';
import { Payouts1767200000000 } from './migrations/1767200000000-Payouts';
import { Payout, PayoutAttempt, PayoutIdempotencyKey, PayoutPartnership } from './payouts/payout.entity';
import { PartnershipPayoutsResolver, PayoutResolver } from './payouts/payout.resolver';
import { Partnership } from './payouts/payout.types';
import { payoutConsumers } from './payouts/consumers';

/** The payments subgraph: rate cards, the double-entry ledger with campaign funding, payouts (and, as it arrives, compensation). */
export const paymentsSubgraph: SubgraphModule<PaymentsServices> = {
  name: 'payments',
  resolvers: [
    RateCardResolver,
    CreatorRateCardResolver,
    FundingResolver,
    CampaignSpendResolver,
    BrandBalanceResolver,
    PayoutResolver,
    PartnershipPayoutsResolver,
  ],
  orphanedTypes: [Creator, Campaign, Brand, Partnership],
  references: {
    Creator: (ref) => ({ id: ref.id }),
    Campaign: (ref) => ({ id: ref.id }),
    Brand: (ref) => ({ id: ref.id }),
    Partnership: (ref) => ({ id: ref.id }),
  },
  entities: [RateCardEntry, Payout, PayoutAttempt, PayoutIdempotencyKey, PayoutPartnership],
  migrations: [Initial1764100000000, Ledger1767100000000, Payouts1767200000000],
  // publishes payment.events; consumes campaign.events (the ledger's campaign copies, escrow returns) and
  // contract.events (payouts: partnerships under contract)
  eventTopics: [TOPICS.payment, TOPICS.campaign, TOPICS.contract],
  services: paymentsServices,
  consumers: (services) => [...ledgerConsumers(services.funding), ...payoutConsumers(services.payouts)],
  background: (services) => [services.payoutWorker],
};
