import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileQuickCheck } from '../src/codegen/quick-check.ts';
import { Validators } from '../src/validate.ts';
import { ruleset, FC_SEED } from './helpers.ts';

/**
 * The quick check may only say "valid" where ajv does: generated values, valid by construction
 * from each reference ruleset's input schema and then mutated (a key dropped or added, a value
 * replaced by anything), must never pass the quick check and fail ajv.
 */
type Schema = Record<string, unknown>;

const ROOT = fileURLToPath(new URL('../../../rulesets/', import.meta.url));
const files = readdirSync(ROOT).flatMap((dir) => readdirSync(ROOT + dir).map((f) => `${dir}/${f}`));
const FORMATS = { 'date-time': (s: string) => !Number.isNaN(Date.parse(s)), duration: (s: string) => /^\d+[smhd]$/.test(s) };

/** Values valid against the schema (mostly: string bounds are met by construction). */
function valid(s: Schema): fc.Arbitrary<unknown> {
  if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as unknown[]));
  const type = Array.isArray(s['type']) ? (s['type'] as string[])[0] : (s['type'] as string);
  switch (type) {
    case 'object': {
      const props = (s['properties'] ?? {}) as Record<string, Schema>;
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v)])), { requiredKeys: (s['required'] ?? []) as string[] });
    }
    case 'array':
      return fc.array(valid((s['items'] ?? {}) as Schema), { maxLength: 4 });
    case 'string':
      return fc.string({ minLength: (s['minLength'] as number) ?? 0, maxLength: (s['maxLength'] as number) ?? 8 });
    case 'integer':
      return fc.integer({ min: (s['minimum'] as number) ?? -1000, max: (s['maximum'] as number) ?? 1000 });
    case 'number':
      return fc.double({ min: (s['minimum'] as number) ?? -1e6, max: (s['maximum'] as number) ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

/** A small seeded generator (mulberry32), so a failing case replays from its seed. */
function seeded(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const ODD_VALUES: unknown[] = [null, undefined, 0, -1, 1.5, NaN, Infinity, '', 'x', '\ud800', true, [], {}, [1], { a: 1 }];

/** One mutation somewhere in the value: a key added or dropped, or a value replaced by an odd one. */
function mutate(value: unknown, next: (n: number) => number): unknown {
  if (value === null || typeof value !== 'object') return ODD_VALUES[next(ODD_VALUES.length)];
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as object) };
  const keys = Object.keys(copy);
  const roll = next(4);
  if (roll === 0 && !Array.isArray(copy)) copy[`extra${next(2)}`] = 1;
  else if (roll === 1 && keys.length > 0) delete copy[keys[next(keys.length)] as string];
  else if (roll === 2) return ODD_VALUES[next(ODD_VALUES.length)];
  else if (keys.length > 0) {
    const k = keys[next(keys.length)] as string;
    copy[k] = mutate(copy[k], next);
  }
  return copy;
}

describe.each(files)('quick check of %s', (file) => {
  const schema = ruleset(readFileSync(ROOT + file, 'utf8')).inputSchema as Schema;
  const quick = compileQuickCheck(schema as never, FORMATS);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const [name, fn] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: fn });
  const full = ajv.compile(schema);

  it('exists for the schema', () => {
    expect(quick).not.toBeNull();
  });

  it('says valid only where ajv does, and says it for nearly every valid value', () => {
    let accepted = 0;
    let ajvValid = 0;
    fc.assert(
      fc.property(valid(schema), fc.boolean(), fc.integer(), (value, mutated, seed) => {
        const v = mutated ? mutate(value, seeded(seed)) : value;
        if (full(v)) ajvValid++;
        if (quick!(v)) {
          accepted++;
          expect(full(v)).toBe(true);
        }
      }),
      { numRuns: 1000, seed: FC_SEED },
    );
    // it is unsure (and leaves the value to ajv) only rarely: NaN, odd prototypes, undefined fields
    expect(ajvValid).toBeGreaterThan(50);
    expect(accepted).toBeGreaterThanOrEqual(ajvValid * 0.9);
  });
});

describe('quick check of time types', () => {
  // the language writes a `pattern` (and for timestamps a `date-time` format) into these schemas
  const timed = ruleset(`ruleset t.times
input { at: timestamp, grace: duration, seen: list<timestamp>, windows?: list<duration> }
decision deny > allow
rule late {
  severity low
  deny when at > timestamp("2030-01-01T00:00:00Z") || grace > duration("1h")
  because "late"
}
`);
  const { quick, validate } = new Validators().compileParts(timed.inputSchema);
  const base = { at: '2026-01-01T00:00:00Z', grace: '30m', seen: [] as string[] };

  it('exists, so typed inputs with timestamps and durations take the typed path', () => {
    expect(quick).not.toBeNull();
  });

  it.each([
    ['at', '2026-01-01T00:00:00Z'],
    ['at', '2026-01-01 10:20:30.5+02:00'],
    ['at', '2026-02-30T00:00:00Z'],
    ['at', '2026-13-01T00:00:00Z'],
    ['at', '2026-01-01T00:00:00+25:00'],
    ['at', '2026-01-01T00:00Z'],
    ['at', 'yesterday'],
    ['grace', '1h30m'],
    ['grace', '-5m'],
    ['grace', '+0'],
    ['grace', '1.5h'],
    ['grace', '.5s'],
    ['grace', '10µs'],
    ['grace', 'h'],
    ['grace', ''],
    ['grace', '1x'],
    ['grace', '5'],
  ])('%s = %j: the quick check says valid only where ajv does', (field, text) => {
    const value = { ...base, [field]: text };
    const ajvValid = validate(value).length === 0;
    if (quick!(value)) expect(ajvValid).toBe(true);
    // and it is not needlessly unsure about a valid value
    expect(quick!(value)).toBe(ajvValid);
  });

  it('checks list items of time types the same way', () => {
    expect(quick!({ ...base, seen: ['2026-01-01T00:00:00Z'], windows: ['1h'] })).toBe(true);
    for (const bad of [{ seen: ['2026-02-30T00:00:00Z'] }, { windows: ['1y'] }]) {
      const value = { ...base, ...bad };
      expect(quick!(value)).toBe(false);
      expect(validate(value).length).toBeGreaterThan(0);
    }
  });
});

describe('quick check of open records', () => {
  const open = ruleset(`ruleset t.open
type Owner = { team: string where size(value) > 0, ... }
input { kind: "Pod" | "Job", owner: Owner, limits: { cpu: number }, ... }
decision deny > allow
rule job {
  severity low
  deny when kind == "Job" && owner.team == "x" && limits.cpu > 1
  because "job"
}
`);
  const { quick, validate } = new Validators().compileParts(open.inputSchema);
  const base = { kind: 'Pod', owner: { team: 'a' }, limits: { cpu: 1 } };

  it('exists, so open inputs take the typed path', () => {
    expect(quick).not.toBeNull();
  });

  it.each([
    ['extra top-level fields', { ...base, metadata: { name: 'p' }, spec: [1] }, true],
    ['extra fields in an open nested record', { ...base, owner: { team: 'a', email: 'e' } }, true],
    ['an extra field in a closed nested record', { ...base, limits: { cpu: 1, memory: 2 } }, false],
    ['a declared field of the wrong type beside extras', { ...base, kind: 'Deployment', extra: 1 }, false],
    ['a missing declared field', { kind: 'Pod', owner: { email: 'e' }, limits: { cpu: 1 } }, false],
    ['a where broken beside extras', { ...base, owner: { team: '', email: 'e' } }, false],
  ])('%s: quick check and ajv agree (%j)', (_, value, valid) => {
    expect(validate(value).length === 0).toBe(valid);
    if (quick!(value)) expect(valid).toBe(true);
    if (!valid) expect(quick!(value)).toBe(false);
  });

  it('the evaluator decides on open inputs and refuses closed-record extras', () => {
    expect(open.evaluate({ ...base, kind: 'Job', owner: { team: 'x', email: 'e' }, limits: { cpu: 2 }, status: {} })).toMatchObject({ ok: true, decision: 'deny' });
    expect(open.evaluate({ ...base, limits: { cpu: 1, memory: 2 } }).ok).toBe(false);
  });
});

describe('quick check of decimals', () => {
  const money = ruleset(`ruleset t.money
input { price: decimal, prices: list<decimal> }
decision deny > allow
rule big {
  severity low
  deny when price > 100
  because "big"
}
`);
  const { quick, validate } = new Validators().compileParts(money.inputSchema);

  it('exists, so inputs with decimals keep the quick check', () => {
    expect(quick).not.toBeNull();
  });

  it.each([['19.99'], [19.99], ['-1e3'], ['.5'], ['1,5'], ['abc'], [''], [true], [null], ['1e'], [Number.NaN]])('price = %j: the quick check says valid only where ajv does', (price) => {
    const value = { price, prices: [price] };
    const ajvValid = validate(value).length === 0;
    if (quick!(value)) expect(ajvValid).toBe(true);
    expect(quick!(value)).toBe(ajvValid && !(typeof price === 'number' && Number.isNaN(price)));
  });
});
