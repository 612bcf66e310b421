import { Kafka, logLevel, LogEntry } from 'kafkajs';
import type { Logger } from '../logging/logger';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go to our structured logger. */
export function createKafka(clientId: string, brokers: string[], logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 15000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.ERROR,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        // Broker outages are expected and handled by the relay/consumer retries: keep them at warn.
        kafkaLogger[level === logLevel.ERROR ? 'warn' : (LEVELS[level] ?? 'info')](extra, message);
      },
  });
}

/**
 * True when a broker answers metadata requests within `timeoutMs`, trying `attempts` times a second apart:
 * a broker that is up but slow (a loaded machine, a node still electing its controller) is not "unreachable".
 */
export async function isKafkaReachable(brokers: string[], timeoutMs = 3000, attempts = 1): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await answersMetadata(brokers, timeoutMs)) return true;
    if (attempt < attempts) await new Promise((done) => setTimeout(done, 1000));
  }
  return false;
}

async function answersMetadata(brokers: string[], timeoutMs: number): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'probe',
    brokers,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
