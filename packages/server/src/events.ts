/**
 * Server-sent events: decisions (`policy_validation_completed`) and channel changes, fanned out to
 * the open streams that asked for them.
 *
 * Evaluation never waits for a stream: publishing an event appends its text (made once) to one list,
 * whatever the number of streams. Every `flushIntervalMs` that list is written to the streams
 * whose filter wants it, in slices so requests interleave. A stream whose connection has not taken
 * what was written before, plus what is to be written, passes its buffer bound is a reader too slow
 * for the traffic it asked for: it gets a final `dropped` event saying why and is ended. Open
 * streams are limited per API key and in total.
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
  /** Whether the stream's key still allows it (checked before each write; one check per key per flush). */
  allowed(): Promise<boolean>;
  write(text: string): void;
  /** Writes `text` (if any) and ends the response. */
  end(text?: string): void;
}

/**
 * How often streams are written: every 50 ms with few streams, one more millisecond per open stream
 * (at most once a second). The writes a second are then at most about a thousand however many
 * streams are open, which bounds what fan-out costs the server; events reach a stream within that
 * long.
 */
export const FLUSH_INTERVAL_MS = 50;
const MAX_FLUSH_INTERVAL_MS = 1000;
export function flushIntervalMs(streams: number): number {
  return Math.min(MAX_FLUSH_INTERVAL_MS, Math.max(FLUSH_INTERVAL_MS, streams));
}
/** Streams written per turn of the event loop, so a flush of many streams does not hold requests up. */
const FLUSH_SLICE = 100;
/** A comment this often keeps idle streams open through proxies (and re-checks their keys). */
export const KEEP_ALIVE_MS = 15_000;
/** How many recent change keys are remembered to drop the second announcement of one change. */
const RECENT_KEYS = 2048;
const KEEP_ALIVE = ': keep-alive\n\n';
const REVOKED = `event: revoked\ndata: ${JSON.stringify({ message: 'the API key of this stream is no longer valid' })}\n\n`;

interface Frame {
  seq: number;
  event: ServerEvent;
  text: string;
}

export class EventStream {
  open = true;
  sink: EventSink | null = null;
  /** Frames published before the stream opened are not its own. */
  readonly since: number;
  /** The text of its filter, shared by the streams with the same one when a flush writes them. */
  readonly filterKey: string;

  constructor(
    readonly key: string,
    readonly filter: EventFilter,
    private readonly hub: EventHub,
    since: number,
  ) {
    this.since = since;
    this.filterKey = `${filter.ruleset ?? '*'}\u0000${filter.types === null ? '*' : [...filter.types].sort().join(',')}`;
  }

  wants(event: ServerEvent): boolean {
    return (this.filter.ruleset === null || event.data['ruleset'] === this.filter.ruleset) && (this.filter.types === null || this.filter.types.has(event.type));
  }

  /** Starts delivery to `sink`. */
  attach(sink: EventSink): void {
    this.sink = sink;
  }

  /** Ends the stream (the client went away, or the server ends it with `final`). */
  close(final?: string): void {
    if (!this.open) return;
    this.open = false;
    this.hub.remove(this);
    this.sink?.end(final);
  }
}

export class EventHub {
  private readonly streams = new Set<EventStream>();
  private readonly perKey = new Map<string, number>();
  private readonly recent = new Set<string>();
  private readonly closers = new Set<() => void>();
  /** Events published since the last flush, in order. */
  private frames: Frame[] = [];
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
    const stream = new EventStream(key, filter, this, this.nextId);
    this.streams.add(stream);
    this.perKey.set(key, mine + 1);
    this.keepAliveTimer ??= setInterval(() => this.write(true), KEEP_ALIVE_MS).unref();
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
   * Announces an event: one append, whatever the number of streams (they are written by the next
   * flush). A change can be announced twice (by the route that made it and by the store's change
   * notification, which also reports this process's own commits); with the same `key` only the
   * first goes out.
   */
  publish(event: ServerEvent, key?: string): void {
    if (key !== undefined) {
      if (this.recent.has(key)) return;
      this.recent.add(key);
      if (this.recent.size > RECENT_KEYS) this.recent.delete(this.recent.values().next().value!);
    }
    if (this.streams.size === 0) return;
    const seq = this.nextId++;
    this.frames.push({ seq, event, text: `id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n` });
    this.flushTimer ??= setTimeout(() => this.write(false), flushIntervalMs(this.streams.size));
  }

  /**
   * Writes the frames published since the last flush to every stream that wants them (with
   * `keepAlive`, a comment to those that want none), in slices. The text is joined once per filter,
   * and each key is checked once.
   */
  private write(keepAlive: boolean): void {
    if (!keepAlive) this.flushTimer = null;
    const frames = keepAlive ? [] : this.frames;
    if (!keepAlive) this.frames = [];
    const streams = [...this.streams];
    const texts = new Map<string, string>();
    /** Whether each key still allows its streams, checked once per key per flush. */
    const allowedByKey = new Map<string, boolean>();
    const textFor = (stream: EventStream): string => {
      // a stream opened during this batch: only what was published after it opened
      if (frames.length > 0 && stream.since > frames[0]!.seq) return join(frames.filter((f) => f.seq >= stream.since && stream.wants(f.event)));
      let text = texts.get(stream.filterKey);
      if (text === undefined) texts.set(stream.filterKey, (text = join(frames.filter((f) => stream.wants(f.event)))));
      return text;
    };
    // The writes happen in the slices themselves: a key's check is awaited once and the slice goes on
    // from the stream that asked, so 1,000 streams of one key are never written in one burst.
    const slice = (from: number): void => {
      const end = Math.min(streams.length, from + FLUSH_SLICE);
      for (let i = from; i < end; i++) {
        const stream = streams[i]!;
        const sink = stream.sink;
        if (!stream.open || sink === null) continue;
        const text = textFor(stream) || (keepAlive ? KEEP_ALIVE : '');
        if (text === '') continue;
        const waiting = sink.buffered() + text.length;
        if (waiting > this.limits.bufferBytes) {
          this.drop(stream, waiting);
          continue;
        }
        const allowed = allowedByKey.get(stream.key);
        if (allowed === undefined) {
          void sink
            .allowed()
            .catch(() => false)
            .then((ok) => {
              allowedByKey.set(stream.key, ok);
              slice(i);
            });
          return;
        }
        if (allowed) sink.write(text);
        else stream.close(REVOKED);
      }
      if (end < streams.length) setImmediate(() => slice(end));
    };
    slice(0);
  }

  private drop(stream: EventStream, waiting: number): void {
    this.dropped++;
    const data = {
      reason: 'slow_reader',
      message: `this stream had more than ${this.limits.bufferBytes} bytes of events waiting for it to read; it was ended so as not to hold up the server. Reconnect, and read faster or filter (ruleset, types)`,
      buffered_bytes: waiting,
    };
    stream.close(`event: dropped\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

function join(frames: readonly Frame[]): string {
  let text = '';
  for (const f of frames) text += f.text;
  return text;
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
