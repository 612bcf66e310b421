import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  badInput,
  backoffMs,
  conflict,
  ErrorCode,
  Logger,
  notFound,
  RequestContext,
  SecretCipher,
  uuidv7,
} from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import type { AccountService } from '../accounts/account.service';
import { PlatformAccount } from '../accounts/platform-account.entity';
import { MAX_HISTORY } from '../creators/creator-record';
import { ownCreatorId } from '../creators/ownership';
import type { Platform } from '../rules/types';
import { Connector, ConnectorError, FetchedAccount, hashtagsOf, TokenSet } from './connector';
import type { ConnectorSettings } from './connector-config';
import { ConnectionStatus, PlatformConnection } from './platform-connection.entity';
import { publishChangedPosts } from './post-measurements';

/** How long a connection request (its state) may take: the creator's consent on the platform. */
export const STATE_LIFETIME_MS = 10 * 60_000;
/** Open requests a creator may have at once; older ones are dropped. */
const MAX_OPEN_STATES = 5;
/** Access tokens are refreshed this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** A refresh claims a connection for this long, so other replicas leave it alone meanwhile. */
const CLAIM_MS = 5 * 60_000;
/** The first retry after a failure, doubling up to the refresh interval. */
const FIRST_RETRY_MS = 60_000;
const MAX_CAPTION = 2200;

const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const PLATFORM_NAMES: Partial<Record<Platform, string>> = { youtube: 'YouTube', instagram: 'Instagram' };
const nameOf = (platform: Platform) => PLATFORM_NAMES[platform] ?? platform;

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
/** What a sealed token is bound to (SecretCipher's additional data): its connection's creator and platform. */
const tokenOwner = (creatorId: string, platform: string) => `${creatorId}:${platform}`;

/**
 * The client error for a platform's failure: a revoked or refused grant is the client's input (`field`);
 * a rate limit says when to try again; anything else is UPSTREAM_FAILED. Messages never hold tokens.
 */
function clientErrorOf(err: ConnectorError, field: string): AppError {
  switch (err.kind) {
    case 'revoked':
    case 'refused':
      return new AppError(ErrorCode.BAD_USER_INPUT, `${err.message}: nothing was connected; start again`, { field });
    case 'rate_limited':
      return new AppError(ErrorCode.RATE_LIMITED, `${err.message}: nothing was connected; try again later`, {
        details: { retryAfterSeconds: Math.ceil((err.retryAfterMs ?? 0) / 1000) },
      });
    default:
      return new AppError(ErrorCode.UPSTREAM_FAILED, `${err.message}: nothing was connected`);
  }
}

/** The raw account record (creators/creator-record.ts parses it) of fetched figures. */
export function recordOfFetched(fetched: FetchedAccount, stored: PlatformAccount | null, fetchedAt: Date): unknown {
  const today = fetchedAt.toISOString().slice(0, 10);
  // The APIs give today's count; history is what earlier fetches (or saves) kept, plus today.
  const history = [
    ...(stored?.followerHistory ?? []).filter((p) => p.date !== today),
    ...fetched.followerHistory.map((p) => ({ date: p.date.toISOString().slice(0, 10), followers: p.followers })),
    { date: today, followers: fetched.followers },
  ];
  const byDay = new Map(history.map((p) => [p.date, p]));
  return {
    platform: fetched.platform,
    handle: fetched.handle,
    followers: fetched.followers,
    following: fetched.following ?? 0,
    postCount: fetched.postCount,
    // The APIs read here give no audience: the creator's own stays until they change it.
    audience: stored?.audience ?? null,
    followerHistory: [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date)).slice(-MAX_HISTORY),
    posts: fetched.posts.map((p) => ({
      postedAt: p.postedAt,
      format: p.format,
      // Hidden likes or disabled comments count as none.
      likes: p.likes ?? 0,
      comments: p.comments ?? 0,
      shares: p.shares ?? 0,
      saves: p.saves ?? 0,
      views: p.views,
      reach: p.reach,
      caption: p.caption.slice(0, MAX_CAPTION),
      hashtags: hashtagsOf(p.caption),
      ...(p.paidPartnership === null ? {} : { paidPartnership: p.paidPartnership }),
    })),
  };
}

/** The stored row of a connection as the refresher claims it. */
interface DueConnection {
  id: string;
  creatorId: string;
  platform: Platform;
  failures: number;
}

/** Connecting creators' accounts to their platforms, and fetching their figures (docs/connectors.md). */
export class ConnectionService {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly accounts: AccountService,
    private readonly settings: ConnectorSettings,
    private readonly connectors: ReadonlyMap<Platform, Connector>,
    private readonly logger: Logger,
  ) {
    this.cipher = new SecretCipher(settings.tokenKey);
  }

  /** The platforms this server offers connections to (those the operator configured). */
  offered(): Platform[] {
    return [...this.connectors.keys()];
  }

  private connectorFor(platform: Platform): Connector {
    const connector = this.connectors.get(platform);
    if (!connector) {
      throw badInput(
        'platform',
        `Connecting a ${nameOf(platform)} account is not offered on this server (its operator has not configured it)`,
      );
    }
    return connector;
  }

  /** Starts a connection: a single-use state bound to the caller, and the platform's consent URL. */
  async start(
    ctx: RequestContext,
    platform: Platform,
  ): Promise<{ platform: Platform; authorizationUrl: string; state: string; expiresAt: Date }> {
    const creatorId = ownCreatorId(ctx);
    const connector = this.connectorFor(platform);
    const state = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + STATE_LIFETIME_MS);
    await ctx.transaction(async (tx) => {
      const [creator] = await tx.query(`SELECT 1 FROM creators WHERE id = $1`, [creatorId]);
      if (!creator) throw notFound('Creator', creatorId);
      await tx.query(`DELETE FROM connection_states WHERE expires_at < now()`);
      await tx.query(
        `DELETE FROM connection_states WHERE state_hash IN (
           SELECT state_hash FROM connection_states WHERE creator_id = $1 ORDER BY created_at DESC OFFSET $2)`,
        [creatorId, MAX_OPEN_STATES - 1],
      );
      // Only a hash is stored: a database read does not give anyone a usable state.
      await tx.query(`INSERT INTO connection_states (state_hash, creator_id, platform, expires_at) VALUES ($1, $2, $3, $4)`, [
        hashState(state),
        creatorId,
        platform,
        expiresAt,
      ]);
    });
    return { platform, authorizationUrl: connector.authorizationUrl(state), state, expiresAt };
  }

  /**
   * Completes a connection with what the platform put on the redirect page's URL: consumes the state (it
   * must be the caller's, unexpired and unused), trades the code for tokens, fetches the figures and stores
   * account and connection in one transaction. Any failure leaves nothing written.
   */
  async complete(ctx: RequestContext, input: { state: string; code?: string | null; error?: string | null }): Promise<PlatformConnection> {
    const creatorId = ownCreatorId(ctx);
    if (!STATE_FORMAT.test(input.state)) throw badInput('input.state', 'This is not a state startPlatformConnection gave');
    // Consumed whatever follows: a state works once. Another creator's is not touched (nor revealed).
    const [[consumed]] = (await ctx.dataSource.query(
      `DELETE FROM connection_states WHERE state_hash = $1 AND creator_id = $2 RETURNING platform, expires_at > now() AS fresh`,
      [hashState(input.state), creatorId],
    )) as [{ platform: Platform; fresh: boolean }[], number];
    if (!consumed || !consumed.fresh) {
      throw badInput('input.state', 'This connection request is unknown, expired, already used or not yours: start again');
    }
    const platform = consumed.platform;
    const connector = this.connectorFor(platform);
    if (input.error != null) {
      const reason = input.error.slice(0, 40).replace(/[^\w.-]/g, '');
      throw badInput('input.error', `${nameOf(platform)} did not grant access (${reason || 'no reason given'}): nothing was connected`);
    }
    const code = input.code ?? '';
    if (code.length === 0 || code.length > 4096 || /[^\x21-\x7e]/.test(code)) {
      throw badInput('input.code', "Give the code the platform added to the redirect page's URL");
    }
    try {
      const tokens = await connector.exchangeCode(code);
      return await this.connect(ctx, creatorId, platform, tokens, await connector.fetchAccount(tokens.accessToken));
    } catch (err) {
      if (err instanceof ConnectorError) throw clientErrorOf(err, 'input.code');
      throw err;
    }
  }

  /** Stores a new grant and its first figures, in one transaction. */
  private connect(
    ctx: RequestContext,
    creatorId: string,
    platform: Platform,
    tokens: TokenSet,
    fetched: FetchedAccount,
  ): Promise<PlatformConnection> {
    const fetchedAt = new Date();
    return ctx.transaction(async (tx) => {
      const [owner] = (await tx.query(
        `SELECT creator_id AS "creatorId" FROM platform_connections WHERE platform = $1 AND external_id = $2`,
        [platform, fetched.externalId],
      )) as { creatorId: string }[];
      if (owner && owner.creatorId !== creatorId) {
        throw conflict(`This ${nameOf(platform)} account is connected by another creator`, 'input.code');
      }
      const account = await this.store(ctx, tx, creatorId, fetched, fetchedAt, 'input.code');
      const id = uuidv7();
      const [row] = (await tx.query(
        `INSERT INTO platform_connections (id, creator_id, platform, account_id, external_id, status, access_token, refresh_token,
                                           access_expires_at, next_fetch_at, failures, last_error, last_fetched_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, 0, NULL, $10)
         ON CONFLICT (creator_id, platform) DO UPDATE SET
           account_id = EXCLUDED.account_id, external_id = EXCLUDED.external_id, status = 'active', access_token = EXCLUDED.access_token,
           refresh_token = EXCLUDED.refresh_token, access_expires_at = EXCLUDED.access_expires_at, next_fetch_at = EXCLUDED.next_fetch_at,
           failures = 0, last_error = NULL, last_fetched_at = EXCLUDED.last_fetched_at, updated_at = now()
         RETURNING id`,
        [
          id,
          creatorId,
          platform,
          account.id,
          fetched.externalId,
          ...this.sealed(creatorId, platform, tokens),
          new Date(fetchedAt.getTime() + this.settings.refreshIntervalMs),
          fetchedAt,
        ],
      )) as { id: string }[];
      this.logger.info({ creatorId, platform }, 'platform account connected');
      return tx.getRepository(PlatformConnection).findOneByOrFail({ id: row.id });
    });
  }

  /** Disconnects: the tokens are deleted; the account keeps its last fetched figures (provenance 'fetched'). */
  async disconnect(ctx: RequestContext, platform: Platform): Promise<boolean> {
    const creatorId = ownCreatorId(ctx);
    const [, deleted] = (await ctx.dataSource.query(`DELETE FROM platform_connections WHERE creator_id = $1 AND platform = $2`, [
      creatorId,
      platform,
    ])) as [unknown, number];
    if (!deleted) throw notFound('PlatformConnection', `${platform} of creator ${creatorId}`);
    this.logger.info({ creatorId, platform }, 'platform account disconnected');
    return true;
  }

  /** The caller's connections, in platform order. */
  async mine(ctx: RequestContext): Promise<PlatformConnection[]> {
    const creatorId = ownCreatorId(ctx);
    return ctx.dataSource.getRepository(PlatformConnection).find({ where: { creatorId }, order: { platform: 'ASC' } });
  }

  /** The connected account's stored figures (one query for every connection of a request). */
  accountOf(ctx: RequestContext, connection: PlatformConnection): Promise<PlatformAccount | null> {
    return ctx.loaders
      .get('discovery.connectionAccount', async (ids: readonly string[]) => {
        const found = await ctx.dataSource.getRepository(PlatformAccount).findBy(ids.map((id) => ({ id })));
        return ids.map((id) => found.find((a) => a.id === id) ?? null);
      })
      .load(connection.accountId);
  }

  private sealed(creatorId: string, platform: string, tokens: TokenSet): [string, string | null, Date | null] {
    const owner = tokenOwner(creatorId, platform);
    return [
      this.cipher.encrypt(tokens.accessToken, owner),
      tokens.refreshToken === null ? null : this.cipher.encrypt(tokens.refreshToken, owner),
      tokens.expiresAt,
    ];
  }

  /**
   * Fetched figures through the account rules' one write path (their problems are the platform's), and the
   * post.measured events of the posts that changed since the last fetch.
   */
  private async store(
    ctx: RequestContext,
    tx: EntityManager,
    creatorId: string,
    fetched: FetchedAccount,
    fetchedAt: Date,
    field: string,
  ): Promise<PlatformAccount> {
    const stored = await tx.getRepository(PlatformAccount).findOneBy({ creatorId, platform: fetched.platform });
    let saved: PlatformAccount;
    try {
      saved = await this.accounts.saveFetched(ctx, tx, creatorId, recordOfFetched(fetched, stored, fetchedAt), fetchedAt);
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.CONFLICT) {
        throw conflict(`The ${nameOf(fetched.platform)} handle "${fetched.handle}" belongs to another creator`, field);
      }
      if (err instanceof AppError && err.code === ErrorCode.BAD_USER_INPUT) {
        throw new ConnectorError(
          'malformed',
          `${nameOf(fetched.platform)}'s figures break a rule of discovery (${err.field ?? 'figures'})`,
        );
      }
      throw err;
    }
    // The posts' counters for analytics (post.measured), in this transaction: published if the figures are stored.
    await publishChangedPosts(ctx, tx, creatorId, saved.id, fetched, fetchedAt);
    return saved;
  }

  /**
   * Claims up to `limit` connections due for a fetch, one replica each: rows locked with SKIP LOCKED and
   * pushed `CLAIM_MS` ahead in one short transaction, so no transaction stays open during the API calls.
   */
  async claimDue(ctx: RequestContext, limit: number): Promise<DueConnection[]> {
    return (await ctx.dataSource
      .query(
        `UPDATE platform_connections c SET next_fetch_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT id FROM platform_connections WHERE status = 'active' AND next_fetch_at <= now()
                ORDER BY next_fetch_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE c.id = due.id
        RETURNING c.id, c.creator_id AS "creatorId", c.platform, c.failures`,
        [limit, CLAIM_MS],
      )
      .then((r: [DueConnection[], number]) => r[0])) as DueConnection[];
  }

  /**
   * Fetches one claimed connection's figures and stores them (provenance 'fetched'), refreshing its tokens
   * first when they expire soon, or once when the platform refuses the access token. Failures are recorded
   * on the connection: a revoked grant needs reconnection; a rate limit waits as long as the platform asks;
   * anything else backs off exponentially. Returns what happened.
   */
  async fetchOne(ctx: RequestContext, due: DueConnection): Promise<'fetched' | 'revoked' | 'rate_limited' | 'failed' | 'gone'> {
    const connection = await ctx.dataSource.getRepository(PlatformConnection).findOneBy({ id: due.id });
    if (!connection || connection.status !== ConnectionStatus.ACTIVE || !connection.accessToken) return 'gone';
    const connector = this.connectors.get(connection.platform);
    try {
      if (!connector) throw new ConnectorError('refused', `${nameOf(connection.platform)} is no longer offered on this server`);
      const owner = tokenOwner(connection.creatorId, connection.platform);
      let tokens: TokenSet = {
        accessToken: this.cipher.decrypt(connection.accessToken, owner),
        refreshToken: connection.refreshToken ? this.cipher.decrypt(connection.refreshToken, owner) : null,
        expiresAt: connection.accessExpiresAt,
      };
      let refreshed = false;
      if (tokens.expiresAt && tokens.expiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS) {
        tokens = await connector.refresh(tokens);
        refreshed = true;
      }
      let fetched: FetchedAccount;
      try {
        fetched = await connector.fetchAccount(tokens.accessToken);
      } catch (err) {
        if (!(err instanceof ConnectorError && err.kind === 'revoked') || refreshed) throw err;
        tokens = await connector.refresh(tokens);
        refreshed = true;
        fetched = await connector.fetchAccount(tokens.accessToken);
      }
      if (fetched.externalId !== connection.externalId) {
        throw new ConnectorError('refused', `The grant now reads another ${nameOf(connection.platform)} account: connect again`);
      }
      const fetchedAt = new Date();
      const written = await ctx.transaction(async (tx) => {
        // Still connected (not disconnected or reconnected while we fetched)?
        const [still] = (await tx.query(`SELECT id FROM platform_connections WHERE id = $1 AND status = 'active' FOR UPDATE`, [
          connection.id,
        ])) as unknown[];
        if (!still) return false;
        await this.store(ctx, tx, connection.creatorId, fetched, fetchedAt, 'figures');
        const [access, refresh, expiresAt] = this.sealed(connection.creatorId, connection.platform, tokens);
        await tx.query(
          `UPDATE platform_connections SET access_token = $2, refresh_token = $3, access_expires_at = $4, next_fetch_at = $5,
                  failures = 0, last_error = NULL, last_fetched_at = $6, updated_at = now()
            WHERE id = $1`,
          [connection.id, access, refresh, expiresAt, new Date(fetchedAt.getTime() + this.settings.refreshIntervalMs), fetchedAt],
        );
        return true;
      });
      return written ? 'fetched' : 'gone';
    } catch (err) {
      return this.recordFailure(ctx, connection, err);
    }
  }

  private async recordFailure(
    ctx: RequestContext,
    connection: PlatformConnection,
    err: unknown,
  ): Promise<'revoked' | 'rate_limited' | 'failed'> {
    const known = err instanceof ConnectorError ? err : null;
    const message = known?.message ?? 'the fetch failed unexpectedly';
    const log = { creatorId: connection.creatorId, platform: connection.platform, kind: known?.kind };
    if (known?.kind === 'revoked') {
      this.logger.warn(log, 'platform grant revoked: the account needs reconnecting');
      await ctx.dataSource.query(
        `UPDATE platform_connections SET status = 'needs_reconnect', access_token = NULL, refresh_token = NULL, access_expires_at = NULL,
                last_error = $2, updated_at = now() WHERE id = $1`,
        [connection.id, message],
      );
      return 'revoked';
    }
    const failures = connection.failures + 1;
    const wait =
      known?.kind === 'rate_limited'
        ? Math.max(known.retryAfterMs ?? 0, backoffMs(failures, FIRST_RETRY_MS, this.settings.refreshIntervalMs))
        : backoffMs(failures, FIRST_RETRY_MS, this.settings.refreshIntervalMs);
    if (known) this.logger.warn({ ...log, failures, waitMs: wait }, `fetching platform figures failed: ${message}`);
    else this.logger.error({ ...log, err }, 'fetching platform figures failed');
    await ctx.dataSource.query(
      `UPDATE platform_connections SET failures = $2, last_error = $3, next_fetch_at = now() + make_interval(secs => $4::double precision / 1000),
              updated_at = now() WHERE id = $1`,
      [connection.id, failures, message, wait],
    );
    return known?.kind === 'rate_limited' ? 'rate_limited' : 'failed';
  }
}
