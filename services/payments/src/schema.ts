import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { PaymentsServices, paymentsServices } from './services';
import { RateCardEntry } from './rate-cards/rate-card-entry.entity';
import { CreatorRateCardResolver, RateCardResolver } from './rate-cards/rate-card.resolver';
import { Creator } from './rate-cards/rate-card.types';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';

/** The payments subgraph: rate cards (and, as they arrive, compensation, the ledger, payouts). */
export const paymentsSubgraph: SubgraphModule<PaymentsServices> = {
  name: 'payments',
  resolvers: [RateCardResolver, CreatorRateCardResolver],
  orphanedTypes: [Creator],
  references: { Creator: (ref) => ({ id: ref.id }) },
  entities: [RateCardEntry],
  migrations: [Initial1764100000000],
  // publishes payment.events
  eventTopics: [TOPICS.payment],
  services: paymentsServices,
};
