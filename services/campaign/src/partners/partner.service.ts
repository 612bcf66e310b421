import { randomUUID } from 'node:crypto';
import {
  AppError,
  badInput,
  ErrorCode,
  Connection,
  isUuid,
  isVisibleText,
  keysetPage,
  notFound,
  PageArgs,
  RequestContext,
} from '@influenceflow/kit';
import { isPartnerEventType } from '@influenceflow/vocabulary';
import { EntityManager, IsNull } from 'typeorm';
import { Brand } from '../brands/brand.entity';
import { PartnerClient, PartnerGrant } from './partner.entity';
import { hashClientSecret, newClientId, newClientSecret, secretMatches } from './partner-secrets';
import type { GrantPartnerAccessInput, PartnerClientWithSecret, PartnerProfile } from './partner.types';

/** After a rotation the previous secret still works this long, so a partner can roll it out. */
export const PREVIOUS_CLIENT_SECRET_LIFETIME_MS = 24 * 3_600_000;
const MAX_NAME = 200;
const MAX_CLIENT_ID = 64;
const MAX_EVENT_TYPES = 50;
/** What a secret is compared with when there is nothing to compare it with (no secret hashes to it). */
const UNKNOWN_HASH = '0'.repeat(64);

/** Who a partner client is once its credentials check out: the token's subject and its brands now. */
export interface PartnerCredentials {
  partnerClientId: string;
  clientId: string;
  brandIds: string[];
}

/**
 * Partner clients and brands' grants to them (docs/partners.md). Admins register clients (the operator
 * onboards a platform); a brand's members grant and revoke; its analysts read the grants; a partner reads
 * itself. Every grant is read live, so a revocation takes effect at once.
 */
export class PartnerService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  async register(ctx: RequestContext, name: string): Promise<PartnerClientWithSecret> {
    const identity = ctx.requireRole('admin');
    const trimmed = parseName(name);
    const clientSecret = newClientSecret();
    const client = await ctx.transaction((tx) =>
      tx.getRepository(PartnerClient).save(
        tx.getRepository(PartnerClient).create({
          id: randomUUID(),
          name: trimmed,
          clientId: newClientId(),
          secretHash: hashClientSecret(clientSecret),
          previousSecretHash: null,
          previousSecretExpiresAt: null,
          createdBy: identity.sub,
          createdAt: this.now(),
          disabledAt: null,
        }),
      ),
    );
    return { client, clientSecret };
  }

  /**
   * A new secret, shown once; the one before keeps working for 24 hours (or until the next rotation), so
   * the partner can roll it out — unless `endPrevious` (a leaked secret), when it stops at once.
   */
  async rotateSecret(ctx: RequestContext, id: string, endPrevious = false): Promise<PartnerClientWithSecret> {
    ctx.requireRole('admin');
    const clientSecret = newClientSecret();
    const client = await ctx.transaction(async (tx) => {
      const found = await this.clientForUpdate(tx, id);
      found.previousSecretHash = endPrevious ? null : found.secretHash;
      found.previousSecretExpiresAt = endPrevious ? null : new Date(this.now().getTime() + PREVIOUS_CLIENT_SECRET_LIFETIME_MS);
      found.secretHash = hashClientSecret(clientSecret);
      return tx.getRepository(PartnerClient).save(found);
    });
    return { client, clientSecret };
  }

  /** No token is issued to a disabled client, and its grants give nothing (webhooks and live events stop). */
  async disable(ctx: RequestContext, id: string): Promise<PartnerClient> {
    ctx.requireRole('admin');
    return ctx.transaction(async (tx) => {
      const found = await this.clientForUpdate(tx, id);
      found.disabledAt ??= this.now();
      return tx.getRepository(PartnerClient).save(found);
    });
  }

  /** A disabled client is issued tokens again and its live grants give again what they say. */
  async enable(ctx: RequestContext, id: string): Promise<PartnerClient> {
    ctx.requireRole('admin');
    return ctx.transaction(async (tx) => {
      const found = await this.clientForUpdate(tx, id);
      found.disabledAt = null;
      return tx.getRepository(PartnerClient).save(found);
    });
  }

  list(ctx: RequestContext, args: PageArgs): Promise<Connection<PartnerClient>> {
    ctx.requireRole('admin');
    const qb = ctx.runtime.dataSource.getRepository(PartnerClient).createQueryBuilder('c');
    return keysetPage(qb, { column: 'c.created_at', direction: 'DESC', part: 'timestamp', keyOf: (c) => c.createdAt.toISOString() }, args);
  }

  /** Grants a partner a brand's events; a brand with a live grant to it has its event types replaced. */
  async grant(ctx: RequestContext, input: GrantPartnerAccessInput): Promise<PartnerGrant> {
    if (!isUuid(input.brandId)) throw badInput('input.brandId', 'must be a UUID');
    const brandId = input.brandId.toLowerCase();
    const identity = ctx.requireBrand(brandId);
    const eventTypes = parseEventTypes(input.eventTypes);
    const clientId = typeof input.clientId === 'string' ? input.clientId.trim() : '';
    if (clientId === '' || clientId.length > MAX_CLIENT_ID)
      throw badInput('input.clientId', `must be a client id of at most ${MAX_CLIENT_ID} characters`);
    return ctx.transaction(async (tx) => {
      if (!(await tx.getRepository(Brand).existsBy({ id: brandId }))) throw notFound('Brand', brandId);
      const client = await tx.getRepository(PartnerClient).findOneBy({ clientId });
      if (!client || client.disabledAt)
        throw new AppError(ErrorCode.NOT_FOUND, 'No partner platform has this client id', { field: 'input.clientId' });
      // one live grant per brand and client (a partial unique index); the lock makes a concurrent grant wait
      const live = await tx
        .getRepository(PartnerGrant)
        .createQueryBuilder('g')
        .setLock('pessimistic_write')
        .where('g.partner_client_id = :client AND g.brand_id = :brandId AND g.revoked_at IS NULL', { client: client.id, brandId })
        .getOne();
      const grant =
        live ??
        tx.getRepository(PartnerGrant).create({ id: randomUUID(), partnerClientId: client.id, brandId, revokedAt: null, revokedBy: null });
      grant.eventTypes = eventTypes;
      grant.grantedBy = identity.sub;
      grant.grantedAt = this.now();
      return tx.getRepository(PartnerGrant).save(grant);
    });
  }

  /** Revokes a grant at once: the partner's webhooks and live events of the brand stop. Revoking twice is harmless. */
  async revoke(ctx: RequestContext, grantId: string): Promise<PartnerGrant> {
    const identity = ctx.requireIdentity();
    if (!isUuid(grantId)) throw badInput('id', 'must be a UUID');
    return ctx.transaction(async (tx) => {
      const grant = await tx
        .getRepository(PartnerGrant)
        .findOne({ where: { id: grantId.toLowerCase() }, lock: { mode: 'pessimistic_write' } });
      // another brand's grant is not found, as every other brand's thing
      if (!grant || !(ctx.isAdmin || identity.brandIds.includes(grant.brandId))) throw notFound('PartnerGrant', grantId);
      ctx.requireBrand(grant.brandId);
      if (grant.revokedAt) return grant;
      grant.revokedAt = this.now();
      grant.revokedBy = identity.sub;
      return tx.getRepository(PartnerGrant).save(grant);
    });
  }

  /** A brand's live grants, newest first (its members and analysts); those of a disabled client give nothing and are not listed. */
  grants(ctx: RequestContext, brandId: string, args: PageArgs): Promise<Connection<PartnerGrant>> {
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    ctx.requireBrand(brandId.toLowerCase(), ['brand_member', 'analyst']);
    const qb = ctx.runtime.dataSource
      .getRepository(PartnerGrant)
      .createQueryBuilder('g')
      .innerJoin(PartnerClient, 'c', 'c.id = g.partner_client_id AND c.disabled_at IS NULL')
      .where('g.brand_id = :brandId AND g.revoked_at IS NULL', { brandId: brandId.toLowerCase() });
    return keysetPage(qb, { column: 'g.granted_at', direction: 'DESC', part: 'timestamp', keyOf: (g) => g.grantedAt.toISOString() }, args);
  }

  /** The partner behind the token, and its live grants (none once disabled). */
  async me(ctx: RequestContext): Promise<PartnerProfile> {
    const identity = ctx.requireRole('partner');
    const client = isUuid(identity.sub) ? await ctx.runtime.dataSource.getRepository(PartnerClient).findOneBy({ id: identity.sub }) : null;
    if (!client) throw notFound('PartnerClient', identity.sub);
    const grants = client.disabledAt
      ? []
      : await ctx.runtime.dataSource.getRepository(PartnerGrant).find({
          where: { partnerClientId: client.id, revokedAt: IsNull() },
          order: { grantedAt: 'ASC', id: 'ASC' },
        });
    return { id: client.id, clientId: client.clientId, name: client.name, grants };
  }

  /**
   * The client credentials grant's check (the gateway's POST /oauth/token asks): the client if the id and
   * secret match a client that is not disabled (the previous secret until it expires), else null — one
   * answer for every failure, so a caller learns nothing of which part was wrong.
   */
  async verifyCredentials(manager: EntityManager, clientId: string, clientSecret: string): Promise<PartnerCredentials | null> {
    if (clientId.length === 0 || clientId.length > MAX_CLIENT_ID || clientSecret.length > 200) return null;
    if (clientId.includes('\u0000') || clientSecret.includes('\u0000')) return null; // PostgreSQL text cannot hold NUL
    const client = await manager.getRepository(PartnerClient).findOneBy({ clientId });
    // both hashes are compared for every request, known client or not, so both take the same time
    const current = secretMatches(clientSecret, client?.secretHash ?? UNKNOWN_HASH);
    const previousLive = !!client?.previousSecretExpiresAt && client.previousSecretExpiresAt > this.now();
    const previous = secretMatches(clientSecret, (previousLive && client?.previousSecretHash) || UNKNOWN_HASH) && previousLive;
    if (!client || client.disabledAt || !(current || previous)) return null;
    const grants = await manager
      .getRepository(PartnerGrant)
      .createQueryBuilder('g')
      .select('g.brand_id', 'brandId')
      .where('g.partner_client_id = :id AND g.revoked_at IS NULL', { id: client.id })
      .orderBy('g.brand_id')
      .getRawMany<{ brandId: string }>();
    return { partnerClientId: client.id, clientId: client.clientId, brandIds: grants.map((g) => g.brandId) };
  }

  private async clientForUpdate(tx: EntityManager, id: string): Promise<PartnerClient> {
    if (!isUuid(id)) throw badInput('id', 'must be a UUID');
    const found = await tx.getRepository(PartnerClient).findOne({ where: { id: id.toLowerCase() }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw notFound('PartnerClient', id);
    return found;
  }
}

function parseName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!isVisibleText(trimmed)) throw badInput('name', 'must hold visible text');
  if (trimmed.length > MAX_NAME) throw badInput('name', `must be at most ${MAX_NAME} characters`);
  return trimmed;
}

function parseEventTypes(value: string[]): string[] {
  const field = 'input.eventTypes';
  if (!Array.isArray(value) || value.length === 0) throw badInput(field, 'must name at least one event type');
  if (value.length > MAX_EVENT_TYPES) throw badInput(field, `must name at most ${MAX_EVENT_TYPES} event types`);
  const unknown = value.filter((t) => !isPartnerEventType(t));
  if (unknown.length > 0)
    throw badInput(field, 'holds event types partners cannot have (docs/webhooks.md lists them)', { count: unknown.length });
  return [...new Set(value)].sort();
}
