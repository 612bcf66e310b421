import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { ensureEventTopics } from '@influenceflow/kit';
import { ALL_TOPICS, TOPICS } from '@influenceflow/vocabulary';
import { eventually, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { BrokerOptions, startKafka, stopKafka } from '../../src/kafka/broker';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { freePort, testBrokerOptions } from '../../src/testing/test-kafka';
import { daysFromToday } from './support';

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
    await ensureEventTopics(brokers, topicPrefix, ALL_TOPICS);
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
          startsOn: daysFromToday(30),
          endsOn: daysFromToday(90),
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
    await eventually(async () => (await metricsOf())?.status === 'DRAFT', 30_000, 'the campaign to reach analytics');

    await stopKafka(broker);
    const launched = await stack.query(`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id }, token);
    expect(launched.errors).toBeUndefined(); // writes keep working without Kafka

    const campaignDb = stack.subgraphs.campaign.runtime.dataSource;
    const pending = async () => campaignDb.query(`SELECT type FROM outbox WHERE key = $1 AND sent_at IS NULL`, [id]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await pending()).toEqual([{ type: 'campaign.launched' }]);
    expect((await metricsOf())?.status).toBe('DRAFT');

    await startKafka(broker);
    await eventually(async () => (await pending()).length === 0, 90_000, 'the outbox to drain');
    await eventually(async () => (await metricsOf())?.status === 'ACTIVE', 90_000, 'analytics to apply the launch');
  });

  it('redirects at once and loses no click while Kafka is down', async () => {
    const creatorId = '00000000-0000-4000-8000-000000000123';
    const creator = await stack.token({ sub: 'cleo', roles: ['creator'], creatorId });
    const profile = await stack.query(
      `mutation { saveMyCreatorProfile(input: { handle: "cleo.clicks", displayName: "Cleo", niches: ["tech"], country: "US" }) { id } }`,
      {},
      creator,
    );
    expect(profile.errors).toBeUndefined();
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const brand = await stack.query<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Clicky", websiteUrl: "https://clicky.example/shop" }) { id } }`,
      {},
      admin,
    );
    const brandId = brand.data!.createBrand.id;
    const member = await stack.token({ sub: 'bea', roles: ['brand_member'], brandIds: [brandId] });
    const campaign = await stack.query<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId,
          name: 'Clicks',
          goal: { type: 'TRAFFIC', target: 100 },
          budget: { amountMinor: 100_00, currency: 'USD' },
          startsOn: '2027-01-01',
          endsOn: '2027-01-31',
        },
      },
      member,
    );
    const campaignId = campaign.data!.createCampaign.id;
    await stack.query(
      `mutation($id: ID!) { publishBrief(campaignId: $id, input: { brandStory: "Gadgets", deliverables: [{ platform: YOUTUBE, format: VIDEO, count: 1, dueOn: "2027-01-20" }] }) { version } }`,
      { id: campaignId },
      member,
    );
    // The campaign service learns of the creator through Kafka (creator.created).
    const invited = await eventually(
      async () => {
        const r = await stack.query<{ inviteCreator: { id: string } }>(
          `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
          { input: { campaignId, creatorId, fee: { amountMinor: 0, currency: 'USD' }, commissionPercent: 10 } },
          member,
        );
        return r.data?.inviteCreator;
      },
      60_000,
      'the campaign service to know the creator',
    );
    const accepted = await stack.query<{ respondToInvitation: { trackingLink: string } }>(
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { trackingLink } }`,
      { id: invited.id },
      creator,
    );
    const link = accepted.data!.respondToInvitation.trackingLink;

    await stopKafka(broker);
    const clickIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(302);
      clickIds.push(new URL(res.headers.get('location')!).searchParams.get('ifclid')!);
    }
    const campaignDb = stack.subgraphs.campaign.runtime.dataSource;
    await eventually(
      async () => {
        const [{ n }] = await campaignDb.query(
          `SELECT count(*)::int AS n FROM outbox WHERE type = 'click.recorded' AND sent_at IS NULL AND key = $1`,
          [invited.id],
        );
        return n === 20;
      },
      10_000,
      'the clicks to wait in the outbox',
    );

    await startKafka(broker);
    // Every click reaches Kafka once the broker is back.
    const kafka = new Kafka({ clientId: 'click-check', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${topicPrefix}click-check` });
    const seen = new Set<string>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: `${topicPrefix}${TOPICS.conversion}`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const event = JSON.parse(message.value!.toString());
          if (event.type === 'click.recorded') seen.add(event.data.clickId);
        },
      });
      await eventually(async () => clickIds.every((id) => seen.has(id)), 90_000, 'every click on Kafka');
    } finally {
      await consumer.disconnect();
    }
    expect(clickIds.filter((id) => seen.has(id))).toHaveLength(20);
  });
});
