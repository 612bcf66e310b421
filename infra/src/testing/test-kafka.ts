import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testRunStartedAt } from '@influenceflow/kit/testing';
import { BrokerOptions, defaultBrokerOptions, kafkaStatus, stopKafka } from '../kafka/broker';
import { repoRoot } from '../repo';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const TEST_KAFKA_PREFIX = 'kafka-test-';

/**
 * Each test run gets a Kafka node of its own (free ports, its own data folder under .data): runs on one
 * machine, and a developer's running stack, never share or stop each other's broker.
 */
export function testBrokerOptions(runId: string, port: number, controllerPort: number): BrokerOptions {
  return {
    ...defaultBrokerOptions(),
    port,
    controllerPort,
    dataDir: join(repoRoot(), '.data', `${TEST_KAFKA_PREFIX}${runId}`),
    heapMb: 512,
  };
}

/** Stops a run's node (if running) and removes its folder. */
export async function removeTestBroker(runId: string): Promise<void> {
  const dataDir = join(repoRoot(), '.data', `${TEST_KAFKA_PREFIX}${runId}`);
  if (!existsSync(dataDir)) return;
  await stopKafka({ ...defaultBrokerOptions(), dataDir });
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Removes the folders of crashed or killed runs: older than an hour (a run starting right now has no
 * pid file yet and must not lose its folder) and with no node running.
 */
export async function removeDeadTestBrokers(olderThanMs = 3600_000): Promise<void> {
  const dataRoot = join(repoRoot(), '.data');
  if (!existsSync(dataRoot)) return;
  for (const name of readdirSync(dataRoot).filter((n) => n.startsWith(TEST_KAFKA_PREFIX))) {
    const startedAt = testRunStartedAt(name.slice(TEST_KAFKA_PREFIX.length).split('-')[0]);
    if (startedAt === null || Date.now() - startedAt < olderThanMs) continue;
    const dataDir = join(dataRoot, name);
    const status = await kafkaStatus({ ...defaultBrokerOptions(), dataDir });
    if (!status.running) rmSync(dataDir, { recursive: true, force: true });
  }
}
