import { describe, expect, it } from 'vitest';
import { ruleset } from './helpers.ts';

const N = 10_000;
const TIERS = ['t0', 't1', 't2', 't3', 't4'];

function bigSource(): string {
  const rules: string[] = [];
  for (let i = 0; i < N; i++) {
    const cond =
      i % 3 === 0
        ? `order.sku == "sku${i}" && order.qty > ${i % 7}`
        : i % 3 === 1
          ? `order.sku in ["sku${i}", "alt${i % 50}"]`
          : `${i} == order.code && order.qty / order.div > 1`;
    rules.push(`rule r${i} { severity ${['low', 'medium', 'high', 'critical'][i % 4]} ${i % 2 ? 'deny' : 'warn'} when ${cond} because "r${i} {order.sku}" }`);
  }
  // a few rules the index cannot file
  rules.push('rule wide { severity low warn when order.qty > 1000 because "wide" }');
  rules.push(`rule tiered { severity low warn when order.tier in ${JSON.stringify(TIERS.slice(0, 2))} && order.qty > 5 because "tier" }`);
  return `ruleset test.big
input { order: { sku: string, code: number, qty: number, div: number, tier: string } }
decision deny > warn > allow
${rules.join('\n')}
`;
}

describe('rule index', () => {
  const source = bigSource();
  const indexed = ruleset(source);
  const plain = ruleset(source, { index: false });

  const inputs = [
    { order: { sku: 'sku3', code: 0, qty: 5, div: 1, tier: 't0' } },
    { order: { sku: 'sku4', code: 2, qty: 0, div: 0, tier: 't3' } },
    { order: { sku: 'alt7', code: 5, qty: 2000, div: 1, tier: 't1' } },
    { order: { sku: 'none', code: 8, qty: 3, div: 0, tier: 't9' } },
    { order: { sku: 'sku9999', code: 9998, qty: 9, div: 2, tier: 't1' } },
  ];

  it('gives the same decisions as unindexed evaluation', () => {
    for (const input of inputs) {
      const a = indexed.evaluate(input);
      const b = plain.evaluate(input);
      expect(a).toEqual(b);
    }
  });

  it('evaluates only candidate rules', () => {
    for (const input of inputs) {
      const a = indexed.evaluate(input, { explain: true });
      const b = plain.evaluate(input, { explain: true });
      if (!a.ok || !b.ok || !a.trace || !b.trace) throw new Error('expected traces');
      expect(b.trace.rulesEvaluated).toBe(N + 2);
      expect(a.trace.rulesEvaluated).toBeLessThan(300);
      expect(a.trace.rules.map((t) => t.result)).toEqual(b.trace.rules.map((t) => t.result));
      expect(a.violations).toEqual(b.violations);
    }
  });

  it('falls back to full evaluation when the indexed path errs (division by zero still fires)', () => {
    const input = { order: { sku: 'x', code: 2, qty: 1, div: 0, tier: 't0' } };
    const a = indexed.evaluate(input);
    expect(a).toEqual(plain.evaluate(input));
    expect(a.ok && a.violations.map((v) => v.rule)).toEqual(['r2']);
    expect(a.ok && a.errors.map((e) => e.code)).toEqual(['division_by_zero']);
  });
});

describe('index with absent optional paths', () => {
  const src = `ruleset test.opt
input { a?: { k: string } }
decision deny > allow
rule one { severity low deny when a?.k == "x" because "one" }
rule two { severity low deny when a?.k == "y" because "two" }
`;
  it('matches unindexed evaluation when the path is absent', () => {
    const idx = ruleset(src, { indexMinRules: 1 });
    const raw = ruleset(src, { index: false });
    for (const input of [{}, { a: { k: 'x' } }, { a: { k: 'y' } }, { a: { k: 'z' } }]) {
      expect(idx.evaluate(input)).toEqual(raw.evaluate(input));
    }
  });
});

describe('index through constants', () => {
  const src = `ruleset test.consts
input { symbol: string, qty: number }
decision reject > approve
const RESTRICTED = ["XYZ", "ACME"]
const SPECIAL = "SPX"
rule restricted { severity critical reject when symbol in RESTRICTED because "restricted {symbol}" }
rule special { severity low reject when SPECIAL == symbol && qty > 10 because "special" }
rule big { severity low reject when qty > 1000 because "big" }
`;
  it('files rules under const values and agrees with unindexed evaluation', () => {
    const idx = ruleset(src, { indexMinRules: 1 });
    const raw = ruleset(src, { index: false });
    for (const input of [
      { symbol: 'XYZ', qty: 1 },
      { symbol: 'SPX', qty: 11 },
      { symbol: 'SPX', qty: 5000 },
      { symbol: 'AAPL', qty: 5 },
    ]) {
      const a = idx.evaluate(input, { explain: true });
      const b = raw.evaluate(input, { explain: true });
      if (!a.ok || !b.ok) throw new Error('expected ok');
      expect(a.violations).toEqual(b.violations);
      expect(a.trace?.rules.map((t) => t.result)).toEqual(b.trace?.rules.map((t) => t.result));
    }
    const aapl = idx.evaluate({ symbol: 'AAPL', qty: 5 }, { explain: true });
    expect(aapl.ok && aapl.trace?.rulesEvaluated).toBe(1);
  });
});
