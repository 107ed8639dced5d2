/**
 * Ships an embedded evaluator's decisions to the server's decision log in batches
 * (`POST /v1/decisions`). The queue is bounded: a decision that finds it full is dropped and
 * counted, never silently. A failed batch stays at the head of the queue and is retried with
 * exponential backoff; the server appends idempotently on `decision_id`, so a retry after a lost
 * answer never duplicates. A batch the server refuses as invalid (4xx other than 408/429) is
 * counted as rejected and not retried.
 *
 * The queue holds what `evaluate()` kept of each decision (`PendingDecision`); each batch is made
 * into what the log receives (`shipped`: hashed, redacted, scrubbed) only when it is sent.
 */
import { shipped, type PendingDecision } from './shipment.ts';
import type { ShippedDecision } from './types.ts';

export interface ShipperOptions {
  /** Decisions per request (at most 1000, the server's limit). Default 500. */
  batchSize?: number;
  /** How long a decision may wait before its batch is sent. Default 1000 ms. */
  intervalMs?: number;
  /** Decisions held at most; beyond it new decisions are dropped and counted. Default 100,000. */
  maxQueue?: number;
  /** Called once per failed attempt (with the error) and per dropped or rejected batch. */
  onProblem?: (problem: ShippingProblem) => void;
}

export type ShippingProblem =
  | { kind: 'retrying'; error: unknown; queued: number; attempt: number; retryInMs: number }
  | { kind: 'rejected'; error: unknown; decisions: number }
  | { kind: 'dropped'; decisions: number };

export interface ShippingStats {
  queued: number;
  shipped: number;
  /** Already in the log when shipped (a retry whose first answer was lost). */
  duplicates: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Refused by the server as invalid. */
  rejected: number;
  failedAttempts: number;
}

export type SendBatch = (decisions: ShippedDecision[]) => Promise<{ appended: number; duplicates: number }>;

const MAX_BACKOFF_MS = 30_000;

export class DecisionShipper {
  private queue: PendingDecision[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private flushing = false;
  private backoffMs = 0;
  private attempt = 0;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxQueue: number;
  private readonly counts = { shipped: 0, duplicates: 0, dropped: 0, rejected: 0, failedAttempts: 0 };
  private droppedSinceReport = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly options: ShipperOptions = {},
  ) {
    this.batchSize = Math.min(Math.max(1, options.batchSize ?? 500), 1000);
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxQueue = options.maxQueue ?? 100_000;
  }

  /** Whether a decision offered now would be dropped (the queue is full): the caller may then `drop()` without making its record. */
  get full(): boolean {
    return this.queue.length >= this.maxQueue;
  }

  /** Counts a decision dropped because the queue is full. */
  drop(): void {
    this.counts.dropped++;
    // one report per run of drops, not one per decision
    if (this.droppedSinceReport++ === 0) queueMicrotask(() => this.reportDrops());
  }

  push(decision: PendingDecision): void {
    if (this.full) {
      this.drop();
      return;
    }
    this.queue.push(decision);
    // a flush in progress sends this decision too (it runs until the queue is empty)
    if (this.flushing) return;
    if (this.queue.length >= this.batchSize && this.backoffMs === 0) void this.flush();
    else this.schedule(this.backoffMs || this.intervalMs);
  }

  stats(): ShippingStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /** Sends everything queued; resolves when the queue is empty or one attempt failed (the rows stay queued). */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.sending !== null) await this.sending;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const taken = Math.min(this.batchSize, this.queue.length);
        this.sending = this.sendBatch(taken, this.prepare(taken));
        const sent = await this.sending.then(
          () => true,
          () => false,
        );
        this.sending = null;
        if (!sent) return;
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Flushes until the queue is empty or `timeoutMs` passes; returns how many decisions were left unshipped. */
  async close(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(this.backoffMs || 50, Math.max(0, deadline - Date.now()))));
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return this.queue.length;
  }

  /** The first `count` queued decisions as the log takes them; one that cannot be made into that is counted as rejected. */
  private prepare(count: number): ShippedDecision[] {
    const batch: ShippedDecision[] = [];
    let failed: unknown = null;
    let failures = 0;
    for (let i = 0; i < count; i++) {
      try {
        batch.push(shipped(this.queue[i]!));
      } catch (error) {
        failed = error;
        failures++;
      }
    }
    if (failures > 0) {
      this.counts.rejected += failures;
      this.options.onProblem?.({ kind: 'rejected', error: failed, decisions: failures });
    }
    return batch;
  }

  /** Sends `batch`, made of the first `taken` queued decisions (which leave the queue once it is in the log). */
  private async sendBatch(taken: number, batch: ShippedDecision[]): Promise<void> {
    try {
      if (batch.length === 0) {
        this.queue.splice(0, taken);
        return;
      }
      const result = await this.send(batch);
      this.queue.splice(0, taken);
      this.counts.shipped += result.appended;
      this.counts.duplicates += result.duplicates;
      this.backoffMs = 0;
      this.attempt = 0;
    } catch (error) {
      if (isRefusal(error)) {
        this.queue.splice(0, taken);
        this.counts.rejected += batch.length;
        this.options.onProblem?.({ kind: 'rejected', error, decisions: batch.length });
        return;
      }
      this.counts.failedAttempts++;
      this.attempt++;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs === 0 ? 250 : this.backoffMs * 2);
      this.options.onProblem?.({ kind: 'retrying', error, queued: this.queue.length, attempt: this.attempt, retryInMs: this.backoffMs });
      this.schedule(this.backoffMs);
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  private reportDrops(): void {
    const decisions = this.droppedSinceReport;
    this.droppedSinceReport = 0;
    if (decisions > 0) this.options.onProblem?.({ kind: 'dropped', decisions });
  }
}

/** A refusal of the data itself: sending the same batch again cannot succeed. */
function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429 && status !== 401 && status !== 403;
}
