/**
 * Starting and stopping a server process: open the store, make sure an admin
 * key exists, publish the rulesets directory onto `production`, listen for
 * other replicas' changes, serve HTTP, and on SIGTERM/SIGINT stop accepting
 * requests and drain the decision log before exiting.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { STATUS_CODES, type Server as HttpServer } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import pino, { type Logger } from 'pino';
import { openStore, type Store, type Unsubscribe } from '@verdict/store';
import { createApp } from './app.ts';
import { inlineCompileMaxBytesOf, isolationOf, logSettings, versionCacheOf, type ServerConfig } from './config.ts';
import { DatabaseHealth, type DatabaseHealthOptions } from './db-health.ts';
import { describeDbError, isUnavailableError } from './db-errors.ts';
import { DecisionLog, type DecisionLogOptions } from './decision-log.ts';
import { errorBody } from './errors.ts';
import { changeEvent, changeKey, EventHub, streamLimitsOf } from './events.ts';
import { Metrics } from './metrics.ts';
import { RulesetRegistry } from './registry.ts';
import type { Services } from './services.ts';
import { withLogWriteSpans } from './tracing.ts';
import { WorkPool } from './work/pool.ts';
import { compileSettings } from './work/settings.ts';

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  /** The admin key generated on a first start (printed once), else null. */
  generatedAdminKey: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that close the server (default true). */
  handleSignals?: boolean;
  store?: Store;
  /** Decision log batching (see `ServicesOptions.log`). */
  log?: ServicesOptions['log'];
}

export interface ServicesOptions {
  logger: Logger;
  store: Store;
  /** Decision log batching (defaults: every 200 ms or 1000 rows) and retry backoff. */
  log?: Pick<DecisionLogOptions, 'intervalMs' | 'batchSize' | 'initialBackoffMs' | 'maxBackoffMs'>;
  /** Database probe timing (see DatabaseHealth). */
  health?: Pick<DatabaseHealthOptions, 'timeoutMs' | 'intervalMs'>;
}

/**
 * Everything a server process shares, wired as `startServer` wires it: the
 * registry and the event stream follow every change committed to the store,
 * this process's own and (PostgreSQL) other replicas'. Call `unlisten` before
 * closing the store. Tests build apps from this without listening on a port.
 */
export async function createServices(config: ServerConfig, options: ServicesOptions): Promise<{ services: Services; unlisten: Unsubscribe }> {
  const { store, logger } = options;
  const metrics = new Metrics();
  const isolation = isolationOf(config);
  const work = new WorkPool({ size: isolation.workThreads, timeoutMs: isolation.workTimeoutMs });
  const registry = new RulesetRegistry(store, compileSettings(config), versionCacheOf(config), { pool: work, inlineMaxBytes: inlineCompileMaxBytesOf(config) });
  const health = new DatabaseHealth(store, metrics, {
    ...options.health,
    onChange: (up, reason) => {
      if (up) logger.info('the database answers again');
      else logger.error({ error: describeDbError(reason) }, 'the database does not answer');
    },
  });
  const settings = logSettings(config);
  const log = new DecisionLog(withLogWriteSpans(store), metrics, {
    intervalMs: settings.logFlushMs,
    ...options.log,
    durability: settings.logDurability,
    journal: { dir: settings.journalDir, maxBytes: settings.journalMaxBytes, syncIntervalMs: settings.journalSyncMs },
    maxQueueRows: settings.logQueueMaxRows,
    overflow: settings.logOverflow,
    // one line per failure with counts and the cause, never the rows (a batch can be megabytes)
    onError: (error, state) => {
      if (isUnavailableError(error)) health.observe(false, error);
      logger.error({ error: describeDbError(error), failures: state.failures, pending: state.pending, retry_in_ms: state.retryInMs }, 'decision log write failed; will retry');
    },
    onRecovered: (failures) => {
      health.observe(true);
      logger.info({ failures }, 'decision log writes succeed again');
    },
    // the whole row goes to the structured log, so an operator still has the decision
    onReject: (row, error) => logger.error({ error: describeDbError(error), decision: row }, 'decision log: the database refused this decision; it is set aside here'),
    onDropped: (count, total) => logger.error({ dropped: count, dropped_total: total }, 'decision log full (database, memory queue and journal): decisions answered but not logged'),
    onJournalError: (error) => logger.error({ error: describeDbError(error), journal: settings.journalDir }, 'decision log journal cannot be written; rows are kept in memory only'),
  });
  const replay = log.open();
  if (replay.rows > 0) logger.warn({ rows: replay.rows, files: replay.files, journal: settings.journalDir }, 'decision log journal: replaying rows an earlier process did not write to the database');
  health.start();
  const events = new EventHub(streamLimitsOf(config));
  const services: Services = { store, registry, log, health, events, metrics, config, logger, lifecycle: { draining: false }, work };
  const unlisten = await store.listen(
    (event) => {
      registry.changed(event);
      // Our own changes were already announced by the route (same key), so each change streams once.
      events.publish(changeEvent(event), changeKey(event));
    },
    () => {
      // changes made while the LISTEN connection was down were never notified: read every channel again
      registry.forgetChannels();
      logger.warn('change notifications resumed after a lost connection; channel state is read again');
    },
  );
  return { services, unlisten };
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'verdict' } });
  const store =
    options.store ??
    (await openStore(
      config.databaseUrl
        ? { url: config.databaseUrl }
        : {
            dataDir: config.dataDir,
            ...(config.pgliteSharedBuffers === undefined ? {} : { pgliteSharedBuffers: config.pgliteSharedBuffers }),
            ...(config.pgliteThread !== false ? { thread: true } : {}),
            ...(config.pgliteThreadNice === undefined ? {} : { pgliteThreadNice: config.pgliteThreadNice }),
          },
    ));
  const { services, unlisten } = await createServices(config, { store, logger, ...(options.log === undefined ? {} : { log: options.log }) });
  // the store is open and the journal taken up: stop here or exit later, nothing answered is lost
  let phase: 'serving' | 'draining' | 'exiting' = 'serving';
  const { log } = services;
  const { shutdownTimeoutMs, journalDir } = logSettings(config);

  const generatedAdminKey = await ensureAdminKey(store, config.adminKey, logger);
  if (config.rulesetsDir !== undefined) await publishDirectory(services, config.rulesetsDir);

  const { app } = createApp(services, (hono) => {
    if (config.editorDir !== undefined && existsSync(config.editorDir)) {
      const root = resolve(config.editorDir);
      hono.use('/*', serveStatic({ root }));
      hono.get('/*', serveStatic({ root, path: 'index.html' }));
    }
  });

  const server = await new Promise<HttpServer>((ready, fail) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => ready(s as HttpServer));
    s.once('error', fail);
  });
  server.on('clientError', answerClientError);
  // Idle keep-alive connections are closed after 65 s (Node's default is 5 s): longer than a load
  // balancer's usual 60 s, so the balancer closes first, and a client reusing a connection after a
  // pause (or on a busy server, whose timers run late) does not race the server closing it (a reset).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = Math.max(server.headersTimeout, 66_000);
  // While draining, answers tell clients not to reuse the connection.
  server.on('request', (_request, response) => {
    if (services.lifecycle.draining) response.setHeader('Connection', 'close');
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, database: store.driver }, 'verdict server listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      phase = 'draining';
      logger.info('shutting down: draining requests and the decision log');
      // From here /readyz answers 503, so a load balancer stops routing here while open connections are answered.
      services.lifecycle.draining = true;
      services.events.close(); // ends open event streams
      // Still listening: requests routed here before the balancer noticed are answered, not refused.
      if (config.shutdownDelayMs > 0) await new Promise((done) => setTimeout(done, config.shutdownDelayMs));
      await stopHttp(server, config.requestTimeoutMs);
      await services.work.close();
      await log.close(Math.max(1000, shutdownTimeoutMs - config.shutdownDelayMs - config.requestTimeoutMs));
      // the database stayed unreachable through every retry: the rows go to the journal for the next start
      if (log.depth > 0) keepUnwritten('the database did not take them before shutdown');
      services.health.stop();
      await unlisten();
      if (options.store === undefined) await store.close();
      logger.info('stopped');
    })());
  /** Journals what the database has not taken (an exit without a full drain), and says so. */
  const keepUnwritten = (why: string) => {
    const pending = log.depth;
    const { journalled, lost } = log.abandon();
    if (lost > 0) logger.error({ unwritten: pending, journalled, lost, decisions: log.pending().slice(0, 100) }, `decision log: ${why}; ${lost} could not be journalled (the first 100 are here)`);
    else logger.warn({ unwritten: pending, journalled, journal: journalDir }, `decision log: ${why}; they are in the journal and are written on the next start`);
  };
  if (options.handleSignals !== false) {
    // The first signal drains; a second is noted and ignored (a process group's SIGTERM often
    // arrives twice); a third, or the shutdown timeout, exits at once with what is left journalled.
    let signals = 0;
    const exitNow = (why: string) => {
      if (phase === 'exiting') return;
      phase = 'exiting';
      keepUnwritten(why);
      logger.warn('stopped without a full drain');
      process.exit(1);
    };
    const onSignal = (signal: string) => {
      signals += 1;
      logger.info({ signal, count: signals }, signals === 1 ? 'signal received' : signals === 2 ? 'signal received again: still draining (a third one stops at once)' : 'third signal: stopping now');
      if (signals === 1) {
        const timer = setTimeout(() => exitNow(`the drain took over ${shutdownTimeoutMs} ms`), shutdownTimeoutMs);
        timer.unref();
        void close().then(() => {
          clearTimeout(timer);
          if (phase !== 'exiting') process.exit(0);
        });
      } else if (signals >= 3) exitNow('stopped by a third signal');
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { url, port, services, generatedAdminKey, close };
}

/** How long open connections may still deliver requests they sent before the listener closed. */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * Stops accepting connections, then answers what open connections still send
 * for a grace period before closing the idle ones. (`http.Server.close()`
 * alone drops idle keep-alive connections at once, including those whose
 * request is already sent but not yet read: their clients see a reset.)
 * Requests in progress are waited for, up to `hardMs`.
 */
async function stopHttp(server: HttpServer, hardMs: number): Promise<void> {
  const closed = new Promise<void>((done) => NetServer.prototype.close.call(server, () => done()));
  const wait = (ms: number) =>
    Promise.race([
      closed,
      new Promise<void>((done) => {
        const timer = setTimeout(done, ms);
        void closed.then(() => clearTimeout(timer));
      }),
    ]);
  await wait(SHUTDOWN_GRACE_MS);
  // http's close also stops its connection-checking timer; the listener is already closed.
  server.close(() => {});
  await wait(hardMs);
  server.closeAllConnections();
  await closed;
}

/**
 * Answers a request Node's HTTP parser refused before the app saw it (a header block over the size
 * limit, a malformed Content-Length, not HTTP at all) with the API's JSON error rather than Node's
 * empty body, then closes the connection: after a parse error the stream cannot be read on.
 */
function answerClientError(error: Error & { code?: string; reason?: string; rawPacket?: Buffer }, socket: Socket): void {
  // Node's own check: nothing may be written into a response already under way on this socket.
  const responding = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (error.code === 'ECONNRESET' || !socket.writable || responding) socket.destroy();
  else socket.end(clientErrorResponse(error), () => socket.destroy()); // destroyed once the answer is flushed
}

/**
 * The method of the refused request, from the data being parsed when the parser gave up (null when
 * that data does not start with a request line: the line came in an earlier read).
 */
function refusedMethod(rawPacket: Buffer | undefined): string | null {
  if (rawPacket === undefined) return null;
  return /^([A-Z]+) /.exec(rawPacket.toString('latin1', 0, 12))?.[1] ?? null;
}

/**
 * The answer to a request the parser refused. An answer to HEAD has no body (a client reads none,
 * and would take the bytes for the next response); when the method cannot be known (headers too
 * large or too slow, arriving over several reads), there is none either, to be safe.
 */
function clientErrorResponse(error: { code?: string; reason?: string; rawPacket?: Buffer }): string {
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'header_too_large', 'the request line and headers exceed the size limit (16 KB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request was not received in time']
        : [400, 'bad_request', `the request is not valid HTTP/1.1${error.reason ? `: ${error.reason}` : ''}`];
  const method = refusedMethod(error.rawPacket);
  const bodiless = method === 'HEAD' || (method === null && status !== 400);
  const body = bodiless ? '' : JSON.stringify(errorBody(code, message));
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...(bodiless ? [] : ['Content-Type: application/json']),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * With VERDICT_ADMIN_KEY: create it on the first start; once revoked (through the API) it stays
 * revoked. Without: on a first start (no admin key yet), generate one.
 */
async function ensureAdminKey(store: Store, adminKey: string | undefined, logger: Logger): Promise<string | null> {
  if (adminKey !== undefined) {
    const status = await store.apiKeyStatus(adminKey);
    if (status === 'unknown') await store.createApiKey({ name: 'bootstrap-admin', scopes: ['admin'], key: adminKey, actor: 'system' });
    if (status === 'revoked') logger.warn('VERDICT_ADMIN_KEY names a key that was revoked; it stays revoked: set VERDICT_ADMIN_KEY to a new key, or use another admin key');
    return null;
  }
  if (await store.hasAnyAdminKey()) return null;
  const created = await store.createApiKey({ name: 'bootstrap-admin', scopes: ['admin'], actor: 'system' });
  return created.key;
}

/**
 * Publishes every `.policy` file under `dir` (a no-op for unchanged ones). A new version goes on
 * `production`, as does a ruleset without one yet; an unchanged file leaves `production` where
 * operators put it (a promotion or rollback since the last start stays).
 */
export async function publishDirectory(services: Services, dir: string): Promise<void> {
  for (const file of policyFiles(dir)) {
    const source = readFileSync(file, 'utf8');
    const compiled = RulesetRegistry.compileSource(source, compileSettings(services.config));
    if (!compiled.ok) {
      services.logger.error({ file, diagnostics: compiled.diagnostics.filter((d) => d.severity === 'error').slice(0, 5) }, 'ruleset does not compile; skipped');
      continue;
    }
    const name = compiled.compiled.name;
    const published = await services.store.publishVersion({ ruleset: name, source, hash: compiled.hash, author: 'system:startup', message: `loaded from ${file}` });
    const channel = await services.store.getChannel(name, 'production');
    const moves = channel === null || published.created;
    if (moves) {
      await services.store.moveChannel(name, 'production', published.version, 'system:startup', `loaded from ${file}`);
      services.registry.changed({ kind: 'channel', ruleset: name, channel: 'production' });
    }
    services.logger.info({ ruleset: name, version: published.version, created: published.created, production: moves ? published.version : channel?.version }, 'ruleset loaded');
  }
}

function policyFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (extname(path) === '.policy') out.push(path);
    }
  };
  walk(dir);
  return out;
}
