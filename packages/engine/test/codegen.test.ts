import { describe, expect, it } from 'vitest';
import { parse, type Analysis } from '@verdict/language';
import { compile } from '@verdict/engine';
import { ruleset } from './helpers.ts';

/**
 * Generated code (the default) against the closures it stands in for, on sources written to
 * break a careless generator: names that are `Object.prototype` members, strings that close a
 * JS string or comment, line separators, template syntax. (A field named `__proto__` is left
 * out: ajv 8 counts a declared `__proto__` property as an additional one, so no such input validates.)
 */
const HOSTILE_STRINGS = ['"); globalThis.pwned = 1; ("', "'; globalThis.pwned = 1; '", '\\', '${globalThis.pwned = 1}', '*/ globalThis.pwned = 1; /*', '\u2028\u2029', '\u0000', '</script>'];

const SOURCE = `
ruleset test.hostile
input {
  constructor: string
  toString?: { toString: number }
  hasOwnProperty?: list<string>
  valueOf: number
  note: string
}
decision deny > allow
const WORDS = ${JSON.stringify(HOSTILE_STRINGS)}
let odd = note in WORDS
rule hostile_note {
  severity high
  deny when odd || note == ${JSON.stringify(HOSTILE_STRINGS[0])}
  because "note {note} in ${HOSTILE_STRINGS.filter((s) => s !== '\u0000').map((s) => s.replace(/[\\\\"{}]/g, '')).join(' ')} \`{note}\` end"
}
rule proto_read {
  severity low
  deny when (toString?.toString ?? 0) > valueOf
  because "toString {toString?.toString ?? "none"}"
}
rule own_names {
  severity medium
  deny when constructor == "Object" || (hasOwnProperty ?? []).exists(h, h == constructor)
  because "constructor {constructor}"
}
`;

const inputs: unknown[] = [
  { constructor: 'x', valueOf: 1, note: HOSTILE_STRINGS[0] },
  { constructor: 'Object', valueOf: 0, note: 'plain' },
  JSON.parse('{"constructor": "y", "valueOf": 1, "note": "\\u2028\\u2029", "toString": {"toString": 5}}'),
  JSON.parse('{"constructor": "z", "valueOf": 9, "note": "${globalThis.pwned = 1}", "toString": {"toString": 10}, "hasOwnProperty": ["z"]}'),
  JSON.parse('{"constructor": "z", "valueOf": 9, "note": "n"}'),
];

describe('generated code', () => {
  const generated = ruleset(SOURCE);
  const closures = ruleset(SOURCE, { codegen: false });

  it.each(inputs.map((input, i) => [i, input]))('decides input %i as the closures do', (_, input) => {
    const a = generated.evaluate(input);
    expect(a).toEqual(closures.evaluate(input));
    expect(a.ok).toBe(true);
  });

  it('runs nothing a source string or name says', () => {
    for (const input of inputs) generated.evaluate(input);
    expect((globalThis as Record<string, unknown>)['pwned']).toBeUndefined();
    expect(({} as Record<string, unknown>)['toString']).toBe(Object.prototype.toString);
  });

  it('fires on hostile strings as data', () => {
    const r = generated.evaluate(inputs[0]);
    expect(r.ok && r.violations.map((v) => v.rule)).toEqual(['hostile_note']);
    const own = generated.evaluate(inputs[3]);
    expect(own.ok && own.violations.map((v) => v.rule)).toEqual(['hostile_note', 'proto_read', 'own_names']);
  });
});

/** An input whose field `x` throws on its second read: the schema check is the first, the condition of `reads_x` the second. */
function throwingOnReread(x: number): unknown {
  let reads = 0;
  return new Proxy(
    { x, y: 1 },
    {
      get(target, key, receiver) {
        if (key === 'x' && ++reads === 2) throw new Error('boom');
        return Reflect.get(target, key, receiver) as unknown;
      },
    },
  );
}

describe('the generated rule scan', () => {
  const source = (policy: string) => `
ruleset test.scan
input { x: number, y: number }
decision deny > review > allow
${policy}
rule reads_x { severity high
  deny when x > 0
  because "x is {x}" }
rule reads_y { severity low
  review when y / (y - 1) > 0
  because "y ratio" }
rule plain { severity medium
  review when y == 1
  because "y is one, x {x}" }
`;

  it.each(['', 'on error skip'])('turns a host exception in one condition into that rule\'s error, as the loop does (%s)', (policy) => {
    const scanned = ruleset(source(policy)).evaluate(throwingOnReread(5));
    const looped = ruleset(source(policy), { codegen: false }).evaluate(throwingOnReread(5));
    expect(scanned).toEqual(looped);
    if (!scanned.ok) throw new Error('refused');
    // the other rules still ran: y / 0 is an error too, and `plain` fires
    expect(scanned.errors.map((e) => [e.rule, e.kind, e.code])).toEqual(
      expect.arrayContaining([
        ['reads_x', 'condition', 'internal'],
        ['reads_y', 'condition', 'division_by_zero'],
      ]),
    );
    expect(scanned.violations.map((v) => v.rule)).toEqual(policy === '' ? ['reads_x', 'reads_y', 'plain'] : ['plain']);
  });

  it('keeps declaration order, outcomes and score on ordinary inputs', () => {
    const generated = ruleset(source(''));
    const closures = ruleset(source(''), { codegen: false });
    for (const input of [{ x: 1, y: 1 }, { x: 0, y: 2 }, { x: -3, y: 0.5 }, { x: 2, y: 3 }]) expect(generated.evaluate(input)).toEqual(closures.evaluate(input));
  });

  it('does the work in the loop\'s order, so an exhausted step limit hits the same place', () => {
    const stepped = `
ruleset test.steps
input { xs: list<number> }
decision deny > allow
rule first { severity high
  deny when xs.exists(x, x > 1)
  because "big: {xs.filter(x, x > 1)}" }
rule second { severity low
  deny when xs.all(x, x > 0)
  because "all positive: {xs.map(x, x * 2)}" }
rule third { severity medium
  deny when size(xs) > 2
  because "long" }
`;
    const input = { xs: [1, 2, 3, 4, 5] };
    // every budget from none to enough: each limit lands on a different condition or message hole
    for (let maxSteps = 0; maxSteps <= 40; maxSteps++) {
      const scanned = ruleset(stepped, { limits: { maxSteps } }).evaluate(input);
      const looped = ruleset(stepped, { limits: { maxSteps }, codegen: false }).evaluate(input);
      expect(scanned, `maxSteps ${maxSteps}`).toEqual(looped);
    }
  });

  it('falls back to the loop above its rule limit and decides the same', () => {
    const rules = Array.from({ length: 300 }, (_, i) => `rule r${i} { severity low
  deny when x > ${i} && y != ${i % 7} because "r${i} {x}" }`).join('\n');
    const big = `ruleset test.big\ninput { x: number, y: number }\ndecision deny > allow\n${rules}`;
    const generated = ruleset(big, { index: false });
    const closures = ruleset(big, { index: false, codegen: false });
    for (const input of [{ x: 0, y: 0 }, { x: 150, y: 3 }, { x: 1000, y: 6 }]) expect(generated.evaluate(input)).toEqual(closures.evaluate(input));
  });
});

describe('generated let reads', () => {
  // A cycle the checker would refuse, compiled from a parse-only analysis: the generated reads
  // must report it where the closures do, and compute every other let once, as they do.
  const cyclic = `
ruleset test.cycle
input { x: number }
decision deny > allow
let a = b + x
let b = a * 2
let c = x + 1
rule r1 { severity high
  deny when c > 1 && a > 0
  because "c {c}, a {a}" }
rule r2 { severity low
  deny when c > 2
  because "c again {c}" }
`;
  const compiled = (codegen: boolean) => {
    const parsed = parse(cyclic);
    const r = compile({ ast: parsed.ast, diagnostics: parsed.diagnostics, check: { diagnostics: [] } } as unknown as Analysis, { codegen });
    if (!r.ruleset) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    return r.ruleset;
  };

  it('report a cycle where the closures do and decide the same', () => {
    const generated = compiled(true);
    const closures = compiled(false);
    for (const input of [{ x: 0 }, { x: 1 }, { x: 5 }]) {
      const d = generated.evaluate(input);
      expect(d).toEqual(closures.evaluate(input));
      if (!d.ok) throw new Error('refused');
      expect(d.errors.some((e) => e.code === 'cycle')).toBe(input.x > 0);
    }
  });
});
