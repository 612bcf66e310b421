import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { PaymentsServices, paymentsServices } from './services';
import { RateCardEntry } from './rate-cards/rate-card-entry.entity';
import { CreatorRateCardResolver, RateCardResolver } from './rate-cards/rate-card.resolver';
import { Creator } from './rate-cards/rate-card.types';
import { RateCardLine } from './rate-cards/rate-card-line';
import { BrandRateCardEntry } from './rate-cards/brand-rate-card.entity';
import { BrandRateCardResolver } from './rate-cards/brand-rate-card.resolver';
import { CompMilestone, CompPartnership, CompPlan } from './compensation/compensation.entity';
import {
  CampaignFundingRequestedResolver,
  CompensationPlanResolver,
  Contract,
  ContractMilestonesResolver,
  PartnershipCompensationResolver,
  PaymentMilestoneResolver,
} from './compensation/compensation.resolver';
import { compensationConsumers } from './compensation/consumers';
import { AwaitingFundsTask } from './compensation/awaiting-funds.task';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { Ledger1767100000000 } from './migrations/1767100000000-Ledger';
import { Compensation1767300000000 } from './migrations/1767300000000-Compensation';
import { BrandRateCards1767300000001 } from './migrations/1767300000001-BrandRateCards';
import { BrandBalanceResolver, CampaignSpendResolver, FundingResolver } from './ledger/funding.resolver';
import { Brand, Campaign } from './ledger/funding.types';
import { ledgerConsumers } from './ledger/consumers';
import { Payouts1767200000000 } from './migrations/1767200000000-Payouts';
import { Payout, PayoutAttempt, PayoutIdempotencyKey } from './payouts/payout.entity';
import { PartnershipPayoutsResolver, PayoutResolver } from './payouts/payout.resolver';
import { Partnership } from './payouts/payout.types';
import {
  CreatorEarningsResolver,
  CreatorStatementFilesResolver,
  PaymentHistoryResolver,
  PayoutPartiesResolver,
  StatementBrandReferenceResolver,
  StatementLineReferencesResolver,
} from './history/history.resolver';
import { History1767400000000 } from './migrations/1767400000000-History';
import { OnePartnershipCopy1767500000000 } from './migrations/1767500000000-OnePartnershipCopy';
import { LedgerPost1767600000000 } from './migrations/1767600000000-LedgerPost';
import { ClearingShards1767600000001 } from './migrations/1767600000001-ClearingShards';
import { RateCardPeriods1767610000000 } from './migrations/1767610000000-RateCardPeriods';
import { PartnershipNames1767620000000 } from './migrations/1767620000000-PartnershipNames';
import { PartyNamesAt1767640000000 } from './migrations/1767640000000-PartyNamesAt';

/** The payments subgraph: rate cards, the double-entry ledger with campaign funding, payouts, compensation plans and milestones. */
export const paymentsSubgraph: SubgraphModule<PaymentsServices> = {
  name: 'payments',
  resolvers: [
    RateCardResolver,
    CreatorRateCardResolver,
    BrandRateCardResolver,
    FundingResolver,
    CampaignSpendResolver,
    BrandBalanceResolver,
    PayoutResolver,
    PartnershipPayoutsResolver,
    PartnershipCompensationResolver,
    ContractMilestonesResolver,
    CompensationPlanResolver,
    PaymentMilestoneResolver,
    CampaignFundingRequestedResolver,
    PaymentHistoryResolver,
    CreatorEarningsResolver,
    CreatorStatementFilesResolver,
    PayoutPartiesResolver,
    StatementLineReferencesResolver,
    StatementBrandReferenceResolver,
  ],
  orphanedTypes: [Creator, Campaign, Brand, Partnership, Contract, RateCardLine],
  references: {
    Creator: (ref) => ({ id: ref.id }),
    Campaign: (ref) => ({ id: ref.id }),
    Brand: (ref) => ({ id: ref.id }),
    Partnership: (ref) => ({ id: ref.id }),
    Contract: (ref) => ({ id: ref.id }),
  },
  entities: [RateCardEntry, BrandRateCardEntry, Payout, PayoutAttempt, PayoutIdempotencyKey, CompPartnership, CompPlan, CompMilestone],
  migrations: [
    Initial1764100000000,
    Ledger1767100000000,
    Payouts1767200000000,
    Compensation1767300000000,
    BrandRateCards1767300000001,
    History1767400000000,
    OnePartnershipCopy1767500000000,
    LedgerPost1767600000000,
    ClearingShards1767600000001,
    RateCardPeriods1767610000000,
    PartnershipNames1767620000000,
    PartyNamesAt1767640000000,
  ],
  // publishes payment.events; consumes campaign.events (the ledger's campaign copies, escrow returns; compensation),
  // contract.events (compensation, whose partnership copy payouts read too) and conversion.events (compensation)
  eventTopics: [TOPICS.payment, TOPICS.campaign, TOPICS.contract, TOPICS.conversion],
  services: paymentsServices,
  consumers: (services) => [...ledgerConsumers(services.funding), ...compensationConsumers(services.compensation)],
  background: (services, runtime) => [
    services.payoutWorker,
    new AwaitingFundsTask(services.compensation, runtime.dataSource, runtime.logger.child({ component: 'compensation' })),
  ],
};
