/**
 * A producing service as a process of its own (started by the scenarios, killed by them): it performs the
 * `work` table's mutations, each one transaction that changes an account and records its event in the
 * outbox (as `ctx.transaction` + `ctx.emit` do in a subgraph), and runs the kit's OutboxRelay. Work that a
 * killed process did not commit is picked up by its successor, as a client retries a request that failed.
 *
 * Environment: EVB_DATABASE_URL, KAFKA_BROKERS, EVB_TOPIC_PREFIX, EVB_WORKERS (4), EVB_POLL_MS (50),
 * LOG_LEVEL (silent), and EVB_FAULT: `before-publish@<n>` or `after-publish@<n>`: once n mutations are
 * committed, the next publish of the relay kills the process (SIGKILL) just before sending the batch to
 * Kafka, or just after Kafka acknowledged it but before the rows are marked sent.
 */
import { writeSync } from 'node:fs';
import { createDataSource, createKafka, createLogger, Outbox, OutboxRelay } from '@influenceflow/kit';
import { Kafka, performWork } from './world';

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

function die(report: string): never {
  writeSync(2, `${report}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

/** Makes the relay's producer kill this process around one publish (see EVB_FAULT). */
function injectPublishFault(kafka: Kafka, kind: string, at: number, committed: () => number): void {
  const make = kafka.producer.bind(kafka);
  kafka.producer = ((config: Parameters<Kafka['producer']>[0]) => {
    const producer = make(config);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch) => {
      if (committed() < at) return sendBatch(batch);
      const messages = batch.topicMessages?.reduce((sum, t) => sum + t.messages.length, 0) ?? 0;
      if (kind === 'before-publish') die(`EVB-FAULT kind=before-publish committed=${committed()} messages=${messages}`);
      await sendBatch(batch);
      die(`EVB-FAULT kind=after-publish committed=${committed()} messages=${messages}`);
    };
    return producer;
  }) as Kafka['producer'];
}

async function main(): Promise<void> {
  const workers = Number(process.env.EVB_WORKERS ?? '4');
  const logger = createLogger(`evb-producer-${process.pid}`, process.env.LOG_LEVEL ?? 'silent');
  const ds = createDataSource({ url: need('EVB_DATABASE_URL'), entities: [], migrations: [], poolSize: workers + 2 });
  await ds.initialize();
  const kafka = createKafka(`evb-producer-${process.pid}`, need('KAFKA_BROKERS').split(','), logger);

  const [{ n: doneBefore }] = (await ds.query(`SELECT count(*)::int AS n FROM work WHERE done_at IS NOT NULL`)) as { n: number }[];
  let committed = doneBefore;
  const fault = /^(before-publish|after-publish)@(\d+)$/.exec(process.env.EVB_FAULT ?? '');
  if (fault) injectPublishFault(kafka, fault[1], Number(fault[2]), () => committed);

  const relay = new OutboxRelay({
    dataSource: ds,
    kafka,
    topicPrefix: need('EVB_TOPIC_PREFIX'),
    logger: logger.child({ component: 'outbox' }),
    pollMs: Number(process.env.EVB_POLL_MS ?? '50'),
  });
  relay.start();
  const outbox = new Outbox('evb-producer');

  let stopping = false;
  const mutate = async (): Promise<boolean> => {
    const did = await performWork(ds, outbox);
    if (did) {
      committed++;
      relay.wake(); // as RequestContext.transaction does after a commit
    }
    return did !== null;
  };
  const loops = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopping && (await mutate()));
    }),
  );

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await loops.catch(() => undefined);
    await relay.stop();
    await ds.destroy();
    writeSync(2, `EVB-STATS committed=${committed - doneBefore}\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  await loops;
  writeSync(2, `EVB-DONE committed=${committed - doneBefore}\n`);
  // The work is done; the relay keeps publishing until the process is stopped.
}

main().catch((err: Error) => {
  writeSync(2, `EVB-ERROR ${err.stack ?? err.message}\n`);
  process.exit(1);
});
