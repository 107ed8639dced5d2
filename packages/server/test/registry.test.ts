// The registry's compiled versions: a bounded cache (least recently used dropped first, by count
// and by estimated memory), versions on a channel never dropped, one compile per version however
// many ask for it at once.
import { describe, expect, it } from 'vitest';
import { NotFoundError, type ChannelState, type Store, type VersionRecord } from '@verdict/store';
import { configFromEnv, inlineCompileMaxBytesOf, INLINE_COMPILE_MAX_KB, versionCacheOf } from '../src/config.ts';
import { RulesetRegistry } from '../src/registry.ts';
import { estimatedBytes, VERSION_CACHE_DEFAULTS } from '../src/version-cache.ts';
import type { WorkPool } from '../src/work/pool.ts';
import { runTask, type WorkRequest } from '../src/work/tasks.ts';
import { policy } from './policies.ts';

const RULESET = 'cache.r';

/** A store holding versions 1..n of RULESET (each source distinct) and channels; counts version reads. */
function fakeStore(versions: number, channels: Record<string, number> = {}) {
  const reads: number[] = [];
  const sources = new Map<number, string>();
  for (let v = 1; v <= versions; v++) sources.set(v, policy(RULESET, { limit: v }));
  const store = {
    async getVersion(ruleset: string, version: number): Promise<VersionRecord | null> {
      reads.push(version);
      const source = ruleset === RULESET ? sources.get(version) : undefined;
      if (source === undefined) return null;
      return { ruleset, version, source, hash: `sha256:${version}`, compiled: null, author: 't', message: '', parentVersion: null, createdAt: new Date() };
    },
    async getChannel(ruleset: string, channel: string): Promise<ChannelState> {
      const version = channels[channel];
      if (ruleset !== RULESET || version === undefined) throw new NotFoundError('channel', 'no such channel');
      return { ruleset, channel, revision: 1, version, params: {}, author: 't', reason: null, createdAt: new Date() };
    },
  };
  return { store: store as unknown as Store, reads, channels, sourceOf: (v: number) => sources.get(v)! };
}

const loaded = async (registry: RulesetRegistry, versions: number[]) => {
  for (const v of versions) await registry.version(RULESET, v);
};

describe('compiled-version cache', () => {
  it('keeps at most maxVersions, dropping the least recently used', async () => {
    const { store, reads } = fakeStore(5);
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 3, maxBytes: Infinity });
    await loaded(registry, [1, 2, 3]);
    await registry.version(RULESET, 1); // 1 is now more recent than 2
    await registry.version(RULESET, 4); // over the limit: 2 goes
    expect(registry.cachedVersions).toMatchObject({ versions: 3, evictions: 1 });
    reads.length = 0;
    await loaded(registry, [1, 3, 4]);
    expect(reads).toEqual([]);
    await registry.version(RULESET, 2);
    expect(reads).toEqual([2]); // compiled again
  });

  it('keeps the estimated memory within maxBytes', async () => {
    const { store, sourceOf } = fakeStore(6);
    const one = estimatedBytes(sourceOf(1));
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 100, maxBytes: Math.floor(2.5 * one) });
    await loaded(registry, [1, 2, 3, 4, 5, 6]);
    const state = registry.cachedVersions;
    expect(state.versions).toBe(2);
    expect(state.estimatedBytes).toBeLessThanOrEqual(2.5 * one);
    expect(state.evictions).toBe(4);
  });

  it('never drops a version a channel is on, even when it is the least recently used', async () => {
    const { store, reads, channels } = fakeStore(6, { production: 1, canary: 2 });
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 3, maxBytes: Infinity });
    await registry.channel(RULESET, 'production');
    await registry.channel(RULESET, 'canary');
    await loaded(registry, [3, 4, 5, 6]);
    // the channels' state is dropped on a change event; their versions stay compiled
    registry.forgetChannels();
    reads.length = 0;
    await registry.channel(RULESET, 'production');
    await registry.channel(RULESET, 'canary');
    expect(reads).toEqual([]);
    expect(registry.cachedVersions.versions).toBe(3);
    // once a channel moves on, its old version may go
    channels['production'] = 6;
    registry.forgetChannels();
    await registry.channel(RULESET, 'production');
    await loaded(registry, [3]);
    reads.length = 0;
    await registry.version(RULESET, 1);
    expect(reads).toEqual([1]);
  });

  it('compiles a version once however many ask for it at once', async () => {
    const { store, reads } = fakeStore(1);
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 3, maxBytes: Infinity });
    const all = await Promise.all(Array.from({ length: 20 }, () => registry.version(RULESET, 1)));
    expect(reads).toEqual([1]);
    expect(new Set(all.map((v) => v.compiled)).size).toBe(1);
  });

  it('compiles the version a channel moved to when the change is announced, not in the next request', async () => {
    const { store, reads, channels } = fakeStore(2, { production: 1 });
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 3, maxBytes: Infinity });
    await registry.channel(RULESET, 'production');
    channels['production'] = 2;
    reads.length = 0;
    registry.changed({ kind: 'channel', ruleset: RULESET, channel: 'production', version: 2, revision: 2 });
    // the background load starts on the next turn of the event loop (this store answers at once)
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual([2]);
    expect((await registry.channel(RULESET, 'production')).loaded.version).toBe(2);
    expect(reads).toEqual([2]);
  });

  it('forgets a failed load, so the next request tries again', async () => {
    const { store, reads } = fakeStore(1);
    const registry = new RulesetRegistry(store, undefined, { maxVersions: 3, maxBytes: Infinity });
    await expect(registry.version(RULESET, 9)).rejects.toThrow(/version 9/);
    await expect(registry.version(RULESET, 9)).rejects.toThrow(/version 9/);
    expect(reads).toEqual([9, 9]);
    expect(registry.cachedVersions.versions).toBe(0);
  });

  it('is configured by VERDICT_VERSION_CACHE and VERDICT_VERSION_CACHE_MB', () => {
    expect(versionCacheOf(configFromEnv({}))).toEqual(VERSION_CACHE_DEFAULTS);
    expect(versionCacheOf(configFromEnv({ VERDICT_VERSION_CACHE: '10', VERDICT_VERSION_CACHE_MB: '64' }))).toEqual({ maxVersions: 10, maxBytes: 64 * 1048576 });
    expect(() => configFromEnv({ VERDICT_VERSION_CACHE: '0' })).toThrow(/VERDICT_VERSION_CACHE must be/);
  });
});

describe('heavy versions', () => {
  /** A pool that records the tasks it is given and runs them here. */
  function recordingPool() {
    const kinds: string[] = [];
    const pool = { run: (request: WorkRequest) => (kinds.push(request.kind), Promise.resolve(runTask(request))) } as unknown as WorkPool;
    return { pool, kinds };
  }

  it('loads a source over the inline limit through the pool: not compiled here, with the metadata an inline load has', async () => {
    const { store, sourceOf } = fakeStore(1, { production: 1 });
    const { pool, kinds } = recordingPool();
    const size = Buffer.byteLength(sourceOf(1));
    const heavy = new RulesetRegistry(store, undefined, VERSION_CACHE_DEFAULTS, { pool, inlineMaxBytes: size - 1 });
    const inline = new RulesetRegistry(store, undefined, VERSION_CACHE_DEFAULTS, { pool, inlineMaxBytes: size });
    const held = await heavy.version(RULESET, 1);
    expect(kinds).toEqual(['load']);
    expect(held.compiled).toBeNull();
    const compiled = await inline.version(RULESET, 1);
    expect(kinds).toEqual(['load']);
    expect(compiled.compiled).not.toBeNull();
    expect(held.info).toEqual(compiled.info);
    expect(held.info.defaults).toEqual({ limit: 1, mode: 'strict' });
    expect(held.sensitive).toEqual(compiled.sensitive);
    // its channel's params are checked in the pool, with the same outcome
    expect((await heavy.channel(RULESET, 'production')).params).toEqual((await inline.channel(RULESET, 'production')).params);
    expect(kinds).toEqual(['load', 'params']);
    expect(await heavy.validateParams(held, { limit: -1 })).toEqual(await inline.validateParams(compiled, { limit: -1 }));
    // its compiled copies are the workers': here it takes its source's size, not a compiled version's estimate
    expect(heavy.cachedVersions.estimatedBytes).toBeLessThan(estimatedBytes(sourceOf(1)) / 10);
  });

  it('is configured by VERDICT_INLINE_COMPILE_MAX_KB (KB; 0 makes every stored version heavy)', () => {
    expect(inlineCompileMaxBytesOf(configFromEnv({}))).toBe(INLINE_COMPILE_MAX_KB * 1024);
    expect(inlineCompileMaxBytesOf(configFromEnv({ VERDICT_INLINE_COMPILE_MAX_KB: '0' }))).toBe(0);
    expect(inlineCompileMaxBytesOf(configFromEnv({ VERDICT_INLINE_COMPILE_MAX_KB: '64' }))).toBe(64 * 1024);
    expect(() => configFromEnv({ VERDICT_INLINE_COMPILE_MAX_KB: '-1' })).toThrow(/VERDICT_INLINE_COMPILE_MAX_KB must be/);
  });
});
