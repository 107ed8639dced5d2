/** Server-sent events: decisions (`policy_validation_completed`) and channel changes, fanned out to subscribers. */

export interface ServerEvent {
  type: 'policy_validation_completed' | 'channel_moved' | 'params_changed' | 'version_published';
  data: Record<string, unknown>;
}

export class EventHub {
  private readonly subscribers = new Set<(event: ServerEvent) => void>();
  private nextId = 1;

  subscribe(listener: (event: ServerEvent & { id: number }) => void): () => void {
    const wrapped = listener as (event: ServerEvent) => void;
    this.subscribers.add(wrapped);
    return () => this.subscribers.delete(wrapped);
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(event: ServerEvent): void {
    if (this.subscribers.size === 0) return;
    const withId = { ...event, id: this.nextId++ };
    for (const s of this.subscribers) s(withId);
  }
}
