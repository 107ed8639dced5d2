/**
 * Requests generated from the server's OpenAPI document, with fast-check: every route, every key
 * (each scope, none, an unknown one), path and query parameters valid or not, and bodies built from
 * the route's JSON Schema, then often made hostile: a repeated key, deep nesting, huge numbers,
 * U+0000, lone surrogates, `__proto__`, the wrong content type, truncated JSON.
 *
 * Bodies are rendered from a tree whose objects are lists of entries, so a key can be repeated
 * (which no JavaScript object can hold) and every escape is under the generator's control.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON text tree: objects are entry lists (keys may repeat); `raw` is written as it is (a number like 1e400). */
export type Node = { t: 'raw'; text: string } | { t: 'str'; value: string } | { t: 'arr'; items: Node[] } | { t: 'obj'; entries: Array<[string, Node]> };

export interface FuzzContext {
  /** Keys by name: admin, evaluate, read, publish, and others the caller adds. */
  keys: Record<string, string>;
  /** A ruleset that exists (deployed on `production`), and its source. */
  ruleset: string;
  source: string;
  /** A valid input for it. */
  input: Json;
  /** Ids of keys that may be revoked (never one of `keys`). */
  spareKeyIds: string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
  /** What was generated, for a report. */
  label: string;
}

type Schema = { [key: string]: unknown };
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; schema?: Schema }>;
  body: Schema | null;
}

/** The operations of an OpenAPI document. */
export function operationsOf(openapi: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(openapi['paths'] as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      const content = (op['requestBody'] as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (op['parameters'] as Operation['parameters'] | undefined) ?? [],
        body: content?.['application/json']?.schema ?? null,
      });
    }
  }
  return out;
}

export function toNode(value: Json): Node {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return { t: 'raw', text: JSON.stringify(value) };
  if (typeof value === 'string') return { t: 'str', value };
  if (Array.isArray(value)) return { t: 'arr', items: value.map(toNode) };
  return { t: 'obj', entries: Object.entries(value).map(([k, v]) => [k, toNode(v)]) };
}

/** The JSON text of a tree (strings escaped by JSON.stringify, so U+0000 and lone surrogates become \u escapes). */
export function render(node: Node): string {
  const parts: string[] = [];
  // iterative: the tree may be thousands of levels deep
  const stack: Array<Node | string> = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (typeof n === 'string') {
      parts.push(n);
      continue;
    }
    switch (n.t) {
      case 'raw':
        parts.push(n.text);
        break;
      case 'str':
        parts.push(JSON.stringify(n.value));
        break;
      case 'arr': {
        stack.push(']');
        for (let i = n.items.length - 1; i >= 0; i--) {
          stack.push(n.items[i]!);
          if (i > 0) stack.push(',');
        }
        stack.push('[');
        break;
      }
      case 'obj': {
        stack.push('}');
        for (let i = n.entries.length - 1; i >= 0; i--) {
          const [k, v] = n.entries[i]!;
          stack.push(v, `${JSON.stringify(k)}:`);
          if (i > 0) stack.push(',');
        }
        stack.push('{');
        break;
      }
    }
  }
  return parts.join('');
}

const HOSTILE_STRINGS = ['', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\udbff\udfff', '𝔘𝔫𝔦', '\u202e', '%00', '../../etc', 'production', 'constructor', '__proto__', 'toString', 'a'.repeat(3000)];
const HOSTILE_NUMBERS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890123456789', '-0', '0.1e1', '9007199254740993', '2147483648', '1E+2', '0'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Any JSON tree, small, with hostile leaves and keys. */
const anyNode: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Node>({ t: 'raw', text: 'null' }, { t: 'raw', text: 'true' }, { t: 'raw', text: 'false' }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map<Node>((d) => ({ t: 'raw', text: JSON.stringify(d) })),
    fc.constantFrom(...HOSTILE_NUMBERS).map<Node>((n) => ({ t: 'raw', text: n })),
    text.map<Node>((value) => ({ t: 'str', value })),
    fc.array(tie('node'), { maxLength: 4 }).map<Node>((items) => ({ t: 'arr', items })),
    fc.array(fc.tuple(text, tie('node')), { maxLength: 4 }).map<Node>((entries) => ({ t: 'obj', entries })),
  ),
})).node;

/** A value for `schema` (loosely: mostly valid, sometimes not), as a tree. */
function fromSchema(schema: Schema | undefined, ctx: FuzzContext, name: string, depth = 0): fc.Arbitrary<Node> {
  if (schema === undefined || depth > 4) return anyNode;
  const wrong = anyNode;
  const valid = validFromSchema(schema, ctx, name, depth);
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: wrong });
}

function validFromSchema(schema: Schema, ctx: FuzzContext, name: string, depth: number): fc.Arbitrary<Node> {
  if (name === 'source') return fc.constantFrom<Node>(toNode(ctx.source), toNode(ctx.source.replace(/100/g, '7')), toNode('ruleset broken\ninput {'), toNode(`ruleset ${ctx.ruleset}\n`));
  if (name === 'input') return fc.oneof(fc.constant(toNode(ctx.input)), anyNode);
  if (name === 'inputs') return fc.array(fc.oneof(fc.constant(toNode(ctx.input)), anyNode), { maxLength: 20 }).map<Node>((items) => ({ t: 'arr', items }));
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as Json[])).map(toNode);
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) {
      const base = { ...schema };
      delete base[key];
      return fc.oneof(...(schema[key] as Schema[]).map((s) => validFromSchema({ ...base, ...s }, ctx, name, depth)));
    }
  }
  const type = Array.isArray(schema['type']) ? fc.constantFrom(...(schema['type'] as string[])) : fc.constant(schema['type'] as string | undefined);
  return type.chain((t): fc.Arbitrary<Node> => {
    switch (t) {
      case 'object': {
        const properties = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
        const required = new Set((schema['required'] as string[] | undefined) ?? []);
        const names = Object.keys(properties);
        const known = names.length === 0 ? fc.constant<Array<[string, Node]>>([]) : fc.subarray(names).chain((chosen) => {
          const keys = [...new Set([...required, ...chosen])];
          return fc.tuple(...keys.map((k) => fromSchema(properties[k], ctx, k, depth + 1))).map((values) => keys.map((k, i): [string, Node] => [k, values[i]!]));
        });
        const extra = names.length === 0 ? fc.array(fc.tuple(text, anyNode), { maxLength: 3 }) : fc.constant<Array<[string, Node]>>([]);
        return fc.tuple(known, extra).map(([a, b]): Node => ({ t: 'obj', entries: [...a, ...b] }));
      }
      case 'array':
        return fc.array(fromSchema(schema['items'] as Schema | undefined, ctx, name, depth + 1), { maxLength: 5 }).map<Node>((items) => ({ t: 'arr', items }));
      case 'string': {
        if (name === 'channel') return fc.constantFrom('production', 'staging', 'x y', '').map((v) => toNode(v));
        if (name === 'ruleset') return fc.constantFrom(ctx.ruleset, 'nope').map((v) => toNode(v));
        const format = schema['format'];
        if (format === 'date-time') return fc.constantFrom('2026-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday').map((v) => toNode(v));
        if (format === 'uuid') return fc.uuid().map((v) => toNode(v));
        return text.map((v) => toNode(v));
      }
      case 'integer':
        return fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constantFrom(1, 2147483647, 2147483648, 100000)).map((v) => toNode(v));
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => toNode(v));
      case 'boolean':
        return fc.boolean().map((v) => toNode(v));
      case 'null':
        return fc.constant(toNode(null));
      default:
        return anyNode;
    }
  });
}

/** A body made hostile: each kind of trouble the server must answer with a 4xx. */
type Mutation = 'none' | 'duplicate' | 'deep' | 'proto' | 'hugeNumber' | 'nul' | 'surrogate' | 'truncate' | 'garbage' | 'empty';

function mutate(node: Node, mutation: Mutation, at: number, depth: number): string {
  switch (mutation) {
    case 'none':
      return render(node);
    case 'duplicate': {
      if (node.t !== 'obj' || node.entries.length === 0) return render({ t: 'obj', entries: [['params', node], ['params', { t: 'obj', entries: [['a', node]] }]] });
      const [k, v] = node.entries[at % node.entries.length]!;
      return render({ t: 'obj', entries: [...node.entries, [k, deepen(v, depth)]] });
    }
    case 'deep': {
      const leaf = node.t === 'obj' && node.entries.length > 0 ? node.entries[0]![0] : 'params';
      return render({ t: 'obj', entries: [[leaf, deepen({ t: 'raw', text: '0' }, depth)]] });
    }
    case 'proto':
      return render(node.t === 'obj' ? { t: 'obj', entries: [[['__proto__', 'constructor', 'prototype'][at % 3]!, { t: 'obj', entries: [['a', { t: 'raw', text: '1' }]] }], ...node.entries] } : node);
    case 'hugeNumber':
      return render(node).replace(/(?<=[:,[])(-?\d+(\.\d+)?([eE][+-]?\d+)?)(?=[,\]}])/, HOSTILE_NUMBERS[at % 4]!);
    case 'nul':
      return render(node).replace(/"(?=[,}\]:])/, '\\u0000"');
    case 'surrogate':
      return render(node).replace(/"(?=[,}\]:])/, at % 2 === 0 ? '\\ud800"' : '\\udfff"');
    case 'truncate': {
      const full = render(node);
      return full.slice(0, Math.max(0, full.length - 1 - (at % Math.max(1, full.length))));
    }
    case 'garbage':
      return ['nope', '{"a":', '[1,2', '\u0000', '{"a":1}}', '{"a" 1}', "{'a':1}", '\ufeff{}', '{"a":1}\n{"b":2}', '[]'][at % 10]!;
    case 'empty':
      return '';
  }
}

/** `leaf` inside `depth` levels of alternating objects and arrays. */
function deepen(leaf: Node, depth: number): Node {
  let node = leaf;
  // objects, with an array every third level; the outermost an object (what most schemas ask for)
  for (let i = depth - 1; i >= 0; i--) node = i % 3 === 2 ? { t: 'arr', items: [node] } : { t: 'obj', entries: [['a', node]] };
  return node;
}

const CONTENT_TYPES = ['application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/merge-patch+json', ''];

function pathValue(name: string, ctx: FuzzContext): fc.Arbitrary<string> {
  const valid: Record<string, string[]> = {
    name: [ctx.ruleset, ctx.ruleset, 'nope.never', 'a'],
    channel: ['production', 'production', 'staging', 'canary'],
    version: ['1', '1', '2', '0', '2147483648', '-1', '1.5'],
    id: ctx.spareKeyIds.length > 0 ? ctx.spareKeyIds : ['00000000-0000-0000-0000-000000000000'],
  };
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(valid[name] ?? ['x'])) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%F0%9F%98%80', '..', 'a%2Fb', 'x'.repeat(300), '%25', '%E2%80%AE') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s) || 'e') },
  );
}

function queryValue(schema: Schema | undefined): fc.Arbitrary<string> {
  const valid = schema?.['pattern'] !== undefined ? fc.constantFrom('1', '2', '10', '0', 'abc') : fc.constantFrom('x', '1', 'policy_validation_completed', 'channel_moved,version_published', 'critical');
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '2026-01-01T00:00:00Z', '', 'a'.repeat(500)) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => encodeURIComponent(s)) });
}

/** An arbitrary request to one of `operations`. */
export function requestArbitrary(operations: Operation[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  // mostly a key that may call the route, so that bodies are read; every scope, none and an unknown key too
  const keyNames = ['admin', 'admin', 'admin', 'admin', ...Object.keys(ctx.keys), 'none', 'unknown'];
  // routes that read a body are where bodies can hurt: three times as often
  const operation = fc.oneof(...operations.map((op) => ({ weight: op.body === null ? 1 : 3, arbitrary: fc.constant(op) })));
  return operation.chain((op) => {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    return fc.record({
      key: fc.constantFrom(...keyNames),
      path: fc.tuple(...pathParams.map((p) => pathValue(p.name, ctx))),
      query: fc.tuple(...queryParams.map((p) => fc.option(queryValue(p.schema), { nil: undefined }))),
      body: op.body === null ? fc.constant<Node | null>(null) : validFromSchema(op.body, ctx, 'body', 0),
      mutation: fc.constantFrom<Mutation>('none', 'none', 'duplicate', 'deep', 'proto', 'hugeNumber', 'nul', 'surrogate', 'truncate', 'garbage', 'empty'),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      at: fc.nat(1000),
      // around the server's limit, and far past the stack's
      depth: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(255, 256, 257), fc.constantFrom(5000, 20_000, 100_000)),
      // a body on a route that takes none, now and then
      strayBody: fc.option(anyNode, { freq: 4, nil: null }),
    }).map(({ key, path, query, body, mutation, contentType, at, depth, strayBody }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i]!)));
      const q = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${p.name}=${query[i]}`]));
      if (q.length > 0) url += `?${q.join('&')}`;
      const headers: Record<string, string> = {};
      if (key !== 'none') headers['authorization'] = `Bearer ${key === 'unknown' ? 'vd_unknown_key_0000' : ctx.keys[key]}`;
      let text: string | null = null;
      if (body !== null) text = mutate(body, mutation, at, depth);
      else if (strayBody !== null && op.method !== 'GET') text = render(strayBody);
      if (text !== null && contentType !== '') headers['content-type'] = contentType;
      return { method: op.method, path: url, headers, body: text, label: `${op.method} ${op.path} key=${key} mutation=${body === null ? '-' : mutation} type=${contentType || '-'}` };
    });
  });
}
