/** Server configuration from the environment, with the documented defaults. */
import { join } from 'node:path';
import type { LogDurability, LogOverflow } from './decision-log.ts';
import { VERSION_CACHE_DEFAULTS, type VersionCacheLimits } from './version-cache.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Bootstrap admin key; when absent on a first start one is generated and printed once. */
  adminKey?: string;
  /** A directory of `.policy` files published at start and placed on channel `production`. */
  rulesetsDir?: string;
  /** The built editor, served at `/` when present. */
  editorDir?: string;
  bodyLimitBytes: number;
  /** Requests per second per API key (a token bucket with a burst of twice that). */
  rateLimitPerSecond: number;
  requestTimeoutMs: number;
  /**
   * On SIGTERM, how long to keep accepting and answering requests while /readyz already says 503,
   * so a load balancer takes the replica out of rotation before its listener closes (0: close at once).
   */
  shutdownDelayMs: number;
  /** Fraction of decisions written to the decision log (0..1). */
  logSampleRate: number;
  /** What the decision log keeps of each input: the input with `sensitive` fields redacted, only its hash, or nothing. */
  logInputs: 'redacted' | 'hash' | 'none';
  logLevel: string;
  /**
   * What an answered decision is promised (docs/operations.md): `journal` (kept in a local journal
   * before the answer, survives a crash of the process), `committed` (answered once its row is
   * committed to the database), `none` (queued in memory; a crash loses what is queued).
   */
  logDurability?: LogDurability;
  /** The journal's directory (default `<dataDir>/journal`): replicas may share one (each writes its own files). */
  journalDir?: string;
  /** How often the journal is fsync'd (group sync): what an OS crash or power loss may take of it. */
  journalSyncMs?: number;
  /** The journal's size bound; past it (with the memory queue full too) `logOverflow` applies. */
  journalMaxBytes?: number;
  /** How long a decision may wait before its batch is written to the database (journal and none modes). */
  logFlushMs?: number;
  /** Decisions kept in memory while the database has not taken them. */
  logQueueMaxRows?: number;
  /** When neither the database, the memory queue nor the journal can take more: refuse evaluations (503) or answer and count. */
  logOverflow?: LogOverflow;
  /** PGlite's page cache (`shared_buffers`, default `16MB`), held for the life of the process. */
  pgliteSharedBuffers?: string;
  /**
   * PGlite on a worker thread (the store's `pglite-thread` driver; the default, `false` runs it on the
   * server's own thread), so its writes do not pause request handling.
   */
  pgliteThread?: boolean;
  /** That thread's nice value on Linux (default 10): how readily PGlite yields the core to request handling. */
  pgliteThreadNice?: number;
  /** After the first SIGTERM/SIGINT, how long the drain may take before what is left is journalled and the process exits. */
  shutdownTimeoutMs?: number;
  /** Worker threads for checking, compiling, diffing and impact replay (0: on the main thread). */
  workThreads?: number;
  /** Hard time limit of one such task; past it the worker is stopped and the request answers 422 `work_timeout`. */
  workTimeoutMs?: number;
  /** Steps one evaluation may spend (the engine's `maxSteps`; see grammar/README.md, "Limits and the cost model"). */
  maxSteps?: number;
  /** Steps all the evaluations of one batch request may spend together. */
  batchMaxSteps?: number;
  /** Publish limits: expression nodes of one const, rows of one table, expression nodes of a ruleset. */
  maxConstSize?: number;
  maxTableRows?: number;
  maxProgramSize?: number;
  /** The largest answer a caller may ask for with `max_response_bytes` (see proportion.ts; default 32 MiB). */
  responseLimitBytes?: number;
  /** Without `max_response_bytes`, an answer may be this many times the request's size (at least 1 MiB; default 64). */
  responseRatio?: number;
  /** Open event streams per API key (default 10), and on the whole server (default 1,000). */
  eventStreamsPerKey?: number;
  eventStreams?: number;
  /** Compiled versions kept in memory (least recently used dropped first; versions on a channel never), and their estimated memory. */
  versionCacheMax?: number;
  versionCacheBytes?: number;
  /**
   * Stored versions whose source is larger than this many bytes are "heavy": compiled and evaluated in
   * the work pool, never on the request thread (docs/operations.md, "Compiled versions in memory").
   */
  inlineCompileMaxBytes?: number;
  /** Bytes of events one stream may have waiting (not yet read); past it the stream is ended with a `dropped` event (default 1 MiB). */
  eventBuffer?: number;
}

/** The defaults of the settings above, for a config that leaves them out. */
export const ISOLATION_DEFAULTS = {
  workThreads: 2,
  workTimeoutMs: 5_000,
  maxSteps: 1_000_000,
  batchMaxSteps: 10_000_000,
  maxConstSize: 100_000,
  maxTableRows: 10_000,
  maxProgramSize: 1_000_000,
} as const;

export type IsolationSettings = { -readonly [K in keyof typeof ISOLATION_DEFAULTS]: number };

/** The work pool, evaluation and publish limits of `config`, defaults filled in. */
export function isolationOf(config: ServerConfig): IsolationSettings {
  const out: IsolationSettings = { ...ISOLATION_DEFAULTS };
  for (const key of Object.keys(out) as Array<keyof IsolationSettings>) {
    const value = config[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `VERDICT_INLINE_COMPILE_MAX_KB`'s default, in KB (measured: docs/operations.md, "Compiled versions in memory"). */
export const INLINE_COMPILE_MAX_KB = 20;

/** The largest stored source, in bytes, compiled on the request thread (larger ones are heavy). */
export function inlineCompileMaxBytesOf(config: ServerConfig): number {
  return config.inlineCompileMaxBytes ?? INLINE_COMPILE_MAX_KB * 1024;
}

/** The compiled-version cache's limits of `config`, defaults filled in. */
export function versionCacheOf(config: ServerConfig): VersionCacheLimits {
  return { maxVersions: config.versionCacheMax ?? VERSION_CACHE_DEFAULTS.maxVersions, maxBytes: config.versionCacheBytes ?? VERSION_CACHE_DEFAULTS.maxBytes };
}

export class ConfigError extends Error {}

export function configFromEnv(env: Record<string, string | undefined> = process.env): ServerConfig {
  const config: ServerConfig = {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env['HOST'] ?? '127.0.0.1',
    dataDir: env['VERDICT_DATA_DIR'] ?? './.verdict',
    bodyLimitBytes: int(env, 'VERDICT_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    rateLimitPerSecond: int(env, 'VERDICT_RATE_LIMIT', 20000, 1, 10_000_000),
    requestTimeoutMs: int(env, 'VERDICT_REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
    shutdownDelayMs: int(env, 'VERDICT_SHUTDOWN_DELAY_MS', 0, 0, 600_000),
    logSampleRate: fraction(env, 'VERDICT_LOG_SAMPLE_RATE', 1),
    logInputs: oneOf(env, 'VERDICT_LOG_INPUTS', ['redacted', 'hash', 'none'] as const, 'redacted'),
    logLevel: env['LOG_LEVEL'] ?? 'info',
    logDurability: oneOf(env, 'VERDICT_LOG_DURABILITY', ['journal', 'committed', 'none'] as const, 'journal'),
    journalMaxBytes: int(env, 'VERDICT_JOURNAL_MAX_BYTES', 1024 * 1024 * 1024, 1024 * 1024, Number.MAX_SAFE_INTEGER),
    logFlushMs: int(env, 'VERDICT_LOG_FLUSH_MS', 200, 1, 60_000),
    journalSyncMs: int(env, 'VERDICT_JOURNAL_SYNC_MS', 50, 1, 60_000),
    logQueueMaxRows: int(env, 'VERDICT_LOG_QUEUE_MAX', 50_000, 100, 10_000_000),
    logOverflow: oneOf(env, 'VERDICT_LOG_OVERFLOW', ['refuse', 'drop'] as const, 'refuse'),
    shutdownTimeoutMs: int(env, 'VERDICT_SHUTDOWN_TIMEOUT_MS', 30_000, 100, 3_600_000),
    workThreads: int(env, 'VERDICT_WORK_THREADS', ISOLATION_DEFAULTS.workThreads, 0, 64),
    workTimeoutMs: int(env, 'VERDICT_WORK_TIMEOUT_MS', ISOLATION_DEFAULTS.workTimeoutMs, 10, 600_000),
    maxSteps: int(env, 'VERDICT_MAX_STEPS', ISOLATION_DEFAULTS.maxSteps, 1, 1_000_000_000),
    batchMaxSteps: int(env, 'VERDICT_BATCH_MAX_STEPS', ISOLATION_DEFAULTS.batchMaxSteps, 1, 1_000_000_000_000),
    maxConstSize: int(env, 'VERDICT_MAX_CONST_SIZE', ISOLATION_DEFAULTS.maxConstSize, 1, 100_000_000),
    maxTableRows: int(env, 'VERDICT_MAX_TABLE_ROWS', ISOLATION_DEFAULTS.maxTableRows, 1, 100_000_000),
    maxProgramSize: int(env, 'VERDICT_MAX_PROGRAM_SIZE', ISOLATION_DEFAULTS.maxProgramSize, 1, 1_000_000_000),
    responseLimitBytes: int(env, 'VERDICT_RESPONSE_LIMIT', 32 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    responseRatio: int(env, 'VERDICT_RESPONSE_RATIO', 64, 1, 1_000_000),
    eventStreamsPerKey: int(env, 'VERDICT_EVENT_STREAMS_PER_KEY', 10, 1, 1_000_000),
    eventStreams: int(env, 'VERDICT_EVENT_STREAMS', 1000, 1, 1_000_000),
    eventBuffer: int(env, 'VERDICT_EVENT_BUFFER', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    versionCacheMax: int(env, 'VERDICT_VERSION_CACHE', VERSION_CACHE_DEFAULTS.maxVersions, 1, 1_000_000),
    versionCacheBytes: int(env, 'VERDICT_VERSION_CACHE_MB', VERSION_CACHE_DEFAULTS.maxBytes / 1048576, 1, 1_048_576) * 1048576,
    inlineCompileMaxBytes: int(env, 'VERDICT_INLINE_COMPILE_MAX_KB', INLINE_COMPILE_MAX_KB, 0, 1_048_576) * 1024,
  };
  if (env['VERDICT_JOURNAL_DIR']) config.journalDir = env['VERDICT_JOURNAL_DIR'];
  const sharedBuffers = env['VERDICT_PGLITE_SHARED_BUFFERS'];
  if (sharedBuffers) {
    if (!/^\d+(kB|MB|GB)$/.test(sharedBuffers)) throw new ConfigError(`VERDICT_PGLITE_SHARED_BUFFERS must be a size such as 16MB or 512kB; got \`${sharedBuffers}\``);
    config.pgliteSharedBuffers = sharedBuffers;
  }
  const pgliteThread = oneOf(env, 'VERDICT_PGLITE_THREAD', ['0', '1', 'false', 'true'], '1');
  config.pgliteThread = pgliteThread === '1' || pgliteThread === 'true';
  if (env['VERDICT_PGLITE_NICE']) config.pgliteThreadNice = int(env, 'VERDICT_PGLITE_NICE', 10, 0, 19);
  if (env['DATABASE_URL']) config.databaseUrl = env['DATABASE_URL'];
  if (env['VERDICT_ADMIN_KEY']) config.adminKey = env['VERDICT_ADMIN_KEY'];
  if (env['VERDICT_RULESETS']) config.rulesetsDir = env['VERDICT_RULESETS'];
  if (env['VERDICT_EDITOR_DIR']) config.editorDir = env['VERDICT_EDITOR_DIR'];
  return config;
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got \`${raw}\``);
  return value;
}

function fraction(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new ConfigError(`${name} must be a number from 0 to 1; got \`${raw}\``);
  return value;
}

function oneOf<T extends string>(env: Record<string, string | undefined>, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}; got \`${raw}\``);
  return raw as T;
}

/** The decision log and shutdown settings with their defaults filled in (a config built in code may leave them out). */
export function logSettings(config: ServerConfig): Required<Pick<ServerConfig, 'logDurability' | 'journalDir' | 'journalMaxBytes' | 'journalSyncMs' | 'logFlushMs' | 'logQueueMaxRows' | 'logOverflow' | 'shutdownTimeoutMs'>> {
  return {
    logDurability: config.logDurability ?? 'journal',
    journalDir: config.journalDir ?? join(config.dataDir, 'journal'),
    journalMaxBytes: config.journalMaxBytes ?? 1024 * 1024 * 1024,
    logFlushMs: config.logFlushMs ?? 200,
    journalSyncMs: config.journalSyncMs ?? 50,
    logQueueMaxRows: config.logQueueMaxRows ?? 50_000,
    logOverflow: config.logOverflow ?? 'refuse',
    shutdownTimeoutMs: config.shutdownTimeoutMs ?? 30_000,
  };
}
