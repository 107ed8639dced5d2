// The server test harness: each suite runs against every available driver.
// PGlite (in memory) always; PostgreSQL when DATABASE_URL is set and reachable,
// on a fresh database per test file (verdict_srv_<random>, dropped afterwards).
// With VERDICT_REQUIRE_POSTGRES=1 a missing or unreachable PostgreSQL fails the
// postgres variant instead of skipping it (as the store's own tests do).
//
// One store per driver per test file (PGlite is slow to start): tests isolate
// themselves by using their own ruleset names (`uniqueName`).
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, postgresUnreachableReason, type ApiScope, type Store, type Unsubscribe } from '@verdict/store';
import type { Api } from '../src/api.ts';
import { createApp } from '../src/app.ts';
import type { ServerConfig } from '../src/config.ts';
import type { AppEnv } from '../src/env.ts';
import { createServices } from '../src/serve.ts';
import type { Services } from '../src/services.ts';

export const SLOW = 240_000;
export type DriverName = 'pglite' | 'postgres';
export type KeyName = 'admin' | 'evaluate' | 'read' | 'publish' | 'log';

const pgUrl = process.env['DATABASE_URL'];
const pgRequired = process.env['VERDICT_REQUIRE_POSTGRES'] === '1';

const pgReason = await postgresUnreachableReason(pgUrl);

/** A fresh PostgreSQL database for one test file; `drop` removes it even with connections left open. */
export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!pgUrl) throw new Error('DATABASE_URL is not set');
  const database = `verdict_srv_${randomBytes(6).toString('hex')}`;
  const admin = () => postgres(pgUrl, { max: 1, onnotice: () => {} });
  const sql = admin();
  try {
    await sql.unsafe(`create database "${database}"`);
  } finally {
    await sql.end();
  }
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = admin();
      try {
        await sql.unsafe(`drop database if exists "${database}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    bodyLimitBytes: 1024 * 1024,
    rateLimitPerSecond: 1_000_000,
    requestTimeoutMs: 60_000,
    shutdownDelayMs: 0,
    logSampleRate: 1,
    logInputs: 'redacted',
    logLevel: 'silent',
    // in-memory stores: no journal files (the journal has its own tests)
    logDurability: 'none',
    journalDir: join(tmpdir(), `verdict-test-journal-${randomBytes(6).toString('hex')}`),
    journalMaxBytes: 1024 * 1024 * 1024,
    logQueueMaxRows: 50_000,
    logOverflow: 'refuse',
    shutdownTimeoutMs: 30_000,
    // expensive work inline: a worker thread takes seconds to start from TypeScript (the isolation tests use them)
    workThreads: 0,
    ...overrides,
  };
}

export const silentLogger = () => pino({ level: 'silent' });

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into bodies freely
  body: any;
}

export interface RequestOptions {
  /** A key name from `keys`, a literal key, or null for no Authorization header (default: admin). */
  key?: KeyName | string | null;
  /** Sent as application/json. */
  json?: unknown;
  /** A raw body (no content type added unless given in headers). */
  body?: string;
  headers?: Record<string, string>;
}

/** One app instance (Services + Hono app) on a store, as a server process would have it. */
export class TestApp {
  constructor(
    readonly services: Services,
    readonly app: Hono<AppEnv>,
    readonly api: Api,
    readonly keys: Record<KeyName, string>,
    private readonly unlisten: Unsubscribe,
  ) {}

  get store(): Store {
    return this.services.store;
  }

  /** The raw Response (for streams); no invariants checked. */
  raw(method: string, path: string, options: RequestOptions = {}, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(options.headers);
    const key = options.key === undefined ? this.keys.admin : options.key === null ? null : ((this.keys as Record<string, string>)[options.key] ?? options.key);
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    } else if (options.body !== undefined) body = options.body;
    return Promise.resolve(this.app.request(path, { method, headers, ...(body === undefined ? {} : { body }), ...(signal ? { signal } : {}) }));
  }

  /**
   * A request through the app in process. Checks the API's invariants on every
   * response: never a 500, and every error has `{ error: { code, message, details } }`.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
    const response = await this.raw(method, path, options);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    expect(response.status, `${method} ${path} -> ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
    if (response.status >= 400) expectErrorShape(body, `${method} ${path}`);
    return { status: response.status, headers: response.headers, text, body };
  }

  /** Publishes with the admin key and expects success (201 or 200). */
  async publish(name: string, source: string, extra: Record<string, unknown> = {}): Promise<TestResponse> {
    const res = await this.request('POST', `/v1/rulesets/${name}/versions`, { json: { source, ...extra } });
    expect(res.status, res.text).toBeOneOf([200, 201]);
    return res;
  }

  async move(name: string, channel: string, version: number): Promise<TestResponse> {
    const res = await this.request('PUT', `/v1/rulesets/${name}/channels/${channel}`, { key: 'publish', json: { version } });
    expect(res.status, res.text).toBe(200);
    return res;
  }

  /** Publishes and puts the version on `channel` (default production); returns the version. */
  async deploy(name: string, source: string, channel = 'production'): Promise<number> {
    const published = await this.publish(name, source);
    await this.move(name, channel, published.body.version as number);
    return published.body.version as number;
  }

  async evaluate(name: string, body: Record<string, unknown>, key: KeyName | string = 'evaluate'): Promise<TestResponse> {
    return this.request('POST', `/v1/rulesets/${name}/evaluate`, { key, json: body });
  }

  /** Stops listening for changes and drains the decision log (the store stays open). */
  async close(): Promise<void> {
    await this.services.log.close();
    await this.unlisten();
  }
}

export function expectErrorShape(body: unknown, where: string): void {
  expect(body, `${where}: error body`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
  const code = (body as { error: { code: string } }).error.code;
  expect(code, `${where}: error code is snake_case`).toMatch(/^[a-z][a-z0-9_]*$/);
}

/** Builds an app on `store` the way `startServer` does, minus the HTTP listener; creates one key per scope. */
export async function buildApp(store: Store, config: Partial<ServerConfig> = {}, keys?: Record<KeyName, string>): Promise<TestApp> {
  const { services, unlisten } = await createServices(testConfig(config), { store, logger: silentLogger(), log: { intervalMs: 20 } });
  const made = keys ?? (await createKeys(store));
  const { app, api } = createApp(services);
  return new TestApp(services, app, api, made, unlisten);
}

export async function createKeys(store: Store): Promise<Record<KeyName, string>> {
  const scopes: KeyName[] = ['admin', 'evaluate', 'read', 'publish', 'log'];
  const entries = await Promise.all(scopes.map(async (scope) => [scope, (await store.createApiKey({ name: `test-${scope}`, scopes: [scope as ApiScope], actor: 'test' })).key] as const));
  return Object.fromEntries(entries) as Record<KeyName, string>;
}

export interface DriverContext {
  driver: DriverName;
  /** The app of this test file on this driver (set in beforeAll). */
  readonly t: TestApp;
  readonly store: Store;
  /** The PostgreSQL URL of this file's database (postgres only). */
  readonly databaseUrl: string | undefined;
}

export interface SuiteOptions {
  config?: Partial<ServerConfig>;
  /** Run only on PostgreSQL (e.g. replicas). */
  postgresOnly?: boolean;
}

/**
 * Declares `body` once per driver inside `describe("<title> [driver]")`, with a
 * store and app opened in beforeAll and closed (database dropped) in afterAll.
 */
export function forEachDriver(title: string, body: (ctx: DriverContext) => void, options: SuiteOptions = {}): void {
  const drivers: DriverName[] = options.postgresOnly ? ['postgres'] : ['pglite', 'postgres'];
  for (const driver of drivers) {
    if (driver === 'postgres' && (pgReason !== null || !pgUrl)) {
      if (pgRequired) {
        describe(`${title} [postgres]`, () => {
          it('needs a reachable PostgreSQL (VERDICT_REQUIRE_POSTGRES=1)', () => {
            throw new Error(pgReason ?? 'DATABASE_URL is not set');
          });
        });
      } else {
        describe.skip(`${title} [postgres] (${pgReason ?? 'no DATABASE_URL'})`, () => {
          it('skipped', () => {});
        });
      }
      continue;
    }
    describe(`${title} [${driver}]`, () => {
      let app: TestApp | undefined;
      let store: Store | undefined;
      let database: { url: string; drop: () => Promise<void> } | undefined;
      const ctx: DriverContext = {
        driver,
        get t() {
          if (app === undefined) throw new Error('the app is not open (beforeAll failed?)');
          return app;
        },
        get store() {
          if (store === undefined) throw new Error('the store is not open (beforeAll failed?)');
          return store;
        },
        get databaseUrl() {
          return database?.url;
        },
      };
      beforeAll(async () => {
        if (driver === 'postgres') {
          database = await createDatabase();
          store = await openStore({ url: database.url });
        } else {
          // VERDICT_TEST_PGLITE_THREAD=1: the PGlite variant on its worker-thread driver
          store = await openStore({ memory: true, thread: process.env['VERDICT_TEST_PGLITE_THREAD'] === '1' });
        }
        app = await buildApp(store, options.config);
      }, SLOW);
      afterAll(async () => {
        await app?.close();
        await store?.close();
        await database?.drop();
      }, SLOW);
      body(ctx);
    });
  }
}

let counter = 0;
/** A ruleset name no other test of this file uses. */
export function uniqueName(prefix: string): string {
  return `t.${prefix}_${(counter++).toString(36)}_${randomBytes(3).toString('hex')}`;
}
