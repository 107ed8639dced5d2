/**
 * Bearer-key authentication and scopes. Keys are looked up by hash in the
 * store and cached; a cached key is re-checked every couple of seconds in the
 * background, so a revoked key stops working within seconds (at once in the
 * process that revoked it) and the hot path never waits for the database.
 */
import type { Context } from 'hono';
import type { ApiScope, Store } from '@verdict/store';
import type { Guard } from './api.ts';
import type { AppEnv, Caller } from './env.ts';
import { errors } from './errors.ts';
import type { RateLimiter } from './rate-limit.ts';

/** After this a cached key is checked again in the background (the request does not wait). */
const REFRESH_MS = 2000;
/** After this (the background checks failing, e.g. the database is down) a request waits for the database again. */
const MAX_AGE_MS = 30_000;

/** Keys remembered; past this the oldest answers are dropped (a burst of junk keys cannot evict the rest at once). */
const MAX_CACHED_KEYS = 10_000;
/** Unknown keys remembered (to spare the database a lookup per retry), kept apart so they never push known keys out. */
const MAX_UNKNOWN_KEYS = 1_000;

/** Sets `key` in `map`, first dropping the oldest entries when it is full (Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, capacity: number): void {
  map.delete(key);
  if (map.size >= capacity) {
    const oldest = map.keys();
    for (let i = 0, drop = Math.max(1, capacity >> 4); i < drop; i++) map.delete(oldest.next().value!);
  }
  map.set(key, value);
}

interface CachedKey {
  caller: Caller | null;
  checked: number;
  refreshing: boolean;
}

export interface BearerAuth {
  guard: Guard;
  /** Drops every cached answer (a key was revoked here). */
  forget: () => void;
  /** Whether the request's key still grants `scope` now: a long-lived response (the event stream) asks again as it goes. */
  stillAllowed: (c: Context<AppEnv>, scope: ApiScope) => Promise<boolean>;
}

export function bearerGuard(store: Store, limiter: RateLimiter): BearerAuth {
  const cache = new Map<string, CachedKey>();
  const unknown = new Map<string, CachedKey>();
  // Bumped by forget(): a lookup that started before a revocation must not put the old answer back.
  let generation = 0;
  const fetchKey = async (key: string): Promise<Caller | null> => {
    const started = generation;
    const found = await store.findApiKey(key);
    const caller = found === null ? null : { keyId: found.id, name: found.name, scopes: found.scopes };
    if (started !== generation) return caller;
    const entry = { caller, checked: Date.now(), refreshing: false };
    if (caller === null) {
      cache.delete(key);
      remember(unknown, key, entry, MAX_UNKNOWN_KEYS);
    } else {
      unknown.delete(key);
      remember(cache, key, entry, MAX_CACHED_KEYS);
    }
    return caller;
  };
  // Stale-while-revalidate: a known key is answered from memory and re-checked off the request
  // path, so a request never waits behind the database (on PGlite, behind a decision log write).
  const lookup = async (key: string): Promise<Caller | null> => {
    const cached = cache.get(key) ?? unknown.get(key);
    const now = Date.now();
    if (cached === undefined || now - cached.checked > MAX_AGE_MS) return fetchKey(key);
    // an unknown key is not served stale: a key just created on another replica works as soon as it is seen
    if (cached.caller === null && now - cached.checked > REFRESH_MS) return fetchKey(key);
    if (now - cached.checked > REFRESH_MS && !cached.refreshing) {
      cached.refreshing = true;
      fetchKey(key).catch(() => (cached.refreshing = false));
    }
    return cached.caller;
  };
  const keyOf = (c: Context<AppEnv>): string | null => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match === null ? null : match[1]!;
  };
  const guard: Guard = async (c: Context<AppEnv>, scope: ApiScope | null) => {
    if (scope === null) return;
    const key = keyOf(c);
    if (key === null) throw errors.unauthorized();
    const caller = await lookup(key);
    if (caller === null) throw errors.unauthorized('unknown or revoked API key');
    if (!allows(caller.scopes, scope)) throw errors.forbidden(scope);
    const wait = limiter.take(caller.keyId);
    if (wait > 0) throw errors.rateLimited(wait);
    c.set('caller', caller);
  };
  return {
    guard,
    forget: () => {
      generation++;
      cache.clear();
      unknown.clear();
    },
    stillAllowed: async (c, scope) => {
      const key = keyOf(c);
      const caller = key === null ? null : await lookup(key).catch(() => null);
      return caller !== null && allows(caller.scopes, scope);
    },
  };
}

/** `admin` may do everything; other scopes only what they name. */
export function allows(scopes: readonly ApiScope[], needed: ApiScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

export function actorOf(c: Context<AppEnv>): string {
  const caller = c.get('caller');
  return caller === null ? 'anonymous' : `key:${caller.name}`;
}
