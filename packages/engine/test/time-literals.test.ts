/** Times written as RFC 3339 strings where the declared type says timestamp or duration. */
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { referenceDecide, runTests } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const SOURCE = `ruleset t.times
input { at: timestamp, grace: duration, events: list<{ at: timestamp }> }
param cutoff: timestamp = "2026-06-01T00:00:00Z"
param window: duration = "1h30m"
param holidays: list<timestamp> = ["2026-12-25T00:00:00Z"]
const OPEN: timestamp = "2026-01-05T09:30:00-05:00"
const TICK: duration = "90s"
decision deny > allow
output opens = OPEN
output late_by = at - cutoff
rule late {
  severity low
  deny when at > cutoff || grace > window || at < OPEN || grace < TICK || at in holidays
  because "late"
}
test "strings stand for times in inputs and params" {
  input { at: "2026-07-01T00:00:00Z", grace: "30m", events: [{ at: "2026-01-01T00:00:00Z" }] }
  params { cutoff: "2026-08-01T00:00:00+02:00", window: "2h" }
  expect allow
}
test "the default cutoff" {
  input { at: "2026-07-01T00:00:00Z", grace: "30m", events: [] }
  expect deny
}
test "before the open" {
  input { at: "2026-01-05T14:29:59Z", grace: "30m", events: [] }
  params { cutoff: "2027-01-01T00:00:00Z" }
  expect deny
}
test "a holiday" {
  input { at: "2026-12-25T00:00:00Z", grace: "30m", events: [] }
  params { cutoff: "2027-01-01T00:00:00Z" }
  expect deny
}
test "not a time" {
  input { at: "tomorrow", grace: "30m", events: [] }
  expect invalid
}
`;

describe('time strings in tests, params and consts', () => {
  it('the checker accepts them and the tests pass', () => {
    const analysis = analyze(SOURCE);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const run = runTests(analysis.ast, SOURCE, ruleset(SOURCE));
    expect(run.results.map((r) => [r.name, r.passed, r.failures])).toEqual([
      ['strings stand for times in inputs and params', true, []],
      ['the default cutoff', true, []],
      ['before the open', true, []],
      ['a holiday', true, []],
      ['not a time', true, []],
    ]);
  });

  it('every evaluator reads the const and the param defaults as times', () => {
    const input = { at: '2026-01-05T14:30:00Z', grace: '2m', events: [] };
    for (const compiled of [ruleset(SOURCE), ruleset(SOURCE, { codegen: false })]) {
      const r = compiled.evaluate(input);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      expect(r.decision).toBe('allow');
      // the instant, whatever the digits of its text form
      expect(new Date(r.outputs['opens'] as string).toISOString()).toBe('2026-01-05T14:30:00.000Z');
      expect(r.outputs['late_by']).toBe('-12648600s');
      expect(compiled.evaluate({ ...input, at: '2026-01-05T14:29:59.999Z' })).toMatchObject({ decision: 'deny' });
    }
  });

  it('the reference interpreter reads them as times too', () => {
    // string - string would be an error: only times subtract
    const source = `ruleset t.ref\ninput { n: number }\nparam cutoff: timestamp = "2026-06-01T00:00:00Z"\nparam window: duration = "1h"\nconst OPEN: timestamp = "2026-06-01T00:30:00+02:00"\ndecision deny > allow\nrule r {\n  severity low\n  deny when n > 0 && cutoff - OPEN > window\n  because "x"\n}\n`;
    const ast = analyze(source).ast;
    const ref = referenceDecide(ast, { n: 1 });
    expect(ref.errors).toEqual([]);
    expect(ref.fired).toEqual(['r']);
    const r = ruleset(source).evaluate({ n: 1 });
    expect(r).toMatchObject({ ok: true, decision: 'deny' });
  });

  it.each([
    ['const OPEN: timestamp = "2026-02-30T00:00:00Z"', 'VD2020', '"2026-02-30T00:00:00Z" is not a valid timestamp'],
    ['const OPEN: timestamp = "2026-01-01"', 'VD2020', '"2026-01-01" is not a valid timestamp'],
    ['const OPEN: timestamp = "2026-01-01T10:59:60Z"', 'VD2020', '"2026-01-01T10:59:60Z" is not a valid timestamp'],
    ['param gap: duration = "1 hour"', 'VD2020', '"1 hour" is not a valid duration'],
    ['let OPEN: timestamp = "2026-01-01T00:00:00Z"', 'VD2003', null],
  ])('%s is %s', (decl, code, message) => {
    const errors = analyze(`ruleset t\ninput { a: number }\n${decl}\ndecision deny > allow\n`).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual([code]);
    if (message !== null) expect(errors[0]!.message).toBe(message);
  });

  it('a leap second is valid only as the last second of a UTC day, in any offset', () => {
    const codes = (text: string) => analyze(`ruleset t\ninput { a: number }\nconst T: timestamp = "${text}"\ndecision deny > allow\n`).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes('2016-12-31T23:59:60Z')).toEqual([]);
    expect(codes('2016-12-31T18:59:60-05:00')).toEqual([]);
    expect(codes('2016-12-31T22:59:60Z')).toEqual(['VD2020']);
  });

  it('a wrong time string in a test input is VD2020', () => {
    const source = SOURCE.replace('"tomorrow"', '"2026-13-01T00:00:00Z"').replace('expect invalid', 'expect allow');
    const errors = analyze(source).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual(['VD2020 "2026-13-01T00:00:00Z" is not a valid timestamp']);
  });
});
