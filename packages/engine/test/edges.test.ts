// Edge cases found by audit: a non-finite percentage, leap seconds, and an input that is an
// instance of a class rather than JSON data. Each holds in generated code and in the closures.
import { describe, expect, it } from 'vitest';
import { ruleset } from './helpers.ts';

const SOURCE = `ruleset t.edges
input { n: number, at: timestamp }
decision deny > allow
output pct = percent(n, 1)
rule late {
  severity low
  deny when at >= timestamp("2017-01-01T00:00:00Z")
  because "late"
}
`;

describe('edge cases', () => {
  for (const codegen of [true, false]) {
    const rs = ruleset(SOURCE, { codegen });

    it(`codegen ${codegen}: a percentage that is not finite is an overflow error, not "Infinity%"`, () => {
      const big = rs.evaluate({ n: 1e308, at: '2016-01-01T00:00:00Z' });
      expect(big).toMatchObject({ ok: true, outputs: { pct: null }, errors: [{ output: 'pct', code: 'overflow' }] });
      expect(rs.evaluate({ n: 0.125, at: '2016-01-01T00:00:00Z' })).toMatchObject({ ok: true, outputs: { pct: '12.5%' } });
    });

    it.each([
      ['2016-12-31T23:59:60Z', 'allow'],
      ['2016-12-31T18:59:60-05:00', 'allow'],
      ['2017-01-01T00:59:60+01:00', 'allow'],
      ['2016-12-31T23:59:60+01:00', 'invalid_input'],
      ['2026-01-01T00:00:60Z', 'invalid_input'],
    ])(`codegen ${codegen}: a leap second only ends a UTC day: %s`, (at, expected) => {
      const r = rs.evaluate({ n: 0, at });
      expect(r.ok ? r.decision : r.error.code).toBe(expected);
    });

    it(`codegen ${codegen}: an instance of a class is refused as input, not read as an empty object`, () => {
      class Service {
        n = 1;
        at = '2018-01-01T00:00:00Z';
      }
      const r = rs.evaluate(new Service());
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', details: [{ path: '', message: expect.stringMatching(/plain object/) }] } });
      expect(rs.evaluate({ ...new Service() })).toMatchObject({ ok: true, decision: 'deny' });
    });
  }
});
