import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { CloudEvent } from './receiver';

/** A sample order.attributed envelope, shaped as InfluenceFlow's analytics publishes it. */
export function sampleOrderAttributed(now = new Date()): CloudEvent {
  const partnershipId = randomUUID();
  const brandId = randomUUID();
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'analytics',
    type: 'order.attributed',
    subject: partnershipId,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    brandid: brandId,
    data: {
      orderId: randomUUID(),
      partnershipId,
      campaignId: randomUUID(),
      brandId,
      creatorId: randomUUID(),
      amountMinor: 4200,
      currency: 'EUR',
      via: 'discount_code',
      discountCode: 'ANNA10',
      link: null,
      orderedAt: now.toISOString(),
      attributedAt: now.toISOString(),
    },
  };
}

/**
 * Signs a delivery the way the platform does (Standard Webhooks, the library's `sign`) and posts it;
 * `webhookId` given twice imitates a retry. Returns the HTTP status.
 */
export async function sendSample(url: string, secret: string, webhookId = `msg_${randomBytes(12).toString('hex')}`): Promise<number> {
  const body = JSON.stringify(sampleOrderAttributed());
  const at = new Date();
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(webhookId, at, body),
    },
  });
  await res.arrayBuffer();
  return res.status;
}

// `node dist/send-sample.js [url] [webhook-id]`, signed with the first secret of WEBHOOK_SECRET.
if (require.main === module) {
  const secret = (process.env.WEBHOOK_SECRET ?? '').split(/[\s,]+/).find((s) => s.length > 0);
  if (!secret) throw new Error('WEBHOOK_SECRET is not set');
  const url = process.argv[2] ?? `http://localhost:${process.env.PORT ?? '3000'}/webhooks`;
  sendSample(url, secret, process.argv[3]).then(
    (status) => console.log(`${url} answered ${status}`),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
