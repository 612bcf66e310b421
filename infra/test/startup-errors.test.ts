import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '@influenceflow/kit/testing';

/** A service started with bad configuration or missing dependencies says so in one message, no stack. */
const root = join(__dirname, '..', '..');
const campaignMain = join(root, 'services', 'campaign', 'dist', 'main.js');

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [campaignMain], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', CAMPAIGN_PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr };
}

function expectOneClearMessage(stderr: string, ...needles: string[]) {
  expect(stderr).toMatch(/✖ campaign cannot start: /);
  for (const n of needles) expect(stderr).toContain(n);
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
}

describe('start-up problems', () => {
  it('names each bad variable', () => {
    const { code, stderr } = start({ CAMPAIGN_PORT: 'eighty', KAFKA_BROKERS: 'no-port' });
    expect(code).toBe(1);
    expectOneClearMessage(stderr, 'CAMPAIGN_PORT', 'KAFKA_BROKERS', 'must be host:port');
  });

  it('says where PostgreSQL was expected and how to fix it', () => {
    const { code, stderr } = start({ CAMPAIGN_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(code).toBe(1);
    expectOneClearMessage(stderr, 'PostgreSQL is not reachable at 127.0.0.1:1', '*_DATABASE_URL');
  });

  it('says where Kafka was expected and how to fix it', async () => {
    const db = await createTestDatabase('campaign');
    try {
      const { code, stderr } = start({ CAMPAIGN_DATABASE_URL: db.url, KAFKA_BROKERS: '127.0.0.1:1' });
      expect(code).toBe(1);
      expectOneClearMessage(stderr, 'Kafka is not reachable at 127.0.0.1:1', 'KAFKA_BROKERS');
    } finally {
      await db.drop();
    }
  });
});
