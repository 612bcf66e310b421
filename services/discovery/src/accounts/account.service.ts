import { alignByKey, AppError, conflict, ErrorCode, loadManyBy, notFound, RequestContext, uuidv7 } from '@influenceflow/kit';
import { AuthenticityScoredData, TOPICS } from '@influenceflow/vocabulary';
import type { EntityManager } from 'typeorm';
import { AuthenticityReport } from '../authenticity/authenticity-report.entity';
import { accountInputSchema, accountSchema, AccountRecord, AudienceRecord, parseInput, withoutNulls } from '../creators/creator-record';
import { emitStatsIfChanged, marketsOf, statsOf } from '../creators/creator-stats';
import { Creator } from '../creators/creator.entity';
import { accountsTakenFrom, ownCreatorId, platformHandleOwners } from '../creators/ownership';
import { refreshSearchProfile } from '../creators/search-profile.store';
import { Platform as PlatformName, PLATFORMS, Provenance } from '../rules/types';
import { headlineAccount } from '../creators/search-profile';
import { sponsoredPerformance, SponsoredPerformance } from '../rules/sponsored-performance';
import { accountMetrics } from './account-metrics';
import { PlatformAccountInput } from './account.types';
import { PlatformAccount } from './platform-account.entity';
import { recordOf, storedHistory } from './stored-account';
import { canSeeDetails } from './visibility';
import { connectedPlatforms, connectedRefusal } from './connected';

/**
 * A save of an account as a partial update (docs/discovery.md, "Saving a profile and an account"): the stored account with
 * the input's fields over it; a field left out keeps its stored value, null clears it to its empty value. The input's
 * audience (percent) is read by `accountInputSchema`; a stored one (fractions) is kept as it is when the input leaves it out.
 */
function accountUpdate(stored: PlatformAccount | null, input: PlatformAccountInput): AccountRecord {
  const raw = withoutNulls(input) as Record<string, unknown>;
  const current = stored ? (recordOf(stored) as unknown as Record<string, unknown>) : {};
  const given = input as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(current)) {
    if (key !== 'audience' && given[key] === undefined) raw[key] = value;
  }
  const account = parseInput(accountInputSchema, raw);
  return stored && input.audience === undefined ? { ...account, audience: stored.audience } : account;
}

/** Where a write's figures come from: stored with them on the account. */
interface FiguresSource {
  provenance: Provenance;
  /** When they were fetched (provenance 'fetched' only). */
  fetchedAt: Date | null;
}

/** Platform accounts: public to read; a creator writes only their own. */
export class AccountService {
  /**
   * Adds or replaces the caller's account on a platform and recomputes everything derived from it. An
   * account connected to its platform keeps its fetched figures: the save is refused (INVALID_STATE, field
   * `input.platform`) until the creator disconnects it (docs/connectors.md).
   */
  async saveOwn(ctx: RequestContext, input: PlatformAccountInput): Promise<PlatformAccount> {
    const creatorId = ownCreatorId(ctx);
    return ctx.transaction(async (tx) => {
      // The creator's lock first (as every account write takes it), so two partial saves never lose each other's fields.
      await tx.getRepository(Creator).findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      const stored = await tx.getRepository(PlatformAccount).findOneBy({ creatorId, platform: input.platform });
      const account = accountUpdate(stored, input);
      return this.saveFor(ctx, tx, creatorId, account, { provenance: 'self_reported', fetchedAt: null }, 'input');
    });
  }

  /**
   * Stores figures fetched from the platform's API for a creator's connected account, inside the caller's
   * transaction: the same validation (the account schema), ownership rule and write as a save, with
   * provenance 'fetched'. Throws BAD_USER_INPUT naming the field when the figures break a rule.
   */
  async saveFetched(ctx: RequestContext, tx: EntityManager, creatorId: string, raw: unknown, fetchedAt: Date): Promise<PlatformAccount> {
    const account = parseInput(accountSchema, raw, 'figures');
    return this.saveFor(ctx, tx, creatorId, account, { provenance: 'fetched', fetchedAt }, 'figures');
  }

  /** One save of a creator's account, whatever its source: ownership, metrics, search columns, events. */
  private async saveFor(
    ctx: RequestContext,
    tx: EntityManager,
    creatorId: string,
    account: AccountRecord,
    source: FiguresSource,
    fieldPrefix: string,
  ): Promise<PlatformAccount> {
    // The creator's row is the lock every write of their accounts (and a connection) takes first.
    const creator = await tx.getRepository(Creator).findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
    if (!creator) throw notFound('Creator', creatorId);
    if (source.provenance !== 'fetched' && (await connectedPlatforms(tx, [creatorId], [account.platform])).length > 0) {
      throw new AppError(ErrorCode.INVALID_STATE, connectedRefusal(account.platform), {
        field: `${fieldPrefix}.platform`,
        details: { provenance: 'fetched' },
      });
    }
    const repo = tx.getRepository(PlatformAccount);
    const owners = await platformHandleOwners((text, params) => tx.query(text, params), [account]);
    if (accountsTakenFrom(creatorId, [account], owners).length > 0) {
      throw conflict(`The ${account.platform} handle "${account.handle}" belongs to another creator`, `${fieldPrefix}.handle`);
    }
    const existing = await repo.findOneBy({ creatorId, platform: account.platform });
    const before = statsOf(creator);
    const saved = await this.write(ctx, tx, creator, account, existing, source);
    const search = await refreshSearchProfile(tx, creatorId);
    await emitStatsIfChanged(ctx, tx, creatorId, before, search);
    return saved;
  }

  /** Removes the caller's account on a platform. */
  async removeOwn(ctx: RequestContext, platform: PlatformName): Promise<boolean> {
    const creatorId = ownCreatorId(ctx);
    return ctx.transaction(async (tx) => {
      const creator = await tx.getRepository(Creator).findOne({ where: { id: creatorId }, lock: { mode: 'pessimistic_write' } });
      const account = creator && (await tx.getRepository(PlatformAccount).findOneBy({ creatorId, platform }));
      if (!creator || !account) throw notFound('PlatformAccount', `${platform} of creator ${creatorId}`);
      const before = statsOf(creator);
      await tx.getRepository(PlatformAccount).delete({ id: account.id });
      await emitStatsIfChanged(ctx, tx, creatorId, before, await refreshSearchProfile(tx, creatorId));
      return true;
    });
  }

  /**
   * Recomputes every account's authenticity against the creator's current markets (their country and
   * declared markets decide which audience countries count as foreign), inside the caller's transaction.
   */
  async rescoreAll(ctx: RequestContext, tx: EntityManager, creator: Creator): Promise<void> {
    await this.rescore(ctx, tx, creator, await tx.getRepository(PlatformAccount).findBy({ creatorId: creator.id }));
  }

  /**
   * Scores stored accounts of the creator again (markets changed, or the model did: authenticity/rescore.ts)
   * inside the caller's transaction, each with the provenance it was stored with.
   */
  async rescore(ctx: RequestContext, tx: EntityManager, creator: Creator, accounts: PlatformAccount[]): Promise<void> {
    for (const account of accounts) {
      await this.write(ctx, tx, creator, recordOf(account), account, { provenance: account.provenance, fetchedAt: account.fetchedAt });
    }
  }

  /** Stores the account with its computed metrics and a new authenticity report (history is kept). */
  private async write(
    ctx: RequestContext,
    tx: EntityManager,
    creator: Creator,
    account: AccountRecord,
    existing: PlatformAccount | null,
    source: FiguresSource,
  ): Promise<PlatformAccount> {
    const metrics = accountMetrics(account, marketsOf(creator), source.provenance);
    const repo = tx.getRepository(PlatformAccount);
    const saved = await repo.save(
      repo.create({
        ...(existing ?? {}),
        id: existing?.id ?? uuidv7(),
        creatorId: creator.id,
        platform: account.platform,
        handle: account.handle,
        followers: account.followers,
        following: account.following,
        postCount: account.postCount,
        engagementRate: metrics.engagementRate,
        reachRate: metrics.reachRate,
        postsCounted: metrics.postsCounted,
        authenticityScore: metrics.authenticityScore,
        sponsoredPerformance: metrics.sponsoredPerformance,
        audience: account.audience,
        followerHistory: storedHistory(account.followerHistory),
        recentPosts: account.posts.map((p) => ({ ...p, postedAt: p.postedAt.toISOString() })),
        provenance: source.provenance,
        fetchedAt: source.fetchedAt,
      }),
    );
    const report = await tx.getRepository(AuthenticityReport).save({
      id: uuidv7(),
      accountId: saved.id,
      creatorId: creator.id,
      score: metrics.authenticity.score,
      modelVersion: metrics.authenticity.modelVersion,
      measuredWeight: metrics.authenticity.measuredWeight,
      signals: metrics.authenticity.signals,
      decidedBy: metrics.authenticity.decidedBy,
      verdict: metrics.authenticity.verdict,
      evidenceScore: metrics.authenticity.evidenceScore,
      confidence: metrics.authenticity.confidence,
      computedAt: new Date(),
    });
    const data: AuthenticityScoredData = {
      creatorId: creator.id,
      accountId: saved.id,
      platform: saved.platform,
      score: report.score,
      previousScore: existing?.authenticityScore ?? null,
      modelVersion: report.modelVersion,
      reportId: report.id,
    };
    await ctx.emit(tx, TOPICS.creator, { type: 'authenticity.scored', subject: creator.id, data });
    return saved;
  }

  /** Accounts of many creators in one query, in platform order. Public. */
  async accountsOf(ctx: RequestContext, creatorId: string): Promise<PlatformAccount[]> {
    const accounts = await loadManyBy(ctx, PlatformAccount, 'creatorId', creatorId);
    // Every caller of a request gets the same list: sort it once.
    return accounts.sort((a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform));
  }

  /** The creator's headline account (the largest; see creators/search-profile.ts), or null. Public. */
  async headlineOf(ctx: RequestContext, creatorId: string): Promise<PlatformAccount | null> {
    return headlineAccount(await this.accountsOf(ctx, creatorId));
  }

  /**
   * Sponsored versus organic engagement of an account, as stored at its last write. Public, like its
   * engagement. A row without it (written by an older version during a rolling deploy) gets it computed.
   */
  sponsoredPerformanceOf(account: PlatformAccount): SponsoredPerformance {
    return account.sponsoredPerformance ?? sponsoredPerformance(recordOf(account).posts, account.followers);
  }

  /** The account's audience, or null when unknown or when the caller may not see it (visibility.ts). */
  audienceOf(ctx: RequestContext, account: PlatformAccount): AudienceRecord | null {
    return canSeeDetails(ctx, account.creatorId) ? account.audience : null;
  }

  /** The latest authenticity report of the creator's headline account; null for callers who may not see it. */
  async headlineReport(ctx: RequestContext, creatorId: string): Promise<AuthenticityReport | null> {
    if (!canSeeDetails(ctx, creatorId)) return null;
    const headline = await this.headlineOf(ctx, creatorId);
    return headline ? this.latestReport(ctx, headline.id) : null;
  }

  /**
   * The confidence (0–1) of the headline account's latest authenticity report: how far its score can be
   * trusted. Public like the headline score it qualifies; it says how much evidence there was and where the
   * figures came from, nothing of the measurements. Null without a report or for an authenticity-v1 one.
   */
  async headlineScoreConfidence(ctx: RequestContext, creatorId: string): Promise<number | null> {
    const headline = await this.headlineOf(ctx, creatorId);
    return headline ? ((await this.latestReport(ctx, headline.id))?.confidence?.value ?? null) : null;
  }

  /** The account's latest authenticity report; null for callers who may not see it. */
  async reportOf(ctx: RequestContext, account: PlatformAccount): Promise<AuthenticityReport | null> {
    return canSeeDetails(ctx, account.creatorId) ? this.latestReport(ctx, account.id) : null;
  }

  /** The account's past reports, newest first; none for callers who may not see them. */
  async historyOf(ctx: RequestContext, account: PlatformAccount, limit: number): Promise<AuthenticityReport[]> {
    return canSeeDetails(ctx, account.creatorId) ? this.history(ctx, account.id, limit) : [];
  }

  /** The latest report of many accounts in one query (no visibility check: callers decide). */
  private latestReport(ctx: RequestContext, accountId: string): Promise<AuthenticityReport | null> {
    return ctx.loaders
      .get('discovery.latestReport', async (ids: readonly string[]) => {
        const reports = await ctx.dataSource
          .getRepository(AuthenticityReport)
          .createQueryBuilder('r')
          .distinctOn(['r.account_id'])
          .where('r.account_id IN (:...ids)', { ids: [...ids] })
          .orderBy('r.account_id')
          .addOrderBy('r.computed_at', 'DESC')
          .addOrderBy('r.id', 'DESC')
          .getMany();
        return alignByKey(ids, reports, (r) => r.accountId);
      })
      .load(accountId);
  }

  /** Past reports of an account, newest first (no visibility check: callers decide). */
  private history(ctx: RequestContext, accountId: string, limit: number): Promise<AuthenticityReport[]> {
    return ctx.dataSource
      .getRepository(AuthenticityReport)
      .find({ where: { accountId }, order: { computedAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
