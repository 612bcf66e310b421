import { randomBytes } from 'node:crypto';

/**
 * Test runs share a machine with earlier runs (and with a developer's running stack), so everything a
 * run creates (databases, topics, consumer groups) carries the run id. The id starts with the time,
 * so leftovers of crashed runs can be recognised and removed.
 */
export function newTestRunId(now = Date.now()): string {
  return `${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

export function testRunId(): string {
  const id = process.env.TEST_RUN_ID;
  if (!id) throw new Error('TEST_RUN_ID is not set: run tests through jest (its global setup sets it)');
  return id;
}

/** When a run id was made (ms since epoch), or null for a name that is not a run id. */
export function testRunStartedAt(id: string): number | null {
  const t = parseInt(id.slice(0, -6), 36);
  return Number.isFinite(t) && t > 1.6e12 && t < 4e12 ? t : null;
}

/** Every topic of a run starts with this, so the run's teardown can remove them all. */
export function testRunTopicPrefix(runId = testRunId()): string {
  return `ift.${runId}.`;
}

// Jest loads modules afresh for every test file, so this is one key per test file.
const TEST_FILE_KEY = randomBytes(3).toString('hex');

/**
 * This test file's topics. Test files run in parallel and many use the same fixture ids: on shared
 * topics one file's events (a rate card for creator …0001) reached another file's subgraphs and changed
 * what it asserted on. Create them with `ensureTestTopics` (test subgraphs do it themselves).
 */
export function testTopicPrefix(): string {
  return `${testRunTopicPrefix()}${TEST_FILE_KEY}.`;
}

export const TEST_DB_PREFIX = 'ift_';

export function testDatabaseName(runId: string, service: string, suffix: string): string {
  return `${TEST_DB_PREFIX}${runId}_${service}_${suffix}`;
}
