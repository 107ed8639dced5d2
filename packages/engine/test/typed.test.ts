/**
 * Typed code (the rule scan run on inputs the quick check accepted) against
 * the closures (`codegen: false`) and the reference interpreter: the same
 * decisions, messages, errors and step-limit failures, on generated valid
 * inputs, on the example rulesets and on a ruleset written to reach every
 * typed construct. Inputs the quick check turns away (objects that are not
 * plain) take the generic code and decide the same too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, inputJsonSchema } from '@verdict/language';
import { referenceDecide, type Value } from '@verdict/engine';
import { ruleset, FC_SEED } from './helpers.ts';

/** Valid values of a JSON Schema as the language writes them (and, now and then, a near miss). */
function arbitraryOf(schema: Record<string, unknown>): fc.Arbitrary<unknown> {
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  switch (schema['type']) {
    case 'string': {
      const min = (schema['minLength'] as number | undefined) ?? 0;
      const max = (schema['maxLength'] as number | undefined) ?? 12;
      const common = ['CA', 'NY', 'TX', 'KP', 'IR', 'US', 'SOC2', 'ISO27001', 'AAA', 'xgb', 'tech', 'https://a.example', 'http://b.example', 'X1', 'X2', 'A7', 'BAD', 'WORSE', 'id!', 'ok-1'];
      return fc.oneof(fc.constantFrom(...common.filter((s) => s.length >= min && s.length <= max)), fc.string({ minLength: min, maxLength: max }));
    }
    case 'number': {
      const low = (schema['minimum'] as number | undefined) ?? (schema['exclusiveMinimum'] !== undefined ? (schema['exclusiveMinimum'] as number) + 0.5 : -1e6);
      return fc.oneof(fc.integer({ min: Math.ceil(low), max: 200 }), fc.double({ min: low, max: 1e7, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 7, 1, 1.2, 99.9, 0.5));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf((schema['items'] ?? {}) as Record<string, unknown>), { maxLength: 4 });
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = (schema['required'] ?? []) as string[];
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, s] of Object.entries(props)) fields[name] = arbitraryOf(s);
      return fc.record(fields, { requiredKeys: required });
    }
    default:
      return fc.constant(null);
  }
}

const compiled = new Map<string, ReturnType<typeof ruleset>>();
/** `source` compiled once per option set (a small step limit, or a small length limit as `-n`). */
function cached(source: string, limit: number | undefined, codegen: boolean): ReturnType<typeof ruleset> {
  const key = `${limit}|${codegen}|${source}`;
  let r = compiled.get(key);
  if (r === undefined) {
    const limits = limit === undefined ? {} : { limits: limit < 0 ? { maxSteps: 1_000_000, maxListLength: -limit } : { maxSteps: limit } };
    r = ruleset(source, { codegen, ...limits });
    compiled.set(key, r);
  }
  return r;
}

/** The whole result, with the typed scan (default) and with closures only. */
function agree(source: string, input: unknown, maxSteps?: number): void {
  const typed = cached(source, maxSteps, true).evaluate(input);
  const closures = cached(source, maxSteps, false).evaluate(input);
  expect(typed).toEqual(closures);
  // key order too (a violation's reads, outputs): what a service serialises is the same text
  expect(JSON.stringify(typed)).toBe(JSON.stringify(closures));
}

const ROOT = join(import.meta.dirname, '../../../rulesets');
const EXAMPLES = ['marketplace/admission', 'insurance/auto_quote', 'portfolio/trade_compliance', 'trading/signal_approval', 'trading/desk_approval'];

describe('typed code decides as the generic code', () => {
  for (const name of EXAMPLES) {
    const source = readFileSync(join(ROOT, `${name}.policy`), 'utf8');
    const schema = inputJsonSchema(analyze(source).ast) as Record<string, unknown>;
    const typed = ruleset(source);
    const closures = ruleset(source, { codegen: false });
    it(`${name}, on generated valid inputs, with and without a small step limit`, () => {
      fc.assert(
        fc.property(arbitraryOf(schema), fc.option(fc.integer({ min: 0, max: 30 })), (input, maxSteps) => {
          expect(typed.evaluate(input)).toEqual(closures.evaluate(input));
          if (maxSteps !== null) agree(source, input, maxSteps);
        }),
        { numRuns: 150, seed: FC_SEED },
      );
    });
  }

  // every construct the typed emitter writes: optional fields under `??` and `?.`, inside
  // `has(x) ? ... : ...` and guarded by null comparisons (an absent one reads as null), lets (ruleset and rule), macros over typed lists, `in` on constants and
  // list literals, conditionals, `!`, `string()`, joined strings, and whole typed messages
  const CONSTRUCTS = `
ruleset typed.constructs
input {
  order: {
    id: string
    total: number
    express: boolean
    tags: list<string>
    lines: list<{ sku: string, qty: number, discount?: number }>
    coupon?: { code: string, percent?: number }
    region: "eu" | "us" | "apac"
  }
  priority: number
  note?: string
}
decision reject > review > accept
const BLOCKED = ["X1", "X2"]
const LIMIT = 1000
const MANY_SKUS = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "X2"]
let big = order.total > LIMIT
let skus = order.lines.filter(l, l.qty > 0)
output tagged = order.tags.exists(t, t == "ok-1")
output heavy = order.total > 500 && size(order.lines) > 1
output lines_named = order.lines.map(l, l.sku).join("+")
rule blocked_sku {
  severity high
  reject when order.lines.exists(l, l.sku in BLOCKED)
  because "order {order.id} has a blocked sku among {order.lines.map(l, l.sku).join(", ")}"
  suggest express = !order.express
  suggest region_ok = order.region != "apac" || order.tags.all(t, t.endsWith("!"))
}
rule big_unpaid {
  severity high
  let flagged = big && !order.express
  review when flagged && (order.coupon?.percent ?? 0) < 10
  because "big"
}
rule all_tagged {
  severity high
  review when size(order.tags) > 0 && order.tags.all(t, t.startsWith("ok")) == false
  because "tags {order.tags.join(", ")} ({size(order.tags)}), coupon {order.coupon?.code ?? "none"}"
}
rule region_rule {
  severity high
  review when (order.region == "eu" ? order.total >= 500 : order.total > 800) && -order.total < -100
  because "region"
}
rule coupon_code {
  severity high
  reject when (order.coupon?.code ?? "") in ["BAD", "WORSE"] || order.id.endsWith("!")
  because "coupon {order.coupon?.code ?? "-"} on {order.id}: {order.tags.filter(t, t.startsWith("ok")).join("/")}"
}
rule listed {
  severity low
  review when order.lines.exists(l, l.sku in MANY_SKUS) || order.total in [0, 1, 1.2, 99.9] || priority in [-0, 7]
  because "listed {order.total}"
}
rule eu_large {
  severity low
  review when order.region == "eu" && order.total > 900 && size(order.tags) < 3
  because "eu large"
}
rule counted {
  severity high
  review when size(skus) >= 2 && priority != 3 && order.lines.exists(l, (l.discount ?? 0) > 50)
  because "lines"
}
rule coupon_note {
  severity low
  review when has(order.coupon) && order.id + "-" + order.region != "x-eu" && string(order.total) != "13" && !has(order.coupon.percent) == (priority > 5)
  because "coupon {has(order.coupon) ? order.coupon.code + "/" + (has(order.coupon.percent) ? string(order.coupon.percent) : "-") : "none"}, express {order.express}, tags {order.tags}, priority {priority}, {string(order.express)}"
}
rule paired {
  severity low
  review when order.lines.exists(i, l, i > 0 && l.qty > 5) || order.tags.existsOne(i, t, t == "ok-1" && i < 2)
  because "paired {order.lines.transformList(i, l, l.qty > 0, l.sku + string(i)).join(",")} {order.tags.transformMap(i, t, size(t))}"
}
rule coupon_high {
  severity low
  review when has(order.coupon) && has(order.coupon.percent) && order.coupon.percent > 40 && size(order.coupon.code) > 0
  because "coupon {order.coupon?.code ?? "?"} at {order.coupon?.percent ?? 0}%{note ?? ""}"
}
rule coupon_guarded {
  severity low
  review when order.coupon != null && order.coupon.percent != null && order.coupon.percent > 20
  because "guarded {order.coupon?.percent ?? 0}"
}
rule discount_unset {
  severity low
  review when note == null && order.lines.exists(l, l.discount == null || l.discount < 5) && (order.coupon == null ? order.total > 900 : order.coupon.code != "X1")
  because "unset"
}
`;
  const constructsSchema = inputJsonSchema(analyze(CONSTRUCTS).ast) as Record<string, unknown>;
  const constructs = ruleset(CONSTRUCTS);
  const ast = analyze(CONSTRUCTS).ast;
  const indexed = ruleset(CONSTRUCTS, { indexMinRules: 1 });
  it('files eu_large in the rule index when asked to (the indexed loop is really taken)', () => {
    const input = { order: { id: 'o', total: 1, express: true, tags: [], lines: [], region: 'us' }, priority: 1 };
    const r = indexed.evaluate(input, { explain: true });
    expect(r.ok && r.trace?.rules.find((t) => t.rule === 'eu_large')).toMatchObject({ skipped: 'index' });
  });
  it('on a ruleset reaching every typed construct, against the reference interpreter too', () => {
    fc.assert(
      fc.property(arbitraryOf(constructsSchema), fc.option(fc.integer({ min: -12, max: 20 })), (input, maxSteps) => {
        const r = constructs.evaluate(input);
        if (r.ok) {
          const ref = referenceDecide(ast, input as Record<string, Value>, {});
          expect(r.violations.map((v) => v.rule)).toEqual(ref.fired);
          expect(r.errors.map((e) => [e.rule, e.code])).toEqual(ref.errors);
        }
        agree(CONSTRUCTS, input, maxSteps ?? undefined);
        // through the rule index, whose loop calls each candidate's typed twin
        expect(indexed.evaluate(input)).toEqual(cached(CONSTRUCTS, undefined, false).evaluate(input));
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('reaches the rules that fire through typed code (the generated inputs are not all dull)', () => {
    const fired = new Set<string>();
    fc.assert(
      fc.property(arbitraryOf(constructsSchema), (input) => {
        const r = constructs.evaluate(input);
        if (r.ok) for (const v of r.violations) fired.add(v.rule);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
    expect([...fired].sort()).toEqual(['all_tagged', 'big_unpaid', 'blocked_sku', 'counted', 'coupon_code', 'coupon_guarded', 'coupon_high', 'coupon_note', 'discount_unset', 'eu_large', 'listed', 'paired', 'region_rule']);
  });

  // past the size up to which the typed scan writes the conditions inline, it calls their twins
  const MANY = `ruleset typed.many
input {
  order: { total: number, tags: list<string>, region: "eu" | "us" | "apac", coupon?: { percent?: number } }
}
decision review > accept
${Array.from({ length: 90 }, (_, i) => `rule r${i} {
  severity low
  review when order.total > ${i * 10} && order.tags.exists(t, t.startsWith("${i % 7}")) && (order.coupon?.percent ?? 0) < ${i} && order.region != "apac"
  because "r${i} on {order.tags.join(",")}"
}`).join('\n')}
`;
  it('a typed scan too large to write inline calls the twins, and decides the same', () => {
    const manySchema = inputJsonSchema(analyze(MANY).ast) as Record<string, unknown>;
    const tags = fc.array(fc.constantFrom('1a', '2b', '3', 'x', '6'), { maxLength: 4 });
    const input = fc.record({ order: fc.record({ total: fc.integer({ min: 0, max: 1000 }), tags, region: fc.constantFrom('eu', 'us', 'apac'), coupon: fc.record({ percent: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }) }, { requiredKeys: ['total', 'tags', 'region'] }) });
    expect(manySchema).toBeDefined();
    let fired = 0;
    fc.assert(
      fc.property(input, fc.option(fc.integer({ min: 0, max: 60 })), (value, maxSteps) => {
        const r = cached(MANY, undefined, true).evaluate(value);
        if (r.ok) fired += r.violations.length;
        agree(MANY, value, maxSteps ?? undefined);
      }),
      { numRuns: 100, seed: FC_SEED },
    );
    expect(fired).toBeGreaterThan(0);
  });

  it("a violation's reads are copies: changing the input afterwards leaves the decision as it was", () => {
    const source = readFileSync(join(ROOT, 'marketplace/admission.policy'), 'utf8');
    for (const r of [ruleset(source), ruleset(source, { codegen: false })]) {
      const input = { service: { id: 's', tier: 'free', environment: 'staging', endpoint: 'https://x', data_classification: 'public', data_residency: ['KP'], certifications: [], authentication: 'none' } };
      const decision = r.evaluate(input);
      expect(decision.ok && decision.violations[0]?.reads).toEqual({ 'service.data_residency': ['KP'] });
      input.service.data_residency.push('US');
      expect(decision.ok && decision.violations[0]?.reads).toEqual({ 'service.data_residency': ['KP'] });
    }
  });

  it('an object that is not plain takes the generic code, and decides the same', () => {
    class Order {
      constructor(
        readonly id: string,
        readonly total: number,
      ) {}
    }
    const order = Object.assign(new Order('o-1', 5000), { express: false, tags: [], lines: [{ sku: 'X1', qty: 1 }], region: 'eu' });
    const input = { order, priority: 1 };
    agree(CONSTRUCTS, input);
    const r = constructs.evaluate(input);
    // the generic code reads no field of a class instance: the conditions fail as errors
    expect(r.ok && r.errors.length > 0).toBe(true);
  });

  it('an object made from a plain one is a record to both, optional fields absent or not', () => {
    const base = { id: 'o-2', total: 5000, express: false, tags: ['ok-1'], lines: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1, discount: 60 }], region: 'us' };
    const order = Object.assign(Object.create(base) as object, { coupon: Object.create({ code: 'BAD' }) as object });
    const input = { order, priority: 2 };
    agree(CONSTRUCTS, input);
    const r = constructs.evaluate(input);
    expect(r.ok && r.violations.map((v) => v.rule)).toEqual(['big_unpaid', 'region_rule', 'coupon_code', 'counted', 'paired', 'discount_unset']);
  });
});
