/**
 * The local Kafka node from the command line (`pnpm kafka:start|stop|status`):
 *
 *   node infra/dist/kafka/cli.js start|stop|status|fetch|topics [--prefix P]
 *
 * Settings come from the environment (KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR, KAFKA_CACHE_DIR;
 * see defaultBrokerOptions). `start` also creates the platform topics, so a started node is ready to use;
 * the topic prefix is --prefix, else KAFKA_TOPIC_PREFIX, else none. Errors print one message, exit 1.
 */
import { ensureEventTopics, withDeadLetters } from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';
import { BrokerOptions, defaultBrokerOptions, ensureKafkaDistribution, kafkaStatus, startKafka, stopKafka } from './broker';

const USAGE = 'usage: node infra/dist/kafka/cli.js start|stop|status|fetch|topics [--prefix P]';

function topicPrefix(args: string[]): string {
  const at = args.indexOf('--prefix');
  if (at < 0) return process.env.KAFKA_TOPIC_PREFIX ?? '';
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--prefix needs a value. ${USAGE}`);
  return value;
}

async function createPlatformTopics(opts: BrokerOptions, brokers: string[], prefix: string): Promise<void> {
  const created = await ensureEventTopics(brokers, prefix, ALL_TOPICS);
  opts.log?.(`topics ready: ${withDeadLetters(ALL_TOPICS).length} (${created.length} created)${prefix ? ` with prefix "${prefix}"` : ''}`);
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const opts: BrokerOptions = { ...defaultBrokerOptions(), log: (m) => console.log(m) };
  const brokers = [`127.0.0.1:${opts.port}`];
  switch (command) {
    case 'fetch':
      await ensureKafkaDistribution(opts);
      console.log(`Kafka jars are in ${opts.cacheDir}`);
      return 0;
    case 'start': {
      const prefix = topicPrefix(rest);
      const started = await startKafka(opts);
      await createPlatformTopics(opts, started.brokers, prefix);
      return 0;
    }
    case 'stop':
      if (!(await stopKafka(opts))) console.log(`no Kafka node runs from ${opts.dataDir}`);
      return 0;
    case 'status': {
      const status = await kafkaStatus(opts);
      const where = `127.0.0.1:${status.port}`;
      if (status.running)
        console.log(
          `Kafka runs on ${where}${status.pid ? ` (pid ${status.pid}, data in ${status.dataDir})` : ' (not started from this data folder)'}`,
        );
      else if (status.pid) console.log(`Kafka (pid ${status.pid}) from ${status.dataDir} is alive but does not answer on ${where} yet`);
      else console.log(`Kafka is not running on ${where}`);
      return 0;
    }
    case 'topics':
      await createPlatformTopics(opts, brokers, topicPrefix(rest));
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
