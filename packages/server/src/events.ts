/** Server-sent events: decisions (`policy_validation_completed`) and channel changes, fanned out to subscribers. */
import type { ChangeEvent } from '@verdict/store';

export interface ServerEvent {
  type: 'policy_validation_completed' | 'channel_moved' | 'params_changed' | 'version_published';
  data: Record<string, unknown>;
}

/** How many recent change keys are remembered to drop the second announcement of one change. */
const RECENT_KEYS = 2048;

export class EventHub {
  private readonly subscribers = new Set<(event: ServerEvent) => void>();
  private readonly recent = new Set<string>();
  private nextId = 1;

  subscribe(listener: (event: ServerEvent & { id: number }) => void): () => void {
    const wrapped = listener as (event: ServerEvent) => void;
    this.subscribers.add(wrapped);
    return () => this.subscribers.delete(wrapped);
  }

  private readonly closers = new Set<() => void>();

  /** Called once when the server shuts down, so open streams end instead of holding the shutdown up. */
  onClose(listener: () => void): () => void {
    this.closers.add(listener);
    return () => this.closers.delete(listener);
  }

  close(): void {
    for (const listener of [...this.closers]) listener();
    this.closers.clear();
  }

  get size(): number {
    return this.subscribers.size;
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
    if (this.subscribers.size === 0) return;
    const withId = { ...event, id: this.nextId++ };
    for (const s of this.subscribers) s(withId);
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
