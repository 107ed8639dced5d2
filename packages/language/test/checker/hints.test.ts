/**
 * Hints that a reader can follow: a default of the right type for a possibly
 * absent value (never `?? 0` for a string), and one diagnostic, not a cascade,
 * for a name declared twice.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.hints
input {
  applicant: {
    email?: string
    age?: number
    verified?: boolean
    tags?: list<string>
    labels?: map<string>
    tier?: "free" | "pro"
    seen?: timestamp
    address?: { city: string }
  }
  nickname?: string
  amount: number
}
decision deny > allow
`;
const rule = (condition: string) => `rule r {\n  severity high\n  deny when ${condition}\n  because "x"\n}\n`;

function vd2005(condition: string): string {
  const d = analyze(prelude + rule(condition)).diagnostics.filter((x) => x.code === 'VD2005');
  expect(d).toHaveLength(1);
  return d[0]!.hint ?? '';
}

describe('VD2005 suggests a default of the right type', () => {
  it.each([
    ['!applicant.email.endsWith("@x.org")', '`applicant.email ?? ""`'],
    ['applicant.age > 18', '`applicant.age ?? 0`'],
    ['!applicant.verified', '`applicant.verified ?? false`'],
    ['size(applicant.tags) > 1', '`applicant.tags ?? []`'],
    ['size(applicant.labels) > 1', '`applicant.labels ?? {}`'],
    ['nickname.startsWith("x")', '`nickname ?? ""`'],
    ['applicant.address.city == "x"', '`applicant.address?.city ?? ""`'],
  ])('%s: %s', (condition, expected) => {
    const hint = vd2005(condition);
    expect(hint).toContain(expected);
    if (!expected.includes('?? 0')) expect(hint).not.toContain('?? 0');
  });

  it.each([['size(applicant.tier) > 1'], ['applicant.seen < timestamp("2026-01-01T00:00:00Z")']])('%s: a value with no neutral default gets only a guard', (condition) => {
    const hint = vd2005(condition);
    expect(hint).not.toContain('??');
    expect(hint).toContain('has(applicant.');
  });

  it('following the hint for a string clears the diagnostic and keeps the type', () => {
    const diagnostics = analyze(prelude + rule('!(applicant.email ?? "").endsWith("@x.org")')).diagnostics;
    expect(diagnostics).toEqual([]);
  });
});

describe('a name declared twice gives one diagnostic', () => {
  const test = 'test "t" {\n  input { applicant: {}, amount: 3 }\n  expect outputs { total: 6 }\n}\n';
  it.each([
    ['let, then output', 'let total = amount * 2\noutput total: number = amount * 2\n' + rule('total > 1') + test],
    ['output, then let', 'output total: number = amount * 2\nlet total = amount * 2\n' + rule('total > 1') + test],
  ])('%s', (_name, body) => {
    const codes = analyze(prelude + body).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['VD3001']);
  });
});
