import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { delay, isKafkaReachable } from '@influenceflow/kit';
import { repoRoot } from '../repo';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** The Kafka version in infra/kafka/pom.xml; the cache is keyed by it. */
export const KAFKA_VERSION = '3.9.2';
/** A fixed cluster id is fine for a single development node (StorageTool needs one). */
const CLUSTER_ID = 'InfluenceFlowDevNode01';

export interface BrokerOptions {
  port: number;
  controllerPort: number;
  dataDir: string;
  cacheDir: string;
  heapMb?: number;
  log?: (msg: string) => void;
}

export interface StartedBroker {
  brokers: string[];
  startedByUs: boolean;
  pid?: number;
}

export function defaultBrokerOptions(env: NodeJS.ProcessEnv = process.env, root = repoRoot()): BrokerOptions {
  const port = Number(env.KAFKA_PORT || 9092);
  const controllerPort = Number(env.KAFKA_CONTROLLER_PORT || port + 1);
  return {
    port,
    controllerPort,
    dataDir: env.KAFKA_DATA_DIR || join(root, '.data', `kafka-${port}`),
    cacheDir: env.KAFKA_CACHE_DIR || join(root, '.cache', 'kafka'),
  };
}

const libsDir = (opts: BrokerOptions) => join(opts.cacheDir, KAFKA_VERSION, 'libs');
const pidFile = (opts: BrokerOptions) => join(opts.dataDir, 'kafka.pid');
const outFile = (opts: BrokerOptions) => join(opts.dataDir, 'kafka.out');

function requireTool(cmd: string, args: string[], hint: string): void {
  const probe = spawnSync(cmd, args, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(`${cmd} is needed to run Kafka locally but was not found: ${hint}`);
}

/**
 * Fetches Kafka and its runtime dependencies from Maven Central into the cache (once). The copy goes
 * to a temporary folder first, so an interrupted fetch never looks complete.
 */
export async function ensureKafkaDistribution(opts: BrokerOptions): Promise<string> {
  const libs = libsDir(opts);
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;
  requireTool('java', ['-version'], 'install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)');
  requireTool('mvn', ['-v'], 'install Apache Maven (Debian: apt-get install maven)');
  opts.log?.(`fetching Apache Kafka ${KAFKA_VERSION} from Maven Central (first time only)…`);
  const tmp = `${libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const pom = join(repoRoot(), 'infra', 'kafka', 'pom.xml');
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`, `-Dkafka.version=${KAFKA_VERSION}`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`Maven could not fetch Kafka ${KAFKA_VERSION}:\n${(result.stdout + result.stderr).trim().split('\n').slice(-15).join('\n')}`);
  }
  const jars = readdirSync(tmp).filter((f) => f.endsWith('.jar'));
  if (!jars.some((j) => j.startsWith('kafka_2.13-'))) throw new Error(`Maven ran but no kafka_2.13 jar is in ${tmp}`);
  writeFileSync(join(tmp, '.complete'), KAFKA_VERSION);
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(join(libs, '..'), { recursive: true });
  renameSync(tmp, libs);
  opts.log?.(`Kafka ${KAFKA_VERSION}: ${jars.length} jars in ${libs}`);
  return libs;
}

function serverProperties(opts: BrokerOptions): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `listeners=PLAINTEXT://127.0.0.1:${opts.port},CONTROLLER://127.0.0.1:${opts.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${opts.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `controller.quorum.voters=1@127.0.0.1:${opts.controllerPort}`,
    `log.dirs=${join(opts.dataDir, 'logs')}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // Without this every new consumer group waits 3 s before its first assignment.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'log.segment.bytes=16777216',
    'log.retention.hours=168',
    'num.network.threads=2',
    'num.io.threads=4',
    'controlled.shutdown.enable=true',
    '',
  ].join('\n');
}

function readPid(opts: BrokerOptions): number | null {
  try {
    const pid = Number(readFileSync(pidFile(opts), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Turns the broker's last words into a message that says what to do. */
function explainFailure(opts: BrokerOptions, output: string): string {
  if (/Failed to acquire lock|Could not acquire lock|lock on file/i.test(output)) {
    return `Kafka's data folder ${opts.dataDir} is locked by another broker. Stop it (pnpm kafka:stop, or kill the java process that uses this folder), or use another folder with KAFKA_DATA_DIR.`;
  }
  if (/Address already in use|BindException/i.test(output)) {
    return `Kafka could not listen on 127.0.0.1:${opts.port} or :${opts.controllerPort}: the port is in use. Stop what holds it, or set KAFKA_PORT / KAFKA_CONTROLLER_PORT.`;
  }
  return `Kafka stopped during start-up. Last lines of ${outFile(opts)}:\n${tail(outFile(opts), 15)}`;
}

/**
 * Starts a single KRaft node (broker + controller) on 127.0.0.1 and waits until it answers. Starting
 * when it already runs is harmless; a port held by something else gets a clear message.
 */
export async function startKafka(opts: BrokerOptions): Promise<StartedBroker> {
  const brokers = [`127.0.0.1:${opts.port}`];
  if (await isKafkaReachable(brokers, 2000)) {
    opts.log?.(`Kafka already runs on ${brokers[0]}`);
    return { brokers, startedByUs: false };
  }
  if (await portInUse(opts.port)) {
    throw new Error(`Port ${opts.port} on 127.0.0.1 is in use by something that is not a Kafka broker. Stop it, or set KAFKA_PORT to a free port.`);
  }
  const stale = readPid(opts);
  if (stale !== null && isAlive(stale)) {
    // Our broker from an earlier start, still booting or hung: it owns the data folder.
    throw new Error(explainFailure(opts, 'Failed to acquire lock'));
  }
  rmSync(pidFile(opts), { force: true });

  const libs = await ensureKafkaDistribution(opts);
  mkdirSync(opts.dataDir, { recursive: true });
  const props = join(opts.dataDir, 'server.properties');
  writeFileSync(props, serverProperties(opts));
  const classpath = `${libs}/*`;
  const log4j = `-Dlog4j.configuration=file:${join(repoRoot(), 'infra', 'kafka', 'log4j.properties')}`;
  if (!existsSync(join(opts.dataDir, 'logs', 'meta.properties'))) {
    const format = spawnSync('java', [log4j, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', props, '--ignore-formatted'], { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`Kafka storage format failed:\n${(format.stdout + format.stderr).trim()}`);
  }

  const out = openSync(outFile(opts), 'w');
  const heap = opts.heapMb ?? 512;
  const child = spawn(
    'java',
    [`-Xms128m`, `-Xmx${heap}m`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', log4j, '-cp', classpath, 'kafka.Kafka', props],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  child.unref();
  const pid = child.pid!;
  writeFileSync(pidFile(opts), String(pid));
  opts.log?.(`starting Kafka (pid ${pid}, data in ${opts.dataDir})…`);

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      rmSync(pidFile(opts), { force: true });
      throw new Error(explainFailure(opts, tail(outFile(opts), 200)));
    }
    if (await isKafkaReachable(brokers, 1500)) {
      opts.log?.(`Kafka is up on ${brokers[0]}`);
      return { brokers, startedByUs: true, pid };
    }
    await delay(300);
  }
  await stopKafka(opts);
  throw new Error(`Kafka did not answer on ${brokers[0]} within 90 s. Last lines of ${outFile(opts)}:\n${tail(outFile(opts), 15)}`);
}

/** Stops the node started from this data folder: SIGTERM (clean shutdown), SIGKILL after 30 s. */
export async function stopKafka(opts: BrokerOptions): Promise<boolean> {
  const pid = readPid(opts);
  if (pid === null || !isAlive(pid)) {
    rmSync(pidFile(opts), { force: true });
    return false;
  }
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the whole process group: java may have children
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await delay(200);
  if (isAlive(pid)) {
    signal('SIGKILL');
    while (isAlive(pid)) await delay(100);
  }
  rmSync(pidFile(opts), { force: true });
  opts.log?.('Kafka stopped');
  return true;
}

export async function kafkaStatus(opts: BrokerOptions): Promise<{ running: boolean; reachable: boolean; pid: number | null; port: number }> {
  const pid = readPid(opts);
  const running = pid !== null && isAlive(pid);
  return { running, reachable: await isKafkaReachable([`127.0.0.1:${opts.port}`], 2000), pid: running ? pid : null, port: opts.port };
}

function admin(brokers: string[]) {
  return new Kafka({ clientId: 'influenceflow-admin', brokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } }).admin();
}

/** Creates the topics that do not exist yet (existing ones are left as they are). */
export async function ensureTopics(brokers: string[], topics: string[], { partitions = 3 }: { partitions?: number } = {}): Promise<void> {
  const client = admin(brokers);
  await client.connect();
  try {
    const existing = new Set(await client.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await client.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
    // createTopics can return before every broker's metadata shows them; wait until it does.
    for (let i = 0; i < 50; i++) {
      const metadata = await client.fetchTopicMetadata({ topics });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      await delay(100);
    }
  } finally {
    await client.disconnect();
  }
}

/** Deletes every topic whose name starts with `prefix` (a test run's topics). */
export async function deleteTopicsWithPrefix(brokers: string[], prefix: string): Promise<string[]> {
  if (!prefix) throw new Error('refusing to delete topics without a prefix');
  const client = admin(brokers);
  await client.connect();
  try {
    const doomed = (await client.listTopics()).filter((t) => t.startsWith(prefix));
    if (doomed.length > 0) await client.deleteTopics({ topics: doomed, timeout: 30_000 });
    return doomed;
  } finally {
    await client.disconnect();
  }
}
