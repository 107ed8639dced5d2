/**
 * Decision impact against a direct evaluation: for a known edit to the
 * reference rulesets and ~2,000 seeded generated inputs, computeImpact must
 * report exactly the counts that a plain loop evaluating both compiled
 * versions gives (changed decisions, from -> to transitions, per-rule
 * firing), and its examples must be real inputs whose decisions differ.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompiledRuleset, type EvaluationResult } from '@verdict/engine';
import { computeImpact, type ImpactReport, type ImpactSample } from '../src/index.ts';

const rulesets = join(dirname(fileURLToPath(import.meta.url)), '../../../rulesets');
const ADMISSION = readFileSync(join(rulesets, 'marketplace/admission.policy'), 'utf8');
const AUTO_QUOTE = readFileSync(join(rulesets, 'insurance/auto_quote.policy'), 'utf8');
const RUNS = 2000;
const SEED = 20261127;

/** The source with `from` (which must occur exactly once) replaced by `to`. */
function edit(source: string, from: string, to: string): string {
  expect(source.split(from).length - 1, `occurrences of ${from}`).toBe(1);
  return source.replace(from, to);
}

function withoutTests(source: string): string {
  const start = source.indexOf('\ntest "');
  expect(start).toBeGreaterThan(0);
  return source.slice(0, start + 1);
}

function compiled(source: string): CompiledRuleset {
  const result = compile(source);
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return result.ruleset!;
}

// ---------------------------------------------------------------- inputs

/** A number from a few boundary values or a range, in steps of 1/scale. */
const around = (edges: number[], min: number, max: number, scale = 1): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...edges), fc.integer({ min: min * scale, max: max * scale }).map((n) => n / scale));

const admissionService = fc.record(
  {
    id: fc.constantFrom('svc-1', 'svc-2', 'svc-3'),
    tier: fc.constantFrom('free', 'standard', 'enterprise'),
    environment: fc.constantFrom('development', 'staging', 'production'),
    endpoint: fc.constantFrom('https://api.example.com', 'http://api.example.com', 'ftp://files.example.com'),
    data_classification: fc.constantFrom('public', 'internal', 'confidential'),
    data_residency: fc.array(fc.constantFrom('US', 'DE', 'FR', 'KR', 'SG', 'CU', 'IR', 'KP', 'SY'), { maxLength: 3 }),
    certifications: fc.subarray(['SOC2', 'ISO27001', 'PCI-DSS', 'HIPAA']),
    tls_version: fc.constantFrom(1, 1.1, 1.2, 1.3),
    authentication: fc.constantFrom('none', 'api_key', 'oauth2', 'mtls'),
    sla: fc.record({ availability: around([95, 99.4, 99.5, 99.7, 99.9, 99.95, 100], 95, 100, 100) }),
  },
  { requiredKeys: ['id', 'tier', 'environment', 'endpoint', 'data_classification', 'data_residency', 'certifications', 'authentication'] },
);

/** Mostly valid inputs; about one in thirty has a tier outside the schema's union. */
const admissionInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: admissionService.map((service) => ({ service })), weight: 30 },
  { arbitrary: admissionService.map((service) => ({ service: { ...service, tier: 'premium' } })), weight: 1 },
);

const quoteInput: fc.Arbitrary<unknown> = fc.record({
  state: fc.oneof(
    { arbitrary: fc.constantFrom('CA', 'NY', 'TX', 'FL', 'IL', 'WA', 'MA', 'HI', 'OH', 'GA', 'NV', 'OR'), weight: 30 },
    { arbitrary: fc.constant('CAL'), weight: 1 },
  ),
  applicant: fc.record(
    {
      age: around([15, 16, 21, 25, 70], 14, 90),
      years_licensed: around([0, 1, 2], 0, 60),
      at_fault_claims_3y: fc.integer({ min: 0, max: 4 }),
      credit_tier: fc.constantFrom('excellent', 'good', 'fair', 'poor'),
    },
    { requiredKeys: ['age', 'years_licensed', 'at_fault_claims_3y'] },
  ),
  vehicle: fc.record({
    type: fc.constantFrom('sedan', 'suv', 'truck', 'sports', 'ev'),
    value: around([60000, 100000, 100001, 150000, 150001], 5000, 300000),
    annual_miles: around([5000, 15000, 15001], 1000, 30000),
  }),
  coverage: fc.record({
    liability_limit: fc.constantFrom(10000, 20000, 25000, 30000, 50000, 100000),
    deductible: fc.constantFrom(250, 500, 750, 1000, 2000),
  }),
});

function samples(arbitrary: fc.Arbitrary<unknown>, seed = SEED): ImpactSample[] {
  return fc.sample(arbitrary, { seed, numRuns: RUNS }).map((input, index) => ({ source: 'generated', index, input }));
}

// ---------------------------------------------------------------- the direct loop

interface Direct {
  evaluated: number;
  changed: number;
  validityChanged: number;
  transitions: Record<string, number>;
  rules: Record<string, { nowFires: number; noLongerFires: number }>;
  /** Inputs whose outputs differ (both versions valid). */
  outputsChanged: number;
  /** Per output, the inputs on which it differs; scores that differ; inputs only the old version accepts. */
  perOutput: Record<string, number>;
  scoreChanged: number;
  /** Decisions (both versions valid) whose `compliant` differs, and of those how many became compliant. */
  complianceChanged: number;
  becameCompliant: number;
  becameInvalid: number;
}

const label = (r: EvaluationResult): string => (r.ok ? r.decision : '(invalid)');
const fired = (r: EvaluationResult): string[] => (r.ok ? r.violations.map((v) => v.rule) : []);

function paramsFor(ruleset: CompiledRuleset, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => ruleset.params.some((p) => p.name === name)));
}

function direct(before: CompiledRuleset, after: CompiledRuleset, inputs: ImpactSample[], shared: Record<string, unknown> = {}): Direct {
  const out: Direct = {
    evaluated: 0, changed: 0, validityChanged: 0, transitions: {}, rules: {}, outputsChanged: 0, perOutput: {}, scoreChanged: 0, complianceChanged: 0, becameCompliant: 0, becameInvalid: 0,
  };
  for (const sample of inputs) {
    const params = { ...shared, ...sample.params };
    const a = before.evaluate(sample.input, { params: paramsFor(before, params) });
    const b = after.evaluate(sample.input, { params: paramsFor(after, params) });
    out.evaluated++;
    if (a.ok !== b.ok) out.validityChanged++;
    if (a.ok && b.ok && JSON.stringify(a.outputs) !== JSON.stringify(b.outputs)) out.outputsChanged++;
    if (a.ok && !b.ok) out.becameInvalid++;
    if (a.ok && b.ok) {
      if (a.score !== b.score) out.scoreChanged++;
      if (a.compliant !== b.compliant) out.complianceChanged++;
      if (!a.compliant && b.compliant) out.becameCompliant++;
      for (const name of new Set([...Object.keys(a.outputs), ...Object.keys(b.outputs)])) {
        if (JSON.stringify(a.outputs[name] ?? null) !== JSON.stringify(b.outputs[name] ?? null)) out.perOutput[name] = (out.perOutput[name] ?? 0) + 1;
      }
    }
    if (label(a) !== label(b)) {
      out.changed++;
      const key = `${label(a)} -> ${label(b)}`;
      out.transitions[key] = (out.transitions[key] ?? 0) + 1;
    }
    const was = fired(a);
    const now = fired(b);
    for (const rule of new Set([...was, ...now])) {
      const entry = (out.rules[rule] ??= { nowFires: 0, noLongerFires: 0 });
      if (now.includes(rule) && !was.includes(rule)) entry.nowFires++;
      if (was.includes(rule) && !now.includes(rule)) entry.noLongerFires++;
    }
  }
  for (const [rule, entry] of Object.entries(out.rules)) if (entry.nowFires + entry.noLongerFires === 0) delete out.rules[rule];
  return out;
}

/** The report's counts in the direct loop's shape. */
function counts(report: ImpactReport): Omit<Direct, 'outputsChanged' | 'perOutput' | 'scoreChanged' | 'complianceChanged' | 'becameCompliant' | 'becameInvalid'> {
  return {
    evaluated: report.evaluated,
    changed: report.changed,
    validityChanged: report.validityChanged,
    transitions: Object.fromEntries(report.transitions.map((t) => [`${t.from} -> ${t.to}`, t.count])),
    rules: Object.fromEntries(report.rules.map((r) => [r.rule, { nowFires: r.nowFires, noLongerFires: r.noLongerFires }])),
  };
}

/** Runs both, asserts they agree, and returns the direct counts for case-specific checks. */
function agree(beforeSource: string, afterSource: string, inputs: ImpactSample[], params: Record<string, unknown> = {}): { report: ImpactReport; expected: Direct } {
  const before = compiled(beforeSource);
  const after = compiled(afterSource);
  const report = computeImpact(before, after, inputs, { params });
  const expected = direct(before, after, inputs, params);
  const { outputsChanged: _, perOutput, scoreChanged, complianceChanged, becameCompliant, becameInvalid, ...decisionCounts } = expected;
  expect(counts(report)).toEqual(decisionCounts);
  expect(Object.fromEntries(report.outputs.map((o) => [o.output, o.changed]))).toEqual(perOutput);
  expect([report.score.changed, report.becameInvalid.count]).toEqual([scoreChanged, becameInvalid]);
  const { compliance } = report;
  expect([compliance.changed, compliance.becameCompliant, compliance.becameNonCompliant]).toEqual([complianceChanged, becameCompliant, complianceChanged - becameCompliant]);
  // Compliance examples are decisions whose outcome stays while their compliance changes.
  for (const example of compliance.examples) {
    const sample = inputs.find((x) => x.source === example.source && x.index === example.index)!;
    const all = { ...params, ...sample.params };
    const a = before.evaluate(sample.input, { params: paramsFor(before, all) });
    const b = after.evaluate(sample.input, { params: paramsFor(after, all) });
    expect(a.ok && b.ok ? [{ decision: a.decision, compliant: a.compliant }, { decision: b.decision, compliant: b.compliant }] : null).toEqual([example.from, example.to]);
    expect(example.from.decision).toBe(example.to.decision);
  }
  expect(report.sources).toEqual([...new Set(inputs.map((s) => s.source))]);
  // Ordered by count, most frequent first.
  const order = report.transitions.map((t) => t.count);
  expect(order).toEqual([...order].sort((x, y) => y - x));
  expectRealExamples(before, after, inputs, report, params);
  return { report, expected };
}

/** Each example is one of the inputs, at its index, and the two versions decide it differently as stated. */
function expectRealExamples(before: CompiledRuleset, after: CompiledRuleset, inputs: ImpactSample[], report: ImpactReport, params: Record<string, unknown>): void {
  // Examples are decisions both versions made; refused inputs are listed apart.
  expect(report.examples.length).toBe(Math.min(5, report.changed - report.validityChanged));
  for (const example of report.examples) {
    const sample = inputs.find((s) => s.source === example.source && s.index === example.index);
    expect(sample?.input).toEqual(example.input);
    const all = { ...params, ...sample?.params };
    const a = before.evaluate(example.input, { params: paramsFor(before, all) });
    const b = after.evaluate(example.input, { params: paramsFor(after, all) });
    expect([label(a), label(b)]).toEqual([example.from, example.to]);
    expect(example.from).not.toBe(example.to);
    const differing = [...fired(a).filter((r) => !fired(b).includes(r)), ...fired(b).filter((r) => !fired(a).includes(r))];
    expect(example.rules).toEqual([...new Set(differing)].sort());
  }
}

// ---------------------------------------------------------------- marketplace.admission

describe('impact of edits to marketplace.admission', () => {
  const inputs = samples(admissionInput);

  it('generates varied inputs across the schema', () => {
    const services = inputs.map((s) => (s.input as { service: Record<string, unknown> }).service);
    for (const tier of ['free', 'standard', 'enterprise', 'premium']) expect(services.some((s) => s['tier'] === tier)).toBe(true);
    expect(services.some((s) => s['sla'] === undefined)).toBe(true);
    expect(services.some((s) => s['tls_version'] === undefined)).toBe(true);
    const before = compiled(ADMISSION);
    const decisions = new Set(inputs.map((s) => label(before.evaluate(s.input))));
    expect(decisions).toEqual(new Set(['allow', 'deny', '(invalid)']));
  });

  it('lowering the SLA minimum from 99.9 to 99.5 only admits enterprise services between the two', () => {
    const after = edit(ADMISSION, 'const MIN_AVAILABILITY = 99.9', 'const MIN_AVAILABILITY = 99.5');
    const { report, expected } = agree(ADMISSION, after, inputs);
    // Independently of the engine: the rule stops firing exactly for valid enterprise services with 99.5 <= SLA < 99.9.
    const between = inputs.filter((s) => {
      const service = (s.input as { service: { tier: string; sla?: { availability: number } } }).service;
      const availability = service.sla?.availability;
      return service.tier === 'enterprise' && availability !== undefined && availability >= 99.5 && availability < 99.9;
    }).length;
    expect(between).toBeGreaterThan(20);
    expect(report.rules).toEqual([{ rule: 'enterprise_sla_minimum', nowFires: 0, noLongerFires: between }]);
    expect(Object.keys(expected.transitions)).toEqual(['deny -> allow']);
    expect(report.changed).toBeGreaterThan(0);
    expect(report.changed).toBeLessThanOrEqual(between);
    expect(report.validityChanged).toBe(0);
  });

  it('removing "CU" from the restricted countries only admits services whose other blocks are gone', () => {
    const after = edit(ADMISSION, 'const RESTRICTED_COUNTRIES = ["KP", "IR", "SY", "CU"]', 'const RESTRICTED_COUNTRIES = ["KP", "IR", "SY"]');
    const { report, expected } = agree(ADMISSION, after, inputs);
    const onlyCuba = inputs.filter((s) => {
      const { service } = s.input as { service: { tier: string; data_residency: string[] } };
      const restricted = service.data_residency.filter((c) => ['KP', 'IR', 'SY', 'CU'].includes(c));
      return service.tier !== 'premium' && restricted.length > 0 && restricted.every((c) => c === 'CU');
    }).length;
    expect(onlyCuba).toBeGreaterThan(20);
    expect(report.rules).toEqual([{ rule: 'restricted_countries', nowFires: 0, noLongerFires: onlyCuba }]);
    expect(Object.keys(expected.transitions)).toEqual(['deny -> allow']);
    expect(report.changed).toBeGreaterThan(0);
  });

  it('narrowing the tier union counts inputs that become invalid', () => {
    // The ruleset's own tests use the free tier, so both versions drop them to compile.
    const before = withoutTests(ADMISSION);
    const after = edit(before, 'tier: "free" | "standard" | "enterprise"', 'tier: "standard" | "enterprise"');
    const { report } = agree(before, after, inputs);
    const free = inputs.filter((s) => (s.input as { service: { tier: string } }).service.tier === 'free').length;
    expect(report.validityChanged).toBe(free);
    expect(report.changed).toBe(free);
    expect(report.transitions.map((t) => t.to)).toEqual(report.transitions.map(() => '(invalid)'));
  });

  it('declaring `deny` compliant too changes compliance and scores, not one outcome', () => {
    // `allow` stays the default and compliant; `deny` too is compliant now: its rules are grants, left out of the score.
    const after = edit(ADMISSION, 'decision deny > allow', 'decision deny > allow compliant deny, allow');
    const { report, expected } = agree(ADMISSION, after, inputs);
    expect(report.changed).toBe(0);
    expect(expected.complianceChanged).toBeGreaterThan(100);
    expect(report.compliance.becameNonCompliant).toBe(0);
    expect(report.compliance.examples).toHaveLength(5);
    expect(report.score.changed).toBeGreaterThan(0);
  });

  it('an unchanged ruleset changes nothing', () => {
    const report = computeImpact(compiled(ADMISSION), compiled(ADMISSION), inputs);
    expect(report).toMatchObject({ evaluated: RUNS, changed: 0, validityChanged: 0, transitions: [], rules: [], examples: [] });
  });

  it('keeps at most maxExamples examples', () => {
    const after = compiled(edit(ADMISSION, 'const MIN_AVAILABILITY = 99.9', 'const MIN_AVAILABILITY = 99.5'));
    const report = computeImpact(compiled(ADMISSION), after, inputs, { maxExamples: 2 });
    expect(report.changed).toBeGreaterThan(2);
    expect(report.examples).toHaveLength(2);
  });
});

// ---------------------------------------------------------------- insurance.auto_quote

describe('impact of edits to insurance.auto_quote', () => {
  const inputs = samples(quoteInput);
  const lowerMax = (): string => edit(AUTO_QUOTE, 'param max_vehicle_value: number = 150000', 'param max_vehicle_value: number = 100000');
  const valueBetween = (low: number, high: number): number =>
    inputs.filter((s) => {
      const { state, vehicle } = s.input as { state: string; vehicle: { value: number } };
      return state !== 'CAL' && vehicle.value > low && vehicle.value <= high;
    }).length;

  it('generates every outcome', () => {
    const before = compiled(AUTO_QUOTE);
    expect(new Set(inputs.map((s) => label(before.evaluate(s.input))))).toEqual(new Set(['approve', 'refer', 'decline', '(invalid)']));
  });

  it('lowering max_vehicle_value from 150000 to 100000 refers the vehicles in between', () => {
    const { report, expected } = agree(AUTO_QUOTE, lowerMax(), inputs);
    const between = valueBetween(100000, 150000);
    expect(between).toBeGreaterThan(50);
    expect(report.rules).toEqual([{ rule: 'high_value_vehicle', nowFires: between, noLongerFires: 0 }]);
    expect(Object.keys(expected.transitions)).toEqual(['approve -> refer']);
    expect(report.changed).toBeGreaterThan(0);
    expect(report.changed).toBeLessThan(between); // declined ones stay declined, referred ones stay referred
  });

  it('passes shared params to both versions: a channel that sets max_vehicle_value sees no change from the default', () => {
    const { report } = agree(AUTO_QUOTE, lowerMax(), inputs, { max_vehicle_value: 120000 });
    expect([report.changed, report.rules]).toEqual([0, []]);
    const { report: lower } = agree(AUTO_QUOTE, AUTO_QUOTE, inputs, { max_vehicle_value: 60000 });
    expect(lower.changed).toBe(0);
  });

  it("a sample's own params apply to both versions, over the shared ones", () => {
    const withParams = inputs.map((s, i) => (i % 2 === 0 ? { ...s, params: { max_vehicle_value: 200000 } } : s));
    const { report } = agree(AUTO_QUOTE, lowerMax(), withParams, { max_vehicle_value: 90000 });
    // Shared 90000 on both sides for odd samples, 200000 on both for even: nothing changes either way.
    expect(report.changed).toBe(0);
    const { report: own } = agree(AUTO_QUOTE, lowerMax(), withParams);
    const oddBetween = withParams.filter((s, i) => {
      const { state, vehicle } = s.input as { state: string; vehicle: { value: number } };
      return i % 2 === 1 && state !== 'CAL' && vehicle.value > 100000 && vehicle.value <= 150000;
    }).length;
    expect(own.rules).toEqual([{ rule: 'high_value_vehicle', nowFires: oddBetween, noLongerFires: 0 }]);
  });

  it('drops a param that only one version declares instead of refusing every input', () => {
    const after = edit(
      edit(AUTO_QUOTE, '# Drivers under 16 cannot be insured.', '# Drivers under min_age cannot be insured.\nparam min_age: number = 16\n'),
      'decline when applicant.age < 16',
      'decline when applicant.age < min_age',
    );
    const { report } = agree(AUTO_QUOTE, after, inputs, { min_age: 18 });
    expect(report.validityChanged).toBe(0);
    const young = inputs.filter((s) => {
      const { state, applicant } = s.input as { state: string; applicant: { age: number } };
      return state !== 'CAL' && applicant.age >= 16 && applicant.age < 18;
    }).length;
    expect(young).toBeGreaterThan(0);
    expect(report.rules).toEqual([{ rule: 'minimum_age', nowFires: young, noLongerFires: 0 }]);
  });

  it('a territory factor change moves premiums but no decision, and impact counts decisions', () => {
    const after = edit(AUTO_QUOTE, '"CA" -> 1.28', '"CA" -> 1.31');
    const { report, expected } = agree(AUTO_QUOTE, after, inputs);
    expect(expected.outputsChanged).toBeGreaterThan(50);
    expect(report).toMatchObject({ changed: 0, validityChanged: 0, transitions: [], rules: [], examples: [] });
  });

  it('a schema change that refuses old inputs is counted as a validity change', () => {
    const after = edit(AUTO_QUOTE, '    annual_miles: number\n', '    annual_miles: number where value <= 20000\n');
    const { report } = agree(AUTO_QUOTE, after, inputs);
    const far = inputs.filter((s) => {
      const { state, vehicle } = s.input as { state: string; vehicle: { annual_miles: number } };
      return state !== 'CAL' && vehicle.annual_miles > 20000;
    }).length;
    expect(far).toBeGreaterThan(50);
    expect([report.validityChanged, report.changed]).toEqual([far, far]);
  });
});
