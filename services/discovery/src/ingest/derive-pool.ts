/**
 * The deriving half of a bulk import: units of work validated and derived in this thread or in a pool of
 * worker threads (import-worker.ts), and given back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledScript } from '../process/compiled-script';
import type { DeriveResult } from './import-rows';
import { DeriveTask, runTask } from './import-task';
import type { Unit } from './import-reading';

/** Runs derive tasks. */
export interface Deriver {
  run(task: DeriveTask): Promise<DeriveResult[]>;
  close(): Promise<void>;
}

export function inThread(): Deriver {
  return {
    async run(task) {
      // Let pending I/O (the COPY of the previous batch) move between tasks.
      await new Promise((resolve) => setImmediate(resolve));
      return runTask(task);
    },
    async close() {},
  };
}

export function workerPool(size: number): Deriver {
  const script = compiledScript(__dirname, 'import-worker.js');
  const workers = Array.from({ length: size }, () => ({ worker: new Worker(script), busy: 0 }));
  const pending = new Map<number, { resolve: (r: DeriveResult[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failed: Error | null = null;
  let closing = false;
  const fail = (err: Error) => {
    failed ??= err;
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  for (const w of workers) {
    w.worker.on('message', (m: { id: number; results?: DeriveResult[]; error?: string }) => {
      w.busy--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`import worker failed: ${m.error}`));
      else p?.resolve(m.results!);
    });
    w.worker.on('error', (err) => fail(err));
    w.worker.on('exit', (code) => {
      if (!closing) fail(new Error(`an import worker exited (code ${code})`));
    });
  }
  return {
    run(task) {
      if (failed) return Promise.reject(failed);
      const w = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      w.busy++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.worker.postMessage({ id, task });
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** Worker threads to use for `requested`: capped by the cores. */
export function workerCount(requested: number | 'auto'): number {
  const cores = availableParallelism();
  if (requested === 'auto') return Math.max(0, Math.min(8, cores - 1));
  return Math.max(0, Math.min(requested, cores * 2));
}

export interface Derived {
  unit: Unit;
  results: DeriveResult[];
}

export async function* inOrder(units: AsyncIterable<Unit>, deriver: Deriver, inFlight: number): AsyncGenerator<Derived> {
  const queue: Promise<Derived>[] = [];
  try {
    for await (const unit of units) {
      const p = 'task' in unit ? deriver.run(unit.task).then((results) => ({ unit, results })) : Promise.resolve({ unit, results: [] });
      p.catch(() => undefined); // awaited below, in order
      queue.push(p);
      if (queue.length >= inFlight) yield await queue.shift()!;
    }
    while (queue.length > 0) yield await queue.shift()!;
  } finally {
    await Promise.allSettled(queue);
  }
}
