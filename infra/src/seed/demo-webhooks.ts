import type { Server } from 'node:http';
import { createReceiver, loggingHandler } from '@influenceflow/example-webhook-receiver';
import { GatewayClient } from './demo';

/** The port of the demo's webhook receiver (the example receiver, in the launcher's process). */
const DEMO_RECEIVER_PORT = Number(process.env.DEMO_WEBHOOK_PORT ?? 4599);
const DESCRIPTION = 'demo receiver (examples/webhook-receiver, started by pnpm dev)';

export interface DemoWebhook {
  endpointId: string;
  url: string;
  server: Server;
}

/**
 * The demo brand's webhook endpoint pointing at the example receiver, started here on 127.0.0.1 (the
 * campaign service runs with WEBHOOK_ALLOW_PRIVATE_DESTINATIONS=true in development). The secret is shown
 * once, so on every start the endpoint made before gets a new one (rotateWebhookSecret; the receiver takes
 * both), or is created. Each verified delivery is printed with `say`.
 */
export async function startDemoWebhook(
  gatewayUrl: string,
  memberToken: string,
  brandId: string,
  say: (line: string) => void,
): Promise<DemoWebhook> {
  const client = new GatewayClient(gatewayUrl);
  const url = `http://127.0.0.1:${DEMO_RECEIVER_PORT}/webhooks`;
  const { webhookEndpoints } = await client.call<{ webhookEndpoints: { id: string; description: string | null }[] }>(
    memberToken,
    `query($b: ID!) { webhookEndpoints(brandId: $b) { id description } }`,
    { b: brandId },
  );
  const existing = webhookEndpoints.find((e) => e.description === DESCRIPTION);
  let endpointId: string;
  let secrets: string[];
  if (existing) {
    const { rotateWebhookSecret } = await client.call<{ rotateWebhookSecret: { secret: string } }>(
      memberToken,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      { id: existing.id },
    );
    await client.call(memberToken, `mutation($id: ID!, $url: String!) { updateWebhookEndpoint(id: $id, input: { url: $url }) { id } }`, {
      id: existing.id,
      url,
    });
    endpointId = existing.id;
    secrets = [rotateWebhookSecret.secret];
  } else {
    const { createWebhookEndpoint } = await client.call<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      memberToken,
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      {
        input: {
          brandId,
          url,
          description: DESCRIPTION,
          eventTypes: [
            'campaign.created',
            'campaign.launched',
            'campaign.paused',
            'campaign.resumed',
            'partnership.invited',
            'order.attributed',
          ],
        },
      },
    );
    endpointId = createWebhookEndpoint.endpoint.id;
    secrets = [createWebhookEndpoint.secret];
  }
  const log = (line: string) => say(`  webhook receiver: ${line}`);
  const server = createReceiver({ secrets, handler: loggingHandler(log), log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(DEMO_RECEIVER_PORT, '127.0.0.1', () => resolve());
  });
  return { endpointId, url, server };
}
