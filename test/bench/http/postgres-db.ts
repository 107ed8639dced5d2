/**
 * A throwaway PostgreSQL database for the HTTP benchmark's Verdict-on-PostgreSQL
 * target, made from `DATABASE_URL` and dropped afterwards. The `postgres`
 * client is loaded from the store package, which depends on it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

type Sql = { unsafe(query: string): Promise<unknown>; end(): Promise<void> };
type Postgres = (url: string, options: { max: number; onnotice: () => void }) => Sql;

const postgres = createRequire(join(resolve(import.meta.dirname, '../../..'), 'packages/store/package.json'))('postgres') as Postgres;

async function run(adminUrl: string, query: string): Promise<unknown> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe(query);
  } finally {
    await sql.end();
  }
}

export interface BenchDatabase {
  url: string;
  /**
   * Pins the PostgreSQL backends serving this database (those open now) to `core`, so the
   * database's work lands on the server's core and not on the load generator's; answers how
   * many were pinned (0 without `taskset` or the right to move them).
   */
  pinBackends(core: number): Promise<number>;
  /** Process ids of the PostgreSQL backends serving this database now. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** A new database on the server of `adminUrl`, or null when that server cannot be reached. */
export async function benchDatabase(adminUrl: string): Promise<BenchDatabase | null> {
  const name = `verdict_bench_${randomBytes(4).toString('hex')}`;
  try {
    await run(adminUrl, `create database "${name}"`);
  } catch {
    return null;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const backendPids = async () => ((await run(adminUrl, `select pid from pg_stat_activity where datname = '${name}'`)) as Array<{ pid: number }>).map((r) => r.pid);
  return {
    url: url.toString(),
    pinBackends: async (core) => (await backendPids()).filter((pid) => spawnSync('taskset', ['-pc', String(core), String(pid)], { stdio: 'ignore' }).status === 0).length,
    backendPids,
    drop: async () => void (await run(adminUrl, `drop database if exists "${name}" with (force)`)),
  };
}
