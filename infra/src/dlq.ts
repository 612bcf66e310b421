import { createKafka, createLogger, loadServiceConfig, replayDeadLetters } from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';

/** `pnpm dlq:replay <topic>`: re-publishes a topic's dead letters after the cause is fixed. */
async function main(): Promise<void> {
  const topic = process.argv[2];
  if (!topic || !(ALL_TOPICS as readonly string[]).includes(topic)) {
    console.error(`usage: pnpm dlq:replay <topic>   (one of: ${ALL_TOPICS.join(', ')})`);
    process.exit(2);
  }
  const config = loadServiceConfig('campaign'); // any service: only the Kafka settings are used
  const logger = createLogger('dlq-replay', config.logLevel);
  const replayed = await replayDeadLetters({
    kafka: createKafka('dlq-replay', config.kafka.brokers, logger),
    topicPrefix: config.kafka.topicPrefix,
    topic,
    logger,
  });
  console.log(`replayed ${replayed} dead letter(s) of ${topic}`);
}

main().catch((err: Error) => {
  console.error(`✖ ${err.message}`);
  process.exit(1);
});
