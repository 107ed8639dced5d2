import { InvalidCursorError } from './errors.ts';

// Opaque cursors: base64url of {"s": <seq or id of the last row returned>}.

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ s: position }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && 's' in parsed) {
      const position = (parsed as { s: unknown }).s;
      if (typeof position === 'number' && Number.isSafeInteger(position) && position > 0) return position;
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError(cursor);
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
