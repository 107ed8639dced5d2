/**
 * Optional fields and their guards (grammar/README.md, "Optional fields and guards"): every form
 * the checker accepts, on inputs where the optional fields are present, absent and (where the
 * schema allows it) null, in every evaluation path. A read of a declared optional field the input
 * leaves out is null, so `x.f != null && x.f.g < 1` is false and `x.f == null || ...` true for an
 * absent `f`, with no error; `has()` still tells an absent field from a present null.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, type Expr, type FieldDecl, type RuleDecl } from '@verdict/language';
import { compileExpression, referenceDecide, type CompiledRuleset, type Value } from '@verdict/engine';
import type { CompileEnv, GlobalRef } from '../src/compiler.ts';
import { TypedEmitter } from '../src/codegen/emit-typed.ts';
import { Scope, type ModuleTables } from '../src/codegen/emit.ts';
import { describeName } from '../src/codegen/names.ts';
import { recordTypeOf } from '../src/codegen/static-types.ts';
import { FC_SEED, ruleset } from './helpers.ts';

/** The inputs every form is decided on. */
const INPUTS = {
  absent: { service: { name: 'a' }, limits: [{ name: 'x' }] },
  low: { service: { name: 'a', sla: { availability: 99, target: 99.5 }, tier: 'paid', meta: 'm', tags: ['t'] }, tls_version: 1.3, limits: [{ name: 'x', limit: 10 }] },
  high: { service: { name: 'a', sla: { availability: 99.95 }, tier: 'free', meta: { k: 1 } }, tls_version: 1, limits: [{ name: 'x', limit: 3 }, { name: 'y' }] },
  /** `meta` is `any`: the only optional field here whose schema takes null. */
  null: { service: { name: 'a', meta: null }, limits: [] },
} as const;
type Case = keyof typeof INPUTS;
const CASES = Object.keys(INPUTS) as Case[];

interface Form {
  name: string;
  condition: string;
  /** Whether the rule fires, per input. */
  fires: Record<Case, boolean>;
  /** The typed twin writes the condition as typed code (no generic fallback anywhere in it). */
  typed: boolean;
  /** Rule-level lets. */
  lets?: string;
}

const f = (absent: boolean, low: boolean, high: boolean, nul: boolean) => ({ absent, low, high, null: nul });

const FORMS: Form[] = [
  // the guards table, row by row
  { name: 'optional_read_default', condition: '(service.sla?.availability ?? 0) < 99.9', fires: f(true, true, false, true), typed: true },
  { name: 'plain_default', condition: '(tls_version ?? 0) >= 1.2', fires: f(false, true, false, false), typed: true },
  { name: 'plain_default_nested', condition: '(service.tier ?? "free") == "paid"', fires: f(false, true, false, false), typed: true },
  { name: 'has_and', condition: 'has(service.sla) && service.sla.availability < 99.9', fires: f(false, true, false, false), typed: true },
  { name: 'not_has_or', condition: '!has(service.sla) || service.sla.availability >= 99.9', fires: f(true, false, true, true), typed: true },
  { name: 'ne_null_and', condition: 'service.sla != null && service.sla.availability < 99.9', fires: f(false, true, false, false), typed: true },
  { name: 'eq_null_or', condition: 'service.sla == null || service.sla.availability >= 99.9', fires: f(true, false, true, true), typed: true },
  { name: 'conditional_has', condition: '(has(service.sla) ? service.sla.availability : 0) < 99.9', fires: f(true, true, false, true), typed: true },
  { name: 'macro_filter_has', condition: 'size(limits.map(l, has(l.limit), l.limit)) > 0', fires: f(false, true, true, false), typed: false },
  // the null comparison written other ways
  { name: 'null_ne_reversed', condition: 'null != service.sla && service.sla.availability < 99.9', fires: f(false, true, false, false), typed: true },
  { name: 'not_eq_null_and', condition: '!(service.sla == null) && service.sla.availability < 99.9', fires: f(false, true, false, false), typed: true },
  { name: 'conditional_ne_null', condition: '(service.sla != null ? service.sla.availability : 0) < 99.9', fires: f(true, true, false, true), typed: true },
  { name: 'conditional_eq_null', condition: '(service.sla == null ? 100 : service.sla.availability) < 99.9', fires: f(false, true, false, false), typed: true },
  { name: 'macro_exists_ne_null', condition: 'limits.exists(l, l.limit != null && l.limit > 5)', fires: f(false, true, false, false), typed: true },
  { name: 'macro_all_eq_null', condition: 'limits.all(l, l.limit == null || l.limit <= 5)', fires: f(true, false, true, true), typed: true },
  { name: 'macro_filter_ne_null', condition: 'size(limits.map(l, l.limit != null, l.limit)) > 0', fires: f(false, true, true, false), typed: false },
  { name: 'top_level_ne_null', condition: 'tls_version != null && tls_version >= 1.2', fires: f(false, true, false, false), typed: true },
  { name: 'top_level_eq_null', condition: 'tls_version == null || tls_version < 1.2', fires: f(true, false, true, true), typed: true },
  { name: 'nested_ne_null', condition: 'service.sla != null && service.sla.target != null && service.sla.target > 99', fires: f(false, true, false, false), typed: true },
  { name: 'nested_eq_null', condition: 'service.sla == null || service.sla.target == null', fires: f(true, false, true, true), typed: true },
  { name: 'let_alias_ne_null', lets: 'let s = service.sla', condition: 's != null && s.availability < 99.9', fires: f(false, true, false, false), typed: false },
  // `?.`, an index, `in`, `has` and `==` on absent fields, consistent with the guards
  { name: 'optional_read_eq_null', condition: 'service.sla?.target == null', fires: f(true, false, true, true), typed: true },
  { name: 'index_eq_null', condition: 'service["sla"] == null', fires: f(true, false, false, true), typed: false },
  { name: 'in_record', condition: '"sla" in service', fires: f(false, true, true, false), typed: false },
  { name: 'value_eq', condition: 'service.tier == "paid"', fires: f(false, true, false, false), typed: true },
  { name: 'value_ne', condition: 'service.tier != "paid"', fires: f(true, false, true, true), typed: true },
  { name: 'two_absent_equal', condition: 'service.sla?.target == tls_version', fires: f(true, false, false, true), typed: true },
  { name: 'list_ne_null', condition: 'service.tags != null && size(service.tags) > 0', fires: f(false, true, false, false), typed: true },
  // `any`: present as null, it is equal to null and yet there (`has`)
  { name: 'any_eq_null', condition: 'service.meta == null', fires: f(true, false, false, true), typed: false },
  { name: 'any_has', condition: 'has(service.meta)', fires: f(false, true, true, true), typed: false },
  // first conjuncts the rule index files under null
  { name: 'indexed_sla_null', condition: 'service.sla == null && service.name == "a"', fires: f(true, false, false, true), typed: true },
  { name: 'indexed_tls_null', condition: 'tls_version == null && service.name == "a"', fires: f(true, false, false, true), typed: true },
];

const SOURCE = `
ruleset test.guards
input {
  service: {
    name: string
    sla?: { availability: number, target?: number }
    tier?: "free" | "paid"
    meta?: any
    tags?: list<string>
  }
  tls_version?: number
  limits: list<{ name: string, limit?: number }>
}
decision deny > allow
${FORMS.map((form) => `rule ${form.name} {\n  severity low\n  ${form.lets ?? ''}\n  deny when ${form.condition}\n  because "${form.name}"\n}`).join('\n')}
rule message {
  severity low
  deny when service.name == "-"
  because "never"
}
output has_sla = service.sla != null
output tier = service.tier ?? "none"
`;

interface Outcome {
  fired: string[];
  errors: Array<[string, string]>;
}

function outcomeOf(r: ReturnType<CompiledRuleset['evaluate']>): Outcome {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { fired: r.violations.map((v) => v.rule), errors: r.errors.map((e) => [e.rule ?? e.output ?? '', e.code]) };
}

/** Told of nothing; passing it turns the typed scan off, so the generic generated code runs. */
const NO_COVERAGE = { let() {}, row() {}, cell() {} };

/** Every evaluation path of a ruleset, each deciding an input. */
function evaluators(source: string): Record<string, (input: unknown) => Outcome> {
  const analysis = analyze(source);
  const compiled = ruleset(source);
  const closures = ruleset(source, { codegen: false });
  const indexed = ruleset(source, { indexMinRules: 1 });
  return {
    'typed twin': (input) => outcomeOf(compiled.evaluate(input)),
    'generated code': (input) => outcomeOf(compiled.evaluate(input, { coverage: NO_COVERAGE })),
    closures: (input) => outcomeOf(closures.evaluate(input)),
    'traced closures': (input) => outcomeOf(compiled.evaluate(input, { explain: true })),
    'rule index': (input) => outcomeOf(indexed.evaluate(input)),
    'reference interpreter': (input) => {
      const r = referenceDecide(analysis, input as Record<string, Value>);
      return { fired: r.fired, errors: r.errors };
    },
  };
}

describe('the guards of optional fields hold in every evaluator', () => {
  const paths = evaluators(SOURCE);
  for (const [path, decide] of Object.entries(paths)) {
    describe(path, () => {
      it.each(CASES)('optional fields %s', (which) => {
        const expected = FORMS.filter((form) => form.fires[which]).map((form) => form.name);
        expect(decide(INPUTS[which])).toEqual({ fired: expected, errors: [] });
      });
    });
  }

  it('reads an absent optional field as null in messages and outputs, and has() still tells it apart', () => {
    const r = ruleset(SOURCE).evaluate(INPUTS.absent);
    expect(r.ok && r.outputs).toEqual({ has_sla: false, tier: 'none' });
    const trace = ruleset(SOURCE).evaluate(INPUTS.absent, { explain: true });
    const values = trace.ok ? trace.trace?.rules.find((t) => t.rule === 'ne_null_and')?.values : undefined;
    expect(values?.find((v) => v.expr === 'service.sla')?.value).toBeNull();
    expect(values?.find((v) => v.expr === 'service.sla != null')?.value).toBe(false);
  });

  it('refuses null where the schema does not take it (an optional record)', () => {
    const r = ruleset(SOURCE).evaluate({ service: { name: 'a', sla: null }, limits: [] });
    expect(r.ok).toBe(false);
  });
});

describe('a template hole reads an absent optional field as null', () => {
  const source = `
ruleset test.hole
input { service: { name: string, tier?: "free" | "paid" } }
decision deny > allow
rule shown {
  severity low
  deny when service.name != ""
  because "tier {service.tier}"
}
`;
  it.each([
    [{ service: { name: 'a' } }, 'tier null'],
    [{ service: { name: 'a', tier: 'paid' } }, 'tier paid'],
  ])('%j', (input, message) => {
    const analysis = analyze(source);
    for (const options of [{}, { codegen: false }]) {
      const r = ruleset(source, options).evaluate(input);
      expect(r.ok && r.violations.map((v) => v.message)).toEqual([message]);
      expect(r.ok && r.errors).toEqual([]);
    }
    expect(referenceDecide(analysis, input as Record<string, Value>).messages).toEqual([message]);
  });
});

describe('decimal optional fields (no quick check: the generic code)', () => {
  // fees as numbers: the reference interpreter takes the input as the engine holds it, and a number is a decimal's value either way
  const DECIMALS: Form[] = [
    { name: 'fee_ne_null', condition: 'order.fee != null && order.fee > 1', fires: f(false, true, false, false), typed: false },
    { name: 'fee_eq_null', condition: 'order.fee == null || order.fee <= 1', fires: f(true, false, true, false), typed: false },
    { name: 'fee_default', condition: '(order.fee ?? 0) > 1', fires: f(false, true, false, false), typed: false },
    { name: 'fee_optional_read', condition: 'order?.fee == null', fires: f(true, false, false, false), typed: false },
  ];
  const source = `
ruleset test.decimals
input { order: { id: string, fee?: decimal } }
decision deny > allow
${DECIMALS.map((form) => `rule ${form.name} {\n  severity low\n  deny when ${form.condition}\n}`).join('\n')}
`;
  const inputs: Array<[Case, unknown]> = [
    ['absent', { order: { id: 'o' } }],
    ['low', { order: { id: 'o', fee: 2.5 } }],
    ['high', { order: { id: 'o', fee: 0.5 } }],
  ];
  for (const [path, decide] of Object.entries(evaluators(source))) {
    it.each(inputs)(`${path}: fee %s`, (which, input) => {
      expect(decide(input)).toEqual({ fired: DECIMALS.filter((form) => form.fires[which]).map((form) => form.name), errors: [] });
    });
  }
});

/** The typed twin's code for a rule's condition (null when some node of it is left to the generic code). */
function typedCode(source: string, rule: string): string | null {
  const analysis = analyze(source);
  const fields: FieldDecl[] = analysis.ast.decls.flatMap((d) => (d.kind === 'Input' ? d.fields : []));
  let slots = 0;
  const env: CompileEnv = { globals: new Map(), tables: new Map(), diagnostics: [], newSlot: () => slots++, types: analysis.check.types };
  for (const field of fields) env.globals.set(field.name, describeName((() => () => null) as GlobalRef, { kind: 'input', name: field.name, optional: field.optional }));
  let hoisted = 0;
  const tables: ModuleTables = { value: () => 'K[0]', closure: () => 'C[0]', builtin: () => 'F[0]', hoist: (build) => (build(`h${hoisted}`), `h${hoisted++}`), letComputer: () => 'L0' };
  const decl = analysis.ast.decls.find((d): d is RuleDecl => d.kind === 'Rule' && d.name.name === rule);
  return new TypedEmitter(env, tables, recordTypeOf(fields)).emit(decl?.condition as Expr, new Map(), new Scope());
}

describe('the typed twin writes the guards as typed code', () => {
  it.each(FORMS.filter((form) => form.typed).map((form) => form.name))('%s', (name) => {
    const code = typedCode(SOURCE, name);
    expect(code).not.toBeNull();
    // no generic helper: a missing field is `undefined`, compared with ===
    expect(code).not.toMatch(/member\(|binary\(|C\[/);
  });
});

describe('standalone expressions (no declared types) keep CEL: a missing field is an error', () => {
  it.each(['m.f == null', 'm.f != null && m.f > 1'])('%s', (text) => {
    for (const codegen of [false, true]) {
      const c = compileExpression(text, { m: {} }, {}, { codegen });
      if ('diagnostics' in c) throw new Error('does not compile');
      expect(c.evaluate()).toMatchObject({ ok: false, error: { code: 'no_such_field' } });
    }
  });
});

describe('property: guarded reads never err, and every evaluator agrees', () => {
  const sla = fc.record({ availability: fc.double({ min: 0, max: 100, noNaN: true }), target: fc.double({ min: 0, max: 100, noNaN: true }) }, { requiredKeys: ['availability'] });
  const input = fc.record(
    {
      service: fc.record(
        { name: fc.constantFrom('a', 'b'), sla, tier: fc.constantFrom('free', 'paid'), meta: fc.constantFrom(null, 'm', 1), tags: fc.array(fc.constantFrom('t', 'u'), { maxLength: 2 }) },
        { requiredKeys: ['name'] },
      ),
      tls_version: fc.constantFrom(1, 1.2, 1.3),
      limits: fc.array(fc.record({ name: fc.constant('x'), limit: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
    },
    { requiredKeys: ['service', 'limits'] },
  );
  const paths = evaluators(SOURCE);
  const analysis = analyze(SOURCE);
  it('on generated inputs with optional fields present or not', () => {
    fc.assert(
      fc.property(input, (value) => {
        const [first, ...others] = Object.values(paths).map((decide) => decide(value));
        expect(first?.errors).toEqual([]);
        for (const other of others) expect(other).toEqual(first);
        // and each guard decides as its meaning says, from the input itself
        const s = value.service as { sla?: { availability: number; target?: number } };
        expect(first?.fired.includes('ne_null_and')).toBe(s.sla !== undefined && s.sla.availability < 99.9);
        expect(first?.fired.includes('eq_null_or')).toBe(s.sla === undefined || s.sla.availability >= 99.9);
        expect(first?.fired.includes('nested_eq_null')).toBe(s.sla?.target === undefined);
        expect(first?.fired.includes('top_level_eq_null')).toBe(value.tls_version === undefined || value.tls_version < 1.2);
        expect(referenceDecide(analysis, value as Record<string, Value>).fired).toEqual(first?.fired);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });
});
