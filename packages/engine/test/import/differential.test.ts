/**
 * Differential property test: json-rules-engine (the real library, with
 * allowUndefinedFacts) and Verdict (import → compile → evaluate) must fire the
 * same rules and return the same events on generated rule sets and facts.
 *
 * The generator stays inside the domain where json-rules-engine's behaviour is
 * well defined and the import is documented as faithful:
 * - each fact (and path) holds one JSON kind: numbers, strings, booleans or
 *   lists of numbers/strings, or objects reached through paths; it may be absent
 *   (json-rules-engine reads undefined); `z` and `p.z` may also be null, when the
 *   rules compare them with null (else Verdict's typed input refuses null, and the
 *   null is left out);
 * - fact sets carry facts and fields no rule reads (the import's input is open;
 *   with `records` they are left out before evaluating with Verdict);
 * - decorators: not, swap, someFact/everyFact on list facts, someValue/everyValue
 *   on value lists, and compositions of them (a fact reference is never the list
 *   of `in` or of a value decorator: a missing list makes json-rules-engine throw);
 * - numeric operators compare numbers with numbers (json-rules-engine would
 *   also coerce numeric strings: "10" < 9 is false, "10" > 9 true);
 * - equal/notEqual/in/notIn compare a fact with values of its own kind
 *   (json-rules-engine uses ===, so kinds never mix anyway; `in` on a string
 *   value would be a substring test, which the import refuses);
 * - contains/doesNotContain only on list facts (on a non-list json-rules-engine
 *   answers false for both);
 * - fact references compare facts of the same kind, and never as the list of
 *   `in` (a missing list fact makes json-rules-engine throw).
 */
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { FC_SEED } from '../helpers.ts';
import { describe, expect, it } from 'vitest';
import { analyze, format } from '@verdict/language';
import { compile } from '../../src/index.ts';
import { importJsonRulesEngine } from '../../src/import/index.ts';

type Kind = 'number' | 'string' | 'boolean' | 'nlist' | 'slist';
interface Target {
  fact: string;
  path?: string;
  kind: Kind;
  /** May be null in the facts (compared with null in the rules). */
  nullable?: boolean;
}

const TARGETS: Target[] = [
  { fact: 'n1', kind: 'number' },
  { fact: 'n2', kind: 'number' },
  { fact: 's1', kind: 'string' },
  { fact: 's2', kind: 'string' },
  { fact: 'b1', kind: 'boolean' },
  { fact: 'l1', kind: 'slist' },
  { fact: 'l2', kind: 'nlist' },
  { fact: 'p', path: '$.q', kind: 'number' },
  { fact: 'p', path: '$.r.s', kind: 'string' },
  { fact: 'p', path: '$.tags', kind: 'slist' },
  // `o` has a key that is not a Verdict name, so it is imported as map<any>: reads through `any`.
  { fact: 'o', path: '$.x', kind: 'number' },
  { fact: 'o', path: "$['a b']", kind: 'string' },
  { fact: 'o', path: '$.items[0].v', kind: 'number' },
  { fact: 'o', path: '$.items[1].v', kind: 'number' },
  { fact: 'o', path: '$.__proto__', kind: 'string' },
  // Names that are not identifiers: quoted input fields and record fields.
  { fact: 'account-info', path: "$['tax id']", kind: 'string' },
  { fact: 'rate limit', kind: 'number' },
  { fact: 'z', kind: 'number', nullable: true },
  { fact: 'p', path: '$.z', kind: 'string', nullable: true },
];

const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5, 1e21, -0));
const str = fc.constantFrom('', 'a', 'b', 'ab', 'é', 'a b', '"{x}"');
const valueOf = (kind: Kind): fc.Arbitrary<unknown> =>
  kind === 'number' ? num : kind === 'string' ? str : kind === 'boolean' ? fc.boolean() : kind === 'nlist' ? fc.array(num, { maxLength: 3 }) : fc.array(str, { maxLength: 3 });
const scalarOf = (kind: Kind): Kind => (kind === 'nlist' ? 'number' : kind === 'slist' ? 'string' : kind);

function ref(t: Target): { fact: string; path?: string } {
  return t.path === undefined ? { fact: t.fact } : { fact: t.fact, path: t.path };
}

const plainLeaf: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(...TARGETS).chain((t) => {
  const at = ref(t);
  const same = TARGETS.filter((o) => o.kind === t.kind && o !== t);
  const refs = same.length === 0 ? [] : [fc.constantFrom(...same).map((o) => ref(o))];
  const options: Array<fc.Arbitrary<Record<string, unknown>>> = [];
  if (t.kind === 'nlist' || t.kind === 'slist') {
    const elem = valueOf(scalarOf(t.kind));
    options.push(fc.record({ operator: fc.constantFrom('contains', 'doesNotContain'), value: elem }));
  } else {
    const v = valueOf(t.kind);
    options.push(fc.record({ operator: fc.constantFrom('equal', 'notEqual'), value: v }));
    // A list value or a list inside `in`: json-rules-engine's === never matches it.
    options.push(fc.record({ operator: fc.constantFrom('equal', 'notEqual'), value: fc.array(v, { maxLength: 1 }) }));
    options.push(fc.record({ operator: fc.constantFrom('in', 'notIn'), value: fc.array(fc.oneof({ weight: 5, arbitrary: v }, { weight: 1, arbitrary: fc.array(v, { maxLength: 1 }) }), { maxLength: 3 }) }));
    if (refs.length > 0) options.push(fc.record({ operator: fc.constantFrom('equal', 'notEqual'), value: refs[0]! }));
    if (t.kind === 'number') {
      const ops = fc.constantFrom('lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive');
      options.push(fc.record({ operator: ops, value: num }));
      if (refs.length > 0) options.push(fc.record({ operator: ops, value: refs[0]! }));
    }
    if (t.nullable === true) {
      options.push(fc.record({ operator: fc.constantFrom('equal', 'notEqual'), value: fc.constant(null) }));
      options.push(fc.record({ operator: fc.constantFrom('in', 'notIn'), value: fc.array(fc.oneof(v, fc.constant(null)), { maxLength: 3 }) }));
    }
  }
  return fc.oneof(...options).map((c) => ({ ...at, ...c }));
});

const NUMERIC = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

/** Conditions with the decorators json-rules-engine ships, alone and composed. */
const decoratedLeaf: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(...TARGETS.filter((t) => t.nullable !== true)).chain((t) => {
  const at = ref(t);
  const options: Array<fc.Arbitrary<Record<string, unknown>>> = [];
  if (t.kind === 'nlist' || t.kind === 'slist') {
    const scalar = scalarOf(t.kind);
    const v = valueOf(scalar);
    const each = fc.constantFrom('someFact', 'everyFact');
    const not = fc.constantFrom('', 'not:');
    const ops = ['equal', 'notEqual', ...(scalar === 'number' ? NUMERIC : [])];
    options.push(fc.record({ operator: fc.tuple(each, not, fc.constantFrom(...ops)).map(([d, n, op]) => `${d}:${n}${op}`), value: v }));
    options.push(fc.record({ operator: fc.tuple(each, not, fc.constantFrom('in', 'notIn')).map(([d, n, op]) => `${d}:${n}${op}`), value: fc.array(v, { maxLength: 3 }) }));
    options.push(fc.record({ operator: fc.tuple(each, fc.constantFrom('someValue', 'everyValue')).map(([d, e]) => `${d}:${e}:equal`), value: fc.array(v, { maxLength: 3 }) }));
    // Not swap:in: the fact is then the list of `in`, and json-rules-engine throws when it is missing.
    options.push(fc.record({ operator: fc.constantFrom('not:contains', 'not:doesNotContain'), value: v }));
  } else {
    const v = valueOf(t.kind);
    const ops = ['equal', 'notEqual', ...(t.kind === 'number' ? NUMERIC : [])];
    options.push(fc.record({ operator: fc.tuple(fc.constantFrom('someValue', 'everyValue', 'not:someValue', 'everyValue:not'), fc.constantFrom(...ops)).map(([d, op]) => `${d}:${op}`), value: fc.array(v, { maxLength: 3 }) }));
    options.push(fc.record({ operator: fc.constantFrom('swap:contains', 'swap:doesNotContain', 'swap:someFact:equal', 'swap:everyFact:notEqual', 'not:in', 'not:notIn'), value: fc.array(v, { maxLength: 3 }) }));
    options.push(fc.record({ operator: fc.constantFrom('not:equal', 'not:notEqual', 'swap:equal'), value: v }));
    if (t.kind === 'number') options.push(fc.record({ operator: fc.constantFrom(...NUMERIC.flatMap((op) => [`swap:${op}`, `not:${op}`, `not:swap:${op}`])), value: num }));
  }
  return fc.oneof(...options).map((c) => ({ ...at, ...c }));
});

const leaf = fc.oneof({ weight: 3, arbitrary: plainLeaf }, { weight: 2, arbitrary: decoratedLeaf });

// Boolean nodes nest up to depth 3 below the root.
const nodes: Array<fc.Arbitrary<Record<string, unknown>>> = [leaf];
for (let d = 1; d <= 3; d++) {
  const below = nodes[d - 1]!;
  nodes.push(
    fc.oneof(
      { weight: 2, arbitrary: leaf },
      { weight: 1, arbitrary: fc.array(below, { maxLength: 3 }).map((all) => ({ all })) },
      { weight: 1, arbitrary: fc.array(below, { maxLength: 3 }).map((any) => ({ any })) },
      { weight: 1, arbitrary: below.map((not) => ({ not })) },
    ),
  );
}
const node = nodes[3]!;
const root = fc.oneof(
  fc.array(node, { maxLength: 4 }).map((all) => ({ all })),
  fc.array(node, { maxLength: 4 }).map((any) => ({ any })),
  node.map((not) => ({ not })),
);

const rule = fc.record(
  {
    conditions: root,
    priority: fc.integer({ min: 1, max: 4 }),
    event: fc.record(
      { type: fc.constantFrom('approve', 'deny', 'review', 'in', 'a b', 'none'), params: fc.record({ n: num, note: str, 'the key': fc.boolean() }, { requiredKeys: [] }) },
      { requiredKeys: ['type'] },
    ),
  },
  { requiredKeys: ['conditions', 'event'] },
);
const ruleSet = fc.array(rule, { minLength: 1, maxLength: 8 }).map((rules) => rules.map((r, i) => ({ ...r, name: `${['r', 'rule', 'a b', '0x', '"q{'][i % 5]}-${i}` })));

const facts = fc.record(
  {
    n1: num,
    n2: num,
    s1: str,
    s2: str,
    b1: fc.boolean(),
    l1: fc.array(str, { maxLength: 3 }),
    l2: fc.array(num, { maxLength: 3 }),
    p: fc.record({ q: num, r: fc.record({ s: str, unread: num }, { requiredKeys: [] }), tags: fc.array(str, { maxLength: 3 }), z: fc.oneof(str, fc.constant(null)), unread: str }, { requiredKeys: [] }),
    z: fc.oneof(num, fc.constant(null)),
    'account-info': fc.record({ 'tax id': str, 'company-name': str }, { requiredKeys: [] }),
    'rate limit': num,
    unread: fc.oneof(num, str, fc.constant(null)),
    o: fc
      .tuple(fc.record({ x: num, 'a b': str, items: fc.array(fc.record({ v: num }, { requiredKeys: [] }), { maxLength: 3 }) }, { requiredKeys: [] }), fc.option(str, { nil: undefined }))
      .map(([o, proto]) => {
        // An own "__proto__" key, as JSON.parse makes it: plain data for both engines.
        if (proto !== undefined) Object.defineProperty(o, '__proto__', { value: proto, enumerable: true, writable: true, configurable: true });
        return o;
      }),
  },
  { requiredKeys: [] },
);

interface Outcome {
  fired: string[];
  events: string[];
}

async function runJre(rules: unknown[], input: Record<string, unknown>): Promise<Outcome> {
  const engine = new Engine(rules as never[], { allowUndefinedFacts: true });
  const { results, events } = await engine.run(structuredClone(input));
  return { fired: results.map((r) => String(r.name)).sort(), events: events.map((e) => JSON.stringify([e.type, e.params ?? {}])).sort() };
}

/**
 * With `records` the import's records are closed: the input may hold only
 * declared fields, while json-rules-engine ignores facts no rule reads. Drop
 * undeclared fields (by the ruleset's input JSON Schema) before evaluating with
 * Verdict. (By default the import's input is open and takes the facts as they are.)
 */
function strip(value: unknown, schema: Record<string, unknown> | undefined): unknown {
  if (schema === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => strip(v, schema['items'] as Record<string, unknown> | undefined));
  if (typeof value !== 'object' || value === null) return value;
  const props = schema['properties'] as Record<string, Record<string, unknown>> | undefined;
  const extra = schema['additionalProperties'];
  if (props === undefined && (extra === undefined || extra === true)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const declared = props !== undefined && Object.prototype.hasOwnProperty.call(props, k) ? props[k] : undefined;
    const schemaOf = declared ?? (typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : null);
    // defineProperty: `out["__proto__"] = v` would set the prototype instead of a key.
    if (schemaOf !== null) Object.defineProperty(out, k, { value: strip(v, schemaOf), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Whether the rules compare `fact` (at `path`) with null: only then may the facts hold null there. */
function comparedWithNull(rules: unknown, fact: string, path?: string): boolean {
  if (Array.isArray(rules)) return rules.some((r) => comparedWithNull(r, fact, path));
  if (typeof rules !== 'object' || rules === null) return false;
  const c = rules as Record<string, unknown>;
  if (c['fact'] === fact && c['path'] === path && (c['value'] === null || (Array.isArray(c['value']) && c['value'].includes(null)))) return true;
  return Object.values(c).some((v) => comparedWithNull(v, fact, path));
}

/**
 * The generator's domain (see the top): `z` and `p.z` are null only where the
 * rules compare them with null (elsewhere Verdict reads a null like a missing
 * value, or its typed input refuses it).
 */
function adapt(input: Record<string, unknown>, rules: unknown): Record<string, unknown> {
  const out = { ...input };
  if (out['z'] === null && !comparedWithNull(rules, 'z')) delete out['z'];
  const p = out['p'] as Record<string, unknown> | undefined;
  if (p !== undefined && p['z'] === null && !comparedWithNull(rules, 'p', '$.z')) {
    const { z: _, ...rest } = p;
    out['p'] = rest;
  }
  return out;
}

const canonical = (v: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));

describe('json-rules-engine import: differential against json-rules-engine', () => {
  const seen = { fired: 0, passed: 0 };
  it.each([false, true])('fires the same rules and returns the same events (records: %s)', async (records) => {
    await fc.assert(
      fc.asyncProperty(ruleSet, fc.array(facts, { minLength: 1, maxLength: 6 }), async (rules, inputs) => {
        const imported = importJsonRulesEngine(rules, { origin: 'generated.json', records });
        if (!imported.ok) throw new Error(imported.errors.map((e) => e.message).join('\n'));
        const errors = analyze(imported.source).diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => `${d.code} ${d.message} @${d.span.line}`), imported.source).toEqual([]);
        // Canonical layout: `verdict fmt --check` passes on every imported file.
        expect(format(imported.source).text, imported.source).toBe(imported.source);
        const compiled = compile(imported.source);
        const ruleset = compiled.ruleset;
        if (ruleset === undefined) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
        const byId = new Map(imported.rules.map((r) => [r.id, r]));
        for (const generated of inputs) {
          const input = adapt(generated, rules);
          const expected = await runJre(rules, input);
          const decision = ruleset.evaluate(records ? strip(input, ruleset.inputSchema as Record<string, unknown>) : input);
          if (!decision.ok) throw new Error(`refused ${JSON.stringify(input)}: ${JSON.stringify(decision.error)}`);
          expect(decision.errors, imported.source).toEqual([]);
          const fired = decision.violations.map((v) => byId.get(v.rule)!);
          const events = fired.map((r, i) => {
            const suggestion = decision.violations[i]!.suggestion ?? {};
            const params = Object.fromEntries(Object.entries(suggestion).map(([field, value]) => [r.suggest[field] ?? field, value]));
            return JSON.stringify([r.event.type, canonical(params)]);
          });
          const actual: Outcome = { fired: fired.map((r) => String(r.name)).sort(), events: events.sort() };
          const jreEvents = expected.events.map((e) => {
            const [type, params] = JSON.parse(e) as [string, Record<string, unknown>];
            return JSON.stringify([type, canonical(params)]);
          }).sort();
          expect(actual, `${imported.source}\ninput: ${JSON.stringify(input)}`).toEqual({ fired: expected.fired, events: jreEvents });
          // The decision is the highest-precedence outcome among the fired rules, else the default.
          const top = imported.outcomes.find((o) => fired.some((r) => r.outcome === o)) ?? imported.defaultOutcome;
          expect(decision.decision).toBe(top);
          seen.fired += fired.length;
          seen.passed += imported.rules.length - fired.length;
        }
      }),
      { numRuns: Number(process.env['IMPORT_DIFF_RUNS'] ?? 100), seed: FC_SEED },
    );
    // The generated cases exercise both answers.
    expect(seen.fired).toBeGreaterThan(0);
    expect(seen.passed).toBeGreaterThan(0);
  }, 120_000);
});
