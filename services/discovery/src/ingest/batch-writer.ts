/**
 * The writing half of a bulk import: one batch of derived creators, one transaction, in named steps:
 *
 *   1. lock the stored creators with the batch's handles (they are updates)
 *   2. refuse what the ownership rules refuse (creators/ownership.ts, as the API does): a platform handle
 *      another creator owns; with `existing: 'reject'`, a handle a stored creator has
 *   3. derive the updates again with what is stored (ids, accounts on other platforms, rate card)
 *   4. COPY the rows into TEMP staging tables
 *   5. move them set-based (INSERT … SELECT) into creators, platform_accounts, authenticity_reports and
 *      creator_audience_countries
 *   6. record the events through the kit's Outbox (one INSERT … SELECT per kind)
 *
 * A batch is all or nothing; a refused record writes nothing.
 */
import { CreatorStatsUpdatedData } from '@influenceflow/vocabulary';
import { finished } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { connectedPlatformsOf, connectedRefusal } from '../accounts/connected';
import { recordOf, StoredAccountFields } from '../accounts/stored-account';
import { VALID_TODAY } from '../pricing/valid-today';
import { marketsOf, sameMarkets, statsChange, statsOf } from '../creators/creator-stats';
import { accountsTakenFrom, creatorsByHandle, platformHandleOwners, Rows, StoredCreator } from '../creators/ownership';
import { CREATOR_SEARCH_COLUMNS, searchAccountOf, SEARCH_TEXT_UPSERT } from '../creators/search-profile.store';
import type { AccountRecord } from '../creators/creator-record';
import type { SearchAccount } from '../creators/search-profile';
import type { LineError } from './csv';
import {
  ACCOUNT_COLUMNS,
  ACCOUNT_STAGING_COLUMNS,
  COUNTRY_STAGING_COLUMNS,
  CREATOR_STAGING_COLUMNS,
  creatorRow,
  DerivedCreator,
  EVENT_TOPIC,
  OUTBOX,
  PROFILE_COLUMNS,
  STAGING_DDL,
  StoredSource,
} from './import-rows';
import { DeriveTask, rederive } from './import-task';

/** A derived record of a batch, with where it came from (to derive it again as an update). */
export interface Entry {
  derived: DerivedCreator;
  task: DeriveTask;
  index: number;
  /** CSV: the line of each of the record's accounts. */
  accountLines?: number[];
}

export interface BatchResult {
  imported: number;
  updated: number;
  rejected: LineError[][];
}

/** A stored account of an updated creator, as search counts it. */
type StoredSearchAccount = Parameters<typeof searchAccountOf>[0] & { id: string; creatorId: string; platform: SearchAccount['platform'] };

/** An update: the record derived again with what is stored, and its stats event (null: stats unchanged). */
interface Update {
  derived: DerivedCreator;
  event: CreatorStatsUpdatedData | null;
}

const CREATOR_COLUMNS = ['id', 'handle', ...PROFILE_COLUMNS, ...CREATOR_SEARCH_COLUMNS];
/** What each of CREATOR_COLUMNS is set to from the staging row `s`. */
const CREATOR_VALUES = CREATOR_COLUMNS.map((c) => `s.${c}`);
/**
 * How many times a batch is retried when a concurrent write got in the way: a handle taken between the
 * checks and the insert (unique violation), or a deadlock with another import locking the same creators.
 */
const RETRIES = 3;
const RETRIED_CODES = new Set(['23505', '40P01', '40001']);

/** One database connection writing batches, one transaction each. */
export class BatchWriter {
  private readonly client: Client;
  private readonly rows: Rows;

  constructor(
    url: string,
    private readonly existing: 'update' | 'reject',
  ) {
    this.client = new Client({ connectionString: url, application_name: 'influenceflow-import' });
    this.rows = async <T>(text: string, params: unknown[]) => (await this.client.query(text, params)).rows as T[];
  }

  async connect(): Promise<void> {
    await this.client.connect();
    // Staging tables of a whole batch stay in memory (temp_buffers can only be set before they are used).
    await this.client.query(`SET temp_buffers = '256MB'`);
    for (const ddl of STAGING_DDL) await this.client.query(ddl);
    // JSON columns (posts, signals) are mostly over the TOAST threshold: lz4 compresses them much faster.
    const { rows } = await this.client.query(
      `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    if (rows[0]?.lz4) await this.client.query(`SET default_toast_compression = 'lz4'`);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  async write(entries: Entry[]): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.query('BEGIN');
        const result = await this.writeInTransaction(entries);
        await this.client.query('COMMIT');
        return result;
      } catch (err) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        if (RETRIED_CODES.has((err as { code?: string }).code ?? '') && attempt <= RETRIES) continue;
        const first = entries[0]?.derived.line;
        const last = entries[entries.length - 1]?.derived.line;
        throw Object.assign(new Error(`writing the batch of lines ${first}–${last} failed: ${(err as Error).message}`), { cause: err });
      }
    }
  }

  private async writeInTransaction(entries: Entry[]): Promise<BatchResult> {
    const stored = await creatorsByHandle(
      this.rows,
      entries.map((e) => e.derived.handle),
      { lock: true },
    );
    const rejected = await this.refused(entries, stored);
    const updates = await this.rederiveUpdates(
      entries.filter((e) => !rejected.has(e) && stored.has(e.derived.handle)),
      stored,
      rejected,
    );
    const written = entries.filter((e) => !rejected.has(e));
    if (written.length > 0) {
      await this.stage(written, updates);
      await this.moveCreators([...updates.values()].map((u) => u.derived.id));
      await this.moveAccountsAndReports(updates.size > 0);
      await this.enqueueEvents();
    }
    return { imported: written.length - updates.size, updated: updates.size, rejected: [...rejected.values()] };
  }

  /** Step 2: the entries the ownership rules refuse, with every problem of each. */
  private async refused(entries: Entry[], stored: Map<string, StoredCreator>): Promise<Map<Entry, LineError[]>> {
    const owners = await platformHandleOwners(
      this.rows,
      entries.flatMap((e) => e.derived.accounts),
    );
    const updated = entries.flatMap((e) => {
      const creator = stored.get(e.derived.handle);
      return creator ? e.derived.accounts.map((a) => ({ creatorId: creator.id, platform: a.platform })) : [];
    });
    const connected = new Set(
      (
        await connectedPlatformsOf(
          this.rows,
          updated.map((u) => u.creatorId),
          updated.map((u) => u.platform),
        )
      ).map((c) => `${c.creatorId}:${c.platform}`),
    );
    const rejected = new Map<Entry, LineError[]>();
    for (const e of entries) {
      const problems: LineError[] = [];
      const creator = stored.get(e.derived.handle);
      if (creator && this.existing === 'reject') {
        problems.push({ line: e.derived.line, field: 'handle', reason: `the handle "${e.derived.handle}" belongs to an existing creator` });
      }
      // Figures fetched from a connected account are not overwritten by imported ones (accounts/connected.ts).
      e.derived.accounts.forEach((a, index) => {
        if (creator && connected.has(`${creator.id}:${a.platform}`)) {
          problems.push({
            line: e.accountLines?.[index] ?? e.derived.line,
            field: `accounts.${index}.platform`,
            reason: connectedRefusal(a.platform),
          });
        }
      });
      // The record is the stored creator with its handle, or a new one.
      for (const { index, owner } of accountsTakenFrom(creator?.id ?? e.derived.id, e.derived.accounts, owners)) {
        problems.push({
          line: e.accountLines?.[index] ?? e.derived.line,
          field: `accounts.${index}.handle`,
          reason: `the ${owner.platform} handle "${owner.handle}" belongs to another creator (@${owner.ownerHandle})`,
        });
      }
      if (problems.length > 0) rejected.set(e, problems);
    }
    return rejected;
  }

  /**
   * Step 3: records of stored creators derived again with what is stored: their ids, the accounts the
   * record does not list (kept, and counted in the search columns; scored again when the markets
   * change), the rate card, and the stats before (for creator.stats-updated). A record the rules cannot
   * take then is refused (into `rejected`).
   */
  private async rederiveUpdates(
    toUpdate: Entry[],
    stored: Map<string, StoredCreator>,
    rejected: Map<Entry, LineError[]>,
  ): Promise<Map<Entry, Update>> {
    const updates = new Map<Entry, Update>();
    if (toUpdate.length === 0) return updates;
    const ids = toUpdate.map((e) => stored.get(e.derived.handle)!.id);
    // Of the sponsored performance, search reads the ratio only.
    const accounts = await this.rows<StoredSearchAccount>(
      `SELECT p.id, p.creator_id AS "creatorId", p.platform, p.handle, p.followers, p.engagement_rate AS "engagementRate",
              p.authenticity_score AS "authenticityScore", jsonb_build_object('ratio', p.sponsored_performance->'ratio') AS "sponsoredPerformance", p.audience,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('caption', x->'caption', 'hashtags', x->'hashtags'))
                          FROM jsonb_array_elements(p.recent_posts) x), '[]') AS "recentPosts"
         FROM platform_accounts p WHERE p.creator_id = ANY($1::uuid[])`,
      [ids],
    );
    const prices = await this.rows<{ creator_id: string; price_minor: string; currency: string }>(
      `SELECT creator_id, price_minor, currency FROM rate_card_prices WHERE creator_id = ANY($1::uuid[]) AND ${VALID_TODAY}`,
      [ids],
    );
    const rescore = await this.accountsToRescore(
      toUpdate.map((e) => ({ entry: e, creator: stored.get(e.derived.handle)! })),
      accounts,
    );
    for (const e of toUpdate) {
      const creator = stored.get(e.derived.handle)!;
      const mine = accounts.filter((a) => a.creatorId === creator.id);
      const listed = new Set(e.derived.accounts.map((a) => a.platform));
      const rescoreAccounts = (rescore.get(creator.id) ?? []).map((r) => r.record);
      for (const a of rescoreAccounts) listed.add(a.platform);
      const redone = rederive(e.task, e.index, {
        creatorId: creator.id,
        accountIds: new Map(mine.map((a) => [a.platform, a.id])),
        previousScores: new Map(mine.map((a) => [a.platform, a.authenticityScore])),
        rescoreAccounts,
        rescoreSources: new Map((rescore.get(creator.id) ?? []).map((r) => [r.record.platform, r.source])),
        otherAccounts: mine.filter((a) => !listed.has(a.platform)).map(searchAccountOf),
        rateCard: prices
          .filter((p) => p.creator_id === creator.id)
          .map((p) => ({ priceMinor: Number(p.price_minor), currency: p.currency })),
      });
      if (!redone.ok) {
        rejected.set(
          e,
          redone.problems.map((p) => ({ line: redone.line, field: p.field, reason: p.reason })),
        );
        continue;
      }
      updates.set(e, { derived: redone, event: statsChange(creator.id, statsOf(creator), redone.stats) });
    }
    return updates;
  }

  /**
   * The stored accounts an update does not list, for creators whose markets change: the record's
   * accounts are scored against the new markets, these must be too (the foreign-audience signal), as a
   * profile save through the API does.
   */
  private async accountsToRescore(
    updates: { entry: Entry; creator: StoredCreator }[],
    stored: StoredSearchAccount[],
  ): Promise<Map<string, { record: AccountRecord; source: StoredSource }[]>> {
    const moved = updates.filter(({ entry, creator }) => !sameMarkets(marketsOf(creator), entry.derived.markets));
    const wanted = moved.flatMap(({ entry, creator }) => {
      const listed = new Set(entry.derived.accounts.map((a) => a.platform));
      return stored.filter((a) => a.creatorId === creator.id && !listed.has(a.platform)).map((a) => a.id);
    });
    const byCreator = new Map<string, { record: AccountRecord; source: StoredSource }[]>();
    if (wanted.length === 0) return byCreator;
    const rows = await this.rows<StoredAccountFields & StoredSource & { creatorId: string }>(
      `SELECT creator_id AS "creatorId", provenance, to_json(fetched_at) #>> '{}' AS "fetchedAt", platform, handle, followers, following, post_count AS "postCount",
              engagement_rate AS "engagementRate", posts_counted AS "postsCounted", audience,
              follower_history AS "followerHistory", recent_posts AS "recentPosts"
         FROM platform_accounts WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    for (const r of rows) {
      const scored = { record: recordOf(r), source: { provenance: r.provenance, fetchedAt: r.fetchedAt } };
      byCreator.set(r.creatorId, [...(byCreator.get(r.creatorId) ?? []), scored]);
    }
    return byCreator;
  }

  /** Step 4: the rows of the written records (updates as derived again), COPYed into the staging tables. */
  private async stage(written: Entry[], updates: Map<Entry, Update>): Promise<void> {
    const now = new Date();
    await this.copy(
      `COPY import_creators (${CREATOR_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => {
        const update = updates.get(e);
        if (!update) return creatorRow(e.derived.creatorFields, { ...e.derived.createdEvent, type: 'creator.created' });
        if (!update.event) return creatorRow(update.derived.creatorFields, null);
        const event = OUTBOX.envelope({ type: 'creator.stats-updated', subject: update.derived.id, data: update.event }, now);
        return creatorRow(update.derived.creatorFields, { id: event.id, type: event.type, json: JSON.stringify(event) });
      }),
    );
    const rowsOf = (e: Entry) => updates.get(e)?.derived ?? e.derived;
    await this.copy(
      `COPY import_accounts (${ACCOUNT_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => rowsOf(e).accountRows),
    );
    await this.copy(
      `COPY import_audience_countries (${COUNTRY_STAGING_COLUMNS.join(', ')}) FROM STDIN`,
      written.map((e) => rowsOf(e).countryRows),
    );
  }

  /** Step 5a: new creators inserted, updated ones rewritten (all but id and handle), keyword index upserted. */
  private async moveCreators(updatedIds: string[]): Promise<void> {
    const c = this.client;
    await c.query(
      `INSERT INTO creators (${CREATOR_COLUMNS.join(', ')}) SELECT ${CREATOR_VALUES.join(', ')} FROM import_creators s WHERE NOT s.is_update`,
    );
    if (updatedIds.length > 0) {
      // Everything but id and handle (the handle is what matched).
      const assignments = CREATOR_COLUMNS.map((col, i) => `${col} = ${CREATOR_VALUES[i]}`)
        .slice(2)
        .join(', ');
      await c.query(
        `UPDATE creators c SET ${assignments}, updated_at = now()
           FROM import_creators s WHERE s.is_update AND c.id = s.id AND c.id = ANY($1::uuid[])`,
        [updatedIds],
      );
      await c.query(`DELETE FROM creator_audience_countries WHERE creator_id = ANY($1::uuid[])`, [updatedIds]);
    }
    await c.query(SEARCH_TEXT_UPSERT.replace('%SOURCE%', 'SELECT id, search_text FROM import_creators'));
  }

  /**
   * Step 5b: accounts inserted (an updated creator's listed platforms replaced, keeping their ids), a
   * report for each, and the headline audience's countries.
   */
  private async moveAccountsAndReports(withUpdates: boolean): Promise<void> {
    const c = this.client;
    const accountColumns = ACCOUNT_COLUMNS.join(', ');
    await c.query(`INSERT INTO platform_accounts (${accountColumns}) SELECT ${accountColumns} FROM import_accounts WHERE NOT is_update`);
    if (withUpdates) {
      await c.query(
        `INSERT INTO platform_accounts (${accountColumns}) SELECT ${accountColumns} FROM import_accounts WHERE is_update
         ON CONFLICT (creator_id, platform) DO UPDATE SET
           ${ACCOUNT_COLUMNS.filter((col) => !['id', 'creator_id', 'platform'].includes(col))
             .map((col) => `${col} = EXCLUDED.${col}`)
             .join(', ')},
           updated_at = now()`,
      );
    }
    await c.query(
      `INSERT INTO authenticity_reports
         (id, account_id, creator_id, score, model_version, measured_weight, signals, decided_by, verdict, evidence_score, confidence)
       SELECT report_id, id, creator_id, report_score, model_version, measured_weight, signals, decided_by, verdict, evidence_score, confidence
         FROM import_accounts`,
    );
    await c.query(
      `INSERT INTO creator_audience_countries (creator_id, country, share) SELECT creator_id, country, share FROM import_audience_countries`,
    );
  }

  /**
   * Step 6: the staged events, through the kit's Outbox (the service's relay publishes them): a creator's
   * own event first, then one authenticity.scored per account report (same key, so the same order on Kafka).
   */
  private async enqueueEvents(): Promise<void> {
    await OUTBOX.enqueueStaged(this.client, EVENT_TOPIC, {
      from: 'import_creators',
      id: 'event_id',
      key: 'id::text',
      type: 'event_type',
      envelope: 'event',
      where: 'event_id IS NOT NULL',
      orderBy: 'line',
    });
    await OUTBOX.enqueueStaged(this.client, EVENT_TOPIC, {
      from: 'import_accounts',
      id: 'score_event_id',
      key: 'creator_id::text',
      type: "'authenticity.scored'",
      envelope: 'score_event',
      orderBy: 'line, platform',
    });
  }

  private async copy(sql: string, rows: string[]): Promise<void> {
    const stream = this.client.query(copyFrom(sql));
    const done = finished(stream);
    // Joined in chunks of about 1 MB: few writes, no single huge string.
    let chunk = '';
    for (const row of rows) {
      chunk += row;
      if (chunk.length >= 1 << 20) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
        chunk = '';
      }
    }
    stream.end(chunk);
    await done;
  }
}
