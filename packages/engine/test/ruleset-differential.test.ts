import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '@verdict/language';
import { decimalFrom, referenceDecide, toJson, type Value } from '@verdict/engine';
import { ruleset, FC_SEED } from './helpers.ts';

const SOURCE = `
ruleset test.diff
input {
  trade: { symbol: string, side: "buy" | "sell", quantity: number, price: number, sector: string, limit?: number }
  portfolio: { nav: number, cash: number, positions: list<{ symbol: string, sector: string, market_value: number }> }
  state: string
  age: number
  note?: string
}
decision reject > refer > warn > approve

param max_position_pct: number = 0.10 where value > 0 && value <= 1
param restricted_symbols: list<string> = ["XYZ", "ACME"]
param mode: "A" | "B" = "A"
const SECTORS = ["tech", "energy"]

table territory(state: string) -> number {
  "CA" -> 1.28
  in ["NY", "NJ"] -> 1.35
  else -> 1.00
}
table age_band(age: number) -> string {
  < 21 -> "young"
  < 70 when mode == "A" -> "adult"
  >= 70 -> "senior"
}

let value = trade.quantity * trade.price
let held = sum(portfolio.positions.filter(p, p.symbol == trade.symbol).map(p, p.market_value))
let sector_held = sum(portfolio.positions.filter(p, p.sector == trade.sector).map(p, p.market_value))
output factor = territory(state)
output band = age_band(age)
output ratio = round(held / portfolio.nav, 4)

rule restricted_symbol {
  severity critical
  reject when trade.symbol in restricted_symbols
  because "{trade.symbol} is restricted"
}
rule position_limit {
  severity high
  reject when trade.side == "buy" && held + value > portfolio.nav * max_position_pct
  because "position {held + value} over {percent(max_position_pct)}"
  suggest quantity = floor(max(0, portfolio.nav * max_position_pct - held) / trade.price)
}
rule no_short {
  severity critical
  let shortfall = value - held
  reject when trade.side == "sell" && shortfall > 0
  because "short by {shortfall}"
}
rule sector_watch {
  severity low
  warn when trade.sector in SECTORS && sector_held / portfolio.cash > 2
  because "sector {trade.sector} heavy"
}
rule territory_review {
  severity medium
  refer when territory(state) > 1.3 || age_band(age) == "senior"
  because "review {state} {age_band(age)}"
}
rule noted {
  severity low
  warn when (note ?? "").contains("!") && size(portfolio.positions) > 0
  because "noted {note ?? "-"}"
}
rule over_limit {
  severity low
  warn when trade.limit != null && trade.quantity > trade.limit || trade.limit == null && trade.quantity > 900
  because "limit {trade.limit}"
}
`;

const symbol = fc.constantFrom('AAA', 'BBB', 'XYZ', 'ACME');
const sector = fc.constantFrom('tech', 'energy', 'retail');
const money = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.01, max: 1e6, noNaN: true }));
const inputArb = fc.record(
  {
    trade: fc.record(
      { symbol, side: fc.constantFrom('buy', 'sell'), quantity: fc.integer({ min: 1, max: 1000 }), price: fc.oneof(fc.constant(0), money), sector, limit: fc.integer({ min: 0, max: 1000 }) },
      { requiredKeys: ['symbol', 'side', 'quantity', 'price', 'sector'] },
    ),
    portfolio: fc.record({
      nav: money,
      cash: money,
      positions: fc.array(fc.record({ symbol, sector, market_value: money }), { maxLength: 5 }),
    }),
    state: fc.constantFrom('CA', 'NY', 'NJ', 'TX', ''),
    age: fc.integer({ min: 0, max: 100 }),
    note: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: ['trade', 'portfolio', 'state', 'age'] },
);
const paramsArb = fc.record(
  {
    max_position_pct: fc.double({ min: 0.01, max: 1, noNaN: true }),
    restricted_symbols: fc.array(symbol, { maxLength: 3 }),
    mode: fc.constantFrom('A', 'B'),
  },
  { requiredKeys: [] },
);

describe('whole-ruleset evaluation agrees with the reference interpreter', () => {
  const compiled = ruleset(SOURCE);
  const unindexed = ruleset(SOURCE, { index: false });
  const closuresOnly = ruleset(SOURCE, { codegen: false });
  const ast = analyze(SOURCE).ast;
  it('on generated inputs and param overrides', () => {
    fc.assert(
      fc.property(inputArb, paramsArb, (input, params) => {
        const r = compiled.evaluate(input, { params });
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const ref = referenceDecide(ast, input as unknown as Record<string, Value>, params as Record<string, Value>);
        expect(r.violations.map((v) => v.rule)).toEqual(ref.fired);
        expect(r.violations.map((v) => v.message)).toEqual(ref.messages);
        expect(r.errors.filter((e) => e.kind === 'condition' || e.kind === 'output').map((e) => [e.rule ?? e.output, e.code])).toEqual(ref.errors);
        expect(r.outputs).toEqual(ref.outputs);
        // the guard of the optional `trade.limit` holds whether it is there or not
        expect(r.errors.filter((e) => e.rule === 'over_limit')).toEqual([]);
        // traced closures (explain) and unindexed evaluation decide the same
        const explained = compiled.evaluate(input, { params, explain: true });
        expect({ ...explained, trace: null }).toEqual(r);
        expect(unindexed.evaluate(input, { params })).toEqual(r);
        // generated code (the default) and the closures it stands in for decide the same
        expect(closuresOnly.evaluate(input, { params })).toEqual(r);
      }),
      { numRuns: 500, seed: FC_SEED },
    );
  });
});

/** Open records and aliases: inputs carry fields no rule reads, at the top level and nested. */
const OPEN_SOURCE = `
ruleset test.open
type Container = { name: string, image: string, cpu?: number where value >= 0, ... }
type Owner = { team: string }
input {
  kind: "Pod" | "Job"
  containers: list<Container>
  owner: Owner
  ...
}
decision deny > warn > allow

output first = containers.map(c, c.name).join(",")
output whole = containers.filter(c, c.name == "a")
output total_cpu = sum(containers.map(c, c.cpu ?? 0))

rule latest {
  severity high
  deny when containers.exists(c, c.image.endsWith(":latest"))
  because "{owner.team} uses latest"
}
rule heavy {
  severity low
  warn when kind == "Job" && containers.exists(c, (c.cpu ?? 0) > 2)
  because "heavy {size(containers)}"
}
`;

const extra = fc.dictionary(fc.constantFrom('metadata', 'labels', 'x_1', 'resources', 'cpu_limit'), fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null), fc.constant({})), { maxKeys: 3 });
const containerArb = fc
  .tuple(fc.record({ name: fc.constantFrom('a', 'b'), image: fc.constantFrom('nginx', 'nginx:latest') , cpu: fc.integer({ min: 0, max: 4 }) }, { requiredKeys: ['name', 'image'] }), extra)
  .map(([declared, more]) => ({ ...more, ...declared }));
const openInputArb = fc
  .tuple(fc.record({ kind: fc.constantFrom('Pod', 'Job'), containers: fc.array(containerArb, { maxLength: 3 }), owner: fc.record({ team: fc.constantFrom('x', 'y') }) }), extra)
  .map(([declared, more]) => ({ ...more, ...declared }));

describe('open records are evaluated alike on every path', () => {
  const compiled = ruleset(OPEN_SOURCE);
  const closuresOnly = ruleset(OPEN_SOURCE, { codegen: false });
  const ast = analyze(OPEN_SOURCE).ast;
  it('on generated inputs with undeclared fields', () => {
    fc.assert(
      fc.property(openInputArb, (input) => {
        const r = compiled.evaluate(input);
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const ref = referenceDecide(ast, input as unknown as Record<string, Value>, {});
        expect(r.violations.map((v) => v.rule)).toEqual(ref.fired);
        expect(r.violations.map((v) => v.message)).toEqual(ref.messages);
        expect(r.outputs).toEqual(ref.outputs);
        expect(closuresOnly.evaluate(input)).toEqual(r);
        expect({ ...compiled.evaluate(input, { explain: true }), trace: null }).toEqual(r);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('refuses an undeclared field where a record is closed, and a declared field of the wrong type', () => {
    const good = { kind: 'Pod', containers: [{ name: 'a', image: 'nginx', extra: 1 }], owner: { team: 'x' }, metadata: {} };
    expect(compiled.evaluate(good).ok).toBe(true);
    for (const bad of [
      { ...good, owner: { team: 'x', email: 'e' } },
      { ...good, containers: [{ name: 'a', image: 1 }] },
      { ...good, containers: [{ name: 'a', image: 'nginx', cpu: -1 }] },
      { ...good, kind: 'Deployment' },
    ]) {
      expect(compiled.evaluate(bad).ok).toBe(false);
      expect(closuresOnly.evaluate(bad).ok).toBe(false);
    }
  });
});

/** Decimals: exact sums, products with numbers, comparisons with numbers, rounding modes, formatting. */
const MONEY_SOURCE = `
ruleset test.money
input { items: list<{ price: decimal, qty: number }>, coupon?: decimal, region: "EU" | "US" }
param fee_rate: decimal = "0.015"
const FREE_SHIPPING: decimal = 500
decision deny > warn > allow

let subtotal = decimal(0) + sum(items.map(i, i.price * i.qty))
output total = subtotal - (coupon ?? 0)
output fee = round(subtotal * fee_rate, 2, "half_even")
output fee_up = round(subtotal * fee_rate, 2, "half_up")
output per_item = size(items) > 0 ? round(subtotal / size(items), 4, "down") : decimal(0)
output shown = fixed(subtotal, 2)
output cheap = items.filter(i, i.price < 1.5).map(i, i.price)

rule free_shipping {
  severity low
  deny when subtotal >= FREE_SHIPPING
  because "free shipping at {fixed(subtotal, 2)} (fee {round(subtotal * fee_rate, 2, "half_even")})"
}
rule exact_total {
  severity low
  warn when region == "EU" && subtotal == 0.3
  because "thirty cents: {subtotal}"
}
`;

const priceArb = fc.oneof(
  fc.constantFrom('0.1', '0.2', '0.05', '166.66', '0.015', '1e2', '-0.01', 0.1, 0.2, 1.5, 166.66, '0.3'),
  fc.integer({ min: 0, max: 100_000 }).map((cents) => (cents / 100).toFixed(2)),
);
const moneyInputArb = fc.record(
  {
    items: fc.array(fc.record({ price: priceArb, qty: fc.integer({ min: 0, max: 5 }) }), { maxLength: 4 }),
    coupon: fc.constantFrom('0.00', '5', 0.3, '0.1'),
    region: fc.constantFrom('EU', 'US'),
  },
  { requiredKeys: ['items', 'region'] },
);

describe('decimals are evaluated alike on every path', () => {
  const compiled = ruleset(MONEY_SOURCE);
  const closuresOnly = ruleset(MONEY_SOURCE, { codegen: false });
  const ast = analyze(MONEY_SOURCE).ast;
  const asValues = (input: { items: Array<{ price: string | number; qty: number }>; coupon?: string | number; region: string }) => ({
    ...input,
    items: input.items.map((i) => ({ ...i, price: decimalFrom(i.price)! })),
    ...(input.coupon === undefined ? {} : { coupon: decimalFrom(input.coupon)! }),
  });
  it('on generated inputs', () => {
    fc.assert(
      fc.property(moneyInputArb, (input) => {
        const r = compiled.evaluate(input);
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        const ref = referenceDecide(ast, asValues(input) as unknown as Record<string, Value>, {});
        expect(r.violations.map((v) => v.rule)).toEqual(ref.fired);
        expect(r.violations.map((v) => v.message)).toEqual(ref.messages);
        expect(r.errors).toEqual([]);
        // the reference keeps decimals as values; a decision carries their digits
        expect(r.outputs).toEqual(toJson(ref.outputs as Value));
        expect(closuresOnly.evaluate(input)).toEqual(r);
        expect({ ...compiled.evaluate(input, { explain: true }), trace: null }).toEqual(r);
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it('sums exactly where doubles do not', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in doubles; 166.66 * 3 + 0.02 is 499.99999999999994
    const thirty = compiled.evaluate({ items: [{ price: '0.1', qty: 1 }, { price: 0.2, qty: 1 }], region: 'EU' });
    expect(thirty).toMatchObject({ ok: true, decision: 'warn', outputs: { total: '0.3', shown: '0.30', fee: '0', fee_up: '0' } });
    const five_hundred = compiled.evaluate({ items: [{ price: '166.66', qty: 3 }, { price: 0.02, qty: 1 }], region: 'US' });
    expect(five_hundred).toMatchObject({ ok: true, decision: 'deny', outputs: { total: '500', fee: '7.5', shown: '500.00' } });
    expect(five_hundred.ok && five_hundred.violations[0]!.message).toBe('free shipping at 500.00 (fee 7.5)');
  });

  it('refuses a price that is no decimal', () => {
    for (const price of ['1,5', 'abc', '', '0x10', true]) expect(compiled.evaluate({ items: [{ price, qty: 1 }], region: 'EU' }).ok).toBe(false);
  });
});
