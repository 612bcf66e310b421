import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CloudEvent, createReceiver, Delivery } from '@influenceflow/example-webhook-receiver';
import { eventually } from '@influenceflow/kit/testing';
import { startDemoWebhook } from '../../src/seed/demo-webhooks';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, codeOf, expectNoLeak, ok, campaignWithLocalWebhooks, createBrand } from './support';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { url } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { webhookId eventType status attempts { statusCode outcome } } } } }`;

/**
 * Webhooks through the gateway: a brand member subscribes, a real flow (creating a campaign) makes an
 * event, and the example receiver (examples/webhook-receiver, verifying with standardwebhooks) accepts
 * the signed delivery. Private destinations are allowed in this stack: the receiver is on 127.0.0.1.
 */
describe('webhooks end to end', () => {
  let stack: TestStack;
  let receiver: Server | null = null;
  const received: { event: CloudEvent; delivery: Delivery }[] = [];
  let brandId: string;
  let otherBrandId: string;
  let member: string;

  beforeAll(async () => {
    stack = await startTestStack({ modules: { campaign: campaignWithLocalWebhooks() } });
    const brand = (name: string) => createBrand(stack, name);
    brandId = await brand('Hooked Kettles');
    otherBrandId = await brand('Other Kettles');
    member = await stack.token({ sub: 'max', roles: ['brand_member'], brandIds: [brandId] });
  }, 180_000);
  afterAll(async () => {
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    await stack?.close();
  });

  it("delivers a real flow's event, signed, to the example receiver, which verifies it", async () => {
    const created = (
      await ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
        stack,
        CREATE,
        { input: { brandId, url: 'http://127.0.0.1:9/not-yet', eventTypes: ['campaign.created'], description: 'e2e' } },
        member,
      )
    ).createWebhookEndpoint;
    expect(created.secret).toMatch(/^whsec_/);
    // The receiver needs the secret: started now, and the endpoint pointed at it.
    receiver = createReceiver({
      secrets: [created.secret],
      handler: (event, delivery) => void received.push({ event, delivery }),
      log: () => undefined,
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
    expect(
      (await ok<{ updateWebhookEndpoint: { url: string } }>(stack, UPDATE, { id: created.endpoint.id, input: { url } }, member))
        .updateWebhookEndpoint.url,
    ).toBe(url);

    const campaign = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId) },
      member,
    );
    await eventually(async () => received.length === 1, 60_000, 'the verified delivery');
    expect(received[0].event).toMatchObject({ type: 'campaign.created', subject: campaign.createCampaign.id, brandid: brandId });
    expect(received[0].delivery.webhookId).toBe(received[0].event.id);
    const log = await eventually(async () => {
      const d = await ok<{
        webhookDeliveries: { edges: { node: { status: string; webhookId: string; attempts: { statusCode: number }[] } }[] };
      }>(stack, DELIVERIES, { id: created.endpoint.id }, member);
      return d.webhookDeliveries.edges[0]?.node.status === 'SUCCEEDED' && d.webhookDeliveries.edges[0].node;
    });
    expect(log).toMatchObject({ webhookId: received[0].event.id, attempts: [{ statusCode: 204, outcome: 'SUCCEEDED' }] });
  });

  it('refuses each role and hostile input with a stable code and field, and leaks nothing', async () => {
    const analyst = await stack.token({ sub: 'ana', roles: ['analyst'], brandIds: [brandId] });
    const creator = await stack.token({ sub: 'cleo', roles: ['creator'], creatorId: '00000000-0000-4000-8000-00000000c1e0' });
    const outsider = await stack.token({ sub: 'olga', roles: ['brand_member'], brandIds: [otherBrandId] });
    const input = (over: Record<string, unknown> = {}) => ({
      input: { brandId, url: 'https://hooks.partner.example/in', eventTypes: ['campaign.created'], ...over },
    });
    const cases: [Record<string, unknown>, string | undefined, Record<string, unknown>][] = [
      [input(), analyst, { code: 'FORBIDDEN' }],
      [input(), creator, { code: 'FORBIDDEN' }],
      [input(), undefined, { code: 'UNAUTHENTICATED' }],
      [input({ brandId: otherBrandId }), member, { code: 'FORBIDDEN' }],
      [input({ url: `https://hooks.partner.example/${'a'.repeat(10_000)}` }), member, { code: 'BAD_USER_INPUT', field: 'input.url' }],
      [input({ url: 'https://hooks.partner.example/\u0000' }), member, { code: 'BAD_USER_INPUT', field: 'input.url' }],
      [input({ url: 'ftp://hooks.partner.example/' }), member, { code: 'BAD_USER_INPUT', field: 'input.url' }],
      [input({ eventTypes: ['campaign.created', 'made.up'] }), member, { code: 'BAD_USER_INPUT', field: 'input.eventTypes' }],
      [input({ brandId: 'not-a-uuid' }), member, { code: 'BAD_USER_INPUT', field: 'input.brandId' }],
    ];
    for (const [variables, token, expected] of cases) {
      const r = await stack.query(CREATE, variables, token);
      expect(codeOf(r)).toMatchObject(expected);
      expect(r.data?.createWebhookEndpoint ?? null).toBeNull();
      expectNoLeak(r);
    }
    const endpoints = await ok<{ webhookEndpoints: { id: string }[] }>(
      stack,
      `query($b: ID!) { webhookEndpoints(brandId: $b) { id } }`,
      { b: brandId },
      member,
    );
    expect(endpoints.webhookEndpoints).toHaveLength(1);
    const id = endpoints.webhookEndpoints[0].id;
    // Another brand's member: its id is "not found", whatever the operation.
    for (const query of [
      DELIVERIES,
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
    ]) {
      const r = await stack.query(query, { id }, outsider);
      expect(codeOf(r)?.code).toBe('NOT_FOUND');
      expectNoLeak(r);
    }
    // The analyst reads the log, changes nothing.
    expect((await stack.query(DELIVERIES, { id }, analyst)).errors).toBeUndefined();
    expect(codeOf(await stack.query(`mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }`, { id }, analyst))?.code).toBe(
      'FORBIDDEN',
    );
  });

  it("the launcher's demo receiver: created once, its secret rotated on the next start, deliveries printed", async () => {
    const lines: string[] = [];
    const gatewayUrl = stack.gateway.url;
    const first = await startDemoWebhook(gatewayUrl, member, brandId, (l) => lines.push(l));
    await new Promise((resolve) => first.server.close(resolve));
    const second = await startDemoWebhook(gatewayUrl, member, brandId, (l) => lines.push(l));
    try {
      expect(second.endpointId).toBe(first.endpointId);
      await ok(
        stack,
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        { input: campaignInput(brandId, { name: 'Demo hook' }) },
        member,
      );
      await eventually(async () => lines.some((l) => l.includes('campaign.created')), 60_000, 'the demo receiver to print the delivery');
      expect(lines.some((l) => l.includes('refused'))).toBe(false);
    } finally {
      await new Promise((resolve) => second.server.close(resolve));
    }
  });
});
