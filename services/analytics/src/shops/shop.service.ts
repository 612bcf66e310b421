import { randomUUID } from 'node:crypto';
import { badInput, conflict, isUuid, notFound, RequestContext, SecretCipher } from '@influenceflow/kit';
import type { DataSource } from 'typeorm';
import { Shop, ShopPlatform } from './shop.entity';
import type { ConnectShopInput } from './shop.types';

/** How long webhooks signed with the secret before a rotation are still accepted. */
export const PREVIOUS_SECRET_LIFETIME_MS = 72 * 3_600_000;

/** A shop's permanent Shopify domain: `<store>.myshopify.com`, lower case. */
const SHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;
/** A signing secret as Shopify shows them: printable ASCII, no spaces. */
const SECRET = /^[\x21-\x7e]{16,256}$/;

export function parseShopDomain(value: string, field: string): string {
  const domain = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!SHOPIFY_DOMAIN.test(domain)) throw badInput(field, 'must be the shop\'s permanent domain, e.g. "oaty.myshopify.com"');
  return domain;
}

function parseSecret(value: string, field: string): string {
  if (typeof value !== 'string' || !SECRET.test(value)) {
    throw badInput(field, 'must be the signing secret as the shop shows it: 16 to 256 printable characters, no spaces');
  }
  return value;
}

/** What the secrets are bound to when sealed: the shop, so a secret copied into another row does not open. */
const boundTo = (shopId: string) => `shops:${shopId}`;

/**
 * Shops of a brand and their webhook secrets. Only the brand's members (and admins) connect, rotate and
 * disconnect them; its analysts read them. Someone else's shop is "not found".
 */
export class ShopService {
  private sealer: SecretCipher | null = null;

  /**
   * `secretKey` is asked for on first use: a process that never handles a shop starts even where the key
   * is refused (the loader, main.ts, refuses the development key in production before anything starts).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly secretKey: () => Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get cipher(): SecretCipher {
    return (this.sealer ??= new SecretCipher(this.secretKey()));
  }

  /**
   * Connects a store, or connects again the brand's store disconnected before (same platform and domain):
   * that shop's row comes back with the new secret, so its id, webhook URL and orders stay. A domain
   * connected now, by any brand, is CONFLICT.
   */
  async connect(ctx: RequestContext, input: ConnectShopInput): Promise<Shop> {
    ctx.requireBrand(input.brandId);
    const problems = ctx.inputProblems();
    const domain = problems.check(() => parseShopDomain(input.domain, 'input.domain'));
    const secret = problems.check(() => parseSecret(input.webhookSecret, 'input.webhookSecret'));
    if (input.platform !== ShopPlatform.SHOPIFY) problems.add('input.platform', 'must be SHOPIFY');
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Shop);
      // The same store of the same brand connected again is the same shop: its orders, refunds and webhook
      // receipts are keyed by the shop's id, so a new id would orphan them (and its webhook URL stays).
      const earlier = await repo
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.brand_id = :brandId AND s.platform = :platform AND s.domain = :domain', {
          brandId: input.brandId,
          platform: input.platform,
          domain,
        })
        .orderBy('s.created_at', 'DESC')
        .addOrderBy('s.id', 'DESC')
        .limit(1)
        .getOne();
      // Locked first: of two reconnections at once, the second sees the first's and is CONFLICT.
      // The partial unique index decides under concurrency; this gives the usual case its message.
      const connected = await repo
        .createQueryBuilder('s')
        .where('s.platform = :platform AND s.domain = :domain AND s.disconnected_at IS NULL', { platform: input.platform, domain })
        .getExists();
      if (connected) throw conflict(`${domain} is already connected`, 'input.domain');
      const id = earlier?.id ?? randomUUID();
      const shop = Object.assign(earlier ?? repo.create({ id, brandId: input.brandId, platform: input.platform, domain: domain! }), {
        secretSealed: this.cipher.encrypt(secret!, boundTo(id)),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        secretRotatedAt: null,
        disconnectedAt: null,
      });
      try {
        return await repo.save(shop);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw conflict(`${domain} is already connected`, 'input.domain');
        throw err;
      }
    });
  }

  /** The new secret becomes current; the current one stays valid for PREVIOUS_SECRET_LIFETIME_MS. */
  async rotate(ctx: RequestContext, shopId: string, webhookSecret: string): Promise<Shop> {
    await this.ownShop(ctx, shopId);
    const secret = parseSecret(webhookSecret, 'webhookSecret');
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Shop);
      const shop = await repo.findOne({ where: { id: shopId }, lock: { mode: 'pessimistic_write' } });
      if (!shop || shop.disconnectedAt || !shop.secretSealed) throw notFound('Shop', shopId);
      const current = this.cipher.decrypt(shop.secretSealed, boundTo(shop.id));
      if (current === secret) throw badInput('webhookSecret', 'is the current secret already: rotation needs a new one');
      const now = this.now();
      shop.previousSecretSealed = shop.secretSealed;
      shop.previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_LIFETIME_MS);
      shop.secretSealed = this.cipher.encrypt(secret, boundTo(shop.id));
      shop.secretRotatedAt = now;
      return repo.save(shop);
    });
  }

  /** Its webhooks are refused from then on; its secrets are deleted. Its orders stay. */
  async disconnect(ctx: RequestContext, shopId: string): Promise<Shop> {
    await this.ownShop(ctx, shopId);
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Shop);
      const shop = await repo.findOne({ where: { id: shopId }, lock: { mode: 'pessimistic_write' } });
      if (!shop) throw notFound('Shop', shopId);
      if (shop.disconnectedAt) return shop;
      Object.assign(shop, { disconnectedAt: this.now(), secretSealed: null, previousSecretSealed: null, previousSecretExpiresAt: null });
      return repo.save(shop);
    });
  }

  /** A brand's shops, connected ones first, newest first. */
  async list(ctx: RequestContext, brandId: string): Promise<Shop[]> {
    ctx.requireBrand(brandId, ['brand_member', 'analyst']);
    return this.dataSource
      .getRepository(Shop)
      .createQueryBuilder('s')
      .where('s.brand_id = :brandId', { brandId })
      .orderBy('s.disconnected_at IS NULL', 'DESC')
      .addOrderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .take(200)
      .getMany();
  }

  /**
   * A connected shop and the secrets its webhooks may be signed with now (current, then previous until it
   * expires); null for an unknown or disconnected shop. Not for GraphQL: the webhook route asks.
   */
  async webhookSecrets(shopId: string): Promise<{ shop: Shop; secrets: string[] } | null> {
    if (!isUuid(shopId)) return null;
    const shop = await this.dataSource.getRepository(Shop).findOneBy({ id: shopId });
    if (!shop || shop.disconnectedAt || !shop.secretSealed) return null;
    const secrets = [this.cipher.decrypt(shop.secretSealed, boundTo(shop.id))];
    if (shop.previousSecretSealed && shop.previousSecretExpiresAt && shop.previousSecretExpiresAt > this.now()) {
      secrets.push(this.cipher.decrypt(shop.previousSecretSealed, boundTo(shop.id)));
    }
    return { shop, secrets };
  }

  /** The caller's brand's shop, or NOT_FOUND (another brand's shop is not revealed), or FORBIDDEN for an analyst. */
  private async ownShop(ctx: RequestContext, shopId: string): Promise<Shop> {
    ctx.requireIdentity();
    const shop = isUuid(shopId) ? await this.dataSource.getRepository(Shop).findOneBy({ id: shopId }) : null;
    if (!shop || !ctx.canActForBrand(shop.brandId, ['brand_member', 'analyst'])) throw notFound('Shop', shopId);
    ctx.requireBrand(shop.brandId);
    return shop;
  }
}
