import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.ts';

const prelude = `ruleset t.checker
input {
  service: {
    tier: "free" | "enterprise"
    endpoint: string
    sla?: { availability: number }
    residency: list<string>
    labels: map<string>
    items: list<{ price: number, qty: number }>
  }
  amount: number
  tls?: number
}
decision deny > warn > allow
`;

/** A rule wrapper: most rows only vary a condition. */
const rule = (condition: string, extra = '') => `rule r {\n  severity high\n${extra}  deny when ${condition}\n  because "x"\n}\n`;

/** Codes (with severity) the checker reports for the prelude plus `body`; positions are checked in the row's own test when they matter. */
function codes(body: string): string[] {
  return analyze(prelude + body).diagnostics.map((d) => `${d.code}${d.severity === 'warning' ? 'w' : ''}`);
}

const ok: Array<[string, string]> = [
  ['optional read with a default', rule('(service.sla?.availability ?? 0) < 99.9')],
  ['?? binds tighter than comparison', rule('service.sla?.availability ?? 0 < 99.9')],
  ['has() guards the read', rule('has(service.sla) && service.sla.availability < 99.9')],
  ['negated has() guards the right of ||', rule('!has(service.sla) || service.sla.availability < 99.9')],
  ['!= null guards', rule('tls != null && tls < 1.2')],
  ['conditional guards its branch', rule('(tls == null ? false : tls < 1.2)')],
  ['macro variables are typed', rule('service.items.exists(i, i.price * i.qty > 100)')],
  ['map with filter', rule('sum(service.items.map(i, i.price > 1, i.qty)) > 3')],
  ['two-variable macros type index, key and value', rule('service.items.all(i, it, it.price * i >= 0) && service.labels.exists(k, v, k.startsWith("a") && v == "x")')],
  ['two-variable transforms', rule('sum(service.items.transformList(i, it, i > 0, it.qty)) > 3 && size(service.labels.transformMap(k, v, v + k)) > 0 && service.items.existsOne(i, it, it.qty == i)')],
  ['union compared with a member', rule('service.tier == "enterprise"')],
  ['in a list of union members', rule('service.tier in ["free"] && amount > 1')],
  ['method form of a builtin', rule('!service.endpoint.startsWith("https://")')],
  ['map reads', rule('service.labels.team == "core" || "team" in service.labels')],
  ['string concatenation', rule('service.endpoint + "/" == "x/"')],
  ['variadic max', rule('max(amount, 1, 2) > 1')],
  ['round with digits', rule('round(amount, 2) > 1')],
  ['size of map, list, string', rule('size(service.labels) + size(service.residency) + size(service.endpoint) > 0')],
  ['timestamps and durations', rule('timestamp("2026-01-01T00:00:00Z") + duration("1h") > timestamp("2026-01-01T00:00:00Z")')],
  ['time accessors, with and without a zone', rule('timestamp(0).getHours("America/New_York") < 9 || timestamp(0).getDayOfWeek() == 0 || duration("1h").getMinutes() == 60')],
  ['lets in any order', `let b = a + 1\nlet a = amount * 2\n${rule('b > 3')}`],
  ['rule lets see earlier rule lets', rule('y > 1', '  let x = amount\n  let y = x * 2\n')],
  ['template holes', 'rule r {\n  severity low\n  deny when amount > 1\n  because "amount {amount} tier {service.tier} sla {service.sla?.availability}"\n}\n'],
  ['table with every pattern kind', `table f(tier: string, n: number) -> number {\n  "free", < 10 -> 1\n  in ["a", "b"], _ when amount > 2 -> 2\n  _, >= 3 -> 3\n  else -> 4\n}\n${rule('f(service.tier, amount) > 1')}`],
  ['param default satisfies where', `param limit: number = 5 where value > 0\n${rule('amount > limit')}`],
  ['const from consts', `const A = 2\nconst B = [A, A * 2]\n${rule('amount in B')}`],
  ['test with a valid input', `${rule('amount > 1')}test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [{ price: 1, qty: 2 }] }, amount: 3 }\n  expect deny by [r]\n}\n`],
  ['expect invalid skips the input check', `${rule('amount > 1')}test "t" {\n  input { amount: "x" }\n  expect invalid\n}\n`],
  ['guards of the condition reach the message and suggestions', 'rule r {\n  severity low\n  deny when has(service.sla) && service.sla.availability < 99\n  because "availability {service.sla.availability}"\n  suggest availability = service.sla.availability + 1\n}\n'],
  ['outputs and expect outputs', `output total: number = amount * 2\n${rule('amount > 1')}test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n  expect outputs { total: 6 }\n}\n`],
];

describe('checker accepts well-typed rulesets', () => {
  it.each(ok)('%s', (_name, body) => {
    expect(codes(body)).toEqual([]);
  });
});

const bad: Array<[string, string, string[]]> = [
  ['unknown name', rule('amont > 1'), ['VD2001']],
  ['unknown field', rule('service.teir == "free"'), ['VD2002']],
  ['condition not boolean', rule('amount + 1'), ['VD2003']],
  ['number compared with string', rule('amount == "1"'), ['VD2004']],
  ['ordering a boolean', rule('true < false'), ['VD2004']],
  ['arithmetic on strings', rule('service.endpoint * 2 > 1'), ['VD2004']],
  ['in on a string', rule('"a" in service.endpoint'), ['VD2004']],
  ['unguarded optional record', rule('service.sla.availability < 99.9'), ['VD2005']],
  ['unguarded optional number', rule('tls < 1.2'), ['VD2005']],
  ['?. result used without default', rule('service.sla?.availability < 99.9'), ['VD2005']],
  ['unknown function', rule('lenght(service.residency) > 0'), ['VD2006']],
  ['wrong arity', rule('floor(amount, 2) > 0'), ['VD2007']],
  ['argument type', rule('floor(service.endpoint) > 0'), ['VD2008']],
  ['two-variable macro value keeps its record type', rule('service.items.all(i, it, it.nope > 0)'), ['VD2002']],
  ['two-variable index is a number', rule('service.items.exists(i, it, i.startsWith("a"))'), ['VD2008']],
  ['two-variable macros need a list or a map', rule('amount.all(i, v, true)'), ['VD2011']],
  ['a time zone is a string', rule('timestamp(0).getHours(5) > 1'), ['VD2008']],
  ['durations have no calendar', rule('duration("1h").getDayOfWeek() > 1'), ['VD2008']],
  ['value outside the union', rule('service.tier == "enterprize"'), ['VD2009']],
  ['list item outside the union', rule('service.tier in ["free", "pro"]'), ['VD2009']],
  ['fields of a number', rule('amount.value > 1'), ['VD2010']],
  ['macro over a number', rule('amount.all(x, x > 1)'), ['VD2011']],
  ['indexing a number', rule('amount[0] > 1'), ['VD2012']],
  ['duplicate const', 'const A = 1\nconst A = 2\n' + rule('amount > A'), ['VD3001']],
  ['let shadows an input field', 'let amount = 1\n' + rule('amount > 0'), ['VD3001']],
  ['duplicate rule id', rule('amount > 1') + rule('amount > 2'), ['VD3001']],
  ['undeclared outcome', 'rule r {\n  severity high\n  dney when amount > 1\n  because "x"\n}\n', ['VD3002']],
  ['let cycle', 'let a = b + 1\nlet b = a + 1\n' + rule('a > 1'), ['VD3005']],
  ['const calls a table', 'table t(a: number) -> number {\n  else -> amount\n}\nconst C = t(1)\n' + rule('amount > C'), ['VD3006']],
  ['has() on a plain name', rule('has(tls)'), ['VD2006']],
  ['a rule let shadows an input field', rule('amount > 0', '  let amount = 2\n'), ['VD3001']],
  ['const reads input', 'const A = amount * 2\n' + rule('A > 1'), ['VD3006']],
  ['rule without when', 'rule r {\n  severity high\n  because "x"\n}\n', ['VD3007']],
  ['rule without severity', 'rule r {\n  deny when amount > 1\n  because "x"\n}\n', ['VD3008']],
  ['unknown severity', 'rule r {\n  severity hihg\n  deny when amount > 1\n  because "x"\n}\n', ['VD3009']],
  ['rule without message', 'rule r {\n  severity high\n  deny when amount > 1\n}\n', ['VD3010w']],
  ['duplicate suggestion', rule('amount > 1', '  suggest q = 1\n  suggest q = 2\n'), ['VD3011']],
  ['param default breaks where', 'param limit: number = 0 where value > 0\n' + rule('amount > limit'), ['VD3012']],
  ['param default of the wrong type', 'param limit: number = "x"\n' + rule('amount > limit'), ['VD2003']],
  ['table row arity', 'table f(a: number, b: number) -> number {\n  1 -> 2\n  else -> 0\n}\n' + rule('f(amount, 1) > 1'), ['VD3013']],
  ['row after else', 'table f(a: number) -> number {\n  else -> 0\n  1 -> 2\n}\n' + rule('f(amount) > 1'), ['VD3014w']],
  ['table without else', 'table f(a: number) -> number {\n  1 -> 2\n}\n' + rule('f(amount) > 1'), ['VD3015w']],
  ['table result type', 'table f(a: number) -> number {\n  1 -> "x"\n  else -> 0\n}\n' + rule('f(amount) > 1'), ['VD2003']],
  ['table call arity', 'table f(a: number) -> number {\n  else -> 0\n}\n' + rule('f(amount, 2) > 1'), ['VD2007']],
  ['rule with the default outcome', 'rule r {\n  severity high\n  allow when amount > 1\n  because "x"\n}\n', ['VD3016w']],
  ['bad weight', 'weights { critical: 2, critical: 3 }\n' + rule('amount > 1'), ['VD3017']],
  ['bad error policy', 'on error explode\n' + rule('amount > 1'), ['VD3018']],
  ['second decision', 'decision deny > allow\n' + rule('amount > 1'), ['VD3019']],
  ['test names an unknown rule', rule('amount > 1') + 'test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n  expect deny by [rr]\n}\n', ['VD3020']],
  ['test names an unknown param', 'param p: number = 1\n' + rule('amount > p') + 'test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n  params { q: 2 }\n  expect deny\n}\n', ['VD3021']],
  ['test input with a wrong field', rule('amount > 1') + 'test "t" {\n  input { service: { tier: "pro", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n  expect deny\n}\n', ['VD3022']],
  ['test input missing a field', rule('amount > 1') + 'test "t" {\n  input { amount: 3 }\n  expect deny\n}\n', ['VD3022']],
  ['test without expectation', rule('amount > 1') + 'test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n}\n', ['VD3023w']],
  ['test param breaks where', 'param p: number = 1 where value > 0\n' + rule('amount > p') + 'test "t" {\n  input { service: { tier: "free", endpoint: "e", residency: [], labels: {}, items: [] }, amount: 3 }\n  params { p: -1 }\n  expect deny\n}\n', ['VD3026']],
  ['unused const', 'const A = 1\n' + rule('amount > 1'), ['VD3030w']],
  ['unused rule let', rule('amount > 1', '  let x = 2\n'), ['VD3030w']],
];

describe('checker reports mistakes with their code', () => {
  it.each(bad)('%s', (_name, body, expected) => {
    expect(codes(body)).toEqual(expected);
  });
});

describe('diagnostic details', () => {
  it('a did-you-mean carries a hint and a quick fix at the right span', () => {
    const source = prelude + rule('service.teir == "free"');
    const d = analyze(source).diagnostics.find((x) => x.code === 'VD2002')!;
    expect(d.hint).toBe('did you mean `tier`?');
    expect(source.slice(d.fix!.span.start, d.fix!.span.end)).toBe('teir');
    expect(d.fix!.replacement).toBe('tier');
    expect(d.span.line).toBe(prelude.split('\n').length + 2);
  });

  it('an unguarded optional read points at the read and says how to guard it', () => {
    const source = prelude + rule('service.sla.availability < 99.9');
    const d = analyze(source).diagnostics[0]!;
    expect(source.slice(d.span.start, d.span.end)).toBe('service.sla');
    expect(d.hint).toContain('has(service.sla)');
  });

  it('the missing decision is reported at the header', () => {
    const d = analyze('ruleset t.x\ninput { a: number }\n').diagnostics;
    expect(d.map((x) => x.code)).toEqual(['VD3003']);
    expect(d[0]!.span.line).toBe(1);
  });

  it('records types and references by expression id', () => {
    const result = analyze(prelude + 'let doubled = amount * 2\n' + rule('doubled > 1'));
    const refs = [...result.check.references.values()].map((s) => `${s.kind}:${s.name}`);
    expect(refs).toContain('let:doubled');
    expect(refs).toContain('input:amount');
    expect([...result.check.types.values()].some((t) => t.kind === 'number')).toBe(true);
  });
});
