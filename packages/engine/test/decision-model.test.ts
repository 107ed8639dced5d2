/**
 * The decision model: `decision ... compliant <outcomes>` says which outcomes
 * are compliant, so allow-list and default-deny rulesets report `compliant`
 * and `score` the right way up; a rule producing a compliant outcome grants
 * and lowers no score. Without the clause the default alone is compliant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { DEFAULT_WEIGHTS, runTests } from '@verdict/engine';
import { ruleset } from './helpers.ts';

const photoappSource = readFileSync(join(import.meta.dirname, 'rulesets/cedar-photoapp.policy'), 'utf8');
const request = (principal: string, groups: string[], action: string, photo: { private: boolean; owner?: string }, ip = '10.0.0.1') => ({
  principal: { id: principal, groups },
  action,
  resource: { id: 'p.jpg', private: photo.private, account: { id: 'alice', ...(photo.owner === undefined ? {} : { owner: photo.owner }) } },
  context: { source_ip: ip },
});

describe("Cedar's PhotoApp: forbid > permit > deny, compliant permit", () => {
  const photoapp = ruleset(photoappSource);

  it.each([
    ['a friend views a public photo', request('stacey', ['alice_friends'], 'view', { private: false }), 'permit', true, 1, ['alice_friends_view']],
    ['a friend views a private photo', request('stacey', ['alice_friends'], 'view', { private: true, owner: 'alice' }), 'forbid', false, 0.5, ['alice_friends_view', 'privacy_rule']],
    ['the owner views her private photo', request('alice', ['alice_friends'], 'view', { private: true, owner: 'alice' }), 'permit', true, 1, ['alice_friends_view']],
    ['nothing permits a stranger', request('bob', [], 'view', { private: false }), 'deny', false, 0, []],
    ['nothing permits an edit', request('stacey', ['alice_friends'], 'edit', { private: false }), 'deny', false, 0, []],
    ['a denied address', request('stacey', ['alice_friends'], 'view', { private: false }, '222.222.222.9'), 'forbid', false, 0.5, ['alice_friends_view', 'ip_denylist']],
  ])('%s', (_name, input, decision, compliant, score, fired) => {
    const d = photoapp.evaluate(input);
    if (!d.ok) throw new Error(d.error.message);
    expect({ decision: d.decision, compliant: d.compliant, score: d.score, fired: d.violations.map((v) => v.rule) }).toEqual({ decision, compliant, score, fired });
  });

  it('its own test blocks pass', () => {
    const run = runTests(analyze(photoappSource).ast, photoappSource, photoapp);
    expect(run.results.filter((r) => !r.passed)).toEqual([]);
    expect(run.results.length).toBe(6);
  });

  it('the compiled ruleset says which outcomes are compliant', () => {
    expect(photoapp.compliant).toEqual(['permit']);
    expect(photoapp.defaultOutcome).toBe('deny');
  });
});

const header = `ruleset t.model
input {
  amount: number
  vip: boolean
}
`;
const rules = `rule big {
  severity high
  deny when amount > 100
  because "big"
}
rule vip_ok {
  severity low
  allow when vip
  because "vip"
}
`;

describe('compliant outcomes', () => {
  it('without `compliant`, the default alone is compliant and every fired rule counts (as before)', () => {
    const r = ruleset(`${header}decision deny > refer > allow\nrule big {\n  severity high\n  deny when amount > 100\n  because "big"\n}\nrule mid {\n  severity low\n  refer when amount > 10\n  because "mid"\n}\n`);
    const at = (amount: number) => {
      const d = r.evaluate({ amount, vip: false });
      if (!d.ok) throw new Error(d.error.message);
      return [d.decision, d.compliant, d.score];
    };
    expect(at(1)).toEqual(['allow', true, 1]);
    expect(at(50)).toEqual(['refer', false, 1 - DEFAULT_WEIGHTS.low / (DEFAULT_WEIGHTS.low + DEFAULT_WEIGHTS.high)]);
    expect(at(500)[1]).toBe(false);
    expect(r.compliant).toEqual(['allow']);
  });

  it('several compliant outcomes: a referral is compliant', () => {
    const r = ruleset(`${header}decision deny > refer > allow compliant refer, allow\nrule mid {\n  severity low\n  refer when amount > 10\n  because "mid"\n}\n`);
    const d = r.evaluate({ amount: 50, vip: false });
    expect(d.ok && [d.decision, d.compliant, d.score]).toEqual(['refer', true, 1]);
  });

  it('an allow-list with precedence: a deny outranks an allow, an allow outranks the default', () => {
    const r = ruleset(`${header}decision deny > allow > refuse compliant allow\n${rules}`);
    const at = (amount: number, vip: boolean) => {
      const d = r.evaluate({ amount, vip });
      if (!d.ok) throw new Error(d.error.message);
      return [d.decision, d.compliant, d.score];
    };
    expect(at(1, true)).toEqual(['allow', true, 1]);
    expect(at(1, false)).toEqual(['refuse', false, 0]);
    expect(at(500, true)).toEqual(['deny', false, 0]);
  });

  it('the checker refuses an undeclared or repeated compliant outcome', () => {
    const codes = (decision: string) => analyze(`${header}${decision}\n${rules.replaceAll('allow when', 'deny when')}`).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes('decision deny > allow compliant alow')).toEqual(['VD3002']);
    expect(codes('decision deny > allow compliant allow, allow')).toEqual(['VD3004']);
    expect(codes('decision deny > allow compliant allow')).toEqual([]);
  });
});
