/**
 * Reading request bodies within the size limit. On Node the body is read
 * straight from the socket's IncomingMessage: going through the web
 * `Request` stream (what `c.req.text()` and hono's bodyLimit do) cost more
 * than the evaluation itself under load. Elsewhere (tests through
 * `app.request`) the web API is used, with the same limit.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { errors } from './errors.ts';

const limits = new WeakMap<object, number>();

/** Refuses a declared oversized body at once (413) and records the limit for `readText`. */
export function bodySizeGuard(limit: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    limits.set(c, limit);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > limit) throw errors.tooLarge(limit);
    await next();
  };
}

const sizes = new WeakMap<object, number>();

export async function readText(c: Context<AppEnv>): Promise<string> {
  const limit = limits.get(c) ?? Infinity;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const text = incoming !== undefined && incoming.readable && typeof incoming.on === 'function' ? await readIncoming(incoming, limit) : await c.req.text();
  const size = Buffer.byteLength(text);
  if (size > limit) throw errors.tooLarge(limit);
  sizes.set(c, size);
  return text;
}

/** The size in bytes of the body `readText` read for this request (0 when none was read). */
export function bodyBytes(c: Context<AppEnv>): number {
  return sizes.get(c) ?? 0;
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        incoming.resume(); // drain the rest so the connection can answer
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}
