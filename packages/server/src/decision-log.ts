/**
 * The decision log writer: decisions queue in memory and are written in
 * batches off the hot path (every `intervalMs`, or at `batchSize`). A failed
 * write keeps its rows for the next attempt; `close()` drains the queue, so a
 * graceful shutdown loses nothing.
 *
 * A batch the database refuses as data (SQLSTATE class 22 or 23: a value it
 * cannot hold) is split in halves until the refused rows are found; those are
 * set aside (`onReject`, counted) and the rest written, so one odd decision can
 * never hold back the log. Any other failure (the database unreachable, say)
 * is retried whole.
 */
import type { DecisionInput, Store } from '@verdict/store';
import type { Metrics } from './metrics.ts';

export interface DecisionLogOptions {
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** A decision the database refused as data, set aside (it is not retried). */
  onReject?: (row: DecisionInput, error: unknown) => void;
}

/** SQLSTATE classes of errors in the data itself: retrying the same rows cannot succeed. */
const DATA_ERROR_CLASSES = new Set(['22', '23']);

/** Whether `error` (or an error it wraps, as drizzle does) is the database refusing the data. */
export function isDataError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.length === 5) return DATA_ERROR_CLASSES.has(code.slice(0, 2));
  }
  return false;
}

export class DecisionLog {
  private queue: DecisionInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  private readonly intervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly store: Store,
    private readonly metrics: Metrics,
    private readonly options: DecisionLogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 200;
    this.batchSize = options.batchSize ?? 1000;
  }

  append(row: DecisionInput): void {
    this.queue.push(row);
    this.metrics.logQueueDepth.set(this.queue.length);
    // After close() nothing is scheduled any more: write at once rather than leave the row queued forever.
    if (this.queue.length >= this.batchSize || this.closed) void this.flush();
    else if (this.timer === null && !this.closed) this.timer = setTimeout(() => void this.flush(), this.intervalMs);
  }

  get depth(): number {
    return this.queue.length;
  }

  /** The decisions still queued (a copy), for a shutdown that could not write them. */
  pending(): DecisionInput[] {
    return [...this.queue];
  }

  /** Writes everything queued so far; resolves when it is in the database (or the write failed and was re-queued). */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing !== null) await this.writing;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.write(batch)
      .then((failed) => {
        if (failed === null) return;
        this.queue = [...failed.left, ...this.queue];
        this.metrics.logWriteFailures.inc();
        this.options.onError?.(failed.error);
        if (!this.closed && this.timer === null) this.timer = setTimeout(() => void this.flush(), this.intervalMs * 5);
      })
      .finally(() => {
        this.writing = null;
        this.metrics.logQueueDepth.set(this.queue.length);
      });
    await this.writing;
  }

  /**
   * Writes `batch` in order. Answers null when every row is written or set aside, else the rows
   * left to retry (from the first that could not be written on) and why.
   */
  private async write(batch: DecisionInput[]): Promise<{ left: DecisionInput[]; error: unknown } | null> {
    try {
      await this.store.appendDecisions(batch);
      return null;
    } catch (error) {
      if (!isDataError(error)) return { left: batch, error };
      if (batch.length === 1) {
        this.metrics.logRejected.inc();
        this.options.onReject?.(batch[0]!, error);
        return null;
      }
      const half = Math.ceil(batch.length / 2);
      const first = await this.write(batch.slice(0, half));
      if (first !== null) return { left: [...first.left, ...batch.slice(half)], error: first.error };
      return this.write(batch.slice(half));
    }
  }

  /** Stops the timer and drains the queue (retrying a few times on failure). */
  async close(): Promise<void> {
    this.closed = true;
    for (let attempt = 0; attempt < 5 && (this.queue.length > 0 || this.writing !== null); attempt++) await this.flush();
  }
}
