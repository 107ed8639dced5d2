// Real `verdict serve` processes for process-level tests, started the way a user starts them
// (the CLI, configured by environment): start, wait for readiness, stop or kill, call the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export type Env = Record<string, string>;
export interface CliProcess {
  name: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}
export interface ServerProcess extends CliProcess {
  url: string;
}
export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index into bodies
}

export const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The parent's environment without any Verdict configuration (DATABASE_URL included), plus `env`. */
export function childEnv(env: Env): Env {
  const inherited = Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('VERDICT_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k));
  return { ...(Object.fromEntries(inherited) as Env), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
}

/** A TypeScript entry of this repository run with tsx, its output collected; `registry` receives it (for cleanup and failure reports). */
export function runScript(name: string, script: string, args: string[], env: Env, registry: CliProcess[], stdin: 'ignore' | 'pipe' = 'ignore'): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: childEnv(env), stdio: [stdin, 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const p = { name, child, output: () => output, exited };
  registry.push(p);
  return p;
}

export function runCli(name: string, args: string[], env: Env, registry: CliProcess[]): CliProcess {
  return runScript(name, 'packages/cli/src/main.ts', args, env, registry);
}

/** Polls `probe` until it returns a value, failing after `timeoutMs` (or at once when `alive` says the process is gone). */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, alive: () => boolean = () => true): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (!alive()) throw new Error(`${what}: the process exited first`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(50);
  }
}

/** `verdict serve` with `env`; resolves once it logged its URL and /readyz answers 200. */
export async function startServerProcess(name: string, env: Env, registry: CliProcess[]): Promise<ServerProcess> {
  const p = runCli(name, ['serve'], env, registry);
  const alive = () => p.child.exitCode === null && p.child.signalCode === null;
  const url = await until(`${name} logs "verdict server listening"`, 60_000, () => {
    const line = p.output().split('\n').find((l) => l.includes('"verdict server listening"'));
    return line === undefined ? undefined : (JSON.parse(line) as { url: string }).url;
  }, alive);
  await until(`${name} /readyz`, 30_000, async () => ((await fetch(`${url}/readyz`).catch(() => null))?.status === 200 ? true : undefined), alive);
  return { ...p, url };
}

export async function exitCode(p: CliProcess, timeoutMs = 30_000): Promise<number | null | 'timeout'> {
  return Promise.race([p.exited, delay(timeoutMs).then(() => 'timeout' as const)]);
}

export async function stopOrKill(p: CliProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  if ((await exitCode(p, 10_000)) === 'timeout') p.child.kill('SIGKILL');
  await p.exited;
}

export async function call(url: string, key: string, method: string, path: string, json?: unknown): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** A TCP port free on loopback now (for a server that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}
