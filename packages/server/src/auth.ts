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

interface CachedKey {
  caller: Caller | null;
  checked: number;
  refreshing: boolean;
}

export function bearerGuard(store: Store, limiter: RateLimiter): { guard: Guard; forget: () => void } {
  const cache = new Map<string, CachedKey>();
  // Bumped by forget(): a lookup that started before a revocation must not put the old answer back.
  let generation = 0;
  const fetchKey = async (key: string): Promise<Caller | null> => {
    const started = generation;
    const found = await store.findApiKey(key);
    const caller = found === null ? null : { keyId: found.id, name: found.name, scopes: found.scopes };
    if (started !== generation) return caller;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { caller, checked: Date.now(), refreshing: false });
    return caller;
  };
  // Stale-while-revalidate: a known key is answered from memory and re-checked off the request
  // path, so a request never waits behind the database (on PGlite, behind a decision log write).
  const lookup = async (key: string): Promise<Caller | null> => {
    const cached = cache.get(key);
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
  const guard: Guard = async (c: Context<AppEnv>, scope: ApiScope | null) => {
    if (scope === null) return;
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) throw errors.unauthorized();
    const caller = await lookup(match[1]!);
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
