/**
 * Every error the API returns has one shape:
 * `{ "error": { "code": "snake_case", "message": "...", "details": [...] } }`
 * with a stable code per kind. Nothing reaches a client as a stack trace.
 */
export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503 | 504;

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details: ErrorDetail[] = [], requestId?: string) {
  return { error: { code, message, details, ...(requestId === undefined ? {} : { request_id: requestId }) } };
}

export const errors = {
  invalidJson: (message: string) => new ApiError(400, 'invalid_json', `the request body is not valid JSON: ${message}`),
  /** Valid JSON the server refuses (a repeated key, a `__proto__` key, too deep): `details` names the path. */
  unacceptableJson: (details: ErrorDetail[]) => new ApiError(400, 'invalid_json', `the request body is JSON the server does not accept: ${details.map((d) => d.message).join('; ')}`, details),
  unsupportedMediaType: (got: string | undefined) =>
    new ApiError(415, 'unsupported_media_type', `send the body as application/json${got ? `, not ${got}` : ''}`),
  invalidRequest: (details: ErrorDetail[]) => new ApiError(400, 'invalid_request', 'the request does not match the expected shape', details),
  unauthorized: (message = 'missing or invalid API key; send `Authorization: Bearer <key>`') => new ApiError(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' }),
  forbidden: (scope: string) => new ApiError(403, 'forbidden', `this API key lacks the \`${scope}\` scope`),
  /** `what` names the missing thing (`version 3 of ruleset \`x\``); the message adds "not found". */
  notFound: (what: string) => new ApiError(404, 'not_found', `${what} not found`),
  /** A 404 whose `message` is already a whole sentence (a store's `NotFoundError`): kept as it is. */
  missing: (message: string) => new ApiError(404, 'not_found', message),
  conflict: (code: string, message: string, details: ErrorDetail[] = []) => new ApiError(409, code, message, details),
  tooLarge: (limit: number) => new ApiError(413, 'payload_too_large', `the request body exceeds ${limit} bytes`),
  unprocessable: (code: string, message: string, details: ErrorDetail[]) => new ApiError(422, code, message, details),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError(429, 'rate_limited', `too many requests for this API key; retry after ${retryAfterSeconds} s`, [], { 'Retry-After': String(retryAfterSeconds) }),
  rulesetUnavailable: (ruleset: string, version: number, diagnostics: ReadonlyArray<{ code: string; message: string }>) =>
    new ApiError(
      503,
      'ruleset_unavailable',
      `version ${version} of ruleset \`${ruleset}\` is stored but does not compile on this server; publish a fixed version or move the channel`,
      diagnostics.slice(0, 10).map((d) => ({ path: 'source', code: d.code, message: d.message })),
    ),
  timeout: () => new ApiError(504, 'timeout', 'the request took too long and was stopped'),
  databaseUnavailable: (retryAfterSeconds = 5) =>
    new ApiError(503, 'database_unavailable', `the database cannot be reached; retry after ${retryAfterSeconds} s`, [], { 'Retry-After': String(retryAfterSeconds) }),
  /** The decision log cannot take another decision (see VERDICT_LOG_OVERFLOW), or (committed mode) cannot commit one. */
  logUnavailable: (reason: 'log_full' | 'database_unavailable', retryAfterSeconds: number) =>
    new ApiError(
      503,
      reason === 'log_full' ? 'decision_log_full' : 'database_unavailable',
      reason === 'log_full'
        ? `the decision log cannot take more decisions (the database is behind and the journal is full); retry after ${retryAfterSeconds} s`
        : `decisions are answered once logged, and the database cannot be reached; retry after ${retryAfterSeconds} s`,
      [],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
};
