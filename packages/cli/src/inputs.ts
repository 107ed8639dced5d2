import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError, type CommandIO } from './io.ts';

/** One input document, or why its line could not be read. */
export type InputItem = { index: number; value: unknown } | { index: number; error: { code: 'invalid_json'; message: string } };

export interface InputSource {
  items: AsyncIterable<InputItem>;
  /** Total bytes, when known (for the progress bar). */
  totalBytes: number | null;
  bytesRead: () => number;
}

/**
 * `--input`: a `.json` file (one document, or an array of documents), a
 * `.jsonl` file (one document per line, streamed), or `-` for standard input
 * (either form). Blank lines in JSONL are skipped; a bad line is an item
 * carrying its error, so the others go on.
 */
export async function openInputs(spec: string, io: CommandIO): Promise<InputSource> {
  if (spec === '-') {
    const text = await io.readStdin();
    return fromText(text);
  }
  const path = resolve(io.cwd, spec);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UsageError(`no such input file: ${spec}`);
  }
  if (!spec.endsWith('.jsonl') && !spec.endsWith('.ndjson')) return fromText(readFileSync(path, 'utf8'));
  let bytes = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('data', (chunk) => (bytes += Buffer.byteLength(chunk as string)));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  return { items: jsonLines(lines), totalBytes: size, bytesRead: () => bytes };
}

function fromText(text: string): InputSource {
  const trimmed = text.trim();
  let whole: unknown;
  let parsedWhole = false;
  try {
    whole = JSON.parse(trimmed);
    parsedWhole = true;
  } catch {
    parsedWhole = false;
  }
  const total = Buffer.byteLength(text);
  if (parsedWhole) {
    const list = Array.isArray(whole) ? whole : [whole];
    return {
      items: (async function* () {
        for (let i = 0; i < list.length; i++) yield { index: i + 1, value: list[i] };
      })(),
      totalBytes: total,
      bytesRead: () => total,
    };
  }
  return { items: jsonLines(text.split(/\r?\n/)), totalBytes: total, bytesRead: () => total };
}

async function* jsonLines(lines: AsyncIterable<string> | Iterable<string>): AsyncIterable<InputItem> {
  let index = 0;
  for await (const line of lines) {
    index++;
    if (line.trim() === '') continue;
    try {
      yield { index, value: JSON.parse(line) as unknown };
    } catch (error) {
      yield { index, error: { code: 'invalid_json', message: error instanceof Error ? error.message : String(error) } };
    }
  }
}

/** A one-line progress bar on stderr, redrawn at most every 100 ms. */
export function progressBar(io: CommandIO, totalBytes: number | null): { update: (done: number, bytes: number) => void; finish: () => void } {
  let last = 0;
  let drawn = false;
  return {
    update(done, bytes) {
      const now = Date.now();
      if (!io.isTTY || totalBytes === null || totalBytes < 1_000_000 || now - last < 100) return;
      last = now;
      drawn = true;
      const ratio = Math.min(1, bytes / totalBytes);
      const width = 30;
      const filled = Math.round(ratio * width);
      io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done} inputs`);
    },
    finish() {
      if (drawn) io.stderr('\n');
    },
  };
}
