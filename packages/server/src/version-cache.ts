/**
 * The registry's compiled versions, least recently used first out. A version is immutable, so a
 * dropped one is only compiled again when next asked for; without a bound, a caller evaluating
 * (or shipping decisions for) every old version of every ruleset kept all of them compiled.
 *
 * Bounded by count and by an estimate of the memory the compiled versions take (their size is
 * known once loaded: a load in progress counts for nothing and is never dropped). Versions a
 * channel points at (`pinned`) are never dropped: the next evaluation would compile them again.
 */

export interface VersionCacheLimits {
  /** Versions kept compiled, pinned ones included in the count but never dropped. */
  maxVersions: number;
  /** Estimated bytes kept compiled (see `estimatedBytes`). */
  maxBytes: number;
}

/** Defaults: `VERDICT_VERSION_CACHE` and `VERDICT_VERSION_CACHE_MB` (docs/operations.md). */
export const VERSION_CACHE_DEFAULTS: VersionCacheLimits = { maxVersions: 256, maxBytes: 512 * 1024 * 1024 };

/**
 * The memory a compiled version takes, estimated from its source: the example rulesets measured
 * 35 to 70 times their source's length in heap once compiled (generated code, closures, schema
 * validators, constants), so 64 times.
 */
export function estimatedBytes(source: string): number {
  return source.length * 64;
}

interface Entry<V> {
  value: Promise<V>;
  /** 0 until loaded. */
  bytes: number;
}

export class VersionCache<V> {
  /** In order of use, least recent first (a Map keeps insertion order; a use re-inserts). */
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;
  /** Versions dropped to stay within the limits (for metrics and tests). */
  evictions = 0;

  constructor(
    private readonly limits: VersionCacheLimits,
    private readonly pinned: () => ReadonlySet<string>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get estimatedBytes(): number {
    return this.bytes;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The cached load of `key`, now the most recently used. */
  get(key: string): Promise<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Caches a load; once it succeeds its size counts and the least recently used are dropped past the limits, once it fails it is forgotten. */
  set(key: string, value: Promise<V>, sizeOf: (loaded: V) => number): void {
    this.delete(key);
    const entry: Entry<V> = { value, bytes: 0 };
    this.entries.set(key, entry);
    value.then(
      (loaded) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = sizeOf(loaded);
        this.bytes += entry.bytes;
        this.shrink(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.delete(key);
      },
    );
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }

  /** Drops the least recently used loaded, unpinned versions (never `keep`, just loaded) until within the limits. */
  private shrink(keep: string): void {
    if (this.entries.size <= this.limits.maxVersions && this.bytes <= this.limits.maxBytes) return;
    const pinned = this.pinned();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxVersions && this.bytes <= this.limits.maxBytes) return;
      if (key === keep || entry.bytes === 0 || pinned.has(key)) continue;
      this.delete(key);
      this.evictions++;
    }
  }
}
