import type { SubgraphModule } from '@influenceflow/kit';
import { Brand } from './brands/brand.entity';
import { BrandResolver, resolveBrandReference } from './brands/brand.resolver';
import { Campaign } from './campaigns/campaign.entity';
import { CampaignResolver, resolveCampaignReference } from './campaigns/campaign.resolver';
import { Initial1764100000000 } from './migrations/1764100000000-Initial';

/** The campaign subgraph: brands, campaigns (and, as they arrive, briefs, partnerships, tracking). */
export const campaignSubgraph: SubgraphModule = {
  name: 'campaign',
  resolvers: [BrandResolver, CampaignResolver],
  references: { Brand: resolveBrandReference, Campaign: resolveCampaignReference },
  entities: [Brand, Campaign],
  migrations: [Initial1764100000000],
  consumers: [],
};
