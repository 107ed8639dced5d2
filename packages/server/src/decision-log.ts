/**
 * The decision log writer: decisions queue in memory and are written in
 * batches off the hot path (every `intervalMs`, or at `batchSize`). A failed
 * write keeps its rows for the next attempt; `close()` drains the queue, so a
 * graceful shutdown loses nothing.
 */
import type { DecisionInput, Store } from '@verdict/store';
import type { Metrics } from './metrics.ts';

export interface DecisionLogOptions {
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
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
    this.writing = this.store
      .appendDecisions(batch)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.queue = [...batch, ...this.queue];
        this.metrics.logWriteFailures.inc();
        this.options.onError?.(error);
        if (!this.closed && this.timer === null) this.timer = setTimeout(() => void this.flush(), this.intervalMs * 5);
      })
      .finally(() => {
        this.writing = null;
        this.metrics.logQueueDepth.set(this.queue.length);
      });
    await this.writing;
  }

  /** Stops the timer and drains the queue (retrying a few times on failure). */
  async close(): Promise<void> {
    this.closed = true;
    for (let attempt = 0; attempt < 5 && (this.queue.length > 0 || this.writing !== null); attempt++) await this.flush();
  }
}
