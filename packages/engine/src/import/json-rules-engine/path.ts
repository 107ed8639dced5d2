/**
 * The supported subset of JSONPath (as json-rules-engine resolves it with
 * jsonpath-plus, `wrap: false`): `$`, then `.name`, `['name']`, `["name"]`
 * and `[index]` steps. A path without `$` is read as if it started with `$.`.
 * Wildcards, recursive descent, filters, scripts, slices, unions and negative
 * indexes are refused.
 */
import type { Segment } from './model.ts';

export type PathResult = { ok: true; segments: Segment[] } | { ok: false; message: string };

const DOTTED = /^[A-Za-z0-9_-]+/;

export function parsePath(path: string): PathResult {
  let rest = path.startsWith('$') ? path.slice(1) : path === '' ? '' : `.${path}`;
  const segments: Segment[] = [];
  const fail = (why: string): PathResult => ({ ok: false, message: `unsupported path ${JSON.stringify(path)}: ${why} (supported: $.a.b, $.a[0].b, $['a b'])` });
  while (rest !== '') {
    if (rest.startsWith('..')) return fail('recursive descent `..`');
    if (rest.startsWith('.')) {
      const m = DOTTED.exec(rest.slice(1));
      if (m === null) return fail(`unexpected ${JSON.stringify(rest.slice(1, 2) || 'end')} after \`.\``);
      segments.push({ kind: 'key', name: m[0] });
      rest = rest.slice(1 + m[0].length);
      continue;
    }
    if (rest.startsWith('[')) {
      const index = /^\[(\d{1,9})\]/.exec(rest);
      if (index !== null) {
        segments.push({ kind: 'index', index: Number(index[1]) });
        rest = rest.slice(index[0].length);
        continue;
      }
      // A quoted name without quotes, backslashes or brackets inside (their escaping differs between JSONPath tools).
      const quoted = /^\[(?:'([^'\\[\]]*)'|"([^"\\[\]]*)")\]/.exec(rest);
      if (quoted !== null) {
        segments.push({ kind: 'key', name: quoted[1] ?? quoted[2] ?? '' });
        rest = rest.slice(quoted[0].length);
        continue;
      }
      return fail('only [index] and [\'name\'] brackets are supported');
    }
    return fail(`unexpected ${JSON.stringify(rest.slice(0, 1))}`);
  }
  return { ok: true, segments };
}
