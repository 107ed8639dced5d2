/**
 * The worker half of `generate.ts`: generates the fuzzer's requests chunk by chunk (each chunk
 * `fc.sample` with `seed + offset`), one chunk ahead of what the caller has taken, and posts each
 * chunk in slices followed by `done` (a chunk with no slices: the end).
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { operationsOf, requestArbitrary, type FuzzContext } from './requests.ts';

interface Job {
  openapi: Record<string, unknown>;
  ctx: FuzzContext;
  total: number;
  seed: number;
  chunk: number;
}

const job = workerData as Job;
const arbitrary = requestArbitrary(operationsOf(job.openapi), job.ctx);
let offset = 0;

/** Requests per message: a whole chunk of megabyte bodies would take the receiving thread a while to copy in. */
const SLICE = 50;

/** Posts the next chunk in slices, then `done` (or only `done` at the end). */
function next(): void {
  const size = Math.min(job.chunk, job.total - offset);
  const requests = size > 0 ? fc.sample(arbitrary, { numRuns: size, seed: job.seed + offset }) : [];
  offset += size;
  for (let i = 0; i < requests.length; i += SLICE) parentPort!.postMessage(requests.slice(i, i + SLICE));
  parentPort!.postMessage('done');
}

// the first chunk at once, each later one when the caller takes the one before
next();
parentPort!.on('message', next);
