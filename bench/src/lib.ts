import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
export function launch(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
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
