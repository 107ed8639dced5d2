/** The converted CEL conformance cases (format: ../shared/corpora/cel/README.md). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A value as written in the corpus: JSON with `$int`, `$uint`, `$bytes`, ... tags. */
export type Tagged = null | boolean | number | string | Tagged[] | { [key: string]: Tagged };

export type Expectation = { value: Tagged; type: string } | { error: true; message: string };

export interface CelCase {
  file: string;
  section: string;
  name: string;
  expr: string;
  bindings: Record<string, Tagged>;
  expect: Expectation;
  disableCheck: boolean;
  typeEnv?: Record<string, string>;
}

/**
 * The corpus directory: `VERDICT_CEL_CORPUS`, else `../shared/corpora/cel/` beside the repo, else the
 * workplace's shared copy at /work/shared (a CI clone may live elsewhere on the same machine).
 */
export function corpusDir(): string {
  const env = process.env['VERDICT_CEL_CORPUS'];
  if (env) return env;
  const beside = fileURLToPath(new URL('../../../shared/corpora/cel/', import.meta.url));
  if (existsSync(beside)) return beside;
  const shared = '/work/shared/corpora/cel/';
  return existsSync(shared) ? shared : beside;
}

export function corpusFiles(dir = corpusDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadCases(file: string): CelCase[] {
  const fallback = basename(file, '.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const c = JSON.parse(line) as CelCase;
      return { ...c, file: c.file || fallback };
    });
}

/** Case identity used by the deviations list. */
export function caseKey(c: Pick<CelCase, 'file' | 'section' | 'name'>): string {
  return `${c.file}/${c.section}/${c.name}`;
}

export function isTag(v: Tagged, tag: string): v is { [key: string]: Tagged } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && tag in v;
}

/** `{"$double": "NaN"}` and friends. */
export function specialDouble(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  return Number(s);
}

export function base64Bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** Numbers equal for conformance: NaN equals NaN. */
export function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
