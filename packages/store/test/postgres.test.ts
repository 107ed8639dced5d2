// The shared suite against real PostgreSQL when DATABASE_URL is set and reachable.
// Each run creates its own database (verdict_test_<random>) and drops it afterwards.
// With VERDICT_REQUIRE_POSTGRES=1 a missing or unreachable server fails the run instead of skipping.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER, openStore, postgresUnreachableReason } from '../src/index.ts';
import { storeSuite } from './suite.ts';

const url = process.env['DATABASE_URL'];
const required = process.env['VERDICT_REQUIRE_POSTGRES'] === '1';

const reason = await postgresUnreachableReason(url);
const MIGRATION_COUNT = (JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] })
  .entries.length;

if (reason !== null || !url) {
  if (required) {
    describe('store on postgres', () => {
      it('needs a reachable PostgreSQL (VERDICT_REQUIRE_POSTGRES=1)', () => {
        throw new Error(reason ?? 'DATABASE_URL is not set');
      });
    });
  } else {
    describe.skip(`store on postgres (${reason})`, () => {
      it('skipped', () => {});
    });
  }
} else {
  const database = `verdict_test_${randomBytes(6).toString('hex')}`;
  const testUrl = new URL(url);
  testUrl.pathname = `/${database}`;
  const admin = () => postgres(url, { max: 1, onnotice: () => {} });

  storeSuite({
    name: 'postgres',
    async open() {
      const sql = admin();
      try {
        await sql.unsafe(`create database "${database}"`);
      } finally {
        await sql.end();
      }
      return openStore({ url: testUrl.toString() });
    },
    openPeer: () => openStore({ url: testUrl.toString() }),
    async cleanup() {
      const sql = admin();
      try {
        await sql.unsafe(`drop database if exists "${database}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  });
}

if (reason === null && url) {
  describe('store on postgres: startup', () => {
    it('lets several processes open (and migrate) a new database at once', async () => {
      const database = `verdict_test_${randomBytes(6).toString('hex')}`;
      const target = new URL(url);
      target.pathname = `/${database}`;
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${database}"`);
      try {
        const stores = await Promise.all([1, 2, 3].map(() => openStore({ url: target.toString(), maxConnections: 2 })));
        try {
          const [first] = stores;
          if (!first) throw new Error('expected stores');
          const applied = await first.unsafeQuery('select count(*)::int as n from drizzle.__drizzle_migrations');
          // One row per migration file, however many processes raced to apply them.
          expect(applied[0]?.['n']).toBe(MIGRATION_COUNT);
        } finally {
          await Promise.all(stores.map((store) => store.close()));
        }
      } finally {
        await admin.unsafe(`drop database if exists "${database}" with (force)`);
        await admin.end();
      }
    }, 60_000);
  });
}

if (reason === null && url) {
  describe('store on postgres: change notifications across a lost connection', () => {
    it('calls onReconnect once listening resumes after its connection was killed, and notifies again', async () => {
      const database = `verdict_test_${randomBytes(6).toString('hex')}`;
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${database}`;
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${database}"`);
      const store = await openStore({ url: dbUrl.toString() });
      try {
        let reconnects = 0;
        const events: string[] = [];
        const unsubscribe = await store.listen((event) => events.push(`${event.kind}:${event.ruleset}`), () => reconnects++);
        // the LISTEN connection is the one waiting on `LISTEN`; killing it is what a network blip or a failover does
        const killed = await admin.unsafe(`select pg_terminate_backend(pid) as killed from pg_stat_activity where datname = $1 and query ilike 'listen%'`, [database]);
        expect(killed.length).toBeGreaterThan(0);
        const deadline = Date.now() + 15_000;
        while (reconnects === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
        expect(reconnects).toBe(1);
        await store.publishVersion({ ruleset: 'relisten.demo', source: 'ruleset relisten.demo', hash: 'sha256:relisten', author: 'test', message: '' });
        const notified = Date.now() + 5_000;
        while (events.length === 0 && Date.now() < notified) await new Promise((done) => setTimeout(done, 50));
        expect(events).toContain('version:relisten.demo');
        await unsubscribe();
      } finally {
        await store.close();
        await admin.unsafe(`drop database if exists "${database}" with (force)`);
        await admin.end();
      }
    }, 60_000);
  });
}
