// A declared output type holds at run time too: a value that came through `any` and does not have
// the declared type is an error and `null`, never passed on under the wrong type.
import { describe, expect, it } from 'vitest';
import { ruleset } from './helpers.ts';

const SOURCE = `ruleset t.outputs
input { a: any, n: number }
decision deny > allow
output as_number: number = a
output as_list: list<string> = a
output as_record: { id: string, score?: number } = a
output as_choice: "low" | "high" = a
output untyped = a
output typed_ok: number = n * 2
rule r {
  severity low
  deny when n > 10
  because "big"
}
`;

const CASES: Array<{ a: unknown; ok: string[] }> = [
  { a: 3, ok: ['as_number'] },
  { a: 'high', ok: ['as_choice'] },
  { a: 'medium', ok: [] },
  { a: ['x', 'y'], ok: ['as_list'] },
  { a: ['x', 1], ok: [] },
  { a: { id: 'k' }, ok: ['as_record'] },
  { a: { id: 'k', score: 2 }, ok: ['as_record'] },
  { a: { id: 'k', score: 'high' }, ok: [] },
  { a: { id: 'k', extra: true }, ok: [] },
  { a: null, ok: [] },
];
const TYPED = ['as_number', 'as_list', 'as_record', 'as_choice'];

describe('declared output types at run time', () => {
  for (const codegen of [true, false]) {
    it.each(CASES)(`codegen ${codegen}: a = $a`, ({ a, ok }) => {
      const r = ruleset(SOURCE, { codegen }).evaluate({ a, n: 1 });
      if (!r.ok) throw new Error(r.error.message);
      for (const name of TYPED) {
        if (ok.includes(name)) expect(r.outputs[name], name).toEqual(a);
        else {
          expect(r.outputs[name], name).toBeNull();
          expect(r.errors.find((e) => e.output === name), name).toMatchObject({ kind: 'output', code: 'type_error', rule: null, location: { line: expect.any(Number) } });
        }
      }
      // an output without a declared type passes any value on; a well-typed one is untouched
      expect(r.outputs['untyped']).toEqual(a);
      expect(r.outputs['typed_ok']).toBe(2);
      expect(r.errors.filter((e) => e.output === 'untyped' || e.output === 'typed_ok')).toEqual([]);
    });
  }
});
