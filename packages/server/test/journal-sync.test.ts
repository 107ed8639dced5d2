import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The journal never fsyncs on the thread that answers requests except at close: a segment whose
 * rows are all in the database is deleted unsynced, and a full segment is synced on libuv's thread
 * pool before it is closed. (A synchronous fsync there held every request for milliseconds, once per
 * megabyte of decisions.)
 */
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, fsyncSync: vi.fn(real.fsyncSync), fsync: vi.fn(real.fsync) };
});

const { Journal } = await import('../src/journal.ts');

const line = (i: number) => JSON.stringify({ decision_id: `d${i}`, pad: 'x'.repeat(100) });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'verdict-journal-'));
  vi.mocked(fs.fsyncSync).mockClear();
  vi.mocked(fs.fsync).mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('journal segments and fsync', () => {
  it('deletes a segment whose rows are in the database without syncing it', () => {
    const journal = new Journal({ dir, maxBytes: 1 << 20, segmentBytes: 8 * 1024, syncIntervalMs: 60_000 });
    for (let i = 0; i < 20; i++) journal.append([line(i)]); // over segmentBytes / 8: worth releasing
    expect(readdirSync(dir)).toHaveLength(1);
    journal.release(journal.rows);
    expect(readdirSync(dir)).toEqual([]);
    expect(fs.fsyncSync).not.toHaveBeenCalled();
    journal.close();
  });

  it('syncs a full segment in the background, then closes it with every row in it', async () => {
    const journal = new Journal({ dir, maxBytes: 1 << 20, segmentBytes: 2 * 1024, syncIntervalMs: 60_000 });
    for (let i = 0; i < 40; i++) journal.append([line(i)]);
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(fs.fsyncSync).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(fs.fsync).toHaveBeenCalledTimes(files.length - 1));
    const rows = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    expect(rows).toEqual(Array.from({ length: 40 }, (_, i) => line(i)));
    journal.close();
    expect(fs.fsyncSync).toHaveBeenCalledTimes(1); // at close, what is still open is synced at once
  });
});
