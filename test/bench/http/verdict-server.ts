/**
 * Child process: the real Verdict server (decision log on, embedded
 * database) with only `marketplace.admission` published. Argument: a JSON
 * `{ dataDir, rulesetsDir, adminKey, logSampleRate? }` (default 1: every decision logged). Prints `{"url": ...}` once listening;
 * SIGTERM drains the decision log and exits.
 */
import { configFromEnv, startServer } from '@verdict/server';

const { dataDir, rulesetsDir, adminKey, logSampleRate } = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; rulesetsDir: string; adminKey: string; logSampleRate?: number };
const config = { ...configFromEnv({}), port: 0, dataDir, rulesetsDir, adminKey, logLevel: 'silent', logSampleRate: logSampleRate ?? 1 };
const server = await startServer(config);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
