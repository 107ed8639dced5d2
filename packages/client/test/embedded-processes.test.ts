// The embedded evaluator at the process level: a `verdict serve` process and two service
// processes that embed Verdict. A publish with a channel move and a param patch reach both
// within a second; the server is stopped and started again while they keep deciding; then every
// decision they made is in the log exactly once and `verdict audit verify` passes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { call, exitCode, freePort, runCli, runScript, startServerProcess, stopOrKill, until, type CliProcess, type Env } from '../../server/test/process-harness.ts';

const BOUND_MS = 1000;
const processes: CliProcess[] = [];
const dirs: string[] = [];

beforeEach(({ onTestFailed }) => {
  processes.length = 0;
  onTestFailed(() => {
    for (const p of processes) console.error(`----- output of ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode}) -----\n${p.output().slice(-20_000)}`);
  });
});

afterEach(async () => {
  await Promise.all(processes.map((p) => stopOrKill(p)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const source = (limit: number, version: number) => `ruleset emb.procs
# version ${version}
input { amount: number }
decision deny > allow
param limit: number = ${limit} where value > 0
rule over_limit {
  severity high
  deny when amount > limit
  because "amount {amount} is over {limit}"
}
`;


interface StatusLine {
  event: 'status';
  version: number;
  revision: number;
  decision: string;
  /** When this process read the line. */
  seenAt: number;
}

/** A service process; `lines()` are its JSON lines so far, each stamped when it arrived here. */
function startService(name: string, url: string, key: string): { p: CliProcess; statuses: () => StatusLine[]; done: () => { ids: string[]; unshipped: number } | undefined } {
  const p = runScript(name, 'packages/client/test/fixtures/embedded-worker.ts', [JSON.stringify({ url, key, ruleset: 'emb.procs', input: { amount: 150 } })], {}, processes, 'pipe');
  const lines: Array<Record<string, unknown> & { seenAt: number }> = [];
  let buffered = '';
  p.child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.startsWith('{')) lines.push({ ...(JSON.parse(line) as Record<string, unknown>), seenAt: Date.now() });
    }
  });
  return {
    p,
    statuses: () => lines.filter((l): l is StatusLine & Record<string, unknown> => l['event'] === 'status'),
    done: () => lines.find((l) => l['event'] === 'done') as { ids: string[]; unshipped: number } | undefined,
  };
}

it('two service processes follow publish, move and params within a second, keep deciding through a server restart, and every decision is logged once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'verdict-embedded-procs-'));
  dirs.push(dataDir);
  const key = `vd_emb_${randomBytes(12).toString('hex')}`;
  const env: Env = { VERDICT_DATA_DIR: dataDir, VERDICT_ADMIN_KEY: key, PORT: String(await freePort()) };
  let server = await startServerProcess('verdict serve', env, processes);
  const api = (method: string, path: string, json?: unknown) => call(server.url, key, method, path, json);

  expect((await api('POST', '/v1/rulesets/emb.procs/versions', { source: source(100, 1) })).status).toBe(201);
  expect((await api('PUT', '/v1/rulesets/emb.procs/channels/production', { version: 1 })).status).toBe(200);
  const services = [startService('service A', server.url, key), startService('service B', server.url, key)];
  const alive = (s: (typeof services)[number]) => () => s.p.child.exitCode === null;
  for (const s of services) await until(`${s.p.name} synced`, 60_000, () => s.statuses().find((l) => l.version === 1), alive(s));

  // publish v2 (limit 200: 150 is allowed) and move production to it
  expect((await api('POST', '/v1/rulesets/emb.procs/versions', { source: source(200, 2) })).status).toBe(201);
  expect((await api('PUT', '/v1/rulesets/emb.procs/channels/production', { version: 2 })).status).toBe(200);
  // measured from the answer, when the change is committed (as the replicas' test measures)
  const moved = Date.now();
  for (const s of services) {
    const line = await until(`${s.p.name} uses v2`, 10_000, () => s.statuses().find((l) => l.version === 2 && l.decision === 'allow'), alive(s));
    expect(line.seenAt - moved, `${s.p.name}: the move took effect after ${line.seenAt - moved} ms`).toBeLessThan(BOUND_MS);
  }

  // a param patch: 150 is over the limit again
  expect((await api('PATCH', '/v1/rulesets/emb.procs/channels/production/params', { params: { limit: 120 } })).status).toBe(200);
  const patched = Date.now();
  for (const s of services) {
    const line = await until(`${s.p.name} uses the new limit`, 10_000, () => s.statuses().find((l) => l.version === 2 && l.decision === 'deny' && l.seenAt >= patched), alive(s));
    expect(line.seenAt - patched, `${s.p.name}: the param change took effect after ${line.seenAt - patched} ms`).toBeLessThan(BOUND_MS);
  }

  // the server stops; the services keep deciding from memory (their shipping retries), then it comes back on the same port
  server.child.kill('SIGTERM');
  expect(await exitCode(server), 'exit code of the stopped server').toBe(0);
  await new Promise((done) => setTimeout(done, 1000));
  for (const s of services) expect(s.p.child.exitCode, `${s.p.name} still running`).toBeNull();
  server = await startServerProcess('verdict serve (restarted)', env, processes);
  // a change made after the restart still arrives (the streams reconnect)
  const afterRestart = Date.now();
  expect((await api('PATCH', '/v1/rulesets/emb.procs/channels/production/params', { params: { limit: 1000 } })).status).toBe(200);
  for (const s of services) await until(`${s.p.name} follows after the restart`, 15_000, () => s.statuses().find((l) => l.decision === 'allow' && l.seenAt >= afterRestart), alive(s));

  // stop the services: each ships what it queued and lists what it decided
  for (const s of services) s.p.child.stdin!.write('stop\n');
  const made: string[] = [];
  for (const s of services) {
    const done = await until(`${s.p.name} done`, 60_000, () => s.done());
    expect(done.unshipped, `${s.p.name} left decisions unshipped`).toBe(0);
    made.push(...done.ids);
  }
  expect(made.length).toBeGreaterThan(100);

  const logged = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await api('GET', `/v1/decisions?ruleset=emb.procs&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    for (const d of page.body.items as Array<{ decision_id: string }>) logged.set(d.decision_id, (logged.get(d.decision_id) ?? 0) + 1);
    cursor = page.body.next_cursor as string | null;
  } while (cursor !== null);
  const missing = made.filter((id) => !logged.has(id));
  expect(missing, `${missing.length} of ${made.length} decisions made in the services are not in the log`).toEqual([]);
  expect([...logged.values()].every((n) => n === 1), 'each decision logged once').toBe(true);
  expect(logged.size).toBe(made.length);

  server.child.kill('SIGTERM');
  expect(await exitCode(server)).toBe(0);
  const audit = runCli('verdict audit verify', ['audit', 'verify'], env, processes);
  expect(await exitCode(audit), audit.output()).toBe(0);
  expect(audit.output()).toMatch(/decision log intact: \d+ rows? verified/);
}, 240_000);
