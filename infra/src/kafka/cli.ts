import { topicsWithDeadLetters } from '@influenceflow/kit';
import { defaultBrokerOptions, ensureKafkaDistribution, ensureTopics, kafkaStatus, startKafka, stopKafka } from './broker';

const USAGE = 'usage: node infra/dist/kafka/cli.js start|stop|status|fetch|topics [--prefix P]';

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const opts = { ...defaultBrokerOptions(), log: (m: string) => console.log(m) };
  const prefixAt = rest.indexOf('--prefix');
  const prefix = prefixAt >= 0 ? (rest[prefixAt + 1] ?? '') : (process.env.KAFKA_TOPIC_PREFIX ?? '');
  switch (command) {
    case 'fetch':
      await ensureKafkaDistribution(opts);
      return;
    case 'start': {
      const started = await startKafka(opts);
      await ensureTopics(started.brokers, topicsWithDeadLetters().map((t) => `${prefix}${t}`));
      console.log(`topics ready (${topicsWithDeadLetters().length})`);
      return;
    }
    case 'stop':
      if (!(await stopKafka(opts))) console.log(`no Kafka started from ${opts.dataDir} is running`);
      return;
    case 'status':
      console.log(JSON.stringify(await kafkaStatus(opts)));
      return;
    case 'topics':
      await ensureTopics([`127.0.0.1:${opts.port}`], topicsWithDeadLetters().map((t) => `${prefix}${t}`));
      console.log('topics ready');
      return;
    default:
      console.error(USAGE);
      process.exit(2);
  }
}

main().catch((err: Error) => {
  console.error(`✖ ${err.message}`);
  process.exit(1);
});
