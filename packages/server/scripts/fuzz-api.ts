/**
 * The full API fuzz run (docs/fuzzing.md): starts a server on PGlite (in memory) or on PostgreSQL
 * (DATABASE_URL, a database of its own created and dropped), sends generated requests over HTTP and
 * reports answers by status, every 5xx, every dropped connection and the process's RSS.
 *
 *   npx tsx packages/server/scripts/fuzz-api.ts [--requests 100000] [--seed N] [--concurrency 8] [--driver pglite|postgres]
 *
 * Exits 1 when any request got a 5xx or no answer.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import postgres from 'postgres';
import { openStore, type Store } from '@verdict/store';
import { startServer } from '../src/serve.ts';
import { generatedRequests } from '../test/fuzz/generate.ts';
import type { FuzzRequest } from '../test/fuzz/requests.ts';
import { prepareFuzz, runFuzz } from '../test/fuzz/run.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 2_147_483_647) },
    concurrency: { type: 'string', default: '8' },
    driver: { type: 'string', default: process.env['DATABASE_URL'] ? 'postgres' : 'pglite' },
  },
});
const total = Number(values.requests);
const seed = Number(values.seed);

let store: Store;
let dropDatabase = async () => {};
if (values.driver === 'postgres') {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('--driver postgres needs DATABASE_URL');
  const database = `verdict_fuzz_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${database}"`);
  const own = new URL(url);
  own.pathname = `/${database}`;
  store = await openStore({ url: own.toString() });
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
    await admin.end();
  };
} else {
  store = await openStore({ memory: true });
}

const adminKey = `vd_fuzz_${randomBytes(12).toString('hex')}`;
const server = await startServer(
  { port: 0, host: '127.0.0.1', dataDir: '/nonexistent', bodyLimitBytes: 1024 * 1024, rateLimitPerSecond: 10_000_000, requestTimeoutMs: 10_000, shutdownDelayMs: 0, logSampleRate: 1, logInputs: 'redacted', logLevel: 'silent', adminKey },
  { store, handleSignals: false, logger: pino({ level: 'silent' }) },
);
let failed = false;
try {
  const ctx = await prepareFuzz(server, store, adminKey, `fuzz.r${randomBytes(3).toString('hex')}`);
  const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as Record<string, unknown>;
  // generated on a worker thread in chunks as they are sent: never all in memory, and never on the server's thread
  const requests = progress(generatedRequests(openapi, ctx, { total, seed }));
  console.error(`fuzzing ${server.url} on ${values.driver}: ${total} requests, seed ${seed}, concurrency ${values.concurrency}`);
  const report = await runFuzz(server, requests, { concurrency: Number(values.concurrency) });
  console.log(JSON.stringify({ driver: values.driver, seed, ...report }, null, 2));
  failed = report.serverErrorCount > 0 || report.droppedCount > 0;
} finally {
  await server.close();
  await store.close();
  await dropDatabase();
}
process.exit(failed ? 1 : 0);

/** `requests` with a line on stderr every 10,000 (the RSS shows whether memory levels off). */
async function* progress(requests: AsyncIterable<FuzzRequest>): AsyncGenerator<FuzzRequest> {
  let sent = 0;
  for await (const request of requests) {
    if (sent > 0 && sent % 10_000 === 0) console.error(`${sent} requests sent; RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
    sent++;
    yield request;
  }
}
