/** A work pool thread: runs each task it is sent and posts the answer (or the failure) back. */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runTask, type WorkRequest } from './tasks.ts';

const WARM_UP = `ruleset warm.up
input { n: number, s: string, xs: list<number> }
decision deny > allow
let total = sum(xs.filter(x, x > 0))
rule r {
  severity high
  deny when n > total && s.matches("^a")
  because "n is {n}"
}
`;

lowerPriority();

const port = parentPort;
if (port === null) throw new Error('work/worker.ts runs as a worker thread');
port.on('message', (message: { id: number; request: WorkRequest }) => {
  try {
    port.postMessage({ id: message.id, ok: true, answer: runTask(message.request) });
  } catch (error) {
    port.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
// A first compile initialises what every later one shares (the validator, the code generator, the
// JIT's first pass): done before the worker says it is ready, so no caller's time limit pays for it.
try {
  runTask({ kind: 'compile', source: WARM_UP, settings: { limits: {}, sizes: {} } });
} catch {
  // a warm-up that fails leaves a colder worker, nothing worse
}
port.postMessage({ ready: true });

/**
 * On Linux, lowers this thread's scheduling priority (nice 10), so that on a busy machine the main
 * thread, which answers evaluations, gets the CPU first. Elsewhere, or when refused, nothing changes.
 */
function lowerPriority(): void {
  try {
    // `/proc/thread-self` names this thread (`<pid>/task/<tid>`); setpriority on a thread id affects that thread only
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not Linux, or not allowed: the same priority as the main thread
  }
}
