/** A work pool thread: runs each task it is sent and posts the answer (or the failure) back. */
import { parentPort } from 'node:worker_threads';
import { runTask, type WorkRequest } from './tasks.ts';

const port = parentPort;
if (port === null) throw new Error('work/worker.ts runs as a worker thread');
port.on('message', (message: { id: number; request: WorkRequest }) => {
  try {
    port.postMessage({ id: message.id, ok: true, answer: runTask(message.request) });
  } catch (error) {
    port.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });
