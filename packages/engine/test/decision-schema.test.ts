// `decisionSchema()` describes the decisions `evaluate` returns: every decision of every example
// ruleset's own tests validates against it (with and without explain), and decisions that differ
// from what the ruleset can produce are refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { analyze, type TestDecl } from '@verdict/language';
import { compile, type CompiledRuleset } from '../src/index.ts';
import { literalValue } from '../src/testing/literal.ts';

const ROOT = resolve(import.meta.dirname, '../../../rulesets');
const FILES = readdirSync(ROOT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.policy'));

function validator(ruleset: CompiledRuleset): (decision: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  const validate = ajv.compile(ruleset.decisionSchema());
  return (decision) => (validate(decision) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

/** The decisions of a ruleset's own tests (without `ok`), with and without explain. */
function testDecisions(source: string, ruleset: CompiledRuleset): unknown[] {
  const tests = analyze(source).ast.decls.filter((d): d is TestDecl => d.kind === 'Test');
  const decisions: unknown[] = [];
  for (const test of tests) {
    const input = test.input === null ? {} : literalValue(test.input);
    const params = test.params === null ? undefined : (literalValue(test.params) as Record<string, unknown>);
    for (const explain of [false, true]) {
      const result = ruleset.evaluate(input, { explain, ...(params === undefined ? {} : { params }) });
      if (!result.ok) continue;
      const { ok: _ok, ...decision } = result;
      decisions.push(JSON.parse(JSON.stringify(decision)));
    }
  }
  return decisions;
}

describe('decision schema', () => {
  it.each(FILES)('every decision of %s validates, and the schema is strict JSON Schema 2020-12', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const ruleset = compile(source).ruleset!;
    const check = validator(ruleset);
    const decisions = testDecisions(source, ruleset);
    expect(decisions.length).toBeGreaterThan(4);
    expect(decisions.some((d) => (d as { violations: unknown[] }).violations.length > 0)).toBe(true);
    for (const d of decisions) expect(check(d), JSON.stringify(d).slice(0, 400)).toEqual([]);
  });

  it('refuses what the ruleset cannot decide', () => {
    const source = `ruleset t.shape
input { n: number, tags: list<string> }
decision deny > refer > allow
output doubled = n * 2
output label: string = "n is " + string(n)
output first = size(tags) > 0 ? tags[0] ?? "" : ""
rule big {
  severity high
  deny when n > 10
  because "{n} is big"
  suggest n = 10
}
rule odd {
  severity low
  refer when n % 2 == 1
  because "odd"
}
`;
    const ruleset = compile(source).ruleset!;
    const check = validator(ruleset);
    const result = ruleset.evaluate({ n: 11, tags: ['a'] });
    if (!result.ok) throw new Error(result.error.message);
    const { ok: _ok, ...decision } = result;
    expect(check(decision)).toEqual([]);
    expect(decision.violations.map((v) => v.rule)).toEqual(['big', 'odd']);
    const broken: Array<[string, (d: Record<string, any>) => void]> = [
      ['an outcome not declared', (d) => (d['decision'] = 'maybe')],
      ['an output of the wrong type', (d) => (d['outputs']['doubled'] = 'twenty-two')],
      ['an output left out', (d) => delete d['outputs']['label']],
      ['an output not declared', (d) => (d['outputs']['extra'] = 1)],
      ['a rule not declared', (d) => (d['violations'][0]['rule'] = 'nope')],
      ['a rule with another outcome', (d) => (d['violations'][1]['outcome'] = 'deny')],
      ['a rule with another severity', (d) => (d['violations'][0]['severity'] = 'low')],
      ['a suggestion of the wrong type', (d) => (d['violations'][0]['suggestion']['n'] = '10')],
      ['a suggestion on a rule that has none', (d) => (d['violations'][1]['suggestion'] = { n: 1 })],
      ['a score above 1', (d) => (d['score'] = 1.5)],
      ['a nullable output of the wrong type', (d) => (d['outputs']['first'] = 3)],
    ];
    for (const [what, change] of broken) {
      const copy = structuredClone(decision) as Record<string, any>;
      change(copy);
      expect(check(copy), what).not.toEqual([]);
    }
    // an output whose expression failed is null, which the schema allows
    expect(check({ ...structuredClone(decision), outputs: { doubled: null, label: null, first: null } })).toEqual([]);
  });
});
