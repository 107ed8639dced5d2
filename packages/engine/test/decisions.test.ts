import { describe, expect, it } from 'vitest';
import { analyze, parse, type Analysis } from '@verdict/language';
import { compile } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const ADMISSION = `
ruleset test.admission

input {
  service: {
    id: string
    tier: "free" | "standard" | "enterprise"
    environment: "development" | "staging" | "production"
    endpoint: string
    data_residency: list<string>
    certifications: list<string>
    tls_version?: number
    sla?: { availability: number }
  }
}

decision deny > warn > allow

const RESTRICTED = ["KP", "IR", "SY", "CU"]

rule restricted_countries {
  severity critical
  let blocked = service.data_residency.filter(c, c in RESTRICTED)
  deny when size(blocked) > 0
  because "Data may not reside in {blocked}"
}

rule https_required {
  severity critical
  deny when service.environment == "production" && !service.endpoint.startsWith("https://")
  because "Production endpoints must use HTTPS, not {service.endpoint}"
}

rule enterprise_sla_minimum {
  severity medium
  deny when service.tier == "enterprise" && (service.sla?.availability ?? 0) < 99.9
  because "Enterprise tier needs 99.9% availability"
}

rule tls_minimum {
  severity high
  warn when service.environment == "production" && (service.tls_version ?? 0) < 1.2
  because "TLS {service.tls_version ?? 0} is below 1.2"
}

rule no_certifications {
  severity low
  warn when size(service.certifications) == 0
  because "No certifications"
}
`;

function service(overrides: Record<string, unknown> = {}) {
  return {
    service: {
      id: 's1',
      tier: 'free',
      environment: 'development',
      endpoint: 'https://x',
      data_residency: ['US'],
      certifications: ['SOC2'],
      ...overrides,
    },
  };
}

describe('decision semantics', () => {
  const rs = ruleset(ADMISSION);

  it('exposes metadata', () => {
    expect(rs.name).toBe('test.admission');
    expect(rs.outcomes).toEqual(['deny', 'warn', 'allow']);
    expect(rs.defaultOutcome).toBe('allow');
    expect(rs.rules.map((r) => [r.id, r.severity, r.outcome, r.weight])).toEqual([
      ['restricted_countries', 'critical', 'deny', 5],
      ['https_required', 'critical', 'deny', 5],
      ['enterprise_sla_minimum', 'medium', 'deny', 2],
      ['tls_minimum', 'high', 'warn', 3],
      ['no_certifications', 'low', 'warn', 1],
    ]);
  });

  it('no rule fires: default outcome, compliant, score 1', () => {
    const r = rs.evaluate(service());
    expect(r).toMatchObject({ ok: true, decision: 'allow', compliant: true, score: 1, violations: [], errors: [], trace: null });
  });

  it('highest-precedence outcome wins and every fired rule is listed', () => {
    const r = rs.evaluate(service({ environment: 'production', endpoint: 'http://x', tls_version: 1.0, data_residency: ['US', 'IR', 'KP'] }));
    if (!r.ok) throw new Error('expected ok');
    expect(r.decision).toBe('deny');
    expect(r.compliant).toBe(false);
    expect(r.violations.map((v) => v.rule)).toEqual(['restricted_countries', 'https_required', 'tls_minimum']);
    expect(r.violations[0]?.message).toBe('Data may not reside in IR, KP');
    expect(r.violations[1]?.message).toBe('Production endpoints must use HTTPS, not http://x');
    expect(r.violations[2]?.message).toBe('TLS 1 is below 1.2');
    expect(r.score).toBe(1 - (5 + 5 + 3) / 16);
  });

  it('a lower outcome alone decides when nothing higher fires', () => {
    const r = rs.evaluate(service({ certifications: [] }));
    expect(r).toMatchObject({ ok: true, decision: 'warn', compliant: false, score: 1 - 1 / 16 });
  });

  it('violations carry severity, location and the input the condition read', () => {
    const r = rs.evaluate(service({ tier: 'enterprise', sla: { availability: 99.5 } }));
    if (!r.ok) throw new Error('expected ok');
    const v = r.violations[0];
    expect(v).toMatchObject({ rule: 'enterprise_sla_minimum', outcome: 'deny', severity: 'medium', suggestion: null });
    expect(v?.location.line).toBe(ADMISSION.split('\n').findIndex((l) => l.startsWith('rule enterprise_sla_minimum')) + 1);
    expect(v?.reads).toEqual({ 'service.tier': 'enterprise', 'service.sla.availability': 99.5 });
  });

  it('reads follow lets', () => {
    const r = rs.evaluate(service({ data_residency: ['CU'] }));
    expect(r.ok && r.violations[0]?.reads).toEqual({ 'service.data_residency': ['CU'] });
  });

  it('reads follow table calls into the rows: patterns, guards and results, not the table\'s own parameters', () => {
    const source = `ruleset t.table_reads
input { x: string, y: string, z: number, a: number, w: number }
decision deny > allow
table t(a: string) -> number {
  "p" when y == "b" -> z
  _ -> 0
}
table u(v: number) -> number {
  _ -> t("p") + v + a
}
let via_let = u(1)
rule direct {
  severity low
  deny when t(x) > 1
  because "t"
}
rule through {
  severity low
  deny when via_let > 100 || w > 1000
  because "u"
}
`;
    for (const codegen of [true, false]) {
      const r = ruleset(source, { codegen }).evaluate({ x: 'p', y: 'b', z: 500, a: 1, w: 0 });
      if (!r.ok) throw new Error(r.error.message);
      const reads = Object.fromEntries(r.violations.map((v) => [v.rule, v.reads]));
      // \`a\` is t's parameter inside t, but u reads the input field \`a\`
      expect(reads['direct']).toEqual({ x: 'p', y: 'b', z: 500 });
      expect(reads['through']).toEqual({ y: 'b', z: 500, a: 1, w: 0 });
    }
  });

  it('refuses invalid input, listing every failing path, and runs no rule', () => {
    const r = rs.evaluate({ service: { id: 1, tier: 'gold', environment: 'production', endpoint: 'http://x', data_residency: 'US', extra: true } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    const paths = r.error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['service.certifications', 'service.data_residency', 'service.extra', 'service.id', 'service.tier'].sort());
  });

  it('refuses a non-object input', () => {
    for (const input of [null, [], 'x', 3]) {
      const r = rs.evaluate(input);
      expect(r.ok ? 'ok' : r.error.code).toBe('invalid_input');
    }
  });

  it('refuses numbers JSON cannot carry (NaN, ±Infinity) as invalid input, in fields and params', () => {
    const q = ruleset(`ruleset t.finite
input { n: number, xs: list<number> }
param limit: number = 10
decision deny > allow
rule big {
  severity low
  deny when n > limit || xs.exists(x, x > limit)
  because "big"
}
`);
    for (const [n, xs] of [[Number.NaN, []], [Number.NEGATIVE_INFINITY, []], [1, [Number.POSITIVE_INFINITY]], [Number.POSITIVE_INFINITY, [Number.NaN]]] as const) {
      const r = q.evaluate({ n, xs });
      expect(r.ok ? r.decision : r.error.code, `${n} ${xs}`).toBe('invalid_input');
      // (a NaN compared with > is false: accepted, the rule would silently pass)
    }
    expect(q.evaluate({ n: 1, xs: [2] }, { params: { limit: Number.NaN } })).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(q.evaluate({ n: 11, xs: [] })).toMatchObject({ ok: true, decision: 'deny' });
  });

  it('an output named __proto__ or constructor is an own property, not the prototype', () => {
    const source = `ruleset t.proto_outputs
input { n: number }
decision deny > allow
output __proto__ = {"isAdmin": true}
output constructor = n
rule r {
  severity low
  deny when n > 1
  because "big"
}
`;
    for (const codegen of [true, false]) {
      const r = ruleset(source, { codegen }).evaluate({ n: 2 });
      if (!r.ok) throw new Error(r.error.message);
      expect(Object.getPrototypeOf(r.outputs)).toBe(Object.prototype);
      expect(Object.hasOwn(r.outputs, '__proto__')).toBe(true);
      expect((r.outputs as { isAdmin?: unknown }).isAdmin).toBeUndefined();
      expect(JSON.parse(JSON.stringify(r.outputs))).toEqual(JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": 2}'));
    }
  });

  it('treats __proto__ and constructor input keys as plain data', () => {
    const input = JSON.parse(
      '{"service": {"id": "s", "tier": "free", "environment": "development", "endpoint": "https://x", "data_residency": ["US"], "certifications": ["SOC2"], "__proto__": {"polluted": true}}}',
    );
    const r = rs.evaluate(input);
    expect(r.ok ? 'ok' : r.error.details.map((d) => d.path)).toEqual(['service.__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('explain: per-rule trace with the values that decided it', () => {
    // the index is used from one filed rule on here (by default only from 32), to show its trace
    const r = ruleset(ADMISSION, { indexMinRules: 1 }).evaluate(service({ environment: 'production', endpoint: 'http://x', tls_version: 1.3 }), { explain: true });
    if (!r.ok || !r.trace) throw new Error('expected a trace');
    const https = r.trace.rules.find((t) => t.rule === 'https_required');
    expect(https?.result).toBe('fired');
    const byText = Object.fromEntries(https?.values.map((v) => [v.expr, v.value]) ?? []);
    expect(byText['service.environment']).toBe('production');
    expect(byText['service.environment == "production"']).toBe(true);
    expect(byText['service.endpoint.startsWith("https://")']).toBe(false);
    expect(r.trace.rules.find((t) => t.rule === 'tls_minimum')?.result).toBe('passed');
    // the index rules out tier == "enterprise" without evaluating it
    expect(r.trace.rules.find((t) => t.rule === 'enterprise_sla_minimum')).toEqual({ rule: 'enterprise_sla_minimum', result: 'passed', skipped: 'index', values: [] });
    // unindexed, short-circuited sub-expressions are not evaluated, so not in the trace
    const plain = ruleset(ADMISSION, { index: false }).evaluate(service({ environment: 'production', endpoint: 'http://x', tls_version: 1.3 }), { explain: true });
    const sla = plain.ok ? plain.trace?.rules.find((t) => t.rule === 'enterprise_sla_minimum') : undefined;
    expect(sla?.values.map((v) => v.expr)).toEqual(['service.tier', 'service.tier == "enterprise"', 'service.tier == "enterprise" && (service.sla?.availability ?? 0) < 99.9']);
    expect(r.trace.rulesEvaluated + r.trace.rules.filter((t) => t.skipped === 'index').length).toBe(5);
  });
});

describe('error policy', () => {
  const source = (policy: string) => `
ruleset test.errors
input { a: number, b: number, xs: list<number> }
decision deny > allow
${policy}
rule ratio {
  severity high
  deny when a / b > 2
  because "ratio {a / b}"
}
rule first_item {
  severity low
  deny when xs[0] > 10
  because "first is big"
}
rule absorbed {
  severity low
  deny when b != 0 && a / b > 100
  because "huge"
}
`;

  it('fail closed by default: an erring rule fires with its outcome', () => {
    const rs = ruleset(source(''));
    const r = rs.evaluate({ a: 1, b: 0, xs: [] });
    if (!r.ok) throw new Error('expected ok');
    expect(r.decision).toBe('deny');
    expect(r.violations.map((v) => v.rule)).toEqual(['ratio', 'first_item']);
    expect(r.violations[0]?.message).toMatch(/^ratio <error: division by zero> \(error: division by zero\)$/);
    expect(r.violations[1]?.message).toContain('(error: index 0 is out of range');
    expect(r.errors.filter((e) => e.kind === 'condition').map((e) => [e.rule, e.code])).toEqual([
      ['ratio', 'division_by_zero'],
      ['first_item', 'index_out_of_range'],
    ]);
    expect(r.errors[0]?.location.line).toBe(8);
    expect(r.errors[0]?.location.column).toBe(13);
  });

  it('on error skip: the rule does not fire, the error is still listed', () => {
    const rs = ruleset(source('on error skip'));
    const r = rs.evaluate({ a: 1, b: 0, xs: [] });
    if (!r.ok) throw new Error('expected ok');
    expect(r.decision).toBe('allow');
    expect(r.compliant).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.errors.map((e) => [e.rule, e.code])).toEqual([
      ['ratio', 'division_by_zero'],
      ['first_item', 'index_out_of_range'],
    ]);
  });

  it('explain marks an erring rule as error', () => {
    const rs = ruleset(source(''));
    const r = rs.evaluate({ a: 1, b: 0, xs: [] }, { explain: true });
    const t = r.ok ? r.trace?.rules.find((x) => x.rule === 'ratio') : undefined;
    expect(t?.result).toBe('error');
    expect(t?.values.find((v) => v.expr === 'a / b')?.value).toEqual({ error: 'division_by_zero', message: 'division by zero' });
  });

  it('&& absorbs the error when the other side decides', () => {
    const rs = ruleset(source(''));
    const r = rs.evaluate({ a: 1, b: 0, xs: [20] });
    expect(r.ok && r.errors.some((e) => e.rule === 'absorbed')).toBe(false);
  });
});

describe('weights, lets, params, tables, outputs, suggestions', () => {
  const QUOTE = `
ruleset test.quote
input {
  state: string
  age: number
  value: number
  claims: number
}
decision decline > refer > approve
weights { critical: 10, low: 2 }

param base_rate: number = 500 where value > 0
param max_value: number = 100000 where value > 0 && value <= 1000000
param mode: "strict" | "lenient" = "strict"

table territory(state: string) -> number {
  "CA" -> 1.28
  in ["NY", "NJ"] -> 1.35
  else -> 1.00
}

table age_factor(age: number, state: string) -> number {
  < 21, _ -> 1.9
  < 25, "CA" -> 1.6
  < 25, _ -> 1.55
  >= 70, _ when mode == "strict" -> 1.25
  != 50, _ -> 1.0
}

let factor = territory(state) * age_factor(age, state)
output premium = round(base_rate * factor, 2)
output ratio = value / claims

rule minimum_age {
  severity critical
  decline when age < 16
  because "Too young: {age}"
}

rule high_value {
  severity low
  let excess = value - max_value
  refer when excess > 0
  because "Value exceeds the limit by {excess}"
  suggest value = max_value
  suggest excess = excess
}
`;
  const rs = ruleset(QUOTE);
  const base = { state: 'CA', age: 30, value: 20000, claims: 2 };

  it('computes outputs from tables, lets and params', () => {
    const r = rs.evaluate(base);
    expect(r).toMatchObject({ ok: true, decision: 'approve', outputs: { premium: 640, ratio: 10000 } });
    const ny = rs.evaluate({ ...base, state: 'NJ', age: 22 });
    expect(ny.ok && ny.outputs['premium']).toBe(Math.round(500 * 1.35 * 1.55 * 100) / 100);
    const young = rs.evaluate({ ...base, age: 22 });
    expect(young.ok && young.outputs['premium']).toBe(round2(500 * 1.28 * 1.6));
    const other = rs.evaluate({ ...base, state: 'TX', age: 75 });
    expect(other.ok && other.outputs['premium']).toBe(625);
  });

  it('a table with no matching row and no else is an error; the output is null and the error listed', () => {
    const r = rs.evaluate({ ...base, age: 50 });
    if (!r.ok) throw new Error('expected ok');
    expect(r.outputs['premium']).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ rule: null, output: 'premium', kind: 'output', code: 'no_matching_row' })]);
  });

  it('an output that divides by zero is null with its error', () => {
    const r = rs.evaluate({ ...base, claims: 0 });
    expect(r.ok && r.outputs['ratio']).toBeNull();
    expect(r.ok && r.errors.map((e) => [e.output, e.code])).toEqual([['ratio', 'division_by_zero']]);
  });

  it('weights override the defaults in the score', () => {
    const r = rs.evaluate({ ...base, age: 15, value: 200000 });
    expect(r).toMatchObject({ ok: true, decision: 'decline', score: 0 });
    const refer = rs.evaluate({ ...base, value: 200000 });
    expect(refer).toMatchObject({ ok: true, decision: 'refer', score: 1 - 2 / 12 });
    expect(rs.rules.map((x) => x.weight)).toEqual([10, 2]);
  });

  it('suggestions are evaluated when the rule fires', () => {
    const r = rs.evaluate({ ...base, value: 150000 });
    expect(r.ok && r.violations[0]).toMatchObject({ rule: 'high_value', message: 'Value exceeds the limit by 50000', suggestion: { value: 100000, excess: 50000 } });
  });

  it('param overrides change the decision', () => {
    const r = rs.evaluate({ ...base, value: 150000 }, { params: { max_value: 200000 } });
    expect(r).toMatchObject({ ok: true, decision: 'approve' });
    const p = rs.evaluate(base, { params: { base_rate: 1000 } });
    expect(p.ok && p.outputs['premium']).toBe(1280);
    const strict = rs.evaluate({ ...base, state: 'TX', age: 75 }, { params: { mode: 'lenient' } });
    expect(strict.ok && strict.outputs['premium']).toBe(500);
  });

  it('bad param overrides are refused, naming the param', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ nope: 1 }, 'nope'],
      [{ base_rate: 'high' }, 'base_rate'],
      [{ base_rate: -5 }, 'base_rate'],
      [{ max_value: 2000000 }, 'max_value'],
      [{ mode: 'wild' }, 'mode'],
    ];
    for (const [params, name] of cases) {
      const r = rs.evaluate(base, { params });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('invalid_params');
      expect(r.error.message).toContain(name);
      expect(r.error.details.map((d) => d.path)).toEqual([name]);
    }
  });

  it('validateParams returns merged values or the error', () => {
    expect(rs.validateParams({ base_rate: 600 })).toEqual({ ok: true, values: { base_rate: 600, max_value: 100000, mode: 'strict' } });
    const bad = rs.validateParams({ base_rate: 0, mode: 'x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.details.map((d) => d.path)).toEqual(['base_rate', 'mode']);
  });

  it('params metadata', () => {
    expect(rs.params.map((p) => [p.name, p.default, p.doc])).toEqual([
      ['base_rate', 500, null],
      ['max_value', 100000, null],
      ['mode', 'strict', null],
    ]);
    expect(rs.params[0]?.type).toMatchObject({ type: 'number' });
    expect(rs.params[2]?.type).toMatchObject({ enum: ['strict', 'lenient'] });
  });
});

function round2(x: number): number {
  return Number(x.toFixed(2));
}

describe('param overrides mutated between evaluations are revalidated', () => {
  // resolved params are cached per overrides object; a mutation must not reuse the stale values
  const rs = ruleset(`ruleset test.mutable_params
input { n: number }
decision deny > allow
param lim: number = 10 where value > 0
param blocked: list<string> = [] where size(value) <= 2
output limit = lim
output blocked_count = size(blocked)
rule over { severity low deny when n > lim because "over {lim}" }
`);
  type Expected = { decision: string; limit: number; blocked: number } | { invalid: string };
  // each step mutates the same object, then evaluates with it again
  const steps: Array<[step: string, mutate: (p: Record<string, unknown>) => void, expected: Expected]> = [
    ['first evaluation', () => {}, { decision: 'allow', limit: 50, blocked: 0 }],
    ['unchanged object', () => {}, { decision: 'allow', limit: 50, blocked: 0 }],
    ['lim set to break its where', (p) => (p['lim'] = -5), { invalid: 'lim' }],
    ['lim set to another valid value', (p) => (p['lim'] = 5), { decision: 'deny', limit: 5, blocked: 0 }],
    ['a key added', (p) => (p['blocked'] = ['a']), { decision: 'deny', limit: 5, blocked: 1 }],
    ['nested list pushed past its where', (p) => (p['blocked'] as string[]).push('b', 'c'), { invalid: 'blocked' }],
    ['nested list popped back', (p) => (p['blocked'] as string[]).pop(), { decision: 'deny', limit: 5, blocked: 2 }],
    ['nested item of the wrong type', (p) => ((p['blocked'] as unknown[])[0] = 7), { invalid: 'blocked' }],
    ['nested item fixed in place', (p) => ((p['blocked'] as unknown[])[0] = 'z'), { decision: 'deny', limit: 5, blocked: 2 }],
    ['a key deleted', (p) => delete p['blocked'], { decision: 'deny', limit: 5, blocked: 0 }],
    ['NaN, which JSON would serialise as null', (p) => (p['lim'] = Number.NaN), { invalid: 'lim' }],
  ];

  it('each mutation is noticed and its values used', () => {
    const params: Record<string, unknown> = { lim: 50 };
    for (const [step, mutate, expected] of steps) {
      mutate(params);
      const r = rs.evaluate({ n: 20 }, { params });
      if ('invalid' in expected) {
        expect(r, step).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
        if (r.ok) continue;
        expect(r.error.message, step).toContain(expected.invalid);
        expect(r.error.details.map((d) => d.path.split(/[.[]/)[0]), step).toEqual([expected.invalid]);
      } else {
        expect(r, step).toMatchObject({ ok: true, decision: expected.decision, outputs: { limit: expected.limit, blocked_count: expected.blocked } });
      }
    }
  });
});

describe('ruleset-level lets are computed once per evaluation', () => {
  it('a let used by many rules costs its steps once', () => {
    const rules = Array.from({ length: 20 }, (_, i) => `rule r${i} { severity low deny when total > ${i * 1000} because "r${i}" }`).join('\n');
    const rs = ruleset(`ruleset test.lets
input { xs: list<number> }
decision deny > allow
let total = sum(xs.map(x, x * 2))
${rules}
`);
    const r = rs.evaluate({ xs: [1, 2, 3] }, { explain: true });
    if (!r.ok || !r.trace) throw new Error('expected a trace');
    expect(r.violations.length).toBe(1);
    // 3 iterations + the sum call + the map... counted once, not 20 times
    expect(r.trace.steps).toBe(4);
  });
});

describe('compile', () => {
  it('reports its own diagnostics for names the checker did not resolve (parse-only analysis)', () => {
    const src = `ruleset x
input { a: number }
decision deny > allow
const C = nope1 + 1
let unused = nope2 * 2
rule r { severity low let u = nope3 deny when a > size(1, 2) because "m" }
`;
    const parsed = parse(src);
    const r = compile({ ast: parsed.ast, diagnostics: parsed.diagnostics, check: { diagnostics: [] } } as unknown as Analysis);
    expect(r.ruleset).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([
      ['VD5001', 4],
      ['VD5001', 5],
      ['VD5001', 6],
      ['VD5003', 6],
    ]);
  });

  it('returns no ruleset when the source has errors', () => {
    const r = compile('ruleset x\ninput { a: number }\ndecision deny > allow\nrule r { severity low deny when a > "x" +  because "m" }');
    expect(r.ruleset).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('message holes naming a const', () => {
  const source = `
ruleset test.consts
input { x: number }
decision deny > allow
const LIMIT = 99.9
const CODES = ["A", "B"]
const HALF = 1 / 0
rule over {
  severity high
  deny when x > LIMIT
  because "x {x} exceeds {LIMIT}; codes {CODES}; literal {HALF ?? 0}"
}
rule shadowed {
  severity low
  let twice = x * 2
  deny when x > 100
  because "doubled {twice}"
}
`;
  it.each([{}, { codegen: false }])('render as the value would (%o)', (options) => {
    const analysis = analyze(source);
    const r = compile(analysis, options);
    if (!r.ruleset) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const d = r.ruleset.evaluate({ x: 150 });
    if (!d.ok) throw new Error('refused');
    expect(d.violations.map((v) => v.message)).toEqual(['x 150 exceeds 99.9; codes A, B; literal <error: division by zero>', 'doubled 300']);
  });
});
