import type { CloudEvent } from '@influenceflow/kit';
import { analyticsSubgraph, AnalyticsServices } from '@influenceflow/analytics';
import type { CampaignEventData } from '@influenceflow/vocabulary';
import { BRAND, CAMPAIGN, goldenEvents, recordGoldenFacts } from '../../../services/analytics/test/golden-data';
import type { TestStack } from '../../src/testing/stack';

export { BRAND, CAMPAIGN, OTHER_BRAND } from '../../../services/analytics/test/golden-data';

/** A second campaign of the golden brand, with nothing measured: a share link of one is replayed on it. */
export const EMPTY_CAMPAIGN = '00000000-0000-4000-8000-0000000000b2';

/**
 * Analytics's golden data set (services/analytics/test/golden-data.ts, its figures worked out by hand in
 * golden.test.ts) in a whole stack, plus an empty second campaign of the brand. The events are applied by
 * analytics's own handlers, in their order, each in a transaction as its inbox would: not through Kafka,
 * where the other services would act on partnerships and contracts they never made. The orders, refunds,
 * post metrics and comments go through the gateway as the brand's member; analytics's outbox relay is
 * stopped first (see below), so seed a stack this way only for reading reports.
 */
export async function seedGoldenReport(stack: TestStack): Promise<void> {
  const analytics = stack.subgraphs.analytics;
  const definitions = analyticsSubgraph.consumers!(analytics.services as AnalyticsServices, analytics.runtime);
  const [created] = goldenEvents() as CloudEvent<CampaignEventData>[];
  const second: CloudEvent<CampaignEventData> = {
    ...created,
    id: `${created.id}-b`,
    subject: EMPTY_CAMPAIGN,
    data: { ...created.data, campaignId: EMPTY_CAMPAIGN, name: 'Summer', goalType: 'traffic', goalTarget: 100 },
  };
  for (const event of [...goldenEvents(), second]) {
    const definition = definitions.find((d) => event.type in d.handlers)!;
    const handler = definition.handlers[event.type as keyof typeof definition.handlers]!;
    await analytics.runtime.dataSource.transaction((tx) =>
      handler(event, tx, { logger: analytics.runtime.logger, outbox: analytics.runtime.outbox, topic: definition.topics[0] }),
    );
  }
  // Analytics announces the credited orders (order.attributed) for payments to accrue commission: payments
  // never heard of these partnerships, so analytics's outbox stays unpublished in this stack.
  await analytics.runtime.relay.stop();
  const member = await stack.token({ sub: 'golden-member', roles: ['brand_member'], brandIds: [BRAND] });
  await recordGoldenFacts((query, variables) => stack.query(query, variables, member));
  const [{ n }] = (await analytics.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaign_facts WHERE campaign_id = ANY($1)`, [
    [CAMPAIGN, EMPTY_CAMPAIGN],
  ])) as { n: number }[];
  if (n !== 2) throw new Error('the golden campaigns were not applied');
}

/** Report pages answer on the gateway's origin: share links are handed out there (PUBLIC_BASE_URL in a deployment). */
export function linksOnGateway(stack: TestStack): string {
  const origin = new URL(stack.gateway.url).origin;
  stack.subgraphs.analytics.runtime.publicBaseUrl = origin;
  return origin;
}
