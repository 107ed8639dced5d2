/**
 * A throwaway PostgreSQL database for the HTTP benchmark's Verdict-on-PostgreSQL
 * target, made from `DATABASE_URL` and dropped afterwards. The `postgres`
 * client is loaded from the store package, which depends on it.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

type Sql = { unsafe(query: string): Promise<unknown>; end(): Promise<void> };
type Postgres = (url: string, options: { max: number; onnotice: () => void }) => Sql;

const postgres = createRequire(join(resolve(import.meta.dirname, '../../..'), 'packages/store/package.json'))('postgres') as Postgres;

async function run(adminUrl: string, query: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(query);
  } finally {
    await sql.end();
  }
}

/** A new database on the server of `adminUrl`, or null when that server cannot be reached. */
export async function benchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const name = `verdict_bench_${randomBytes(4).toString('hex')}`;
  try {
    await run(adminUrl, `create database "${name}"`);
  } catch {
    return null;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(adminUrl, `drop database if exists "${name}" with (force)`) };
}
