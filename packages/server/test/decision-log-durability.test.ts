// The decision log's durability modes in one process: the journal (what a restart replays, in
// order, once; the memory bound; a torn last line), the overflow policy, committed mode's group
// commit, and the backoff between failed writes. A crash is simulated by dropping a DecisionLog
// without closing it and opening a new one on the same journal directory.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type DecisionInput, type Store } from '@verdict/store';
import { describeDbError } from '../src/db-errors.ts';
import { DecisionLog, type DecisionLogOptions } from '../src/decision-log.ts';
import { Metrics } from '../src/metrics.ts';
import { uniqueName } from './harness.ts';

let store: Store;
const dirs: string[] = [];
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-journal-test-'));
  dirs.push(dir);
  return dir;
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** The store, with writes to the decision log failing while `down` is set; counts append calls. */
function switchable(): { store: Store; down: boolean; appends: number; rowsPerAppend: number[] } {
  const state = {
    down: false,
    appends: 0,
    rowsPerAppend: [] as number[],
    store: undefined as unknown as Store,
  };
  state.store = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendDecisions') return Reflect.get(target, property, receiver);
      return async (rows: DecisionInput[], options?: { skipExisting?: boolean }) => {
        state.appends += 1;
        state.rowsPerAppend.push(rows.length);
        if (state.down) throw refused();
        return target.appendDecisions(rows, options);
      };
    },
  });
  return state;
}

function rows(ruleset: string, n: number, from = 0): DecisionInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    ruleset,
    version: 1,
    channel: 'production',
    decision: i % 3 === 0 ? 'deny' : 'allow',
    violations: i % 3 === 0 ? [{ rule: 'too_large', severity: 'high', message: `amount ${from + i}` }] : [],
    outputs: { n: from + i },
    durationUs: from + i,
    input: { n: from + i, text: 'x'.repeat(200) },
  }));
}

/** Every row of `ruleset` in log order. */
async function logged(ruleset: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.queryDecisions({ ruleset, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items.map((d) => d.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out.reverse();
}

function newLog(target: Store, options: DecisionLogOptions, metrics = new Metrics()): DecisionLog {
  const log = new DecisionLog(target, metrics, { intervalMs: 60_000, initialBackoffMs: 10, maxBackoffMs: 50, ...options });
  log.open();
  return log;
}

describe('journal durability', () => {
  it('replays the rows a killed process had answered, in order, after its restart; the chain verifies', async () => {
    const dir = journalDir();
    const db = switchable();
    db.down = true;
    const name = uniqueName('replay');
    const first = newLog(db.store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    const answered = rows(name, 250);
    for (const row of answered) first.append(row);
    await first.durable(); // what a route awaits before answering
    await first.flush(); // fails: the database is down
    expect(first.depth).toBe(250);
    // "kill -9": the first log is dropped without close; what it wrote is in the files
    const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'));
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(answered.map((r) => r.id));

    db.down = false;
    const second = newLog(db.store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    const later = rows(name, 20, 1000);
    for (const row of later) second.append(row); // new rows wait behind the replayed ones
    await second.close();
    expect(await logged(name)).toEqual([...answered, ...later].map((r) => r.id));
    expect(await store.verifyChain()).toMatchObject({ ok: true });
    expect(readdirSync(dir), 'a closed log with everything written leaves no journal').toEqual([]);
  });

  it('does not log twice the rows the database took before the crash (replay skips them)', async () => {
    const dir = journalDir();
    const name = uniqueName('twice');
    const first = newLog(store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    const answered = rows(name, 120);
    for (const row of answered) first.append(row);
    await first.flush(); // in the database, but the journal segment is still there (it is small)
    expect(readdirSync(dir).length).toBe(1);
    const second = newLog(store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    await second.close();
    expect(await logged(name)).toEqual(answered.map((r) => r.id));
    expect(await store.verifyChain()).toMatchObject({ ok: true });
  });

  it('keeps at most maxQueueRows in memory; the rest is read back from the journal in order', async () => {
    const dir = journalDir();
    const db = switchable();
    db.down = true;
    const name = uniqueName('spill');
    const log = newLog(db.store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 }, maxQueueRows: 10, batchSize: 25 });
    const answered = rows(name, 300);
    for (const row of answered) log.append(row);
    await log.durable();
    expect(log.depth).toBe(300);
    expect(log.pending().length, 'rows held in memory').toBeLessThanOrEqual(10);
    db.down = false;
    await log.flush();
    // appended while rows are read back: still after them
    const later = rows(name, 5, 500);
    for (const row of later) log.append(row);
    await log.close();
    expect(await logged(name)).toEqual([...answered, ...later].map((r) => r.id));
    expect(Math.max(...db.rowsPerAppend)).toBeLessThanOrEqual(25);
  });

  it('skips a torn last line (a write cut short by the crash) and replays the rest', async () => {
    const dir = journalDir();
    const db = switchable();
    db.down = true;
    const name = uniqueName('torn');
    const first = newLog(db.store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    const answered = rows(name, 5);
    for (const row of answered) first.append(row);
    await first.durable();
    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file!), '{"id":"half a line');
    db.down = false;
    const second = newLog(db.store, { durability: 'journal', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    await second.close();
    expect(await logged(name)).toEqual(answered.map((r) => r.id));
  });

  it('in mode none, journals what a forced exit could not write, and the next start writes it', async () => {
    const dir = journalDir();
    const db = switchable();
    db.down = true;
    const name = uniqueName('none');
    const first = newLog(db.store, { durability: 'none', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    const answered = rows(name, 30);
    for (const row of answered) first.append(row);
    expect(readdirSync(dir), 'mode none writes no journal while running').toEqual([]);
    await first.close(50);
    expect(first.abandon()).toEqual({ journalled: 30, lost: 0 });
    db.down = false;
    const second = newLog(db.store, { durability: 'none', journal: { dir, maxBytes: 64 * 1024 * 1024 } });
    await second.close();
    expect(await logged(name)).toEqual(answered.map((r) => r.id));
  });
});

describe('overflow', () => {
  it('refuses new decisions once memory and journal are full (default), with a Retry-After', async () => {
    const db = switchable();
    db.down = true;
    const log = newLog(db.store, { durability: 'journal', journal: { dir: journalDir(), maxBytes: 200 * 1024 }, maxQueueRows: 100 });
    let admitted = 0;
    for (let i = 0; i < 10_000 && log.admit().ok; i++, admitted++) log.append(rows('overflow', 1, i)[0]!);
    const refusal = log.admit();
    expect(refusal).toMatchObject({ ok: false, reason: 'log_full' });
    expect(refusal.ok ? 0 : refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(admitted, 'rows taken before refusing (100 in memory, the rest in 200 KB of journal)').toBeGreaterThan(100);
    expect(log.droppedTotal).toBe(0);
    expect(log.depth).toBe(admitted);
    db.down = false;
    await log.flush();
    expect(log.admit().ok, 'takes decisions again once the database caught up').toBe(true);
    await log.close();
  });

  it('with overflow drop, answers and counts the decisions not logged, reporting them at most once a second', async () => {
    const db = switchable();
    db.down = true;
    const reports: Array<[number, number]> = [];
    const metrics = new Metrics();
    const log = newLog(db.store, { durability: 'none', maxQueueRows: 100, overflow: 'drop', onDropped: (count, total) => reports.push([count, total]) }, metrics);
    for (let i = 0; i < 150; i++) {
      expect(log.admit().ok).toBe(true);
      log.append(rows('drop', 1, i)[0]!);
    }
    expect(log.depth).toBe(100);
    expect(log.droppedTotal).toBe(50);
    expect(reports, 'one report at once, the rest within the next second').toEqual([[1, 1]]);
    expect(await metrics.registry.getSingleMetricAsString('verdict_decision_log_dropped_total')).toMatch(/ 50$/m);
    await log.close(50);
  });
});

describe('committed mode', () => {
  it('resolves durable() only once the rows are committed, and commits concurrent requests together', async () => {
    const db = switchable();
    const name = uniqueName('committed');
    const log = newLog(db.store, { durability: 'committed' });
    const answered = rows(name, 40);
    // forty "requests" in one turn: each appends and waits
    const waits = answered.map((row) => {
      log.append(row);
      return log.durable().then(async () => (await logged(name)).includes(row.id));
    });
    expect(await Promise.all(waits)).toEqual(answered.map(() => true));
    expect(db.appends, 'one transaction for the forty').toBe(1);
    await log.close();
  });

  it('refuses new decisions while the database is failing (the answer would wait on it)', async () => {
    const db = switchable();
    db.down = true;
    const log = newLog(db.store, { durability: 'committed', initialBackoffMs: 60_000 });
    log.append(rows('committed_down', 1)[0]!);
    const waiting = log.durable();
    await new Promise((done) => setTimeout(done, 50));
    expect(log.admit()).toMatchObject({ ok: false, reason: 'database_unavailable' });
    db.down = false;
    await log.close(1000);
    await waiting;
  });
});

describe('failed writes', () => {
  it('back off exponentially, one onError per failure with counts', async () => {
    const db = switchable();
    db.down = true;
    const failures: Array<{ at: number; failures: number; pending: number; retryInMs: number }> = [];
    const log = newLog(db.store, {
      durability: 'none',
      initialBackoffMs: 20,
      maxBackoffMs: 10_000,
      onError: (_error, state) => failures.push({ at: performance.now(), ...state }),
    });
    for (const row of rows('backoff', 7)) log.append(row);
    await log.flush();
    // 20, 40, 80, 160 ms (±20%): five failures take about 300 ms
    const deadline = Date.now() + 5000;
    while (failures.length < 5 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
    expect(failures.map((f) => f.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(failures.every((f) => f.pending === 7)).toBe(true);
    for (let i = 1; i < 5; i++) {
      const expected = 20 * 2 ** (i - 1);
      expect(failures[i - 1]!.retryInMs).toBeGreaterThanOrEqual(expected * 0.8);
      expect(failures[i - 1]!.retryInMs).toBeLessThanOrEqual(expected * 1.2);
      expect(failures[i]!.at - failures[i - 1]!.at, `gap before retry ${i}`).toBeGreaterThanOrEqual(expected * 0.8 - 2);
    }
    expect(db.appends).toBe(5);
    db.down = false;
    await log.close();
    expect(log.depth).toBe(0);
  });

  it('describes a failed write by its cause, never by the rows drizzle quotes in its message', () => {
    const batch = JSON.stringify(rows('quoted', 50));
    const error = Object.assign(new Error(`Failed query: insert into decision_log ... params: ${batch}`), { cause: refused() });
    const described = describeDbError(error);
    expect(described).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(describeDbError(new Error('x'.repeat(5000))).message.length).toBeLessThan(400);
  });
});
