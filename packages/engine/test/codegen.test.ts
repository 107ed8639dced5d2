import { describe, expect, it } from 'vitest';
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
  because "note {note} in ${HOSTILE_STRINGS.slice(0, 2).map((s) => s.replace(/[\\\\"{}]/g, '')).join(' ')}"
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
