/**
 * The decision log writer. Decisions are appended as they are answered and
 * written to the database in batches, in order, by one writer. What an
 * answered decision is promised depends on `durability` (see docs/operations.md):
 *
 * - `journal` (the server's default): every row is first written to a local
 *   append-only journal (see journal.ts) before its answer leaves, so a kill -9
 *   loses nothing; the journal is replayed in order on the next start. Rows
 *   are kept in memory up to a bound; past it they are only in the journal and
 *   read back from it in order.
 * - `committed`: an answer waits until its row is committed to the database;
 *   concurrent requests share one transaction (group commit).
 * - `none`: rows wait in memory only (bounded); a crash loses what is queued.
 *
 * When neither the memory queue nor the journal can take another row, `admit`
 * says so (the route answers 503) unless the operator chose `overflow: 'drop'`
 * (answer anyway, count the decision not logged).
 *
 * A batch the database refuses as data (SQLSTATE class 22 or 23) is split in
 * halves until the refused rows are found; those are set aside (`onReject`,
 * counted) and the rest written, so one odd decision can never hold back the
 * log. Any other failure is retried whole after an exponential backoff, with
 * one `onError` call per failure. Retries and replays skip rows the database
 * already holds (`skipExisting`), so a write whose outcome was unclear is never
 * logged twice.
 */
import type { DecisionInput, Store } from '@verdict/store';
import { isDataError } from './db-errors.ts';
import { Journal, rowLine } from './journal.ts';
import type { Metrics } from './metrics.ts';

export { isDataError } from './db-errors.ts';

export type LogDurability = 'journal' | 'committed' | 'none';
export type LogOverflow = 'refuse' | 'drop';

export interface DecisionLogOptions {
  /** How long rows may wait before a write (journal and none modes; default 200 ms). */
  intervalMs?: number;
  batchSize?: number;
  /** Default `none` (the server passes its configured mode). */
  durability?: LogDurability;
  /**
   * The journal directory and its size bound. Required for `journal`; in the other modes it only
   * receives what a forced shutdown could not write, replayed on the next start.
   */
  journal?: { dir: string; maxBytes: number; syncIntervalMs?: number };
  /** Rows kept in memory (default 50,000). */
  maxQueueRows?: number;
  /** Bytes of rows kept in memory, as journal lines (journal mode; default 64 MB). */
  maxQueueBytes?: number;
  /** When nothing can take another row: refuse new evaluations (default) or answer and count them. */
  overflow?: LogOverflow;
  /** First retry delay after a failed write, doubled per failure up to `maxBackoffMs` (defaults 250 ms, 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** One call per failed write. */
  onError?: (error: unknown, state: { failures: number; pending: number; retryInMs: number }) => void;
  /** Writes succeed again after `failures` failed ones. */
  onRecovered?: (failures: number) => void;
  /** A decision the database refused as data, set aside (it is not retried). */
  onReject?: (row: DecisionInput, error: unknown) => void;
  /** Decisions answered but not logged (overflow `drop`), at most one call a second with the count since the last. */
  onDropped?: (count: number, total: number) => void;
  /** The journal could not be written (the rows stay in memory). */
  onJournalError?: (error: unknown) => void;
}

/** Whether the log can take a decision now; when not, why, and when to try again. */
export type Admission = { ok: true } | { ok: false; reason: 'log_full' | 'database_unavailable'; retryAfterSeconds: number };

interface Entry {
  row: DecisionInput;
  /** Order of appending (for committed-mode waiters); -1 for rows read back from the journal. */
  seq: number;
  /** Its journal line number, when it is in the journal. */
  journalRow: number | null;
  /** Its JSON line, when computed (journal mode), also its size in memory. */
  line: string | null;
  /** The database may already hold it (read back from a journal, or retried): append with skipExisting. */
  mayRepeat: boolean;
}

export class DecisionLog {
  private queue: Entry[] = [];
  private queueBytes = 0;
  /** Rows appended but not yet given to the journal (written together, before any answer leaves). */
  private journalBuffer: Entry[] = [];
  private journalScheduled = false;
  private journalFailing = false;
  private readonly journal: Journal | null;
  private timer: NodeJS.Timeout | null = null;
  /** The timer is a write at the next turn (not after the interval). */
  private timerSoon = false;
  /** Rows in `journalBuffer` that are not in the memory queue (only the journal will have them). */
  private journalOnlyBuffered = 0;
  private journalBufferedBytes = 0;
  /** Journal row up to which rows were read back into memory (or, while rows go to the journal only, from which they will be). */
  private readBackTo = 0;
  private writing: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private backoffUntil = 0;
  private appendedSeq = 0;
  private committedSeq = 0;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private dropped = { total: 0, unreported: 0, reportTimer: null as NodeJS.Timeout | null };
  private readonly intervalMs: number;
  private readonly batchSize: number;
  readonly durability: LogDurability;

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    private readonly options: DecisionLogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 200;
    this.batchSize = options.batchSize ?? 1000;
    this.durability = options.durability ?? 'none';
    if (this.durability === 'journal' && options.journal === undefined) throw new Error('the journal durability needs a journal directory');
    this.journal =
      options.journal === undefined
        ? null
        : new Journal({ ...options.journal, ...(options.onJournalError === undefined ? {} : { onSyncError: options.onJournalError }) });
  }

  /**
   * Opens the journal and takes up the rows an earlier process left in it (written to the database
   * first, in their order). Answers how many rows and files were found.
   */
  open(): { rows: number; files: number } {
    if (this.journal === null) return { rows: 0, files: 0 };
    const found = this.journal.open();
    // Without the journal mode, new rows are not journalled: the old ones are taken into memory now
    // (what a forced shutdown left, at most one queue's worth), ahead of anything new.
    if (this.durability !== 'journal') {
      while (this.journal.reading) this.takeFromJournal(this.batchSize);
    }
    if (found.rows > 0) this.schedule(true);
    this.updateGauges();
    return found;
  }

  /** Whether a decision can be taken now (checked before evaluating). */
  admit(): Admission {
    if (this.durability === 'committed' && this.failures > 0) return { ok: false, reason: 'database_unavailable', retryAfterSeconds: this.retryAfterSeconds() };
    if (this.options.overflow === 'drop' || this.hasRoom()) return { ok: true };
    return { ok: false, reason: 'log_full', retryAfterSeconds: this.retryAfterSeconds() };
  }

  /** Queues a decision (the row is the log's from then on: not to be changed). Never throws; a decision no store can take is counted as dropped. */
  append(row: DecisionInput, options: { mayRepeat?: boolean } = {}): void {
    // its time is the decision's, not the write's: a row replayed from the journal keeps it (the row
    // is the log's from here on, so it is stamped in place rather than copied)
    if (row.createdAt === undefined) row.createdAt = new Date();
    const stamped = row;
    const entry: Entry = { row: stamped, seq: ++this.appendedSeq, journalRow: null, line: null, mayRepeat: options.mayRepeat === true };
    if (this.durability === 'journal') {
      entry.line = rowLine(stamped);
      if (this.journal!.reading || this.memoryFull()) {
        // from here rows are in the journal only, read back in order once the memory queue is drained
        if (!this.journal!.reading) {
          this.flushJournal();
          this.journal!.startReadingAtEnd();
          this.readBackTo = this.journal!.rows;
        }
        this.journalBuffer.push(entry);
        this.journalOnlyBuffered += 1;
        this.journalBufferedBytes += entry.line.length;
        this.scheduleJournal();
        this.schedule(this.closed);
        return;
      }
      this.journalBuffer.push(entry);
      this.journalBufferedBytes += entry.line.length;
      this.scheduleJournal();
    } else if (this.memoryFull()) {
      this.drop(1);
      this.settle(entry.seq);
      return;
    }
    this.enqueue(entry);
    // after close() nothing waits for the interval: written at once rather than left queued
    this.schedule(this.queue.length >= this.batchSize || this.closed);
  }

  /**
   * Resolves once every decision appended so far is as safe as the mode promises: written to the
   * journal (journal), committed to the database (committed), or at once (none). Await it before
   * answering.
   */
  durable(): Promise<void> {
    if (this.durability === 'journal') this.flushJournal();
    if (this.durability !== 'committed' || this.committedSeq >= this.appendedSeq) return Promise.resolve();
    const seq = this.appendedSeq;
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Decisions not yet in the database (in memory, and in the journal only). */
  get depth(): number {
    return this.queue.length + this.journalOnlyRows();
  }

  /** Consecutive failed writes (0 when the last write succeeded). */
  get failingWrites(): number {
    return this.failures;
  }

  get droppedTotal(): number {
    return this.dropped.total;
  }

  /** The decisions still queued in memory (a copy). */
  pending(): DecisionInput[] {
    return this.queue.map((e) => e.row);
  }

  /**
   * Writes everything queued so far, unless writes are backing off after a failure (then it
   * returns at once: the next retry is already scheduled). Resolves when the rows are in the
   * database or the write failed.
   */
  async flush(): Promise<void> {
    // Waits for the rows appended before the call, not for an empty queue: under steady traffic the
    // writer never runs dry, and a flush that waited for it stalled its request for as long as the
    // traffic lasted (an impact request took 55 s on PostgreSQL under load).
    const target = this.appendedSeq;
    for (;;) {
      if (this.failures > 0 && Date.now() < this.backoffUntil && !this.closed) return;
      if (this.committedSeq >= target && !this.readingBack()) return;
      if (this.writing === null) void this.pump();
      const writing = this.writing;
      if (writing === null) return; // nothing left to write
      const failures = this.failures;
      const committed = this.committedSeq;
      await new Promise<void>((resolve) => {
        this.waiters.push({ seq: target, resolve });
        void writing.then(resolve, resolve);
      });
      if (this.failures > failures) return; // the write failed: its retry is scheduled
      if (this.writing !== writing && this.committedSeq === committed && !this.readingBack()) return; // a write ended with nothing more to take
    }
  }

  /** Rows an earlier process left in the journal are queued (they carry seq -1). */
  private readingBack(): boolean {
    return this.queue.some((e) => e.seq < 0);
  }

  /**
   * Stops scheduled writes and writes what is left, retrying with backoff until `timeoutMs` has
   * passed. Whatever is still unwritten then is journalled by `abandon`.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    this.clearTimer();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.writing !== null) await this.writing;
      if (this.depth === 0) break;
      await this.pump();
      if (this.depth === 0 || Date.now() >= deadline) break;
      await new Promise((done) => setTimeout(done, Math.max(0, Math.min(this.backoffUntil - Date.now(), deadline - Date.now()))));
    }
    // everything is in the database: the journal has nothing left to replay
    if (this.depth === 0 && this.journal !== null) {
      this.flushJournal();
      this.journal.close();
      this.journal.release(Infinity, true);
    }
  }

  /**
   * For an exit without draining (a third signal, a timeout): makes sure every row not yet in the
   * database is in the journal, fsync'd, to be replayed on the next start. Answers how many rows
   * had to be written there now and how many could not be kept.
   */
  abandon(): { journalled: number; lost: number } {
    this.closed = true;
    this.clearTimer();
    const journal = this.journal;
    if (journal === null) return { journalled: 0, lost: this.queue.length };
    this.flushJournal();
    const missing = this.queue.filter((e) => e.journalRow === null);
    let journalled = 0;
    try {
      if (missing.length > 0 && journal.append(missing.map((e) => e.line ?? rowLine(e.row)))) journalled = missing.length;
      journal.close();
    } catch (error) {
      this.options.onJournalError?.(error);
    }
    return { journalled, lost: missing.length - journalled };
  }

  // ---- internals

  private hasRoom(): boolean {
    if (!this.memoryFull()) return true;
    // room for what is buffered for it and a large row more
    return this.durability === 'journal' && !this.journalFailing && this.journal!.hasRoom(this.journalBufferedBytes + 64 * 1024);
  }

  private memoryFull(): boolean {
    return this.queue.length >= (this.options.maxQueueRows ?? 50_000) || this.queueBytes >= (this.options.maxQueueBytes ?? 64 * 1024 * 1024);
  }

  private retryAfterSeconds(): number {
    return Math.max(1, Math.min(30, Math.ceil((this.backoffUntil - Date.now()) / 1000)));
  }

  private enqueue(entry: Entry): void {
    this.queue.push(entry);
    this.queueBytes += entry.line?.length ?? 0;
  }

  private journalOnlyRows(): number {
    if (this.journal === null || !this.journal.reading) return 0;
    return Math.max(0, this.journal.rows - this.readBackTo) + this.journalOnlyBuffered;
  }

  private scheduleJournal(): void {
    if (this.journalScheduled) return;
    this.journalScheduled = true;
    // Appends made in one turn (a batch request's items) go to the file in one write; `durable()`
    // writes at once, before an answer leaves.
    queueMicrotask(() => this.flushJournal());
  }

  /** Writes the buffered rows to the journal; those it cannot take stay in memory (or are dropped when only the journal had them). */
  private flushJournal(): void {
    this.journalScheduled = false;
    if (this.journalBuffer.length === 0 || this.journal === null) return;
    const entries = this.journalBuffer;
    const journalOnly = this.journalOnlyBuffered;
    this.journalBuffer = [];
    this.journalOnlyBuffered = 0;
    this.journalBufferedBytes = 0;
    const first = this.journal.rows;
    let written = false;
    try {
      written = this.journal.append(entries.map((e) => e.line ?? rowLine(e.row)));
      if (this.journalFailing && written) this.journalFailing = false;
    } catch (error) {
      if (!this.journalFailing) this.options.onJournalError?.(error);
      this.journalFailing = true;
    }
    if (written) {
      entries.forEach((e, i) => (e.journalRow = first + i));
    } else {
      this.metrics.logUnjournalled.inc(entries.length);
      // rows meant for the journal only (the memory queue was full) have nowhere left
      const inMemory = journalOnly === 0 ? null : new Set(this.queue);
      const homeless = inMemory === null ? [] : entries.filter((e) => !inMemory.has(e));
      if (homeless.length > 0) {
        this.drop(homeless.length);
        for (const e of homeless) this.settle(e.seq);
      }
    }
    this.updateGauges();
  }

  /** Reads the next rows back from the journal into the memory queue. */
  private takeFromJournal(max: number): void {
    const journal = this.journal!;
    this.flushJournal();
    const { rows, firstRow } = journal.readNext(max);
    const end = journal.reading ? firstRow + rows.length : journal.rows;
    rows.forEach((row, i) => this.enqueue({ row, seq: -1, journalRow: i === rows.length - 1 ? end - 1 : null, line: null, mayRepeat: true }));
    this.readBackTo = end;
    this.updateGauges();
  }

  private drop(count: number): void {
    this.dropped.total += count;
    this.dropped.unreported += count;
    this.metrics.logDropped.inc(count);
    if (this.dropped.reportTimer !== null) return;
    const report = () => {
      this.dropped.reportTimer = null;
      if (this.dropped.unreported === 0) return;
      this.options.onDropped?.(this.dropped.unreported, this.dropped.total);
      this.dropped.unreported = 0;
      this.dropped.reportTimer = setTimeout(report, 1000).unref();
    };
    report();
  }

  /** Arranges the next write: at the next turn (`soon`, and always in committed mode), else after the interval. */
  private schedule(soon: boolean): void {
    if (this.writing !== null) return; // the running write goes on with what was appended meanwhile
    if (this.failures > 0) return; // the retry timer is set
    if (soon || this.durability === 'committed') {
      if (this.timer !== null && this.timerSoon) return;
      this.clearTimer();
      // a macrotask, not a microtask: the requests of this turn join the same transaction (group commit)
      this.timer = setTimeout(() => void this.pump(), 0);
      this.timerSoon = true;
    } else if (this.timer === null && !this.closed) {
      this.timer = setTimeout(() => void this.pump(), this.intervalMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerSoon = false;
  }

  /** Writes batches until nothing is left or a write fails. One writer at a time. */
  private pump(): Promise<void> {
    if (this.writing !== null) return this.writing;
    this.clearTimer();
    this.writing = (async () => {
      for (;;) {
        if (this.queue.length === 0 && this.journal?.reading === true) this.takeFromJournal(this.batchSize);
        if (this.queue.length === 0) break;
        if (this.durability === 'journal') this.flushJournal(); // rows go to the journal before the database
        const batch = this.queue.slice(0, this.batchSize);
        const failed = await this.write(batch.map((e) => e.row), batch.some((e) => e.mayRepeat));
        if (failed !== null) {
          // rows from the first unwritten one on stay queued; their write may have reached the database
          const left = new Set(failed.left);
          const done = batch.filter((e) => !left.has(e.row));
          this.taken(done);
          for (const e of batch) if (left.has(e.row)) e.mayRepeat = true;
          this.failed(failed.error);
          break;
        }
        this.taken(batch);
        if (this.failures > 0) {
          this.options.onRecovered?.(this.failures);
          this.failures = 0;
        }
      }
    })().finally(() => {
      this.writing = null;
      this.updateGauges();
      // rows appended while this write ran
      if (this.depth > 0 && this.failures === 0) this.schedule(this.queue.length >= this.batchSize || this.closed);
    });
    return this.writing;
  }

  /** `entries` (the front of the queue) are in the database or set aside. */
  private taken(entries: Entry[]): void {
    if (entries.length === 0) return;
    this.queue.splice(0, entries.length);
    let journalRow = -1;
    let seq = -1;
    for (const e of entries) {
      this.queueBytes -= e.line?.length ?? 0;
      if (e.journalRow !== null) journalRow = e.journalRow;
      if (e.seq > seq) seq = e.seq;
    }
    if (journalRow >= 0) this.journal!.release(journalRow + 1);
    if (seq >= 0) this.settle(seq);
  }

  /** Rows up to `seq` are settled: committed-mode answers waiting for them go out. */
  private settle(seq: number): void {
    if (seq > this.committedSeq) this.committedSeq = seq;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.seq <= this.committedSeq);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.seq > this.committedSeq);
    for (const w of ready) w.resolve();
  }

  private failed(error: unknown): void {
    this.failures += 1;
    this.metrics.logWriteFailures.inc();
    const initial = this.options.initialBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.failures - 1, 20));
    const retryInMs = Math.round(base * (0.8 + Math.random() * 0.4));
    this.backoffUntil = Date.now() + retryInMs;
    this.options.onError?.(error, { failures: this.failures, pending: this.depth, retryInMs });
    this.clearTimer();
    if (!this.closed) {
      this.timer = setTimeout(() => void this.pump(), retryInMs);
      this.timer.unref();
    }
  }

  private updateGauges(): void {
    this.metrics.logQueueDepth.set(this.depth);
    this.metrics.journalBytes.set(this.journal?.bytes ?? 0);
  }

  /**
   * Writes `batch` in order. Answers null when every row is written or set aside, else the rows
   * left to retry (from the first that could not be written on) and why.
   */
  private async write(batch: DecisionInput[], mayRepeat: boolean): Promise<{ left: DecisionInput[]; error: unknown } | null> {
    try {
      await this.store.appendDecisions(batch, mayRepeat ? { skipExisting: true } : {});
      return null;
    } catch (error) {
      if (!isDataError(error)) return { left: batch, error };
      if (batch.length === 1) {
        this.metrics.logRejected.inc();
        this.options.onReject?.(batch[0]!, error);
        return null;
      }
      const half = Math.ceil(batch.length / 2);
      const first = await this.write(batch.slice(0, half), mayRepeat);
      if (first !== null) return { left: [...first.left, ...batch.slice(half)], error: first.error };
      return this.write(batch.slice(half), mayRepeat);
    }
  }
}
