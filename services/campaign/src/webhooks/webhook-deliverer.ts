import { randomUUID } from 'node:crypto';
import { CloudEvent, ConsumerDefinition, EventHandler, Logger, RepeatingTask, ServiceRuntime } from '@influenceflow/kit';
import { PARTNER_EVENT_TYPES, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { Resolver } from './webhook-destination';
import { WebhookAttemptOutcome, WebhookDeliveryStatus } from './webhook.entity';
import { MAX_ATTEMPTS, retryDelayMs } from './webhook-schedule';
import { sendDelivery, SendResult } from './webhook-sender';
import { signedHeaders } from './webhook-signing';
import type { WebhookService } from './webhook.service';
import type { WebhookSettings } from './webhook-settings';

/**
 * How long a claimed delivery is someone's: the worker that claimed it sends it and records the attempt
 * within this time; if that process died, another claims it after the lease. A round claims only as many
 * as it sends at once (WEBHOOK_CONCURRENCY), so it lasts about one timeout (at most 60 s) — well within.
 */
export const CLAIM_LEASE_MS = 120_000;

/**
 * The consumer that turns events into deliveries: for each event a brand owns (a `brandid`) of a type in
 * PARTNER_EVENT_TYPES, one `webhook_deliveries` row per active endpoint of that brand subscribed to the
 * type (a partner's only while its grant covers the type; a disabled one's wait for it to be enabled), in the transaction of the event's inbox row,
 * so the Kafka offset is committed only once the rows exist. A redelivered event queues nothing twice
 * (the inbox, and the rows' unique key).
 */
export function webhookFanOutConsumer(webhooks: WebhookService): ConsumerDefinition {
  const fanOut: EventHandler = async (event, tx) => {
    if (!event.brandid) return;
    const endpoints = (await tx.query(
      // Disabled endpoints too: their deliveries wait, kept, and go once the endpoint is enabled again.
      `SELECT id, partner_client_id FROM webhook_endpoints WHERE brand_id = $1 AND $2 = ANY(event_types)`,
      [event.brandid, event.type],
    )) as { id: string; partner_client_id: string | null }[];
    const now = webhooks.clock.now();
    for (const endpoint of endpoints) {
      if (endpoint.partner_client_id && !(await webhooks.grants(tx, endpoint.partner_client_id, event.brandid)).includes(event.type))
        continue;
      await queueDelivery(tx, endpoint.id, event, now);
    }
  };
  return {
    name: 'webhooks',
    topics: [TOPICS.campaign, TOPICS.contract, TOPICS.payment, TOPICS.conversion],
    handlers: Object.fromEntries(PARTNER_EVENT_TYPES.map((type) => [type, fanOut])),
    // Events Kafka hands over together are queued in one transaction (with their inbox rows): 1,000 events
    // queued in 3.6 s instead of 9.6 s one transaction each (docs/webhooks.md, "Measured").
    batch: { maxEvents: 200 },
  };
}

async function queueDelivery(tx: EntityManager, endpointId: string, event: CloudEvent, now: Date): Promise<void> {
  const traceparent = (event as { traceparent?: unknown }).traceparent;
  await tx.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, event_time, body, traceparent, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [
      randomUUID(),
      endpointId,
      event.id,
      event.type,
      event.time,
      JSON.stringify(event),
      typeof traceparent === 'string' ? traceparent : null,
      now,
    ],
  );
}

interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  traceparent: string | null;
  attempt_count: number;
  created_at: Date;
  url: string;
  brand_id: string;
  partner_client_id: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

/** What a round did (tests and logs). */
export interface DeliveryRound {
  claimed: number;
  succeeded: number;
  failed: number;
}

/**
 * The delivery worker: claims due deliveries (`FOR UPDATE SKIP LOCKED`, so replicas share the queue and
 * never send one twice at once), leases them for CLAIM_LEASE_MS, sends each signed, records the attempt
 * and schedules the next on the specification's schedule, or gives up, or disables the endpoint (a 410,
 * or every retry failed with nothing succeeding on the endpoint since). Nothing is lost on a restart: a
 * delivery is done only once its 2xx is recorded; one claimed by a process that died is claimed again
 * after its lease (so a receiver may see it twice: at-least-once, the same webhook-id).
 */
export class WebhookWorker extends RepeatingTask<DeliveryRound> {
  readonly name = 'webhook deliveries';

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly webhooks: WebhookService,
    private readonly settings: WebhookSettings,
    logger: Logger,
    private readonly resolver?: Resolver,
  ) {
    super(logger, settings.pollMs, 'webhook delivery round failed; trying again');
  }

  /** A full round means more is due: the next starts at once. */
  protected override nextDelayMs(round: DeliveryRound | undefined): number {
    return round?.claimed === this.settings.concurrency ? 0 : this.settings.pollMs;
  }

  /** One round: claim what is due now (the worker's clock), send it, record it. */
  async round(): Promise<DeliveryRound> {
    const now = this.webhooks.clock.now();
    const claimed = await this.runtime.dataSource.transaction(async (tx) => {
      const rows = (await tx.query(
        `SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.traceparent, d.attempt_count, d.created_at,
                e.url, e.brand_id, e.partner_client_id, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.disabled_at IS NULL
          ORDER BY d.next_attempt_at, d.id
          LIMIT $2
          FOR UPDATE OF d SKIP LOCKED`,
        [now, this.settings.concurrency],
      )) as ClaimedDelivery[];
      if (rows.length > 0) {
        await tx.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = ANY($1)`, [
          rows.map((r) => r.id),
          new Date(now.getTime() + CLAIM_LEASE_MS),
        ]);
      }
      return rows;
    });
    const round: DeliveryRound = { claimed: claimed.length, succeeded: 0, failed: 0 };
    await Promise.all(
      claimed.map(async (delivery) => {
        const ok = await this.attempt(delivery).catch((err) => {
          // Recording failed (the database went away): the lease runs out and the delivery is tried again.
          this.logger.error({ err, deliveryId: delivery.id }, 'webhook attempt not recorded');
          return false;
        });
        if (ok) round.succeeded++;
        else round.failed++;
      }),
    );
    return round;
  }

  /** One attempt of one claimed delivery; true when it got a 2xx. */
  private async attempt(d: ClaimedDelivery): Promise<boolean> {
    const at = this.webhooks.clock.now();
    let result: SendResult;
    let refusedGrant = false;
    if (
      d.partner_client_id &&
      !(await this.webhooks.grants(this.runtime.dataSource.manager, d.partner_client_id, d.brand_id)).includes(d.event_type)
    ) {
      // The grant was revoked (or narrowed) since the event was queued: nothing more goes to the partner.
      refusedGrant = true;
      result = {
        statusCode: null,
        latencyMs: 0,
        responseExcerpt: null,
        refused: true,
        error: "refused: the brand's grant no longer covers this event type",
      };
    } else {
      const secrets = this.webhooks.secretsOf(
        {
          id: d.endpoint_id,
          secretSealed: d.secret_sealed,
          previousSecretSealed: d.previous_secret_sealed,
          previousSecretExpiresAt: d.previous_secret_expires_at,
        },
        at,
      );
      const headers: Record<string, string> = { ...signedHeaders(d.event_id, at, d.body, secrets) };
      if (d.traceparent) headers.traceparent = d.traceparent;
      result = await sendDelivery(d.url, headers, d.body, {
        timeoutMs: this.settings.timeoutMs,
        allowPrivate: this.settings.allowPrivateDestinations,
        resolver: this.resolver,
      });
    }
    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const attemptNumber = d.attempt_count + 1;
    const outcome = succeeded
      ? WebhookAttemptOutcome.SUCCEEDED
      : result.refused
        ? WebhookAttemptOutcome.REFUSED
        : WebhookAttemptOutcome.FAILED;
    const error = result.error ?? (succeeded ? null : `HTTP ${result.statusCode}`);
    const delay = succeeded || refusedGrant || result.statusCode === 410 ? null : retryDelayMs(attemptNumber, this.webhooks.clock.random);
    const status = succeeded
      ? WebhookDeliveryStatus.SUCCEEDED
      : delay === null
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;

    await this.runtime.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO webhook_attempts (delivery_id, attempted_at, outcome, status_code, latency_ms, response_excerpt, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.id, at, outcome, result.statusCode, result.latencyMs, result.responseExcerpt, error],
      );
      await tx.query(
        `UPDATE webhook_deliveries SET status = $2, attempt_count = $3, last_attempt_at = $4, next_attempt_at = $5,
                succeeded_at = $6, last_error = $7 WHERE id = $1`,
        [
          d.id,
          status,
          attemptNumber,
          at,
          delay === null ? null : new Date(at.getTime() + delay),
          succeeded ? at : null,
          succeeded ? null : error,
        ],
      );
      if (succeeded) {
        await tx.query(`UPDATE webhook_endpoints SET last_success_at = $2 WHERE id = $1`, [d.endpoint_id, at]);
      } else if (result.statusCode === 410) {
        await disable(tx, d.endpoint_id, at, `the endpoint answered 410 Gone on ${at.toISOString()}`);
      } else if (status === WebhookDeliveryStatus.FAILED && !refusedGrant) {
        // Sustained failure: this delivery failed all its attempts and nothing succeeded on the endpoint since it was queued.
        await tx.query(
          `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2
            WHERE id = $1 AND disabled_at IS NULL AND (last_success_at IS NULL OR last_success_at < $4)`,
          [
            d.endpoint_id,
            at,
            `every attempt of a delivery failed for ${MAX_ATTEMPTS} attempts over about three days (last: ${error})`.slice(0, 500),
            d.created_at,
          ],
        );
      }
    });
    return succeeded;
  }
}

async function disable(tx: EntityManager, endpointId: string, at: Date, reason: string): Promise<void> {
  await tx.query(
    `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1 AND disabled_at IS NULL`,
    [endpointId, at, reason],
  );
}
