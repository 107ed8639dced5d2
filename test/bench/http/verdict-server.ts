/**
 * Child process: the real Verdict server (decision log on, embedded
 * database) with only `marketplace.admission` published. Argument: a JSON
 * `{ dataDir, rulesetsDir, adminKey, logSampleRate?, log?, pgliteThread?, profile? }` (default 1: every decision logged). Prints `{"url": ...}` once listening;
 * SIGTERM drains the decision log and exits.
 */
import { configFromEnv, startServer } from '@verdict/server';
import { sampleOnSignal } from './sampling.ts';

const { dataDir, databaseUrl, pgliteThread, rulesetsDir, adminKey, logSampleRate, log, profile } = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir: string;
  /** PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  /** The embedded database on a worker thread (VERDICT_PGLITE_THREAD; default: the server's default, on). */
  pgliteThread?: boolean;
  rulesetsDir: string;
  adminKey: string;
  logSampleRate?: number;
  /** Decision log batching, for experiments (default: the server's). */
  log?: { intervalMs?: number; batchSize?: number };
  /** Sample the CPU between two SIGUSR2 signals and write the profile here (see profile.ts). */
  profile?: string;
};
if (profile !== undefined) sampleOnSignal(profile);
// only what the argument says (and, for experiments, the PGlite thread's nice value from the environment)
const nice = process.env['VERDICT_PGLITE_NICE'];
const env = { ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }), ...(pgliteThread === undefined ? {} : { VERDICT_PGLITE_THREAD: pgliteThread ? '1' : '0' }), ...(nice ? { VERDICT_PGLITE_NICE: nice } : {}) };
const config = { ...configFromEnv(env), port: 0, dataDir, rulesetsDir, adminKey, logLevel: 'silent', logSampleRate: logSampleRate ?? 1 };
const server = await startServer(config, log === undefined ? {} : { log });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
