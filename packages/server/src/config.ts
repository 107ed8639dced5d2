/** Server configuration from the environment, with the documented defaults. */
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
  /** The largest answer a caller may ask for with `max_response_bytes` (see proportion.ts; default 32 MiB). */
  responseLimitBytes?: number;
  /** Without `max_response_bytes`, an answer may be this many times the request's size (at least 1 MiB; default 64). */
  responseRatio?: number;
  /** Open event streams per API key (default 10), and on the whole server (default 1,000). */
  eventStreamsPerKey?: number;
  eventStreams?: number;
  /** Bytes of events one stream may have waiting (not yet read); past it the stream is ended with a `dropped` event (default 1 MiB). */
  eventBuffer?: number;
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
    responseLimitBytes: int(env, 'VERDICT_RESPONSE_LIMIT', 32 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    responseRatio: int(env, 'VERDICT_RESPONSE_RATIO', 64, 1, 1_000_000),
    eventStreamsPerKey: int(env, 'VERDICT_EVENT_STREAMS_PER_KEY', 10, 1, 1_000_000),
    eventStreams: int(env, 'VERDICT_EVENT_STREAMS', 1000, 1, 1_000_000),
    eventBuffer: int(env, 'VERDICT_EVENT_BUFFER', 1024 * 1024, 1024, 1024 * 1024 * 1024),
  };
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
