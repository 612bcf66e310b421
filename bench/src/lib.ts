import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ensureEventTopics } from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';
import { startKafka } from '@influenceflow/infra/dist/kafka/broker';
import { freePort, removeTestBroker, testBrokerOptions } from '@influenceflow/infra/dist/testing/test-kafka';
import { join } from 'node:path';

/** The repository root (bench/dist/… → ../..). */
export const ROOT = join(__dirname, '..', '..');

export function arg(name: string, fallback: string): string;
export function arg(name: string, fallback?: string): string | undefined;
export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
export const flag = (name: string) => process.argv.includes(`--${name}`);

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : '—');

export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Resident memory of a process in MB (Linux /proc), or NaN when unavailable. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts a node script with its output prefixed on stderr; killed when this process exits. */
export function launch(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export async function waitUntilAnswering(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A Kafka node of the benchmark's own, with this run's topics; `remove` stops it and deletes its data. */
export async function benchKafka(name: string): Promise<{ brokers: string[]; topicPrefix: string; remove: () => Promise<void> }> {
  const runId = `${name}${Date.now()}`;
  const broker = testBrokerOptions(runId, await freePort(), await freePort());
  await startKafka(broker);
  const brokers = [`127.0.0.1:${broker.port}`];
  const topicPrefix = `${runId}.`;
  await ensureEventTopics(brokers, topicPrefix, ALL_TOPICS);
  return { brokers, topicPrefix, remove: () => removeTestBroker(runId) };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux), or NaN when unavailable. */
export function cpuSeconds(pid: number): number {
  try {
    // the fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

export interface LoadRequest {
  /** A label the latencies are grouped by (the query of a mix). */
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  requests: number;
  /** Answers that were not 200 or that `accept` refused. */
  failed: number;
  seconds: number;
  latencies: number[];
  byKind: Map<string, number[]>;
  /** CPU seconds each watched process used during the run. */
  cpu: Record<string, number>;
  firstFailure?: string;
}

/**
 * `connections` keep-alive connections posting requests back to back for `seconds` (each sends the next
 * when the previous answer is in); `next(i)` makes the i-th request of a connection. Answers are read
 * whole and checked by `accept`; the CPU of the `watch` processes over the window is recorded.
 */
export async function postLoad(options: {
  port: number;
  seconds: number;
  connections: number;
  next: (connection: number, i: number) => LoadRequest;
  accept?: (status: number, body: string) => boolean;
  watch?: Record<string, number | undefined>;
}): Promise<LoadResult> {
  const { port, seconds, connections, next } = options;
  const accept = options.accept ?? ((status, body) => status === 200 && !body.includes('"errors"'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  let failed = 0;
  let firstFailure: string | undefined;
  const one = (r: LoadRequest) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port, path: r.path, method: 'POST', agent, headers: { 'content-type': 'application/json', ...r.headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const t = performance.now() - t0;
            latencies.push(t);
            let list = byKind.get(r.kind);
            if (!list) byKind.set(r.kind, (list = []));
            list.push(t);
            const body = Buffer.concat(chunks).toString('utf8');
            if (!accept(res.statusCode ?? 0, body)) {
              failed++;
              firstFailure ??= `${r.kind}: ${res.statusCode} ${body.slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        failed++;
        firstFailure ??= `${r.kind}: ${err.message}`;
        resolve();
      });
      req.end(r.body);
    });
  const watched = Object.entries(options.watch ?? {}).filter((e): e is [string, number] => e[1] !== undefined);
  const cpuBefore = watched.map(([, pid]) => cpuSeconds(pid));
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) await one(next(c, i));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = Object.fromEntries(watched.map(([name, pid], i) => [name, cpuSeconds(pid) - cpuBefore[i]]));
  agent.destroy();
  return { requests: latencies.length, failed, seconds: elapsed, latencies, byKind, cpu, firstFailure };
}
