/**
 * Whether the database answers, as last seen: probed in the background with a
 * short timeout and confirmed by every decision log write, so `/readyz`
 * answers from this state at once instead of waiting on a database that hangs.
 */
import type { Store } from '@verdict/store';
import type { Metrics } from './metrics.ts';

export interface HealthState {
  up: boolean;
  /** When the state was last confirmed (ms since the epoch). */
  checkedAt: number;
}

export interface DatabaseHealthOptions {
  /** A probe not answered within this is a database down (default 1000 ms). */
  timeoutMs?: number;
  /** Time between probes (default 1000 ms). */
  intervalMs?: number;
  /** Called when the state changes. */
  onChange?: (up: boolean, reason: unknown) => void;
}

export class DatabaseHealth {
  private state: HealthState = { up: true, checkedAt: Date.now() };
  private probing: { since: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly timeoutMs: number;
  private readonly intervalMs: number;

  constructor(
    private readonly store: Pick<Store, 'unsafeQuery'>,
    private readonly metrics: Metrics,
    private readonly options: DatabaseHealthOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 1000;
    metrics.databaseUp.set(1);
  }

  /** Probes every interval until `stop` (the timer does not keep the process alive). */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.probe(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last known state; starts a probe when it is older than two intervals (never waits for it). */
  current(): HealthState {
    if (Date.now() - this.state.checkedAt > 2 * this.intervalMs) this.probe();
    return this.state;
  }

  /** Evidence from elsewhere (a log write that succeeded, or failed to reach the database). */
  observe(up: boolean, reason?: unknown): void {
    this.set(up, reason);
  }

  /** One `select 1`; a probe still unanswered after the timeout marks the database down. */
  probe(): void {
    const now = Date.now();
    // one probe at a time; one stuck on a hung connection is given up on after ten timeouts
    if (this.probing !== null && now - this.probing.since < 10 * this.timeoutMs) return;
    const probing = { since: now };
    this.probing = probing;
    const timer = setTimeout(() => {
      // nothing newer has shown the database up (a log write, say): it does not answer
      if (this.probing === probing && this.state.checkedAt <= probing.since) this.set(false, new Error(`the database did not answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    timer.unref();
    this.store.unsafeQuery('select 1').then(
      () => {
        clearTimeout(timer);
        if (this.probing === probing) this.probing = null;
        this.set(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (this.probing === probing) this.probing = null;
        this.set(false, error);
      },
    );
  }

  private set(up: boolean, reason?: unknown): void {
    const changed = up !== this.state.up;
    this.state = { up, checkedAt: Date.now() };
    if (!changed) return;
    this.metrics.databaseUp.set(up ? 1 : 0);
    this.options.onChange?.(up, reason);
  }
}
