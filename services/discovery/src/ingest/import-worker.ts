/** Worker thread of the importer: derives tasks (import-task.ts) and posts the rows back. */
import { parentPort } from 'node:worker_threads';
import { DeriveTask, runTask } from './import-task';

parentPort!.on('message', (message: { id: number; task: DeriveTask }) => {
  try {
    parentPort!.postMessage({ id: message.id, results: runTask(message.task) });
  } catch (err) {
    parentPort!.postMessage({ id: message.id, error: (err as Error).stack ?? String(err) });
  }
});
