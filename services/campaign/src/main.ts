import { loadServiceConfig, runProcess, startSubgraph } from '@influenceflow/kit';
import { campaignSubgraph } from './schema';
import { campaignServices } from './services';
import { campaignSettings } from './settings';
import { webhookSettings } from './webhooks/webhook-settings';

void runProcess('campaign', () => {
  // Both read and checked before anything starts: a bad value stops the service with one message.
  const config = loadServiceConfig('campaign');
  const settings = campaignSettings();
  const hooks = webhookSettings();
  return startSubgraph({ ...campaignSubgraph, services: (runtime) => campaignServices(runtime, settings, hooks) }, config);
});
