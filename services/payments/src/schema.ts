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

/** The payments subgraph: rate cards, the double-entry ledger with campaign funding (and, as they arrive, compensation, payouts). */
export const paymentsSubgraph: SubgraphModule<PaymentsServices> = {
  name: 'payments',
  resolvers: [RateCardResolver, CreatorRateCardResolver, FundingResolver, CampaignSpendResolver, BrandBalanceResolver],
  orphanedTypes: [Creator, Campaign, Brand],
  references: {
    Creator: (ref) => ({ id: ref.id }),
    Campaign: (ref) => ({ id: ref.id }),
    Brand: (ref) => ({ id: ref.id }),
  },
  entities: [RateCardEntry],
  migrations: [Initial1764100000000, Ledger1767100000000],
  // publishes payment.events; consumes campaign.events (the ledger's campaign copies, escrow returns)
  eventTopics: [TOPICS.payment, TOPICS.campaign],
  services: paymentsServices,
  consumers: (services) => [...ledgerConsumers(services.funding)],
};
