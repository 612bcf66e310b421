import type { Express, RequestHandler, Response } from 'express';
import { AppError, ErrorCode, fileBody, isUuid, Logger } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import type { OrderIntake } from '../orders/order-input';
import { ShopWebhookReceipt } from './shop.entity';
import type { ShopService } from './shop.service';
import { verifyShopifyHmac } from './shopify-hmac';
import { orderFromShopify, parseShopifyJson, refundFromShopify } from './shopify-payload';

/** The largest webhook body taken (Shopify's order payloads are a few KiB; a big order tens). */
export const SHOPIFY_WEBHOOK_BODY_LIMIT = 1024 * 1024;
const TOPICS = ['orders/create', 'refunds/create'] as const;
/** Shopify's X-Shopify-Webhook-Id is a UUID; anything printable and short is taken as an id. */
const WEBHOOK_ID = /^[\x21-\x7e]{1,255}$/;

/** What the webhook needs: the shops (secrets) and what takes orders in. */
export interface ShopifyWebhookServices {
  shops: ShopService;
  orders: OrderIntake;
}

function refuse(res: Response, status: number, code: string, message: string, field?: string): void {
  res
    .status(status)
    .setHeader('cache-control', 'no-store')
    .json({ error: { code, message, ...(field ? { field } : {}) } });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `POST /webhooks/shopify/:shopId` (docs/shops.md): the raw body is read (at most 1 MiB) and its HMAC
 * verified against the shop's secrets before anything is parsed; an unknown shop is answered as a bad
 * signature. A delivery (X-Shopify-Webhook-Id) is taken in once: its receipt and the order or refund it
 * brings commit in one transaction, and a redelivery is `{"duplicate":true}`. A body that is not an order
 * or a refund is 422 and nothing is kept, so a retry after a fix is taken in.
 */
export function mountShopifyWebhook(app: Express, services: ShopifyWebhookServices, dataSource: DataSource, logger: Logger): void {
  const body = fileBody(SHOPIFY_WEBHOOK_BODY_LIMIT, 'The body is over 1 MiB', true);
  const readBody: RequestHandler = (req, res, next) => {
    if (!isUuid(req.params.shopId)) return refuse(res, 404, ErrorCode.NOT_FOUND, 'No shop is connected at this address');
    body(req, res, next);
  };

  app.post('/webhooks/shopify/:shopId', readBody, async (req, res) => {
    const shopId = req.params.shopId as string;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const log = logger.child({ shopId, webhookId: req.header('x-shopify-webhook-id')?.slice(0, 64) });
    try {
      const known = await services.shops.webhookSecrets(shopId);
      if (!known || !verifyShopifyHmac(body, req.header('x-shopify-hmac-sha256'), known.secrets)) {
        log.warn({ known: !!known }, 'shopify webhook refused: signature');
        return refuse(res, 401, ErrorCode.UNAUTHENTICATED, 'The webhook signature does not verify');
      }
      const topic = req.header('x-shopify-topic') ?? '';
      if (!(TOPICS as readonly string[]).includes(topic)) {
        log.info({ topic: topic.slice(0, 64) }, 'shopify webhook ignored: topic');
        return res.status(200).json({ ignored: true });
      }
      const webhookId = req.header('x-shopify-webhook-id') ?? '';
      if (!WEBHOOK_ID.test(webhookId)) {
        return refuse(res, 422, ErrorCode.BAD_USER_INPUT, 'X-Shopify-Webhook-Id is missing or not an id', 'X-Shopify-Webhook-Id');
      }
      let json: unknown;
      try {
        json = parseShopifyJson(utf8.decode(body));
      } catch {
        return refuse(res, 422, ErrorCode.BAD_USER_INPUT, 'The body is not JSON in UTF-8', 'body');
      }
      const shop = { id: known.shop.id, brandId: known.shop.brandId };
      // Parsed before the transaction: a bad body holds no lock and leaves no receipt.
      const order = topic === 'orders/create' ? orderFromShopify(json, shop) : null;
      const refund = topic === 'refunds/create' ? refundFromShopify(json, shop) : null;
      const answer = await dataSource.transaction(async (tx) => {
        const inserted = await tx
          .createQueryBuilder()
          .insert()
          .into(ShopWebhookReceipt)
          .values({ shopId, webhookId, topic })
          .orIgnore()
          .returning(['webhook_id'])
          .execute();
        if (inserted.raw.length === 0) return { duplicate: true };
        if (order) return { outcome: (await services.orders.recordOrder(order, tx)).outcome };
        if (refund) return { outcome: (await services.orders.recordRefund(refund, tx)).outcome };
        return { ignored: true };
      });
      if ('duplicate' in answer) log.info('shopify webhook: a redelivery');
      res.status(200).json(answer);
    } catch (err) {
      if (err instanceof AppError && err.code !== ErrorCode.INTERNAL) {
        log.warn({ code: err.code, field: err.field }, 'shopify webhook refused: payload');
        return refuse(res, 422, err.code, err.message, err.field);
      }
      log.error({ err }, 'shopify webhook failed');
      refuse(res, 500, ErrorCode.INTERNAL, 'The webhook could not be taken in; it will be retried');
    }
  });
}
