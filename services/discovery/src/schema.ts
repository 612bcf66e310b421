import type { SubgraphModule } from '@influenceflow/kit';
import { TOPICS } from '@influenceflow/vocabulary';
import { CreatorAccountsResolver, PlatformAccountResolver } from './accounts/account.resolver';
import { PlatformAccount } from './accounts/platform-account.entity';
import { AuthenticityReport } from './authenticity/authenticity-report.entity';
import { AuthenticityRescore } from './authenticity/rescore';
import { Creator } from './creators/creator.entity';
import { CreatorResolver, resolveCreatorReference } from './creators/creator.resolver';
import { CreatorAudienceMatchResolver, SearchResolver } from './search/search.resolver';
import { LookalikeResolver } from './lookalikes/lookalike.resolver';
import { MediaKitResolver } from './media-kit/media-kit.resolver';
import { PriceGuidanceResolver } from './pricing/price-guidance.resolver';
import { discoveryConsumers } from './events/consumers';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';
import { AccountsAndSearch1764200000000 } from './migrations/1764200000000-AccountsAndSearch';
import { SearchTextTable1764300000000 } from './migrations/1764300000000-SearchTextTable';
import { AudienceChanges1764400000000 } from './migrations/1764400000000-AudienceChanges';
import { CountrySortIndexes1764500000000 } from './migrations/1764500000000-CountrySortIndexes';
import { AudienceIndexFilters1764600000000 } from './migrations/1764600000000-AudienceIndexFilters';
import { ConnectorsAndProvenance1764800000000 } from './migrations/1764800000000-ConnectorsAndProvenance';
import { PlatformConnectionResolver } from './connectors/connection.resolver';
import { PlatformConnection } from './connectors/platform-connection.entity';
import { CreatorAvatar1765050000000 } from './migrations/1765050000000-CreatorAvatar';
import { AuthenticityV21764700000000 } from './migrations/1764700000000-AuthenticityV2';
import { SponsoredPerformance1764900000000 } from './migrations/1764900000000-SponsoredPerformance';
import { RateCardPeriods1767630000000 } from './migrations/1767630000000-RateCardPeriods';
import { PostMeasurements1767730000001 } from './migrations/1767730000001-PostMeasurements';
import { RateCardDays } from './pricing/rate-card-days';
import { DiscoveryServices, discoveryServices } from './services';

/** The discovery subgraph: creators, their accounts, audiences and authenticity, search. */
export const discoverySubgraph: SubgraphModule<DiscoveryServices> = {
  name: 'discovery',
  resolvers: [
    CreatorResolver,
    CreatorAccountsResolver,
    PlatformAccountResolver,
    SearchResolver,
    CreatorAudienceMatchResolver,
    LookalikeResolver,
    MediaKitResolver,
    PriceGuidanceResolver,
    PlatformConnectionResolver,
  ],
  references: { Creator: resolveCreatorReference },
  entities: [Creator, PlatformAccount, AuthenticityReport, PlatformConnection],
  migrations: [
    Initial1764100000000,
    AccountsAndSearch1764200000000,
    SearchTextTable1764300000000,
    AudienceChanges1764400000000,
    CountrySortIndexes1764500000000,
    AudienceIndexFilters1764600000000,
    AuthenticityV21764700000000,
    ConnectorsAndProvenance1764800000000,
    SponsoredPerformance1764900000000,
    CreatorAvatar1765050000000,
    RateCardPeriods1767630000000,
    PostMeasurements1767730000001,
  ],
  // publishes creator.events; consumes payment.events (rate cards)
  eventTopics: [TOPICS.creator, TOPICS.payment],
  services: discoveryServices,
  consumers: () => discoveryConsumers,
  background: (services, runtime) => [
    services.audienceIndex,
    services.connectionRefresher,
    // accounts scored by an older authenticity model are scored again (authenticity/rescore.ts)
    new AuthenticityRescore(runtime, services, runtime.logger.child({ component: 'authenticity-rescore' })),
    // rate-card lines that begin or end on a new day change search prices that day
    new RateCardDays(runtime, runtime.logger.child({ component: 'rate-card-days' })),
  ],
};
