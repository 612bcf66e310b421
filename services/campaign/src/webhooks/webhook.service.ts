import { randomUUID } from 'node:crypto';
import {
  AppError,
  badInput,
  Connection,
  ErrorCode,
  forbidden,
  invalidState,
  isUuid,
  keysetPage,
  loadManyBy,
  notFound,
  RequestContext,
  SecretCipher,
} from '@influenceflow/kit';
import { isPartnerEventType } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { grantedEventTypes } from '../partners/partner-grants';
import { parseWebhookUrl } from './webhook-destination';
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity';
import { newWebhookSecret } from './webhook-signing';
import type { WebhookSettings } from './webhook-settings';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveriesArgs } from './webhook.types';

/** How long deliveries are also signed with the secret before a rotation. */
export const PREVIOUS_SECRET_LIFETIME_MS = 24 * 3_600_000;
/** Deliveries one replayWebhookDeliveries call queues again at most (the oldest first; call again for more). */
export const REPLAY_RANGE_CAP = 1000;
/** Event types of one endpoint at most, and the longest description. */
const MAX_EVENT_TYPES = 50;
const MAX_DESCRIPTION = 500;

/** The live grant check (partners/partner-grants.ts); tests pass their own grants. */
export type GrantLookup = (manager: EntityManager, partnerClientId: string, brandId: string) => Promise<string[]>;

/** The clock and random source of the deliverer: tests control both. */
export interface WebhookClock {
  now(): Date;
  random(): number;
}
export const SYSTEM_CLOCK: WebhookClock = { now: () => new Date(), random: Math.random };

/** What a sealed secret is bound to: its endpoint, so a secret copied into another row does not open. */
const boundTo = (endpointId: string) => `webhook_endpoints:${endpointId}`;

/** read: see it and its log; manage: change it; disable/enable: switch it off or on. */
type Access = 'read' | 'manage' | 'disable' | 'enable' | 'delete';

/** The reason of a partner's endpoint disabled by the brand's member (the partner cannot enable it again). */
const DISABLED_BY_BRAND = "disabled by the brand's member";

/**
 * Webhook endpoints and their delivery log (docs/webhooks.md). A brand's members manage its endpoints
 * and may see and disable the ones its partners made; its analysts read them; a partner manages its own,
 * on brands whose live grant covers the event types; creators nothing. Anything else is "not found".
 */
export class WebhookService {
  private readonly cipher: SecretCipher;
  /** A partner's live grant, asked at creation, fan-out and delivery (never the token). */
  readonly grants: GrantLookup = grantedEventTypes;

  constructor(
    private readonly settings: WebhookSettings,
    readonly clock: WebhookClock = SYSTEM_CLOCK,
  ) {
    this.cipher = new SecretCipher(settings.secretKey);
  }

  /** The secrets every attempt is signed with now: the current one, and the previous one until it expires. */
  secretsOf(
    endpoint: Pick<WebhookEndpoint, 'id' | 'secretSealed' | 'previousSecretSealed' | 'previousSecretExpiresAt'>,
    now: Date,
  ): string[] {
    const secrets = [this.cipher.decrypt(endpoint.secretSealed, boundTo(endpoint.id))];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
      secrets.push(this.cipher.decrypt(endpoint.previousSecretSealed, boundTo(endpoint.id)));
    }
    return secrets;
  }

  async create(ctx: RequestContext, input: CreateWebhookEndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const identity = ctx.requireIdentity();
    const partner = isPartner(ctx);
    if (!isUuid(input.brandId)) throw badInput('input.brandId', 'must be a UUID');
    if (!partner) ctx.requireBrand(input.brandId);
    const problems = ctx.inputProblems();
    const url = problems.check(() => parseWebhookUrl(input.url, 'input.url', this.settings.allowPrivateDestinations));
    const eventTypes = problems.check(() => parseEventTypes(input.eventTypes, 'input.eventTypes'));
    const description = problems.check(() => parseDescription(input.description, 'input.description'));
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      if (partner) await this.requireGrant(tx, identity.sub, input.brandId, eventTypes!, 'input.eventTypes');
      const id = randomUUID();
      const secret = newWebhookSecret();
      const now = this.clock.now();
      const endpoint = tx.getRepository(WebhookEndpoint).create({
        id,
        brandId: input.brandId,
        partnerClientId: partner ? identity.sub.toLowerCase() : null,
        url: url!,
        description: description ?? null,
        eventTypes: eventTypes!,
        secretSealed: this.cipher.encrypt(secret, boundTo(id)),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        secretRotatedAt: null,
        disabledAt: null,
        disabledReason: null,
        lastSuccessAt: null,
        createdBy: identity.sub,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await tx.getRepository(WebhookEndpoint).insert(endpoint);
      } catch (err) {
        // The brand named in a token but gone from the database (or never there).
        if ((err as { code?: string }).code === '23503') throw notFound('Brand', input.brandId);
        throw err;
      }
      return { endpoint, secret };
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const endpoint = await this.endpointFor(ctx, id, 'manage');
    const problems = ctx.inputProblems();
    const url =
      input.url == null
        ? undefined
        : problems.check(() => parseWebhookUrl(input.url!, 'input.url', this.settings.allowPrivateDestinations));
    const eventTypes = input.eventTypes == null ? undefined : problems.check(() => parseEventTypes(input.eventTypes!, 'input.eventTypes'));
    const description =
      input.description === undefined ? undefined : problems.check(() => parseDescription(input.description, 'input.description'));
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      if (endpoint.partnerClientId && eventTypes)
        await this.requireGrant(tx, endpoint.partnerClientId, endpoint.brandId, eventTypes, 'input.eventTypes');
      const changes: Partial<WebhookEndpoint> = { updatedAt: this.clock.now() };
      if (url !== undefined) changes.url = url;
      if (eventTypes !== undefined) changes.eventTypes = eventTypes;
      if (description !== undefined) changes.description = description ?? null;
      await tx.getRepository(WebhookEndpoint).update({ id }, changes);
      return Object.assign(endpoint, changes);
    });
  }

  /** A new secret becomes current; the current one stays valid (deliveries carry both signatures) for 24 hours. */
  async rotateSecret(ctx: RequestContext, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.endpointFor(ctx, id, 'manage');
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(WebhookEndpoint);
      const endpoint = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!endpoint) throw notFound('WebhookEndpoint', id);
      const now = this.clock.now();
      const secret = newWebhookSecret();
      Object.assign(endpoint, {
        previousSecretSealed: endpoint.secretSealed,
        previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_LIFETIME_MS),
        secretSealed: this.cipher.encrypt(secret, boundTo(id)),
        secretRotatedAt: now,
        updatedAt: now,
      });
      await repo.save(endpoint);
      return { endpoint, secret };
    });
  }

  /**
   * Disabling keeps its deliveries (they wait); enabling sends the waiting ones now. A partner's endpoint
   * that the brand's member disabled stays so until that brand enables it: the partner cannot undo it.
   */
  async setEnabled(ctx: RequestContext, id: string, enabled: boolean): Promise<WebhookEndpoint> {
    const endpoint = await this.endpointFor(ctx, id, enabled ? 'enable' : 'disable');
    const now = this.clock.now();
    return ctx.transaction(async (tx) => {
      if (enabled) {
        if (isPartner(ctx) && endpoint.disabledReason === DISABLED_BY_BRAND) {
          throw forbidden("The brand disabled this endpoint; only the brand's members can enable it");
        }
        await tx.query(`UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, updated_at = $2 WHERE id = $1`, [id, now]);
        await tx.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE endpoint_id = $1 AND status = 'pending'`, [id, now]);
        return Object.assign(endpoint, { disabledAt: null, disabledReason: null, updatedAt: now });
      }
      if (endpoint.disabledAt) return endpoint;
      const reason = isPartner(ctx)
        ? 'disabled by the partner'
        : endpoint.partnerClientId
          ? DISABLED_BY_BRAND
          : 'disabled by a member of the brand';
      await tx.query(`UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1`, [
        id,
        now,
        reason,
      ]);
      return Object.assign(endpoint, { disabledAt: now, disabledReason: reason, updatedAt: now });
    });
  }

  /** Deletes the endpoint with its deliveries and their log. */
  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    await this.endpointFor(ctx, id, 'delete');
    await ctx.transaction((tx) => tx.getRepository(WebhookEndpoint).delete({ id }));
    return true;
  }

  /** A brand's endpoints, oldest first; a partner sees only its own. */
  async list(ctx: RequestContext, brandId: string): Promise<WebhookEndpoint[]> {
    const identity = ctx.requireIdentity();
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    const qb = ctx.runtime.dataSource
      .getRepository(WebhookEndpoint)
      .createQueryBuilder('e')
      .where('e.brand_id = :brandId', { brandId })
      .orderBy('e.created_at', 'ASC')
      .addOrderBy('e.id', 'ASC');
    if (isPartner(ctx)) qb.andWhere('e.partner_client_id = :partner', { partner: identity.sub.toLowerCase() });
    else ctx.requireBrand(brandId, ['brand_member', 'analyst']);
    return qb.getMany();
  }

  async deliveries(ctx: RequestContext, args: WebhookDeliveriesArgs): Promise<Connection<WebhookDelivery>> {
    await this.endpointFor(ctx, args.endpointId, 'read', 'endpointId');
    const qb = ctx.runtime.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpoint_id = :endpointId', { endpointId: args.endpointId });
    if (args.status) qb.andWhere('d.status = :status', { status: args.status });
    if (args.from) qb.andWhere('d.created_at >= :from', { from: args.from });
    if (args.to) qb.andWhere('d.created_at < :to', { to: args.to });
    return keysetPage(qb, { column: 'd.created_at', direction: 'DESC', part: 'timestamp', keyOf: (d) => d.createdAt.toISOString() }, args);
  }

  /** A delivery's attempts since it was first queued, oldest first (batched per request). */
  attempts(ctx: RequestContext, deliveryId: string): Promise<WebhookAttempt[]> {
    return loadManyBy(ctx, WebhookAttempt, 'deliveryId', deliveryId, { id: 'ASC' });
  }

  /** Queues one delivery again, now, with the same webhook-id; its retry schedule starts over. */
  async replay(ctx: RequestContext, deliveryId: string): Promise<WebhookDelivery> {
    if (!isUuid(deliveryId)) throw badInput('id', 'must be a UUID');
    const delivery = await ctx.runtime.dataSource.getRepository(WebhookDelivery).findOneBy({ id: deliveryId });
    if (!delivery) throw notFound('WebhookDelivery', deliveryId);
    const endpoint = await this.endpointFor(ctx, delivery.endpointId, 'manage', 'id', () => notFound('WebhookDelivery', deliveryId));
    if (endpoint.disabledAt) throw invalidState('The endpoint is disabled: enable it first, then replay', { field: 'id' });
    const now = this.clock.now();
    await ctx.transaction((tx) =>
      tx.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempt_count = 0, next_attempt_at = $2, replays = replays + 1 WHERE id = $1`,
        [deliveryId, now],
      ),
    );
    return Object.assign(delivery, {
      status: WebhookDeliveryStatus.PENDING,
      attemptCount: 0,
      nextAttemptAt: now,
      replays: delivery.replays + 1,
    });
  }

  /**
   * Queues again the endpoint's deliveries queued in [from, to) that are not pending: at most
   * REPLAY_RANGE_CAP, the oldest first (a second call takes the next ones). Returns how many.
   */
  async replayRange(ctx: RequestContext, endpointId: string, from: Date, to: Date): Promise<number> {
    const endpoint = await this.endpointFor(ctx, endpointId, 'manage', 'endpointId');
    if (!(from < to)) throw badInput('to', 'must be after from');
    if (endpoint.disabledAt) throw invalidState('The endpoint is disabled: enable it first, then replay', { field: 'endpointId' });
    const now = this.clock.now();
    const rows = (await ctx.transaction((tx) =>
      tx.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempt_count = 0, next_attempt_at = $4, replays = replays + 1
          WHERE id IN (SELECT id FROM webhook_deliveries
                        WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 AND status <> 'pending'
                        ORDER BY created_at, id LIMIT ${REPLAY_RANGE_CAP})
          RETURNING id`,
        [endpointId, from, to, now],
      ),
    )) as [unknown[], number];
    return rows[1];
  }

  private async requireGrant(
    tx: EntityManager,
    partnerClientId: string,
    brandId: string,
    eventTypes: string[],
    field: string,
  ): Promise<void> {
    const granted = await this.grants(tx, partnerClientId.toLowerCase(), brandId);
    if (granted.length === 0) throw forbidden('This brand has not granted your platform its events');
    const missing = eventTypes.filter((t) => !granted.includes(t));
    if (missing.length > 0) {
      throw new AppError(ErrorCode.FORBIDDEN, "The brand's grant does not cover these event types", {
        field,
        details: { notGranted: missing },
      });
    }
  }

  /** The endpoint if the caller may `access` it; someone else's is NOT_FOUND. */
  private async endpointFor(
    ctx: RequestContext,
    id: string,
    access: Access,
    field = 'id',
    missing: () => Error = () => notFound('WebhookEndpoint', id),
  ): Promise<WebhookEndpoint> {
    const identity = ctx.requireIdentity();
    if (!ctx.isAdmin && !isPartner(ctx) && !identity.roles.some((r) => r === 'brand_member' || r === 'analyst')) {
      throw forbidden("Webhooks are for a brand's members and its partners");
    }
    if (!isUuid(id)) throw badInput(field, 'must be a UUID');
    const endpoint = await ctx.runtime.dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
    if (!endpoint) throw missing();
    if (ctx.isAdmin) return endpoint;
    if (isPartner(ctx)) {
      if (endpoint.partnerClientId !== identity.sub.toLowerCase()) throw missing();
      // reading and deleting its own stay possible; anything else needs a live grant of the brand (and the
      // client not disabled), as creating did
      if (access !== 'read' && access !== 'delete' && !(await this.hasLiveGrant(ctx, endpoint))) {
        throw forbidden("This brand's grant to you was revoked: you may read or delete this endpoint, nothing else");
      }
      return endpoint;
    }
    if (!identity.brandIds.includes(endpoint.brandId)) throw missing();
    if (access === 'read') {
      ctx.requireBrand(endpoint.brandId, ['brand_member', 'analyst']);
      return endpoint;
    }
    ctx.requireBrand(endpoint.brandId);
    if (access === 'enable' && endpoint.partnerClientId && endpoint.disabledReason !== DISABLED_BY_BRAND) {
      throw forbidden("A partner's endpoint is enabled again by the partner, unless the brand disabled it");
    }
    if (access === 'manage' && endpoint.partnerClientId) {
      throw forbidden("A partner's endpoint is managed by the partner; the brand's members can disable it");
    }
    if (access === 'delete' && endpoint.partnerClientId && (await this.hasLiveGrant(ctx, endpoint))) {
      throw forbidden(
        "A partner's endpoint is deleted by the partner while the brand's grant to it is live; revoke the grant, or disable the endpoint",
      );
    }
    return endpoint;
  }

  private async hasLiveGrant(ctx: RequestContext, endpoint: WebhookEndpoint): Promise<boolean> {
    const { partnerClientId, brandId } = endpoint;
    if (!partnerClientId) return false;
    return (await this.grants(ctx.runtime.dataSource.manager, partnerClientId, brandId)).length > 0;
  }
}

function isPartner(ctx: RequestContext): boolean {
  return !!ctx.identity?.roles.includes('partner');
}

function parseEventTypes(value: string[], field: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badInput(field, 'must name at least one event type');
  if (value.length > MAX_EVENT_TYPES) throw badInput(field, `must name at most ${MAX_EVENT_TYPES} event types`);
  const unknown = value.filter((t) => !isPartnerEventType(t));
  if (unknown.length > 0)
    throw badInput(field, 'holds event types one cannot subscribe to (docs/webhooks.md lists them)', { count: unknown.length });
  return [...new Set(value)];
}

function parseDescription(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (text.length > MAX_DESCRIPTION) throw badInput(field, `must be at most ${MAX_DESCRIPTION} characters`);
  return text.length > 0 ? text : null;
}
