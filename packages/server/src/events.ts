/**
 * Server-sent events: decisions (`policy_validation_completed`) and channel changes, fanned out to
 * the open streams that asked for them.
 *
 * Evaluation never waits for a stream: publishing an event only appends its text (made once) to the
 * buffer of each stream whose filter matches; buffers are written out together every
 * `FLUSH_INTERVAL_MS`, in slices so requests interleave. A stream whose buffer (what waits here and
 * what its connection has not yet taken) passes its bound is a reader too slow for the traffic it
 * asked for: it gets a final `dropped` event saying why and is ended. Open streams are limited per
 * API key and in total.
 */
import type { ChangeEvent } from '@verdict/store';

export const EVENT_TYPES = ['policy_validation_completed', 'channel_moved', 'params_changed', 'version_published'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ServerEvent {
  type: EventType;
  data: Record<string, unknown>;
}

/** What a stream receives: events of one ruleset (or all), of some types (or all). */
export interface EventFilter {
  ruleset: string | null;
  types: ReadonlySet<EventType> | null;
}

export interface StreamLimits {
  perKey: number;
  total: number;
  /** Bytes a stream may have waiting before it is dropped. */
  bufferBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perKey: 10, total: 1000, bufferBytes: 1024 * 1024 };

/** Where a stream's text goes (the HTTP response). */
export interface EventSink {
  /** Bytes written but not yet taken by the connection. */
  buffered(): number;
  /** Writes `text`; false when the stream must end instead (its key no longer allows it), having said why. */
  write(text: string): Promise<boolean>;
  /** Writes `text` (if any) and ends the response. */
  end(text?: string): void;
}

/** How often stream buffers are written out; events reach a stream within about this long. */
export const FLUSH_INTERVAL_MS = 50;
/** Streams written per turn of the event loop, so a flush of many streams does not hold requests up. */
const FLUSH_SLICE = 64;
/** A comment this often keeps idle streams open through proxies (and re-checks their keys). */
export const KEEP_ALIVE_MS = 15_000;
/** How many recent change keys are remembered to drop the second announcement of one change. */
const RECENT_KEYS = 2048;

export class EventStream {
  pending: string[] = [];
  pendingBytes = 0;
  queued = false;
  open = true;
  sink: EventSink | null = null;

  constructor(
    readonly key: string,
    readonly filter: EventFilter,
    private readonly hub: EventHub,
  ) {}

  wants(event: ServerEvent): boolean {
    return (this.filter.ruleset === null || event.data['ruleset'] === this.filter.ruleset) && (this.filter.types === null || this.filter.types.has(event.type));
  }

  /** Starts delivery to `sink` (events published since `open` are already waiting). */
  attach(sink: EventSink): void {
    this.sink = sink;
    if (this.pending.length > 0) this.hub.schedule(this);
  }

  /** Ends the stream (the client went away, or the server ends it with `final`). */
  close(final?: string): void {
    if (!this.open) return;
    this.open = false;
    this.pending = [];
    this.pendingBytes = 0;
    this.hub.remove(this);
    this.sink?.end(final);
  }

  /** Writes what waits (or a keep-alive comment when `keepAlive` and nothing waits). */
  async flush(keepAlive = false): Promise<void> {
    this.queued = false;
    if (!this.open || this.sink === null) return;
    if (this.pending.length === 0 && !keepAlive) return;
    const text = this.pending.length === 0 ? ': keep-alive\n\n' : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    if (!(await this.sink.write(text))) this.close();
  }
}

export class EventHub {
  private readonly streams = new Set<EventStream>();
  private readonly perKey = new Map<string, number>();
  private readonly recent = new Set<string>();
  private readonly closers = new Set<() => void>();
  private dirty: EventStream[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Streams dropped for reading too slowly (for metrics and tests). */
  dropped = 0;

  constructor(readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {}

  /** Opens a stream for `key`, or says which limit refuses it. */
  open(key: string, filter: EventFilter): EventStream | 'per_key' | 'total' {
    if (this.streams.size >= this.limits.total) return 'total';
    const mine = this.perKey.get(key) ?? 0;
    if (mine >= this.limits.perKey) return 'per_key';
    const stream = new EventStream(key, filter, this);
    this.streams.add(stream);
    this.perKey.set(key, mine + 1);
    this.keepAliveTimer ??= setInterval(() => this.keepAlive(), KEEP_ALIVE_MS).unref();
    return stream;
  }

  /** Called by a stream that ended. */
  remove(stream: EventStream): void {
    if (!this.streams.delete(stream)) return;
    const left = (this.perKey.get(stream.key) ?? 1) - 1;
    if (left <= 0) this.perKey.delete(stream.key);
    else this.perKey.set(stream.key, left);
    if (this.streams.size === 0 && this.keepAliveTimer !== null) {
      clearInterval(this.keepAliveTimer);
      this.keepAliveTimer = null;
    }
  }

  /** Called once when the server shuts down, so open streams end instead of holding the shutdown up. */
  onClose(listener: () => void): () => void {
    this.closers.add(listener);
    return () => this.closers.delete(listener);
  }

  close(): void {
    for (const listener of [...this.closers]) listener();
    this.closers.clear();
    for (const stream of [...this.streams]) stream.close();
  }

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Announces an event. A change can be announced twice (by the route that
   * made it and by the store's change notification, which also reports this
   * process's own commits); with the same `key` only the first goes out.
   */
  publish(event: ServerEvent, key?: string): void {
    if (key !== undefined) {
      if (this.recent.has(key)) return;
      this.recent.add(key);
      if (this.recent.size > RECENT_KEYS) this.recent.delete(this.recent.values().next().value!);
    }
    if (this.streams.size === 0) return;
    let text: string | null = null;
    for (const stream of this.streams) {
      if (!stream.wants(event)) continue;
      text ??= `id: ${this.nextId++}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
      stream.pending.push(text);
      stream.pendingBytes += text.length;
      if (stream.pendingBytes + (stream.sink?.buffered() ?? 0) > this.limits.bufferBytes) this.drop(stream);
      else if (stream.sink !== null) this.schedule(stream);
    }
  }

  schedule(stream: EventStream): void {
    if (stream.queued) return;
    stream.queued = true;
    this.dirty.push(stream);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  private drop(stream: EventStream): void {
    const waiting = stream.pendingBytes + (stream.sink?.buffered() ?? 0);
    this.dropped++;
    const data = {
      reason: 'slow_reader',
      message: `this stream had more than ${this.limits.bufferBytes} bytes of events waiting for it to read; it was ended so as not to hold up the server. Reconnect, and read faster or filter (ruleset, types)`,
      buffered_bytes: waiting,
    };
    stream.close(`event: dropped\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private flush(): void {
    this.flushTimer = null;
    const batch = this.dirty;
    this.dirty = [];
    const slice = (from: number) => {
      for (const stream of batch.slice(from, from + FLUSH_SLICE)) void stream.flush();
      if (from + FLUSH_SLICE < batch.length) setImmediate(() => slice(from + FLUSH_SLICE));
    };
    slice(0);
  }

  private keepAlive(): void {
    const all = [...this.streams];
    const slice = (from: number) => {
      for (const stream of all.slice(from, from + FLUSH_SLICE)) void stream.flush(true);
      if (from + FLUSH_SLICE < all.length) setImmediate(() => slice(from + FLUSH_SLICE));
    };
    slice(0);
  }
}

/** The key under which a committed change is announced (see `EventHub.publish`). */
export function changeKey(event: ChangeEvent): string {
  return event.kind === 'version' ? `version:${event.ruleset}:${String(event.version)}` : `${event.kind}:${event.ruleset}:${event.channel ?? ''}:${String(event.revision)}`;
}

/** The stream event for a change notified by the store (another replica's, or ours before the route announced it). */
export function changeEvent(event: ChangeEvent): ServerEvent {
  const type = event.kind === 'version' ? 'version_published' : event.kind === 'channel' ? 'channel_moved' : 'params_changed';
  const data: Record<string, unknown> = { ruleset: event.ruleset };
  if (event.channel !== undefined) data['channel'] = event.channel;
  if (event.version !== undefined) data['version'] = event.version;
  if (event.revision !== undefined) data['revision'] = event.revision;
  return { type, data };
}

/** The stream limits a server configuration sets (defaults where it sets none). */
export function streamLimitsOf(config: { eventStreamsPerKey?: number; eventStreams?: number; eventBuffer?: number }): StreamLimits {
  return {
    perKey: config.eventStreamsPerKey ?? DEFAULT_STREAM_LIMITS.perKey,
    total: config.eventStreams ?? DEFAULT_STREAM_LIMITS.total,
    bufferBytes: config.eventBuffer ?? DEFAULT_STREAM_LIMITS.bufferBytes,
  };
}
