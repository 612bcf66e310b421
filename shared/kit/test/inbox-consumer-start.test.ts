import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A consumer whose start fails (Kafka unreachable: a restart during an outage, a start as Kafka goes away)
 * must not end its process later: the join timeout's rejection, left unhandled, did (Node ends a process on
 * an unhandled rejection). Run in a child process of its own, with the built kit, as a service runs it.
 */
function startAgainstNoBroker(retries: number): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const { Kafka, logLevel } = require(${JSON.stringify(require.resolve('kafkajs'))});
    const { InboxConsumer, createLogger } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))});
    const kafka = new Kafka({ clientId: 'start-test', brokers: ['127.0.0.1:1'], retry: { retries: ${retries}, initialRetryTime: 300 }, logLevel: logLevel.NOTHING });
    const logger = createLogger('start-test', 'silent');
    const consumer = new InboxConsumer({
      service: 'start-test', definition: { name: 'c', topics: ['t'], handlers: {} }, dataSource: null, kafka,
      topicPrefix: 'p.', logger, joinTimeoutMs: 300,
    });
    consumer.start().then(
      () => { console.log('started'); process.exit(2); },
      (err) => console.log('start rejected: ' + err.message),
    );
    setTimeout(() => { console.log('alive'); process.exit(0); }, 3000);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('survives a start that failed before the join timeout', () => {
  const r = startAgainstNoBroker(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/start rejected: .*ECONNREFUSED/);
  expect(r.stdout).toMatch(/alive/);
  expect(r.status).toBe(0);
});

it('survives a join timeout that fires while it is still connecting', () => {
  const r = startAgainstNoBroker(3); // the connection retries outlast the 300 ms join timeout
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/start rejected: /);
  expect(r.stdout).toMatch(/alive/);
  expect(r.status).toBe(0);
});
