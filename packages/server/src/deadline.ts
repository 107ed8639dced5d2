/**
 * Request deadlines without a timer per request. Hono's `timeout` middleware
 * arms a `setTimeout` and races it against the handler on every request;
 * here requests join a list in the order they start (so deadlines are in
 * order too), leave it when they finish, and one interval timer, running only
 * while the list is not empty, stops those past their deadline. A request is
 * stopped between `ms` and `ms + tick` after it started.
 */
/** A request's deadline, as the work it runs sees it. */
export interface Deadline {
  /** Aborted once the deadline passes (made on first use: most requests never ask). */
  readonly signal: AbortSignal;
}

class Entry implements Deadline {
  prev: Entry | null;
  next: Entry | null = null;
  listed = true;
  private controller: AbortController | null = null;

  constructor(
    readonly deadline: number,
    private readonly reject: (reason: unknown) => void,
    prev: Entry | null,
  ) {
    this.prev = prev;
  }

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  stop(reason: unknown): void {
    this.reject(reason);
    this.controller?.abort(reason);
  }
}

export class Deadlines {
  private head: Entry | null = null;
  private tail: Entry | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly tick: number;

  /** `timedOut` makes what a late request is rejected with. */
  constructor(
    private readonly ms: number,
    private readonly timedOut: () => unknown,
    tick?: number,
  ) {
    this.tick = tick ?? Math.min(100, Math.max(5, Math.floor(ms / 10)));
  }

  /** `work`'s outcome, or the `timedOut` rejection once the deadline passes first. */
  run<T>(work: (deadline: Deadline) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = new Entry(performance.now() + this.ms, reject, this.tail);
      if (this.tail === null) this.head = entry;
      else this.tail.next = entry;
      this.tail = entry;
      if (this.timer === null) {
        this.timer = setInterval(() => this.expire(), this.tick);
        this.timer.unref();
      }
      let started: Promise<T>;
      try {
        started = work(entry);
      } catch (error) {
        started = Promise.reject(error);
      }
      started.then(
        (value) => {
          this.unlist(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.unlist(entry);
          reject(error);
        },
      );
    });
  }

  /** Requests in flight (for tests). */
  get pending(): number {
    let n = 0;
    for (let e = this.head; e !== null; e = e.next) n++;
    return n;
  }

  private expire(): void {
    const now = performance.now();
    while (this.head !== null && this.head.deadline <= now) {
      const late = this.head;
      this.unlist(late);
      late.stop(this.timedOut());
    }
    if (this.head === null && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private unlist(entry: Entry): void {
    if (!entry.listed) return;
    entry.listed = false;
    if (entry.prev === null) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === null) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = null;
  }
}
