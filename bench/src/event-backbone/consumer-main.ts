/**
 * A consuming service as a process of its own: the kit's InboxConsumer applying ledger events to its
 * database. Started and killed by the scenarios.
 *
 * Environment: EVB_DATABASE_URL, KAFKA_BROKERS, EVB_TOPIC_PREFIX, EVB_GROUP_PREFIX, EVB_INSTANCE, LOG_LEVEL
 * (silent), and EVB_KILL_AFTER=<n>: on SIGUSR2 the process stops sending offset commits, and n messages
 * later it kills itself (SIGKILL) where it would commit: the n events are applied in its database but
 * never acknowledged to Kafka. It reports on stderr each time it has joined its group (EVB-JOINED).
 */
import { writeSync } from 'node:fs';
import { createDataSource, createKafka, createLogger, InboxConsumer } from '@influenceflow/kit';
import { CommitFault, CONSUMER_SERVICE, instrumentConsumerCommits, ledgerConsumer } from './world';

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  const instance = need('EVB_INSTANCE');
  const logger = createLogger(`evb-${instance}`, process.env.LOG_LEVEL ?? 'silent');
  const ds = createDataSource({ url: need('EVB_DATABASE_URL'), entities: [], migrations: [], poolSize: 3 });
  await ds.initialize();
  const kafka = createKafka(`evb-${instance}`, need('KAFKA_BROKERS').split(','), logger);
  const counter = { handled: 0 };
  const fault: CommitFault = {
    holdFrom: Infinity,
    killAt: Infinity,
    onKill: (handled) => {
      writeSync(2, `EVB-FAULT kind=kill-before-commit handled=${handled} lastCommitted=${fault.holdFrom}\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
  const killAfter = Number(process.env.EVB_KILL_AFTER ?? '0');
  if (killAfter > 0) {
    process.on('SIGUSR2', () => {
      fault.holdFrom = counter.handled;
      fault.killAt = counter.handled + killAfter;
      writeSync(2, `EVB-ARMED handled=${counter.handled}\n`);
    });
  }
  let joins = 0;
  instrumentConsumerCommits(kafka, counter, fault, () => writeSync(2, `EVB-JOINED count=${++joins} handled=${counter.handled}\n`));
  const consumer = new InboxConsumer({
    service: CONSUMER_SERVICE,
    definition: ledgerConsumer(instance),
    dataSource: ds,
    kafka,
    topicPrefix: need('EVB_TOPIC_PREFIX'),
    groupPrefix: need('EVB_GROUP_PREFIX'),
    logger,
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await consumer.stop();
    await ds.destroy();
    writeSync(2, `EVB-STATS handled=${counter.handled}\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  await consumer.start();
  writeSync(2, `EVB-READY instance=${instance}\n`);
}

main().catch((err: Error) => {
  writeSync(2, `EVB-ERROR ${err.stack ?? err.message}\n`);
  process.exit(1);
});
