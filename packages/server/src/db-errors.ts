/**
 * What a database error means for the server: the data refused (not worth a
 * retry), the database out of reach (503 with Retry-After, retried later), and
 * a short description for the server log that never carries the query's
 * parameters (drizzle's own message quotes them: a whole batch of decisions).
 */

/** SQLSTATE classes of errors in the data itself: retrying the same rows cannot succeed. */
const DATA_ERROR_CLASSES = new Set(['22', '23']);

/**
 * Driver and socket codes of a database that cannot be reached, and SQLSTATEs of one that cannot
 * serve now: connection exceptions (08), shutting down or not yet accepting (57P01-57P03),
 * out of disk, memory or connections (53), I/O errors (58), a read-only server (25006).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'DATABASE_UNREACHABLE',
  '57P01', '57P02', '57P03', '25006',
]);
const UNAVAILABLE_CLASSES = new Set(['08', '53', '58']);

/** The error and the errors it wraps (drizzle wraps the driver's), outermost first. */
function* chain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as { code?: unknown; message?: unknown };
  }
}

/** Whether `error` (or an error it wraps, as drizzle does) is the database refusing the data. */
export function isDataError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && e.code.length === 5) return DATA_ERROR_CLASSES.has(e.code.slice(0, 2));
  }
  return false;
}

/** Whether `error` says the database cannot be reached or cannot serve now (worth retrying later). */
export function isUnavailableError(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.code !== 'string') continue;
    if (UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.code.length === 5 && UNAVAILABLE_CLASSES.has(e.code.slice(0, 2))) return true;
  }
  return false;
}

/** The innermost error's code and the first 300 characters of its message: enough to act on, never a batch of rows. */
export function describeDbError(error: unknown): { code: string | null; message: string } {
  let code: string | null = null;
  let message = 'unknown error';
  for (const e of chain(error)) {
    if (typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string') message = e.message;
  }
  return { code, message: message.length > 300 ? `${message.slice(0, 300)}...` : message };
}
