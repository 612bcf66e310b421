import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { PaymentsServices, paymentsServices } from './services';
import { RateCardEntry } from './rate-cards/rate-card-entry.entity';
import { CreatorRateCardResolver, RateCardResolver } from './rate-cards/rate-card.resolver';
import { Creator } from './rate-cards/rate-card.types';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { Payouts1767200000000 } from './migrations/1767200000000-Payouts';
import { Payout, PayoutAttempt, PayoutIdempotencyKey, PayoutPartnership } from './payouts/payout.entity';
import { PartnershipPayoutsResolver, PayoutResolver } from './payouts/payout.resolver';
import { Partnership } from './payouts/payout.types';
import { payoutConsumers } from './payouts/consumers';

/** The payments subgraph: rate cards (and, as they arrive, compensation, the ledger, payouts). */
export const paymentsSubgraph: SubgraphModule<PaymentsServices> = {
  name: 'payments',
  resolvers: [RateCardResolver, CreatorRateCardResolver, PayoutResolver, PartnershipPayoutsResolver],
  orphanedTypes: [Creator, Partnership],
  references: { Creator: (ref) => ({ id: ref.id }), Partnership: (ref) => ({ id: ref.id }) },
  entities: [RateCardEntry, Payout, PayoutAttempt, PayoutIdempotencyKey, PayoutPartnership],
  migrations: [Initial1764100000000, Payouts1767200000000],
  // publishes payment.events; consumes contract.events (payouts: partnerships under contract)
  eventTopics: [TOPICS.payment, TOPICS.contract],
  services: paymentsServices,
  consumers: (services) => [...payoutConsumers(services.payouts)],
  background: (services) => [services.payoutWorker],
};
