/**
 * A real Apache Kafka node for development and tests, installed and run by the project itself: the jars
 * come from Maven Central through infra/kafka/pom.xml, the node runs as a detached `java` process in KRaft
 * mode (broker and controller in one JVM) on 127.0.0.1. No Docker, no tarball download.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot as findRepoRoot } from '../repo';

// kafkajs 2.x warns about its default partitioner on every producer; the project has no old data to match.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/**
 * Fixed, because one node never joins another cluster; StorageTool needs a 22-character base64 UUID. Data
 * folders formatted with it stay usable across restarts and code changes, so do not change it.
 */
export const CLUSTER_ID = 'InfluenceFlowDevNode01';

/** How long a start may take: the JVM, storage recovery and the first metadata load on a slow, busy machine. */
const START_TIMEOUT_MS = 90_000;
/** How long a clean shutdown (SIGTERM) may take before the process group is killed. */
const STOP_TIMEOUT_MS = 30_000;

export interface BrokerOptions {
  /** Client (PLAINTEXT) port on 127.0.0.1. */
  port: number;
  /** KRaft controller port on 127.0.0.1 (used only by the node itself). */
  controllerPort: number;
  /** The node's own folder: server.properties, logs/ (topic data), kafka.out, server.log, kafka.pid. */
  dataDir: string;
  /** Where the jars fetched from Maven Central are kept (`<cacheDir>/libs`), shared by every data folder. */
  cacheDir: string;
  /** Maximum JVM heap; 512 MB by default, 256 MB is enough for tests. */
  heapMb?: number;
  /** Progress lines (fetching, starting, stopping); silent when absent. */
  log?: (msg: string) => void;
}

export interface StartedBroker {
  /** Bootstrap addresses for kafkajs (`host:port`). */
  brokers: string[];
  /** False when a broker already answered on the port: the caller must then not stop it. */
  startedByUs: boolean;
  /** The java process, when this call started it. */
  pid?: number;
}

export interface KafkaStatus {
  /** A broker answers Kafka requests on the port. */
  running: boolean;
  /** The java process that uses this data folder, when there is one (it may still be starting). */
  pid: number | null;
  port: number;
  controllerPort: number;
  dataDir: string;
}

/**
 * The options from the environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1, so 9093 by
 * default and never the default broker's when only KAFKA_PORT is moved), KAFKA_DATA_DIR
 * (`<repo>/.data/kafka-<port>`: one folder per port, so two nodes never share one), KAFKA_CACHE_DIR
 * (`<repo>/.cache/kafka`).
 */
export function defaultBrokerOptions(env: NodeJS.ProcessEnv = process.env, repoRoot: string = findRepoRoot(__dirname)): BrokerOptions {
  const port = parsePort(env.KAFKA_PORT, 9092, 'KAFKA_PORT');
  const controllerPort = parsePort(env.KAFKA_CONTROLLER_PORT, port + 1, 'KAFKA_CONTROLLER_PORT');
  if (controllerPort === port) throw new Error(`KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT (both are ${port}).`);
  return {
    port,
    controllerPort,
    dataDir: resolve(env.KAFKA_DATA_DIR || join(repoRoot, '.data', `kafka-${port}`)),
    cacheDir: resolve(env.KAFKA_CACHE_DIR || join(repoRoot, '.cache', 'kafka')),
  };
}

function parsePort(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535), not "${value}".`);
  return port;
}

// ---------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------

/** infra/kafka (pom.xml, log4j.properties, server.properties): two levels above both src/kafka and dist/kafka. */
export function kafkaAssetsDir(): string {
  const candidates = [join(__dirname, '..', '..', 'kafka'), join(findRepoRoot(__dirname), 'infra', 'kafka')];
  const found = candidates.find((dir) => existsSync(join(dir, 'pom.xml')));
  if (!found) throw new Error(`infra/kafka/pom.xml not found (looked in ${candidates.join(', ')}).`);
  return found;
}

/** The Kafka version, read from infra/kafka/pom.xml so that file stays the one place to change it. */
export function kafkaVersion(): string {
  const pom = readFileSync(join(kafkaAssetsDir(), 'pom.xml'), 'utf8');
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error('infra/kafka/pom.xml has no <kafka.version> property.');
  return match[1];
}

// Absolute paths: the folder is matched against other processes' command lines.
const libsDir = (opts: BrokerOptions) => resolve(opts.cacheDir, 'libs');
const pidFile = (opts: BrokerOptions) => resolve(opts.dataDir, 'kafka.pid');
const outFile = (opts: BrokerOptions) => resolve(opts.dataDir, 'kafka.out');
const propsFile = (opts: BrokerOptions) => resolve(opts.dataDir, 'server.properties');
const logDirs = (opts: BrokerOptions) => resolve(opts.dataDir, 'logs');

/**
 * The KRaft metadata log's folder: `<dataDir>/metadata`, which Kafka locks as soon as it opens it (see
 * infra/kafka/server.properties). Data folders made before that split keep their metadata in logs/.
 */
function metadataDir(opts: BrokerOptions): string {
  const separate = resolve(opts.dataDir, 'metadata');
  const legacy = existsSync(join(logDirs(opts), '__cluster_metadata-0')) && !existsSync(separate);
  return legacy ? logDirs(opts) : separate;
}

/** The JVM of JAVA_HOME when set (what Maven uses too), else the one on PATH. */
function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  const candidate = home ? join(home, 'bin', 'java') : '';
  return candidate && existsSync(candidate) ? candidate : 'java';
}

function requireTool(cmd: string, args: string[], what: string, install: string): void {
  const probe = spawnSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${what} is needed to run Kafka locally, but \`${cmd} ${args.join(' ')}\` did not run (${probe.error?.message ?? `exit ${probe.status}`}). Install it (${install}) and make sure it is on PATH.`,
    );
  }
}

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------
// Fetching Kafka
// ---------------------------------------------------------------------------------------------------

/**
 * Fetches Kafka and its runtime dependencies from Maven Central into `<cacheDir>/libs` (once per version)
 * and returns that folder. Maven copies into a temporary folder that is renamed only when complete, and
 * `.complete` (holding the version) is written last, so an interrupted fetch never looks complete.
 */
export async function ensureKafkaDistribution(opts: BrokerOptions): Promise<string> {
  const version = kafkaVersion();
  const libs = libsDir(opts);
  if (isComplete(libs, version)) return libs;

  requireTool(
    javaCommand(),
    ['-version'],
    'Java 17 or newer',
    'Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17',
  );
  requireTool('mvn', ['-v'], 'Apache Maven', 'Debian/Ubuntu: apt-get install maven; macOS: brew install maven');
  opts.log?.(`fetching Apache Kafka ${version} from Maven Central into ${libs} (first time only: seconds to a minute)…`);

  mkdirSync(opts.cacheDir, { recursive: true });
  // Leftovers of interrupted fetches (their process is gone) only take space.
  for (const entry of readdirSync(opts.cacheDir)) {
    const owner = /^libs\.tmp-(\d+)$/.exec(entry);
    if (owner && (Number(owner[1]) === process.pid || !isAlive(Number(owner[1]))))
      rmSync(join(opts.cacheDir, entry), { recursive: true, force: true });
  }
  const tmp = join(opts.cacheDir, `libs.tmp-${process.pid}`);
  const started = Date.now();
  const pom = join(kafkaAssetsDir(), 'pom.xml');
  const result = await run(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`],
    (seconds) => opts.log?.(`  still fetching… ${seconds} s`),
  );
  if (result.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `Maven could not fetch Kafka ${version} (exit ${result.code}); Maven Central must be reachable, directly or through ~/.m2/settings.xml. Maven said:\n${lastLines(result.output, 15)}`,
    );
  }
  const jars = readdirSync(tmp).filter((f) => f.endsWith('.jar'));
  if (!jars.includes(`kafka_2.13-${version}.jar`)) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Maven ran but kafka_2.13-${version}.jar is not among the ${jars.length} jars it copied; check infra/kafka/pom.xml.`);
  }
  writeFileSync(join(tmp, '.complete'), `${version}\n`);

  // Another process may have finished the same fetch meanwhile: keep its copy (a broker may use it).
  if (isComplete(libs, version)) {
    rmSync(tmp, { recursive: true, force: true });
  } else {
    rmSync(libs, { recursive: true, force: true }); // an older version or an incomplete leftover
    renameSync(tmp, libs);
  }
  opts.log?.(`Kafka ${version}: ${jars.length} jars in ${libs} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return libs;
}

function isComplete(libs: string, version: string): boolean {
  try {
    return readFileSync(join(libs, '.complete'), 'utf8').trim() === version;
  } catch {
    return false;
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Runs a command without blocking the event loop, reporting every 15 s that it still runs. */
function run(cmd: string, args: string[], stillRunning: (seconds: number) => void): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const started = Date.now();
    const ticker = setInterval(() => stillRunning(Math.round((Date.now() - started) / 1000)), 15_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      done({ code: -1, output: err.message });
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      done({ code: code ?? -1, output });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Processes and ports
// ---------------------------------------------------------------------------------------------------

/** True for a live process (a zombie, exited but not yet reaped, counts as dead). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all we know
  }
}

/** The command line of a process, or null where /proc is not available. */
function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

function readPid(opts: BrokerOptions): number | null {
  try {
    const pid = Number(readFileSync(pidFile(opts), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid holding Kafka's lock (`<dir>/.lock`) according to /proc/locks, or null (also where there is no /proc). */
function lockHolder(dir: string): number | null {
  let inode: number;
  let locks: string;
  try {
    inode = statSync(join(dir, '.lock')).ino;
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return null; // no lock file (never started, or cleanly stopped: Kafka deletes it), or not Linux
  }
  // "1: POSIX  ADVISORY  WRITE 15703 fe:00:5400274 0 EOF": the pid, then major:minor:inode.
  for (const line of locks.split('\n')) {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '->'); // "->" marks a process waiting for the lock, not holding it
    if (line.includes('->')) continue;
    const pid = Number(fields[4]);
    if (fields[5]?.split(':')[2] === String(inode) && pid !== process.pid && isAlive(pid)) return pid;
  }
  return null;
}

/**
 * The live Kafka process that uses this data folder, and whether it was started from it (its
 * server.properties): the pid in kafka.pid (unless that pid now belongs to another program: pids are
 * reused after a reboot), else, on Linux, a `kafka.Kafka` whose command line names this folder's
 * server.properties (its pid file was deleted), else whoever holds the lock of its log or metadata folder
 * (a node started some other way, e.g. through a symlink).
 */
function findBroker(opts: BrokerOptions): { pid: number; fromThisFolder: boolean } | null {
  const props = propsFile(opts);
  const pid = readPid(opts);
  if (pid !== null && isAlive(pid)) {
    const cmd = commandLine(pid);
    if (cmd === null || cmd.includes('kafka.Kafka')) return { pid, fromThisFolder: true };
  }
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    /* not Linux */
  }
  for (const entry of entries) {
    const cmd = commandLine(Number(entry));
    if (cmd?.includes('kafka.Kafka') && cmd.includes(props) && isAlive(Number(entry))) return { pid: Number(entry), fromThisFolder: true };
  }
  const holder = lockHolder(logDirs(opts)) ?? lockHolder(metadataDir(opts));
  return holder === null ? null : { pid: holder, fromThisFolder: commandLine(holder)?.includes(props) ?? false };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portAcceptsConnections(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(true)); // accepted but silent is still "in use"
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** True when a Kafka broker answers a metadata request (and lists itself) within the timeout. */
export async function isKafkaAnswering(brokers: string[], timeoutMs = 2000): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'influenceflow-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// Start, stop, status
// ---------------------------------------------------------------------------------------------------

/** server.properties for this node: infra/kafka/server.properties with the ports and folder filled in. */
export function renderServerProperties(opts: BrokerOptions): string {
  const template = readFileSync(join(kafkaAssetsDir(), 'server.properties'), 'utf8');
  const values: Record<string, string> = {
    PORT: String(opts.port),
    CONTROLLER_PORT: String(opts.controllerPort),
    // Properties files treat backslashes as escapes (Windows paths); Kafka accepts forward slashes.
    LOG_DIRS: logDirs(opts).replace(/\\/g, '/'),
    METADATA_LOG_DIR: metadataDir(opts).replace(/\\/g, '/'),
  };
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`infra/kafka/server.properties has an unknown placeholder ${whole}.`);
    return values[key];
  });
  return `# Written by infra/src/kafka/broker.ts from infra/kafka/server.properties at every start: edit that file.\n${rendered}`;
}

/** The JVM options shared by the broker and StorageTool: logging goes by infra/kafka/log4j.properties. */
function jvmLoggingFlags(opts: BrokerOptions): string[] {
  return [
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${resolve(opts.dataDir)}`, // log4j.properties writes ${kafka.logs.dir}/server.log
    `-Dlog4j.configuration=${pathToFileURL(join(kafkaAssetsDir(), 'log4j.properties')).href}`,
  ];
}

/** Turns the node's last words into a message that says what happened and what to do. */
function explainFailure(opts: BrokerOptions, output: string): string {
  const out = outFile(opts);
  if (/Failed to acquire lock|another process or thread is using this directory/i.test(output)) {
    return lockedMessage(opts, lockHolder(logDirs(opts)) ?? lockHolder(metadataDir(opts)), false);
  }
  if (/Address already in use|BindException|failed to bind/i.test(output)) {
    const bound = /bind to [^\s:]*:(\d+)/i.exec(output);
    const port = bound ? Number(bound[1]) : null;
    const which =
      port === opts.controllerPort
        ? `its controller port 127.0.0.1:${port} (KAFKA_CONTROLLER_PORT)`
        : port === opts.port
          ? `its client port 127.0.0.1:${port} (KAFKA_PORT)`
          : `127.0.0.1:${opts.port} or :${opts.controllerPort}`;
    return `Kafka could not listen on ${which}: another program holds it ("Address already in use"). Stop that program, or choose free ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT (the controller port defaults to KAFKA_PORT + 1). Details: ${out}.`;
  }
  if (/UnsupportedClassVersionError/.test(output)) {
    return `Kafka needs Java 11 or newer (17 recommended), but \`${javaCommand()}\` is older. Install Java 17 and put it on PATH or in JAVA_HOME. Details: ${out}.`;
  }
  if (/Invalid cluster\.id in|doesn't match previous node id/.test(output)) {
    return `Kafka's data folder ${opts.dataDir} was formatted for another cluster or node and cannot be used. Delete the folder (it holds only local topic data) and start again. Details: ${out}.`;
  }
  if (/No `meta\.properties` found/.test(output)) {
    return `Kafka's data folder ${opts.dataDir} is only partly formatted (a folder was deleted or emptied by hand?). Delete the whole folder (it holds only local topic data) and start again. Details: ${out}.`;
  }
  if (/OutOfMemoryError|Could not reserve enough space|Cannot allocate memory/i.test(output)) {
    return `Kafka ran out of memory (heap ${opts.heapMb ?? 512} MB). Free some memory or give it another heap size. Details: ${out}.`;
  }
  return `Kafka stopped while starting. Last lines of ${out}:\n${tail(out, 20)}`;
}

function lockedMessage(opts: BrokerOptions, pid: number | null, fromThisFolder: boolean): string {
  const held = `Kafka's data folder ${opts.dataDir} is in use by another Kafka node`;
  if (pid !== null && fromThisFolder) {
    const port = /PLAINTEXT:\/\/[^:]+:(\d+)/.exec(readFileSafe(propsFile(opts)))?.[1];
    return (
      `${held} (pid ${pid}${port ? `, port ${port}` : ''}); two nodes cannot share one folder ("Failed to acquire lock"). ` +
      `Stop that node with \`KAFKA_DATA_DIR=${opts.dataDir} pnpm kafka:stop\`, or give this one its own folder with KAFKA_DATA_DIR ` +
      `(by default each KAFKA_PORT gets its own, .data/kafka-<port>).`
    );
  }
  return (
    `${held}${pid !== null ? ` (pid ${pid}, started from another folder or by other means)` : ''}: it holds the folder's lock ("Failed to acquire lock"), and two nodes cannot share one folder. ` +
    `\`pgrep -af kafka.Kafka\` lists the running nodes: stop the one using this folder (\`KAFKA_DATA_DIR=<its folder> pnpm kafka:stop\`, or kill ${pid ?? 'its pid'}), ` +
    `or give this node its own folder with KAFKA_DATA_DIR. The lock goes away with that process; if no Kafka runs and this persists, delete ${opts.dataDir} (it only holds local topic data).`
  );
}

function notKafkaMessage(opts: BrokerOptions): string {
  return (
    `Port ${opts.port} on 127.0.0.1 is in use by a program that does not answer as a Kafka broker, so Kafka cannot start there. ` +
    `Find it with \`ss -ltnp 'sport = :${opts.port}'\` (or \`lsof -i :${opts.port}\`) and stop it, or run Kafka on a free port by setting KAFKA_PORT ` +
    `(and KAFKA_BROKERS=127.0.0.1:<that port> for the services). If a Kafka broker is still starting on that port, wait a few seconds and try again.`
  );
}

/**
 * Starts the node and resolves once it answers admin requests. Idempotent: when a broker already answers
 * on the port it returns `startedByUs: false` (and when this data folder's node is still starting, it
 * waits for it). Fails with a message that says what to do when the port belongs to another program,
 * when another node holds the data folder, or when the node dies while starting.
 */
export async function startKafka(opts: BrokerOptions): Promise<StartedBroker> {
  const brokers = [`127.0.0.1:${opts.port}`];
  if (await isKafkaAnswering(brokers)) {
    opts.log?.(`Kafka already runs on ${brokers[0]}`);
    return { brokers, startedByUs: false };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const release = await acquireStartLock(opts);
  try {
    return await startHoldingLock(opts, brokers);
  } finally {
    release();
  }
}

/**
 * Serialises starts on one data folder (`pnpm dev` and a test run starting together): the second waits for
 * the first, then finds the node answering. The lock file holds the starter's pid, so a starter that died
 * leaves no lasting lock.
 */
async function acquireStartLock(opts: BrokerOptions): Promise<() => void> {
  const file = resolve(opts.dataDir, 'start.lock');
  const deadline = Date.now() + START_TIMEOUT_MS + 30_000;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(readFileSafe(file).trim());
    if (!Number.isInteger(owner) || owner <= 0 || !isAlive(owner)) {
      // Written by a start that died (or being written right now: then the retry sees it complete).
      await delay(100);
      if (Number(readFileSafe(file).trim()) === owner) rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Another start of Kafka from ${opts.dataDir} (pid ${owner}) has not finished; stop it, or delete ${file} if it is stuck.`,
      );
    if (!said) opts.log?.(`another start of Kafka from ${opts.dataDir} (pid ${owner}) is in progress; waiting for it…`);
    said = true;
    await delay(250);
  }
}

async function startHoldingLock(opts: BrokerOptions, brokers: string[]): Promise<StartedBroker> {
  // Again: another start may have finished while this one waited for the lock.
  if (await isKafkaAnswering(brokers)) {
    opts.log?.(`Kafka already runs on ${brokers[0]}`);
    return { brokers, startedByUs: false };
  }

  // A node from this data folder that is alive but not answering yet is another start in progress (or a
  // node on another port, which holds the folder's lock): never write into the folder under it.
  const existing = findBroker(opts);
  if (existing !== null) {
    if (existing.fromThisFolder && readFileSafe(propsFile(opts)).includes(`PLAINTEXT://127.0.0.1:${opts.port},`)) {
      opts.log?.(`Kafka (pid ${existing.pid}) is starting from ${opts.dataDir}; waiting for it…`);
      await waitUntilAnswering(opts, existing.pid, brokers, false);
      return { brokers, startedByUs: false };
    }
    throw new Error(lockedMessage(opts, existing.pid, existing.fromThisFolder));
  }
  if (readPid(opts) !== null) {
    opts.log?.(`removing the stale pid file ${pidFile(opts)} (its process is gone)`);
    rmSync(pidFile(opts), { force: true });
  }

  if (await portAcceptsConnections(opts.port)) {
    // A broker that just bound its port may not answer yet: give it one more, longer chance.
    await delay(1500);
    if (await isKafkaAnswering(brokers, 3000)) {
      opts.log?.(`Kafka already runs on ${brokers[0]}`);
      return { brokers, startedByUs: false };
    }
    throw new Error(notKafkaMessage(opts));
  }
  if (await portAcceptsConnections(opts.controllerPort)) {
    throw new Error(
      `Kafka's controller port ${opts.controllerPort} on 127.0.0.1 is already in use by another program (or another Kafka node). Stop it, or choose other ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT (the controller port defaults to KAFKA_PORT + 1).`,
    );
  }

  const libs = await ensureKafkaDistribution(opts);
  const classpath = `${libs}/*`;
  mkdirSync(logDirs(opts), { recursive: true });
  mkdirSync(metadataDir(opts), { recursive: true });
  writeFileSync(propsFile(opts), renderServerProperties(opts));

  // Format the storage once (a KRaft node refuses unformatted folders); --ignore-formatted makes a repeat harmless.
  if (![logDirs(opts), metadataDir(opts)].every((dir) => existsSync(join(dir, 'meta.properties')))) {
    opts.log?.(`formatting Kafka storage in ${opts.dataDir}…`);
    const format = spawnSync(
      javaCommand(),
      [
        '-Xmx256m',
        ...jvmLoggingFlags(opts),
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        CLUSTER_ID,
        '-c',
        propsFile(opts),
        '--ignore-formatted',
      ],
      { encoding: 'utf8', cwd: resolve(opts.dataDir), timeout: 120_000 },
    );
    if (format.status !== 0) {
      const output = `${format.stdout ?? ''}${format.stderr ?? ''}${format.error ? format.error.message : ''}`;
      throw new Error(`Formatting Kafka's storage in ${opts.dataDir} failed (exit ${format.status}):\n${lastLines(output, 15)}`);
    }
  }

  const heapMb = opts.heapMb ?? 512;
  const args = [
    `-Xms${Math.min(128, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    // Die rather than limp along: the next start then says what happened.
    '-XX:+ExitOnOutOfMemoryError',
    ...jvmLoggingFlags(opts),
    '-cp',
    classpath,
    'kafka.Kafka',
    propsFile(opts),
  ];
  const out = openSync(outFile(opts), 'w');
  writeSync(out, `# ${new Date().toISOString()} ${javaCommand()} ${args.join(' ')}\n`);
  // Detached: its own process group (stopKafka signals the group) that outlives this Node process.
  const child = spawn(javaCommand(), args, { detached: true, stdio: ['ignore', out, out], cwd: resolve(opts.dataDir) });
  closeSync(out);
  const spawnError = new Promise<Error>((done) => child.once('error', done));
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`Could not start ${javaCommand()}: ${(await spawnError).message}. Install Java 17 (or set JAVA_HOME).`);
  }
  const pid = child.pid;
  writeFileSync(pidFile(opts), `${pid}\n`);
  opts.log?.(`starting Kafka on ${brokers[0]} (pid ${pid}, data in ${opts.dataDir})…`);
  const started = Date.now();
  await waitUntilAnswering(opts, pid, brokers, true);
  opts.log?.(`Kafka is up on ${brokers[0]} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { brokers, startedByUs: true, pid };
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Polls until the node answers; explains its death if it dies first, and stops it (when ours) on timeout. */
async function waitUntilAnswering(opts: BrokerOptions, pid: number, brokers: string[], ours: boolean): Promise<void> {
  const started = Date.now();
  let nextNote = started + 15_000;
  while (Date.now() - started < START_TIMEOUT_MS) {
    if (!isAlive(pid)) {
      if (readPid(opts) === pid) rmSync(pidFile(opts), { force: true });
      // A moment for the last lines to reach kafka.out.
      await delay(200);
      throw new Error(explainFailure(opts, tail(outFile(opts), 300)));
    }
    if (await isKafkaAnswering(brokers, 2000)) return;
    if (Date.now() >= nextNote) {
      opts.log?.(`  Kafka is still starting… ${Math.round((Date.now() - started) / 1000)} s`);
      nextNote += 15_000;
    }
    await delay(250);
  }
  const lastWords = tail(outFile(opts), 20);
  if (ours) await stopKafka(opts);
  throw new Error(
    `Kafka did not answer on ${brokers[0]} within ${START_TIMEOUT_MS / 1000} s${ours ? ' and was stopped' : ''}. The machine may be overloaded; last lines of ${outFile(opts)}:\n${lastWords}`,
  );
}

/**
 * Stops the node of this data folder: SIGTERM to its process group (a clean shutdown, so the next start
 * needs no log recovery), SIGKILL after 30 s. Resolves false when no node was running; never throws for that.
 */
export async function stopKafka(opts: BrokerOptions): Promise<boolean> {
  // Only a node started from this folder: one that merely holds its lock (started by other means) is not ours to stop.
  const found = findBroker(opts);
  const pid = found?.fromThisFolder ? found.pid : null;
  if (pid === null) {
    rmSync(pidFile(opts), { force: true }); // stale, if any
    return false;
  }
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the group: the JVM and anything it forked
    } catch {
      try {
        process.kill(pid, sig); // not a group leader (started some other way)
      } catch {
        /* already gone */
      }
    }
  };
  opts.log?.(`stopping Kafka (pid ${pid})…`);
  const started = Date.now();
  signal('SIGTERM');
  while (isAlive(pid) && Date.now() - started < STOP_TIMEOUT_MS) await delay(100);
  if (isAlive(pid)) {
    opts.log?.(`  Kafka did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
    signal('SIGKILL');
    const killed = Date.now();
    while (isAlive(pid) && Date.now() - killed < 10_000) await delay(100);
  }
  if (readPid(opts) === pid || !isAlive(pid)) rmSync(pidFile(opts), { force: true });
  opts.log?.(`Kafka stopped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return true;
}

/** Whether a broker answers on the port, and which process (if any) runs from this data folder. */
export async function kafkaStatus(opts: BrokerOptions): Promise<KafkaStatus> {
  return {
    running: await isKafkaAnswering([`127.0.0.1:${opts.port}`]),
    pid: findBroker(opts)?.pid ?? null,
    port: opts.port,
    controllerPort: opts.controllerPort,
    dataDir: opts.dataDir,
  };
}

/** The folder layout, for messages and scripts. */
export function brokerFiles(opts: BrokerOptions): {
  libs: string;
  pidFile: string;
  outFile: string;
  serverProperties: string;
  logDirs: string;
  metadataDir: string;
  serverLog: string;
} {
  return {
    libs: libsDir(opts),
    pidFile: pidFile(opts),
    outFile: outFile(opts),
    serverProperties: propsFile(opts),
    logDirs: logDirs(opts),
    metadataDir: metadataDir(opts),
    serverLog: join(opts.dataDir, 'server.log'),
  };
}
