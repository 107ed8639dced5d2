/**
 * Answers stay proportionate to their requests where the caller chooses the work (a batch, an
 * explained evaluation, an impact replay): an answer may be at most
 * max(`RESPONSE_FLOOR_BYTES`, ratio × the request body's size) bytes of JSON, or up to the
 * `max_response_bytes` the request asks for, itself at most the server's limit. Past that the
 * answer is a 422 `response_too_large` saying how to ask for less, so a few kilobytes sent cannot
 * make the server build and send megabytes unasked.
 */
import type { Context } from 'hono';
import { bodyBytes } from './body.ts';
import type { ServerConfig } from './config.ts';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

/** Any request may receive this much, whatever its size. */
export const RESPONSE_FLOOR_BYTES = 1024 * 1024;
export const DEFAULT_RESPONSE_RATIO = 64;
export const DEFAULT_RESPONSE_LIMIT_BYTES = 32 * 1024 * 1024;

/** The body field a caller sets to receive a larger answer (within the server's limit). */
export const MAX_RESPONSE_BYTES_FIELD = 'max_response_bytes';

export function maxResponseBytesSchema(config: Pick<ServerConfig, 'responseLimitBytes' | 'responseRatio'>) {
  return {
    type: 'integer',
    minimum: 1,
    maximum: config.responseLimitBytes ?? DEFAULT_RESPONSE_LIMIT_BYTES,
    description: `The largest answer (bytes of JSON) this request will take. Without it an answer may be max(${RESPONSE_FLOOR_BYTES} bytes, ${config.responseRatio ?? DEFAULT_RESPONSE_RATIO} × the request body's size); a larger one is refused (422 \`response_too_large\`) rather than built and sent unasked.`,
  };
}

export interface ResponseBound {
  bytes: number;
  /** How the bound was set, for the error message. */
  why: string;
}

export function responseBound(c: Context<AppEnv>, config: ServerConfig, asked: number | undefined): ResponseBound {
  const limit = config.responseLimitBytes ?? DEFAULT_RESPONSE_LIMIT_BYTES;
  if (asked !== undefined) return { bytes: Math.min(asked, limit), why: `the \`${MAX_RESPONSE_BYTES_FIELD}\` it asked for` };
  const ratio = config.responseRatio ?? DEFAULT_RESPONSE_RATIO;
  const sent = bodyBytes(c);
  const bytes = Math.min(limit, Math.max(RESPONSE_FLOOR_BYTES, ratio * sent));
  return { bytes, why: `max(${RESPONSE_FLOOR_BYTES} bytes, ${ratio} × the ${sent} bytes it sent); set \`${MAX_RESPONSE_BYTES_FIELD}\` (at most ${limit}) to take more` };
}

export function responseTooLarge(bound: ResponseBound, size: number | null, hint: string): ApiError {
  const what = size === null ? `more than ${bound.bytes} bytes` : `${size} bytes`;
  return new ApiError(422, 'response_too_large', `the answer would be ${what}, more than this request may receive: ${bound.why}`, [
    { path: `body/${MAX_RESPONSE_BYTES_FIELD}`, message: hint, limit: bound.bytes, ...(size === null ? {} : { size }) },
  ]);
}

/** `value` as a JSON answer when it fits `bound`, else the 422. */
export function boundedJson(c: Context<AppEnv>, value: unknown, bound: ResponseBound, hint: string): Response {
  const text = JSON.stringify(value);
  // bytes >= UTF-16 length / 1 and <= 3 × it: only measure exactly near the bound
  const size = text.length * 3 <= bound.bytes ? text.length : Buffer.byteLength(text);
  if (size > bound.bytes) throw responseTooLarge(bound, size, hint);
  return c.body(text, 200, { 'Content-Type': 'application/json' });
}
