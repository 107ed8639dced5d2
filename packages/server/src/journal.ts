/**
 * The decision log's local journal: an append-only file of the decisions the
 * database has not yet taken, one JSON line each, so a decision that was
 * answered survives the process being killed.
 *
 * - Lines are written with `writeSync` (in the kernel, so a kill -9 keeps
 *   them) and fsync'd in groups every `syncIntervalMs` (so an OS crash loses at
 *   most that window).
 * - It is split into segment files; a segment is deleted once every row in it
 *   is in the database (`release`). Its total size is bounded by `maxBytes`:
 *   past that, `append` refuses and the caller applies the overflow policy.
 * - Rows are numbered 0, 1, 2 ... in journal order. Rows the caller could not
 *   keep in memory are read back in order (`readNext`) from the read cursor.
 * - Several processes may share a directory (replicas in one working
 *   directory): each writes its own files, named by pid and start time. On
 *   start, `open` adopts the files of processes that are no longer running
 *   (renaming them, which only one process can do) and places their rows
 *   first, to be written to the database before anything new.
 */
import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DecisionInput } from '@verdict/store';

export interface JournalOptions {
  dir: string;
  /** Total size of all segments; past it `append` refuses. */
  maxBytes: number;
  /** A new segment is started past this size (default 8 MB). */
  segmentBytes?: number;
  /** fsync of the open segment, at most this often (default 50 ms). */
  syncIntervalMs?: number;
  onSyncError?: (error: unknown) => void;
}

interface Segment {
  path: string;
  /** Number of the first row in it. */
  firstRow: number;
  rows: number;
  bytes: number;
}

/** Where the next row to read back is: a segment, a byte offset in it, and its row number. */
interface Cursor {
  segment: number;
  offset: number;
  row: number;
}

const SEGMENT_NAME = /^segment-(\d+)-(\d+)-(\d+)\.jsonl$/;

export class Journal {
  private readonly segments: Segment[] = [];
  private fd: number | null = null;
  private totalBytes = 0;
  private nextRow = 0;
  private readonly tag = `${process.pid}-${Date.now()}`;
  private nextSegmentIndex = 0;
  private cursor: Cursor | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private syncing = false;
  private dirty = false;
  private readonly segmentBytes: number;
  private readonly syncIntervalMs: number;

  constructor(private readonly options: JournalOptions) {
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.syncIntervalMs = options.syncIntervalMs ?? 50;
  }

  /**
   * Creates the directory and adopts the segments of processes no longer running. Answers how many
   * rows they hold (numbered 0 .. n-1, to be read back first with `readNext`) and how many files.
   */
  open(): { rows: number; files: number } {
    if (!existsSync(this.options.dir)) return { rows: 0, files: 0 }; // created with the first segment
    const orphans = readdirSync(this.options.dir)
      .map((name) => ({ name, match: SEGMENT_NAME.exec(name) }))
      .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null && !isRunning(Number(f.match[1])))
      .sort((a, b) => Number(a.match[2]) - Number(b.match[2]) || Number(a.match[1]) - Number(b.match[1]) || Number(a.match[3]) - Number(b.match[3]));
    let rows = 0;
    let files = 0;
    for (const orphan of orphans) {
      const path = this.segmentPath();
      try {
        renameSync(join(this.options.dir, orphan.name), path); // atomic: another process adopting it at once gets ENOENT
      } catch {
        continue;
      }
      const { lines, bytes } = countLines(path);
      if (lines === 0) {
        unlinkSync(path);
        continue;
      }
      this.segments.push({ path, firstRow: this.nextRow, rows: lines, bytes });
      this.nextRow += lines;
      this.totalBytes += bytes;
      rows += lines;
      files += 1;
    }
    if (rows > 0) this.cursor = { segment: 0, offset: 0, row: 0 };
    return { rows, files };
  }

  /** Rows appended so far (the next row's number). */
  get rows(): number {
    return this.nextRow;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Whether `bytes` more would still fit. */
  hasRoom(bytes = 1): boolean {
    return this.totalBytes + bytes <= this.options.maxBytes;
  }

  /**
   * Writes `lines` (each a JSON row without its newline) at the end. Answers false, writing nothing,
   * when they do not fit; throws when the file cannot be written (a full disk, say).
   */
  append(lines: string[]): boolean {
    if (lines.length === 0) return true;
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.byteLength(text);
    if (!this.hasRoom(bytes)) return false;
    let segment = this.segments[this.segments.length - 1];
    if (this.fd === null || segment === undefined || segment.bytes >= this.segmentBytes) segment = this.startSegment();
    const buffer = Buffer.from(text);
    let written = 0;
    try {
      while (written < buffer.length) written += writeSync(this.fd!, buffer, written);
    } catch (error) {
      // a partial line would be read back as garbage: start a fresh segment for what comes next
      if (written > 0) {
        segment.bytes += written;
        this.totalBytes += written;
        this.closeSegment();
      }
      throw error;
    }
    segment.rows += lines.length;
    segment.bytes += bytes;
    this.totalBytes += bytes;
    this.nextRow += lines.length;
    this.dirty = true;
    this.scheduleSync();
    return true;
  }

  /** Rows before `row` are in the database: deletes the segments that hold only such rows (the open one only when it is large, or `includingOpen`). */
  release(row: number, includingOpen = false): void {
    while (this.segments.length > 0) {
      const first = this.segments[0]!;
      if (first.firstRow + first.rows > row) break;
      const active = this.segments.length === 1 && this.fd !== null;
      // the open segment is deleted once it is worth starting a new one (or at close); a small remainder costs nothing
      if (active && !includingOpen && first.bytes < this.segmentBytes / 8) break;
      // its rows are in the database and the file is deleted next: nothing to make durable
      if (active) this.closeSegment('discard');
      this.segments.shift();
      this.totalBytes -= first.bytes;
      // a cursor in it is at its end (its rows are in the database, so they were read): the next segment's start
      if (this.cursor !== null) {
        if (this.cursor.segment === 0) this.cursor.offset = 0;
        else this.cursor.segment -= 1;
      }
      try {
        unlinkSync(first.path);
      } catch {
        // already gone: nothing to release
      }
    }
  }

  /** From here on rows are read back from the file: the next `readNext` starts at row `rows`. */
  startReadingAtEnd(): void {
    if (this.cursor !== null) return;
    const last = this.segments.length - 1;
    const segment = this.segments[last];
    this.cursor = segment === undefined || this.fd === null ? { segment: last + 1, offset: 0, row: this.nextRow } : { segment: last, offset: segment.bytes, row: this.nextRow };
  }

  /** Whether rows are being read back (some rows are only in the file). */
  get reading(): boolean {
    return this.cursor !== null;
  }

  /**
   * Up to `max` rows from the read cursor, with the number of the first. When the cursor reaches
   * the end of what was written, reading stops (`reading` is false) and the caller keeps new rows
   * in memory again. A line that does not parse (the torn end of a segment a crash cut short) is
   * skipped and counted in `unreadable`.
   */
  readNext(max: number): { firstRow: number; rows: DecisionInput[]; unreadable: number } {
    const out: DecisionInput[] = [];
    let unreadable = 0;
    const cursor = this.cursor;
    if (cursor === null) return { firstRow: this.nextRow, rows: out, unreadable };
    const firstRow = cursor.row;
    while (out.length < max && cursor.segment < this.segments.length) {
      const segment = this.segments[cursor.segment]!;
      if (cursor.offset >= segment.bytes) {
        if (cursor.segment === this.segments.length - 1) break;
        cursor.segment += 1;
        cursor.offset = 0;
        continue;
      }
      const chunk = readChunk(segment.path, cursor.offset, Math.min(segment.bytes - cursor.offset, 4 * 1024 * 1024));
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1 && out.length < max; nl = chunk.indexOf(10, start)) {
        const row = parseRow(chunk.toString('utf8', start, nl));
        if (row === null) unreadable += 1;
        else out.push(row);
        cursor.row += 1;
        start = nl + 1;
      }
      if (start === 0) {
        // no whole line left in this segment (a torn end): go on with the next one
        if (cursor.segment === this.segments.length - 1) break;
        cursor.offset = segment.bytes;
        continue;
      }
      cursor.offset += start;
    }
    if (cursor.row >= this.nextRow) this.cursor = null;
    return { firstRow, rows: out, unreadable };
  }

  /** fsync now (at shutdown). */
  syncNow(): void {
    if (this.fd !== null && this.dirty) {
      fsyncSync(this.fd);
      this.dirty = false;
    }
  }

  close(): void {
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    try {
      this.syncNow();
    } finally {
      this.closeSegment();
    }
  }

  private segmentPath(): string {
    return join(this.options.dir, `segment-${this.tag}-${String(this.nextSegmentIndex++).padStart(6, '0')}.jsonl`);
  }

  private startSegment(): Segment {
    // a full segment's last appends are synced on the thread pool, not on the thread that answers
    this.closeSegment('sync in background');
    mkdirSync(this.options.dir, { recursive: true });
    const path = this.segmentPath();
    this.fd = openSync(path, 'a');
    const segment = { path, firstRow: this.nextRow, rows: 0, bytes: 0 };
    this.segments.push(segment);
    return segment;
  }

  /**
   * Closes the open segment. `sync` (the default, at close): fsync'd first, on this thread.
   * `sync in background`: fsync'd on libuv's thread pool, then closed (a synchronous fsync of a
   * segment held the thread that answers requests for milliseconds). `discard`: not synced at all.
   */
  private closeSegment(how: 'sync' | 'sync in background' | 'discard' = 'sync'): void {
    if (this.fd === null) return;
    const fd = this.fd;
    const dirty = this.dirty;
    this.fd = null;
    this.dirty = false;
    if (dirty && how === 'sync in background') {
      fsync(fd, (error) => {
        if (error) this.options.onSyncError?.(error);
        closeSync(fd);
      });
      return;
    }
    try {
      if (dirty && how === 'sync') fsyncSync(fd);
    } catch (error) {
      this.options.onSyncError?.(error);
    }
    closeSync(fd);
  }

  /** Group fsync: one per interval whatever the number of appends. */
  private scheduleSync(): void {
    if (this.syncTimer !== null || this.syncing) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      const fd = this.fd;
      if (fd === null || !this.dirty) return;
      this.dirty = false;
      this.syncing = true;
      fsync(fd, (error) => {
        this.syncing = false;
        if (error) this.options.onSyncError?.(error);
        if (this.dirty) this.scheduleSync();
      });
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }
}

/** A row as the log writer queues it, with its time as text (restored on reading). */
export function rowLine(row: DecisionInput): string {
  return JSON.stringify(row);
}

function parseRow(line: string): DecisionInput | null {
  try {
    const value = JSON.parse(line) as DecisionInput & { createdAt?: string | Date };
    if (value === null || typeof value !== 'object' || typeof value.id !== 'string') return null;
    if (typeof value.createdAt === 'string') value.createdAt = new Date(value.createdAt);
    return value;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // our own pid, reused: a file left by an earlier process
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function readChunk(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Complete lines in a file, and its size. */
function countLines(path: string): { lines: number; bytes: number } {
  const bytes = statSync(path).size;
  let lines = 0;
  for (let offset = 0; offset < bytes; offset += 4 * 1024 * 1024) {
    const chunk = readChunk(path, offset, Math.min(4 * 1024 * 1024, bytes - offset));
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  return { lines, bytes };
}
