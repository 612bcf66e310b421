import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTraceparent, TraceContext } from '@influenceflow/kit';
import { eventually, GraphQLResponse } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import {
  acceptAndAwaitDraft,
  campaignInput,
  createBrand,
  daysFromToday,
  dbOf,
  inviteWhenKnown,
  ok,
  saveCreator,
  campaignWithLocalWebhooks,
} from './support';

/**
 * W3C Trace Context from a client to a partner's webhook: the gateway continues the client's trace (or
 * starts one for an invalid traceparent) and answers its own span; the subgraph's events carry the trace;
 * a consumer that reacts to one over Kafka emits events of the same trace; the webhook delivery of such an
 * event sends it as its `traceparent` header.
 */
describe('tracing from the client to the webhook', () => {
  let stack: TestStack;
  let receiver: Server;
  let receiverUrl: string;
  const deliveries: { headers: IncomingHttpHeaders; body: { id: string; type: string; traceparent?: string } }[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ modules: { campaign: campaignWithLocalWebhooks() } });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  }, 180_000);
  afterAll(async () => {
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    await stack?.close();
  });

  /** A request through the gateway with a traceparent of the client's (or none), and the one answered. */
  async function traced<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    token: string | undefined,
    traceparent?: string,
  ): Promise<{ body: GraphQLResponse<T>; answered: TraceContext | null; header: string | null }> {
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(traceparent !== undefined ? { traceparent } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const header = res.headers.get('traceparent');
    return { body: (await res.json()) as GraphQLResponse<T>, answered: parseTraceparent(header), header };
  }

  /** The traceparent of the envelope of the event `type` about `subject` in a service's outbox. */
  async function envelopeTrace(service: 'campaign' | 'contracts', type: string, subject: string): Promise<TraceContext | null> {
    const rows = await dbOf(stack, service)<{ envelope: { traceparent?: string } }>(
      `SELECT envelope FROM outbox WHERE type = $1 AND key = $2 ORDER BY seq`,
      [type, subject],
    );
    expect(rows).toHaveLength(1);
    return parseTraceparent(rows[0].envelope.traceparent);
  }

  const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
  const client = (traceId: string, spanId = 'b7ad6b7169203331') => `00-${traceId}-${spanId}-01`;

  it('continues a valid traceparent: the answer is its own span of the same trace, and the event of the mutation carries the trace', async () => {
    const brandId = await createBrand(stack, 'Traced Teas');
    const member = await stack.token({ sub: 'tara', roles: ['brand_member'], brandIds: [brandId] });
    const sent = client('0af7651916cd43dd8448eb211c80319c');
    const { body, answered } = await traced<{ createCampaign: { id: string } }>(
      CREATE_CAMPAIGN,
      { input: campaignInput(brandId) },
      member,
      sent,
    );
    expect(body.errors).toBeUndefined();
    expect(answered).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(answered!.spanId).not.toBe('b7ad6b7169203331');
    const event = await envelopeTrace('campaign', 'campaign.created', body.data!.createCampaign.id);
    expect(event?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    // the event is the subgraph's span: neither the client's nor the gateway's
    expect([answered!.spanId, 'b7ad6b7169203331']).not.toContain(event!.spanId);
  });

  it.each([
    ['version ff', 'ff-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203331-01', '0af7651916cd43dd8448eb211c80319d'],
    ['upper-case hex', '00-0AF7651916CD43DD8448EB211C80319E-B7AD6B7169203331-01', '0af7651916cd43dd8448eb211c80319e'],
    ['an all-zero trace-id', '00-00000000000000000000000000000000-b7ad6b7169203331-01', '00000000000000000000000000000000'],
    ['a short value', '00-0af7651916cd43dd-b7ad6b7169203331-01', '0af7651916cd43dd'],
  ])('starts a fresh trace for an invalid traceparent (%s), which the events carry', async (_name, invalid, notThis) => {
    const brandId = await createBrand(stack, `Untraced ${notThis.slice(-4)}`);
    const member = await stack.token({ sub: `u-${notThis.slice(-6)}`, roles: ['brand_member'], brandIds: [brandId] });
    const { body, answered } = await traced<{ createCampaign: { id: string } }>(
      CREATE_CAMPAIGN,
      { input: campaignInput(brandId) },
      member,
      invalid,
    );
    expect(body.errors).toBeUndefined();
    expect(answered).not.toBeNull();
    expect(answered!.traceId).not.toBe(notThis);
    expect((await envelopeTrace('campaign', 'campaign.created', body.data!.createCampaign.id))?.traceId).toBe(answered!.traceId);
  });

  it('starts a new trace for a request without one, a different one each time, also for refused requests', async () => {
    const first = await traced(`{ __typename }`, {}, undefined);
    const second = await traced(`{ nope }`, {}, undefined);
    expect(first.answered).not.toBeNull();
    expect(second.answered).not.toBeNull();
    expect(second.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(second.answered!.traceId).not.toBe(first.answered!.traceId);
  });

  it('follows the trace through Kafka: a consumer reacting to the event emits its own in the same trace, and the webhook carries it', async () => {
    const creatorId = '00000000-0000-4000-8000-0000000071ac';
    const creator = await stack.token({ sub: 'tia', roles: ['creator'], creatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'tia.traces', displayName: 'Tia Traces', niches: ['tea'], country: 'SE', bio: 'Leaves' },
      { handle: 'tia.traces', followers: 15_000, engagementRate: 5 },
    );
    const brandId = await createBrand(stack, 'Traced Leaves');
    const member = await stack.token({ sub: 'lea', roles: ['brand_member'], brandIds: [brandId] });
    const endpoint = await ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      stack,
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { brandId, url: receiverUrl, eventTypes: ['contract.terminated'], description: 'traces' } },
      member,
    );
    expect(endpoint.createWebhookEndpoint.endpoint.id).toBeDefined();
    const campaign = await ok<{ createCampaign: { id: string } }>(stack, CREATE_CAMPAIGN, { input: campaignInput(brandId) }, member);
    const campaignId = campaign.createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Leaves and cups",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(40) },
      member,
    );
    const partnershipId = await inviteWhenKnown(stack, member, {
      campaignId,
      creatorId,
      fee: { amountMinor: 50_000, currency: 'USD' },
      commissionPercent: 5,
    });
    const contractId = await acceptAndAwaitDraft(stack, partnershipId, creator, member);

    // The brand ends the partnership in a trace of the client's: campaign records partnership.terminated,
    // contracts hears it over Kafka and terminates the draft, recording contract.terminated.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { body } = await traced(
      `mutation($id: ID!) { changePartnershipStatus(id: $id, status: TERMINATED, reason: "No longer in the plan") { status } }`,
      { id: partnershipId },
      member,
      client(traceId, '00f067aa0ba902b7'),
    );
    expect(body.errors).toBeUndefined();
    expect((await envelopeTrace('campaign', 'partnership.terminated', partnershipId))?.traceId).toBe(traceId);
    await eventually(
      async () =>
        (await dbOf(stack, 'contracts')(`SELECT 1 FROM outbox WHERE type = 'contract.terminated' AND key = $1`, [contractId])).length > 0,
      60_000,
      'contracts to terminate the draft',
    );
    const reaction = await envelopeTrace('contracts', 'contract.terminated', contractId);
    expect(reaction?.traceId).toBe(traceId);

    // The webhook of the reaction's event carries the same trace in its traceparent header.
    const delivered = await eventually(
      async () => deliveries.find((d) => d.body.type === 'contract.terminated' && d.body.id && d.headers['webhook-id'] === d.body.id),
      60_000,
      'the webhook delivery of contract.terminated',
    );
    const header = parseTraceparent(delivered.headers.traceparent);
    expect(header?.traceId).toBe(traceId);
    expect(delivered.headers.traceparent).toBe(delivered.body.traceparent);
  });
});
