/**
 * Quoted field names and `input.<field>` on every evaluation path: generated code and its typed
 * twin, the rule index, closures, traced closures and the reference interpreter decide alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { referenceDecide, type Value } from '@verdict/engine';
import { ruleset, FC_SEED } from './helpers.ts';

const SOURCE = `
ruleset test.quoted
input {
  \`account-information\`: {
    \`company-name\`: string
    \`tax id\`?: string
    ...
  }
  \`files.count\`?: number
  amount: number
  tier: "free" | "pro"
}
decision deny > review > allow

let company = input.\`account-information\`.\`company-name\`
output label = company + "/" + input.tier
output files = input.\`files.count\` ?? 0

table band(n: number) -> string {
  < 10 -> "small"
  else -> input.tier
}

rule named {
  severity high
  deny when input.\`account-information\`.\`company-name\` == "x"
  because "company {input.\`account-information\`.\`company-name\`}"
}
rule pro {
  severity low
  review when input.tier == "pro" && amount > 5
  because "pro {band(amount)}"
}
rule taxed {
  severity medium
  review when has(input.\`account-information\`.\`tax id\`) && input.\`account-information\`.\`tax id\`.startsWith("T")
  because "tax {input.\`account-information\`.\`tax id\`}"
}
rule many_files {
  severity low
  let limit = 3
  review when has(input.\`files.count\`) && input.\`files.count\` > limit && [0].exists(amount, input.amount > amount)
  because "files {input.\`files.count\`}"
}
`;

const inputArb = fc
  .tuple(
    fc.record(
      {
        'account-information': fc
          .tuple(fc.record({ 'company-name': fc.constantFrom('x', 'y', ''), 'tax id': fc.constantFrom('T1', 'U2') }, { requiredKeys: ['company-name'] }), fc.dictionary(fc.constantFrom('other', 'a.b'), fc.integer(), { maxKeys: 2 }))
          .map(([declared, more]) => ({ ...more, ...declared })),
        'files.count': fc.integer({ min: 0, max: 6 }),
        amount: fc.integer({ min: -2, max: 20 }),
        tier: fc.constantFrom('free', 'pro'),
      },
      { requiredKeys: ['account-information', 'amount', 'tier'] },
    ),
  )
  .map(([input]) => input);

describe('quoted field names are evaluated alike on every path', () => {
  const compiled = ruleset(SOURCE);
  const indexed = ruleset(SOURCE, { indexMinRules: 1 });
  const unindexed = ruleset(SOURCE, { index: false });
  const closuresOnly = ruleset(SOURCE, { codegen: false });
  const ast = analyze(SOURCE).ast;

  it('decides {"account-information": {"company-name": "x"}} by the quoted fields', () => {
    const input = { 'account-information': { 'company-name': 'x' }, amount: 1, tier: 'free' };
    for (const r of [compiled, indexed, unindexed, closuresOnly].map((c) => c.evaluate(input))) {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      expect(r.decision).toBe('deny');
      expect(r.violations.map((v) => [v.rule, v.message, v.reads])).toEqual([['named', 'company x', { 'account-information.company-name': 'x' }]]);
      expect(r.outputs).toEqual({ label: 'x/free', files: 0 });
    }
    const ref = referenceDecide(ast, input as unknown as Record<string, Value>);
    expect(ref.fired).toEqual(['named']);
    expect(ref.outputs).toEqual({ label: 'x/free', files: 0 });
  });

  it('reads a name holding a dot as one field, in `reads` too', () => {
    const r = compiled.evaluate({ 'account-information': { 'company-name': 'y' }, 'files.count': 5, amount: 1, tier: 'free' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.violations.map((v) => [v.rule, v.reads])).toEqual([['many_files', { '`files.count`': 5, amount: 1 }]]);
  });

  it('reports a failing path with the real keys', () => {
    const r = compiled.evaluate({ 'account-information': { 'company-name': 5 }, amount: 1, tier: 'free' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.details).toEqual([{ path: 'account-information.company-name', message: 'must be string' }]);
  });

  it('on generated inputs', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = compiled.evaluate(input);
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const ref = referenceDecide(ast, input as unknown as Record<string, Value>);
        expect(r.violations.map((v) => v.rule)).toEqual(ref.fired);
        expect(r.violations.map((v) => v.message)).toEqual(ref.messages);
        expect(r.outputs).toEqual(ref.outputs);
        expect(indexed.evaluate(input)).toEqual(r);
        expect(unindexed.evaluate(input)).toEqual(r);
        expect(closuresOnly.evaluate(input)).toEqual(r);
        expect({ ...compiled.evaluate(input, { explain: true }), trace: null }).toEqual(r);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });
});
