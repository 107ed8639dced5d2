/**
 * Bearer-key authentication and scopes. Keys are looked up by hash in the
 * store; a short cache keeps the hot path off the database, and is short so
 * a revoked key stops working within seconds.
 */
import type { Context } from 'hono';
import type { ApiScope, Store } from '@verdict/store';
import type { Guard } from './api.ts';
import type { AppEnv, Caller } from './env.ts';
import { errors } from './errors.ts';
import type { RateLimiter } from './rate-limit.ts';

const CACHE_MS = 2000;

export function bearerGuard(store: Store, limiter: RateLimiter): { guard: Guard; forget: () => void } {
  const cache = new Map<string, { caller: Caller | null; until: number }>();
  const lookup = async (key: string): Promise<Caller | null> => {
    const cached = cache.get(key);
    if (cached !== undefined && cached.until > Date.now()) return cached.caller;
    const found = await store.findApiKey(key);
    const caller = found === null ? null : { keyId: found.id, name: found.name, scopes: found.scopes };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { caller, until: Date.now() + CACHE_MS });
    return caller;
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
  return { guard, forget: () => cache.clear() };
}

/** `admin` may do everything; other scopes only what they name. */
export function allows(scopes: readonly ApiScope[], needed: ApiScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

export function actorOf(c: Context<AppEnv>): string {
  const caller = c.get('caller');
  return caller === null ? 'anonymous' : `key:${caller.name}`;
}
