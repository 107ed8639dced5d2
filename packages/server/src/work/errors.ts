/** How the work pool's failures answer: a structured error, never a 500. */
import { ApiError } from '../errors.ts';
import { WorkBusy, WorkTimeout } from './pool.ts';

/** `error` as the API answers it when it is the pool's; anything else is thrown on as it is. */
export function workError(error: unknown, what: string): unknown {
  if (error instanceof WorkTimeout) {
    return new ApiError(422, 'work_timeout', `${what} took longer than the limit of ${error.limitMs} ms and was stopped`, [
      { message: 'the work is too large for this server: make the source or the inputs smaller (the limit is VERDICT_WORK_TIMEOUT_MS)' },
    ]);
  }
  if (error instanceof WorkBusy) return new ApiError(503, 'work_busy', `${what} could not start: ${error.message}`, [], { 'Retry-After': '1' });
  return error;
}

/** Runs `work`, answering the pool's failures as `workError` does. */
export async function offThread<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw workError(error, what);
  }
}
