/**
 * The fuzzer's requests, generated on a worker thread. Generating 1,000 hostile requests takes
 * one to several seconds of synchronous work (bodies nested 100,000 deep, a megabyte of JSON);
 * done on the thread that also runs the server under test, it held every request in flight for
 * that long, and a publish or a key revocation caught in it ran past its request deadline (504).
 *
 * The sequence is the same as `fc.sample(arbitrary, { numRuns: chunk, seed: seed + offset })`
 * chunk after chunk, so a seed repeats a run exactly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FuzzContext, FuzzRequest } from './requests.ts';

export interface GenerateOptions {
  total: number;
  seed: number;
  /** Requests per chunk (the worker keeps one chunk ready ahead of the caller). */
  chunk?: number;
}

/** `total` requests for `openapi`'s operations, generated off this thread one chunk ahead. */
export async function* generatedRequests(openapi: Record<string, unknown>, ctx: FuzzContext, options: GenerateOptions): AsyncGenerator<FuzzRequest> {
  const worker = startGenerator({ openapi, ctx, total: options.total, seed: options.seed, chunk: options.chunk ?? 1000 });
  // what the worker posted: slices of requests, and `done` after each chunk
  const messages: Array<FuzzRequest[] | 'done'> = [];
  let waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  worker.on('message', (message: FuzzRequest[] | 'done') => {
    messages.push(message);
    waiting?.resolve();
  });
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(error);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the request generator stopped (exit code ${code})`)));
  const take = async (): Promise<FuzzRequest[] | 'done'> => {
    while (messages.length === 0) {
      if (failure !== null) throw failure;
      await new Promise<void>((resolve, reject) => (waiting = { resolve, reject }));
      waiting = null;
    }
    return messages.shift()!;
  };
  try {
    for (;;) {
      let message = await take();
      if (message === 'done') return;
      // a chunk has begun: ask for the next one now, so it is ready by the time this one is sent
      worker.postMessage('next');
      for (; message !== 'done'; message = await take()) yield* message;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

/** The generator worker; these are TypeScript sources, so it registers tsx's loader first. */
function startGenerator(data: unknown): Worker {
  const target = new URL('./generate-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

/** The URL of tsx's ESM API, found through its package.json (as the server's work pool does). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}
