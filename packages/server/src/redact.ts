/** Redaction of `sensitive` input fields before an input is written to the decision log. */

type Schema = { [key: string]: unknown };
const REDACTED = '[redacted]';

/** Paths (lists of keys, `*` = any item or value) the JSON Schema marks `x-verdict-sensitive`. */
export function sensitivePaths(schema: Schema): string[][] {
  const found: string[][] = [];
  const walk = (s: unknown, path: string[]) => {
    if (s === null || typeof s !== 'object') return;
    const node = s as Schema;
    if (node['x-verdict-sensitive'] === true) {
      found.push(path);
      return;
    }
    const properties = node['properties'];
    if (properties !== null && typeof properties === 'object') for (const [k, v] of Object.entries(properties)) walk(v, [...path, k]);
    if (node['items'] !== undefined) walk(node['items'], [...path, '*']);
    if (node['additionalProperties'] !== null && typeof node['additionalProperties'] === 'object') walk(node['additionalProperties'], [...path, '*']);
    for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[key])) for (const sub of node[key] as unknown[]) walk(sub, path);
  };
  walk(schema, []);
  return found;
}

/** A copy of `input` with every sensitive value replaced; the input itself is not changed. */
export function redact(input: unknown, paths: readonly string[][]): unknown {
  if (paths.length === 0) return input;
  const copy = structuredClone(input);
  for (const path of paths) redactPath(copy, path, 0);
  return copy;
}

function redactPath(node: unknown, path: readonly string[], at: number): void {
  if (node === null || typeof node !== 'object') return;
  const key = path[at]!;
  const last = at === path.length - 1;
  const keys = key === '*' ? Object.keys(node) : Object.hasOwn(node, key) ? [key] : [];
  for (const k of keys) {
    const record = node as Record<string, unknown>;
    if (last) record[k] = REDACTED;
    else redactPath(record[k], path, at + 1);
  }
}
