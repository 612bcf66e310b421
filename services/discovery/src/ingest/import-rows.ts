/**
 * The CPU-bound half of a bulk import, pure (no I/O): one raw record → validated with the shared schema →
 * engagement and authenticity per account → search columns → the COPY rows of the importer's staging
 * tables. Runs in the importer's thread or in its worker threads (import-worker.ts).
 */
import { Outbox, uuidv7 } from '@influenceflow/kit';
import { AuthenticityScoredData, CreatorCreatedData, TOPICS } from '@influenceflow/vocabulary';
import { marketsOf } from '../creators/creator-stats';
import { accountMetrics } from '../accounts/account-metrics';
import { storedHistory } from '../accounts/stored-account';
import { RatePrice, SearchAccount, searchProfile, SearchProfile } from '../creators/search-profile';
import { SEARCH_COLUMNS, searchColumnValues } from '../creators/search-profile.store';
import { copyJson, copyNumber, copyNumberArray, copyRow, copyText, copyTextArray } from './copy-text';
import type { Provenance } from '../rules/types';
import { AccountRecord, creatorRecordSchema, CreatorRecord, FieldProblem, parseRecord, PROFILE_COLUMNS } from '../creators/creator-record';

export { PROFILE_COLUMNS };

/** The `source` of the events the importer writes: the service's, as its Outbox would set it. */
export const EVENT_SOURCE = 'discovery';
export const EVENT_TOPIC = TOPICS.creator;
/** The importer's outbox: envelopes made here (in workers too), recorded by the batch writer. */
export const OUTBOX = new Outbox(EVENT_SOURCE);

/*
 * Staging tables (TEMP, one set per importer connection, emptied at every commit). Rows are written with
 * COPY in exactly these column orders, then moved set-based into the real tables.
 */

/** The columns of `platform_accounts` an import writes. */
export const ACCOUNT_COLUMNS = [
  'id',
  'creator_id',
  'platform',
  'handle',
  'followers',
  'following',
  'post_count',
  'engagement_rate',
  'reach_rate',
  'posts_counted',
  'authenticity_score',
  'audience',
  'follower_history',
  'recent_posts',
  'provenance',
  'fetched_at',
  'sponsored_performance',
] as const;

export const CREATOR_STAGING_COLUMNS = [
  'line',
  'is_update',
  'id',
  'handle',
  ...PROFILE_COLUMNS,
  ...SEARCH_COLUMNS,
  'event_id',
  'event_type',
  'event',
] as const;

export const ACCOUNT_STAGING_COLUMNS = [
  'line',
  'is_update',
  ...ACCOUNT_COLUMNS,
  'report_id',
  'report_score',
  'model_version',
  'measured_weight',
  'signals',
  'decided_by',
  'verdict',
  'evidence_score',
  'confidence',
  'score_event_id',
  'score_event',
] as const;

export const COUNTRY_STAGING_COLUMNS = ['creator_id', 'country', 'share'] as const;

const SEARCH_COLUMN_TYPES: Record<(typeof SEARCH_COLUMNS)[number], string> = {
  followers: 'integer',
  platforms: 'text[]',
  engagement_rate: 'real',
  authenticity_score: 'smallint',
  sponsored_ratio: 'real',
  price_low_minor: 'bigint',
  price_high_minor: 'bigint',
  price_source: 'text',
  cost_per_engagement_minor: 'real',
  audience_ages: 'real[]',
  audience_genders: 'real[]',
  audience_countries: 'jsonb',
  audience_interests: 'text[]',
  // Staged as the text; SEARCH_TEXT_UPSERT turns it into the tsvector of creator_search_text.
  search_text: 'text',
};

type Encoder = (value: unknown) => string;
const ENCODERS: Record<string, Encoder> = {
  integer: (v) => copyNumber(v as number | null),
  smallint: (v) => copyNumber(v as number | null),
  bigint: (v) => copyNumber(v as number | null),
  real: (v) => copyNumber(v as number | null),
  text: (v) => copyText(v as string | null),
  'text[]': (v) => copyTextArray(v as string[] | null),
  'real[]': (v) => copyNumberArray(v as number[] | null),
  // searchColumnValues gives JSON columns as their text already
  jsonb: (v) => copyText(v as string | null),
};
/** How each value of searchColumnValues() becomes a COPY field, in SEARCH_COLUMNS order. */
const SEARCH_ENCODERS: Encoder[] = SEARCH_COLUMNS.map((c) => ENCODERS[SEARCH_COLUMN_TYPES[c]]);

export const STAGING_DDL = [
  `CREATE TEMP TABLE IF NOT EXISTS import_creators (
     line integer NOT NULL, is_update boolean NOT NULL, id uuid NOT NULL, handle text NOT NULL, display_name text NOT NULL,
     bio text NOT NULL, niches text[] NOT NULL, content_styles text[] NOT NULL, languages text[] NOT NULL, country char(2),
     region text, city text, markets text[] NOT NULL, avatar_url text,
     ${SEARCH_COLUMNS.map((c) => `${c} ${SEARCH_COLUMN_TYPES[c]}`).join(', ')},
     event_id uuid, event_type text, event jsonb
   ) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS import_accounts (
     line integer NOT NULL, is_update boolean NOT NULL, id uuid NOT NULL, creator_id uuid NOT NULL, platform text NOT NULL,
     handle text NOT NULL, followers integer NOT NULL, following integer NOT NULL, post_count integer NOT NULL,
     engagement_rate real, reach_rate real, posts_counted smallint NOT NULL, authenticity_score smallint,
     audience jsonb, follower_history jsonb NOT NULL, recent_posts jsonb NOT NULL, provenance text NOT NULL, fetched_at timestamptz, sponsored_performance jsonb NOT NULL,
     report_id uuid NOT NULL, report_score smallint NOT NULL, model_version text NOT NULL, measured_weight real NOT NULL, signals jsonb NOT NULL,
     decided_by text[] NOT NULL, verdict text NOT NULL, evidence_score real NOT NULL, confidence jsonb NOT NULL,
     score_event_id uuid NOT NULL, score_event jsonb NOT NULL
   ) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS import_audience_countries (creator_id uuid NOT NULL, country char(2) NOT NULL, share real NOT NULL)
   ON COMMIT DELETE ROWS`,
];

/** The stats of a creator that creator.stats-updated compares (a slice of the search profile). */
export type DerivedStats = Pick<SearchProfile, 'followers' | 'authenticityScore' | 'engagementRate' | 'platforms'>;

/** One record ready to be staged. The strings are COPY text (see copy-text.ts). */
export interface DerivedCreator {
  ok: true;
  line: number;
  id: string;
  handle: string;
  /** The platform and handle of each account, in record order. */
  accounts: { platform: string; handle: string }[];
  /** The countries the creator works in (country and markets): they decide which audience is foreign. */
  markets: string[];
  stats: DerivedStats;
  /** The creator's staging row up to (without) the event columns and the newline. */
  creatorFields: string;
  /** The creator.created event of a new creator (its id and envelope JSON as COPY fields). */
  createdEvent: { id: string; json: string };
  accountRows: string;
  countryRows: string;
}

export interface RejectedRecord {
  ok: false;
  line: number;
  problems: FieldProblem[];
}

export type DeriveResult = DerivedCreator | RejectedRecord;

/** What is already stored about a creator a record updates (the importer reads it in the batch's transaction). */
export interface DeriveOptions {
  /** The existing creator's id (an update), else a new uuidv7. */
  creatorId?: string;
  /** Ids of the creator's existing accounts, by platform: an updated account keeps its id. */
  accountIds?: ReadonlyMap<string, string>;
  /** The stored authenticity score of those accounts, by platform (the `previousScore` of their event). */
  previousScores?: ReadonlyMap<string, number | null>;
  /** Stored accounts on platforms the record does not list: kept, and counted in the search columns. */
  otherAccounts?: SearchAccount[];
  /**
   * Stored accounts the record does not list that must be scored again and rewritten with it: the
   * creator's markets changed, and authenticity's foreign-audience signal depends on them.
   */
  rescoreAccounts?: AccountRecord[];
  /**
   * Where the figures of `rescoreAccounts` came from, by platform: scored again, they keep it. Every
   * account of the record itself is 'imported'.
   */
  rescoreSources?: ReadonlyMap<string, StoredSource>;
  /** The creator's rate card (updates only: a new creator has none yet). */
  rateCard?: RatePrice[];
  /** Time of the creator.created event. */
  now?: Date;
}

const EMPTY_IDS: ReadonlyMap<string, string> = new Map();

/** A stored account's provenance and fetch time (ISO), as `platform_accounts` holds them. */
export interface StoredSource {
  provenance: Provenance;
  fetchedAt: string | null;
}
const IMPORTED: StoredSource = { provenance: 'imported', fetchedAt: null };

/** Whether a COPY row carries a NUL character, which PostgreSQL text and jsonb cannot store. */
function hasNul(row: string): boolean {
  return row.includes('\0') || row.includes('\\u0000');
}

/** The staging rows of one valid record. */
export function deriveCreator(record: CreatorRecord, line: number, options: DeriveOptions = {}): DeriveResult {
  const creatorId = options.creatorId ?? uuidv7();
  const isUpdate = options.creatorId !== undefined ? 't' : 'f';
  const markets = marketsOf({ country: record.country, markets: record.markets });
  const accountIds = options.accountIds ?? EMPTY_IDS;
  const now = options.now ?? new Date();
  const searchAccounts: SearchAccount[] = [];
  const accountHandles: { platform: string; handle: string }[] = [];
  let accountRows = '';
  for (const account of options.rescoreAccounts ? [...record.accounts, ...options.rescoreAccounts] : record.accounts) {
    const source = options.rescoreSources?.get(account.platform) ?? IMPORTED;
    const metrics = accountMetrics(account, markets, source.provenance);
    const report = metrics.authenticity;
    const postTexts: string[] = [];
    for (const p of account.posts) {
      postTexts.push(p.caption);
      for (const h of p.hashtags) postTexts.push(h);
    }
    searchAccounts.push({
      platform: account.platform,
      handle: account.handle,
      followers: account.followers,
      engagementRate: metrics.engagementRate,
      authenticityScore: metrics.authenticityScore,
      sponsoredRatio: metrics.sponsoredPerformance.ratio,
      audience: account.audience,
      postTexts,
    });
    accountHandles.push({ platform: account.platform, handle: account.handle });
    const history = storedHistory(account.followerHistory);
    const accountId = accountIds.get(account.platform) ?? uuidv7();
    const reportId = uuidv7();
    // The event the account service publishes for every report (AsyncAPI: authenticity.scored).
    const scored: AuthenticityScoredData = {
      creatorId,
      accountId,
      platform: account.platform,
      score: report.score,
      previousScore: options.previousScores?.get(account.platform) ?? null,
      modelVersion: report.modelVersion,
      reportId,
    };
    const scoredEvent = OUTBOX.envelope({ type: 'authenticity.scored', subject: creatorId, data: scored }, now);
    accountRows += copyRow([
      String(line),
      isUpdate,
      accountId,
      creatorId,
      account.platform,
      copyText(account.handle),
      String(account.followers),
      String(account.following),
      String(account.postCount),
      copyNumber(metrics.engagementRate),
      copyNumber(metrics.reachRate),
      String(metrics.postsCounted),
      copyNumber(metrics.authenticityScore),
      copyJson(account.audience),
      copyJson(history),
      // Dates become ISO strings in JSON, as the account service stores them.
      copyJson(account.posts),
      source.provenance,
      copyText(source.fetchedAt),
      copyJson(metrics.sponsoredPerformance),
      reportId,
      String(report.score),
      copyText(report.modelVersion),
      copyNumber(report.measuredWeight),
      copyJson(report.signals),
      copyTextArray(report.decidedBy),
      copyText(report.verdict),
      copyNumber(report.evidenceScore),
      copyJson(report.confidence),
      scoredEvent.id,
      copyJson(scoredEvent),
    ]);
  }
  const profile = searchProfile(record, [...searchAccounts, ...(options.otherAccounts ?? [])], options.rateCard ?? []);

  let countryRows = '';
  for (const [country, share] of Object.entries(profile.audienceCountries)) {
    if (share > 0) countryRows += `${creatorId}\t${country}\t${share}\n`;
  }

  const creatorFields = [
    String(line),
    isUpdate,
    creatorId,
    copyText(record.handle),
    copyText(record.displayName),
    copyText(record.bio),
    copyTextArray(record.niches),
    copyTextArray(record.contentStyles),
    copyTextArray(record.languages),
    copyText(record.country),
    copyText(record.region),
    copyText(record.city),
    copyTextArray(record.markets),
    copyText(record.avatarUrl),
    ...searchColumnValues(profile).map((value, i) => SEARCH_ENCODERS[i](value)),
  ].join('\t');

  if (hasNul(creatorFields) || hasNul(accountRows)) {
    return { ok: false, line, problems: [{ field: '(record)', reason: 'must not contain NUL characters (\\u0000)' }] };
  }

  const data: CreatorCreatedData = {
    creatorId,
    handle: record.handle,
    displayName: record.displayName,
    country: record.country,
    niches: record.niches,
  };
  const event = OUTBOX.envelope({ type: 'creator.created', subject: creatorId, data }, now);
  return {
    ok: true,
    line,
    id: creatorId,
    handle: record.handle,
    accounts: accountHandles,
    markets,
    stats: {
      followers: profile.followers,
      authenticityScore: profile.authenticityScore,
      engagementRate: profile.engagementRate,
      platforms: profile.platforms,
    },
    creatorFields,
    createdEvent: { id: event.id, json: copyJson(event) },
    accountRows,
    countryRows,
  };
}

/** Validates a raw record (as parsed from JSON or CSV) and derives its rows, or lists every problem. */
export function parseAndDerive(raw: unknown, line: number, options: DeriveOptions = {}): DeriveResult {
  const parsed = parseRecord(creatorRecordSchema, raw);
  if (!parsed.ok) return { ok: false, line, problems: parsed.problems };
  return deriveCreator(parsed.value, line, options);
}

/** One NDJSON line: JSON, then parseAndDerive. */
export function deriveJsonLine(text: string, line: number, options: DeriveOptions = {}): DeriveResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, line, problems: [{ field: '(record)', reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  return parseAndDerive(raw, line, options);
}

/** The staging row of a creator with its event columns (NULLs when it has no event). */
export function creatorRow(fields: string, event: { id: string; type: string; json: string } | null): string {
  return event ? `${fields}\t${event.id}\t${event.type}\t${event.json}\n` : `${fields}\t\\N\t\\N\t\\N\n`;
}
