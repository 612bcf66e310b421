import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { AccountService } from './accounts/account.service';
import { CreatorService } from './creators/creator.service';
import { LookalikeService } from './lookalikes/lookalike.service';
import { MediaKitService } from './media-kit/media-kit.service';
import { AudienceIndexSync } from './search/audience-index.sync';
import { SearchService } from './search/search.service';
import { ConnectionRefresher } from './connectors/connection-refresher';
import { ConnectionService } from './connectors/connection.service';
import { connectorSettingsOf } from './connectors/connector-config';
import { configuredConnectors } from './connectors/connectors';

/** What the discovery subgraph is made of, built once per process (`discoveryServices`). */
export interface DiscoveryServices {
  accounts: AccountService;
  creators: CreatorService;
  search: SearchService;
  lookalikes: LookalikeService;
  mediaKits: MediaKitService;
  /** The in-memory audience index, kept current in the background (docs/discovery.md). */
  audienceIndex: AudienceIndexSync;
  /** Accounts connected to their platforms (docs/connectors.md). */
  connections: ConnectionService;
  /** Fetches connected accounts' figures on schedule, in the background. */
  connectionRefresher: ConnectionRefresher;
}

/** The request context of discovery's resolvers: `ctx.services` are the ones below. */
export type DiscoveryContext = RequestContext<DiscoveryServices>;

/** The one place discovery's parts are made, with what each needs. */
export function discoveryServices(runtime: SubgraphRuntime): DiscoveryServices {
  const accounts = new AccountService();
  const creators = new CreatorService(accounts);
  const audienceIndex = new AudienceIndexSync(runtime.dataSource, runtime.logger.child({ component: 'audience-index' }));
  const connectorSettings = connectorSettingsOf(runtime.config);
  const connectorLogger = runtime.logger.child({ component: 'connectors' });
  const connections = new ConnectionService(accounts, connectorSettings, configuredConnectors(connectorSettings), connectorLogger);
  return {
    accounts,
    creators,
    search: new SearchService(audienceIndex),
    lookalikes: new LookalikeService(),
    mediaKits: new MediaKitService(creators, accounts),
    audienceIndex,
    connections,
    connectionRefresher: new ConnectionRefresher(connections, runtime, connectorLogger, connectorSettings.pollMs),
  };
}
