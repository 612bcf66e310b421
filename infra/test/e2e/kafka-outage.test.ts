import { rmSync } from 'node:fs';
import { topicsWithDeadLetters } from '@influenceflow/kit';
import { eventually, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { BrokerOptions, ensureTopics, startKafka, stopKafka } from '../../src/kafka/broker';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { freePort, testBrokerOptions } from '../../src/testing/test-kafka';

/**
 * Kafka goes away while the platform is serving. This test runs its own broker (other test files keep
 * using the shared one), stops it, writes, and starts it again.
 */
describe('with Kafka stopped', () => {
  const topicPrefix = `${testTopicPrefix()}outage.`;
  let broker: BrokerOptions;
  let brokers: string[];
  let stack: TestStack;

  beforeAll(async () => {
    broker = { ...testBrokerOptions(`${testRunId()}-outage`, await freePort(), await freePort()), heapMb: 256 };
    brokers = (await startKafka(broker)).brokers;
    await ensureTopics(
      brokers,
      topicsWithDeadLetters().map((t) => `${topicPrefix}${t}`),
      { partitions: 3 },
    );
    stack = await startTestStack({ kafka: { brokers, topicPrefix } });
  });

  afterAll(async () => {
    await stack?.close();
    await stopKafka(broker);
    rmSync(broker.dataDir, { recursive: true, force: true });
  });

  it('keeps the event in the outbox and delivers it once Kafka is back', async () => {
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Outage Inc" }) { id } }`,
      {},
      admin,
    );
    const brandId = brand.data!.createBrand.id;
    const token = await stack.token({ sub: 'bob', roles: ['brand_member'], brandIds: [brandId] });
    const created = await stack.query<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId,
          name: 'Offline',
          goal: { type: 'SALES', target: 50 },
          budget: { amountMinor: 500_00, currency: 'EUR' },
          startsOn: '2026-05-01',
          endsOn: '2026-06-30',
        },
      },
      token,
    );
    const id = created.data!.createCampaign.id;
    const metricsOf = async () =>
      (
        await stack.query<{ campaign: { metrics: { status: string } | null } }>(
          `query($id: ID!) { campaign(id: $id) { metrics { status } } }`,
          { id },
          token,
        )
      ).data?.campaign.metrics;
    await eventually(async () => (await metricsOf())?.status === 'draft', 30_000, 'the campaign to reach analytics');

    await stopKafka(broker);
    const launched = await stack.query(`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id }, token);
    expect(launched.errors).toBeUndefined(); // writes keep working without Kafka

    const campaignDb = stack.subgraphs.campaign.runtime.dataSource;
    const pending = async () => campaignDb.query(`SELECT type FROM outbox WHERE key = $1 AND sent_at IS NULL`, [id]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await pending()).toEqual([{ type: 'campaign.launched' }]);
    expect((await metricsOf())?.status).toBe('draft');

    await startKafka(broker);
    await eventually(async () => (await pending()).length === 0, 90_000, 'the outbox to drain');
    await eventually(async () => (await metricsOf())?.status === 'active', 90_000, 'analytics to apply the launch');
  });
});
