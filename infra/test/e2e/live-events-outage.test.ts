import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ensureEventTopics } from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';
import { eventually, testRunId, testTopicPrefix } from '@influenceflow/kit/testing';
import { BrokerOptions, startKafka, stopKafka } from '../../src/kafka/broker';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { freePort, testBrokerOptions } from '../../src/testing/test-kafka';
import { campaignInput, createBrand, daysFromToday, inviteWhenKnown, ok, saveCreator } from './support';

/**
 * The live subscriptions when Kafka goes away (docs/live-events.md): the gateway keeps serving HTTP and
 * accepting subscriptions, and once Kafka is back a subscription gets what services publish again. This
 * file runs its own broker, stops it and starts it again.
 */
describe('live events with Kafka stopped', () => {
  const topicPrefix = `${testTopicPrefix()}live-outage.`;
  let broker: BrokerOptions;
  let stack: TestStack;

  beforeAll(async () => {
    broker = { ...testBrokerOptions(`${testRunId()}-live-outage`, await freePort(), await freePort()), heapMb: 256 };
    const { brokers } = await startKafka(broker);
    await ensureEventTopics(brokers, topicPrefix, ALL_TOPICS);
    stack = await startTestStack({ kafka: { brokers, topicPrefix } });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await stopKafka(broker);
    rmSync(broker.dataDir, { recursive: true, force: true });
  });

  it('serves HTTP and subscriptions while Kafka is down, and delivers events again once it is back', async () => {
    const creatorId = '00000000-0000-4000-8000-0000000e1701';
    const brandId = await createBrand(stack, 'Live Outage Co');
    const member = await stack.token({ sub: 'lo-max', roles: ['brand_member'], brandIds: [brandId] });
    const creator = await stack.token({ sub: 'lo-tia', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'lo.tia', displayName: 'Tia', niches: ['hiking'], country: 'GB' },
      { handle: 'lo.tia', followers: 9_000 },
    );
    const campaignId = (
      await ok<{ createCampaign: { id: string } }>(
        stack,
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        { input: campaignInput(brandId) },
        member,
      )
    ).createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Boots", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(40) },
      member,
    );
    const partnershipId = await inviteWhenKnown(stack, member, { campaignId, creatorId, fee: { amountMinor: 30_000, currency: 'GBP' } });
    const post = (body: string) =>
      ok(
        stack,
        `mutation($input: PostMessageInput!) { postPartnershipMessage(input: $input) { id } }`,
        { input: { partnershipId, body } },
        member,
      );

    await stopKafka(broker);
    // HTTP is served as ever
    const read = await ok<{ campaign: { id: string } }>(stack, `query($id: ID!) { campaign(id: $id) { id } }`, { id: campaignId }, member);
    expect(read.campaign.id).toBe(campaignId);
    // and a subscription is accepted (its access check is an HTTP call to campaign)
    const client = createClient({
      url: stack.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${member}` },
      retryAttempts: 0,
    });
    const bodies: string[] = [];
    const errors: unknown[] = [];
    const dispose = client.subscribe(
      { query: `subscription($id: ID!) { campaignEvents(campaignId: $id) { type data } }`, variables: { id: campaignId } },
      {
        next: (r) => {
          if (r.errors) errors.push(r.errors);
          const event = (r.data as { campaignEvents?: { data: { body?: string } } } | null)?.campaignEvents;
          if (event?.data.body) bodies.push(event.data.body);
        },
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    await post('written while Kafka is down'); // waits in campaign's outbox

    await startKafka(broker);
    const body = `after the outage ${randomUUID()}`;
    await eventually(
      async () => {
        if (bodies.includes(body)) return true;
        await post(body);
        return false;
      },
      120_000,
      'a live event once Kafka is back',
    );
    expect(errors).toEqual([]);
    dispose();
    await client.dispose();
  }, 300_000);
});
