import type { SubgraphModule } from '@influenceflow/kit';
import { Creator } from './creators/creator.entity';
import { CreatorResolver, resolveCreatorReference } from './creators/creator.resolver';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';

/** The discovery subgraph: creators (and, as they arrive, accounts, audiences, authenticity, search). */
export const discoverySubgraph: SubgraphModule = {
  name: 'discovery',
  resolvers: [CreatorResolver],
  references: { Creator: resolveCreatorReference },
  entities: [Creator],
  migrations: [Initial1764100000000],
};
