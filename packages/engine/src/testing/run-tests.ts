/**
 * Runs a ruleset's `test` blocks against its compiled form and measures
 * coverage: each rule seen firing and seen passing, and each `&&`/`||`
 * operand of a rule condition seen deciding the result.
 *
 * Expectation semantics (grammar/README.md, "Tests"):
 * - `expect deny` — the decision is `deny`; `expect deny by [a, b]` — and
 *   exactly rules a and b fired (`by []`: none did).
 * - `expect outputs { k: v }` — the named outputs equal these values (others are not compared).
 * - `expect suggest r { f: v }` — rule r fired and its suggestion has these fields.
 * - `expect score x` — the score is x.
 * - `expect invalid` — the input is refused by the input schema.
 */
import type { BinaryExpr, Expr, Ruleset, Span, TestDecl } from '@verdict/language';
import type { CompiledRuleset, Decision } from '../types.ts';
import { literalValue, NotALiteral, sameValue, type Json } from './literal.ts';

export interface TestResult {
  name: string;
  line: number;
  passed: boolean;
  failures: string[];
}

export interface RuleCoverage {
  rule: string;
  line: number;
  /** Tests in which the rule fired. */
  fired: number;
  /** Tests in which it was evaluated and did not fire. */
  passed: number;
}

export interface OperandCoverage {
  rule: string;
  /** The operand's source text. */
  text: string;
  line: number;
  column: number;
  /** Times the operand decided its `&&`/`||`. */
  decisive: number;
}

export interface Coverage {
  rules: RuleCoverage[];
  operands: OperandCoverage[];
  /** Covered items over all items: each rule firing and passing, each operand deciding; 0..100. */
  percent: number;
}

export interface TestRun {
  ruleset: string;
  results: TestResult[];
  coverage: Coverage;
}

interface OperandSite {
  rule: string;
  /** The leftmost operand of the condition's top-level `&&` chain (what the rule index tests). */
  leading: boolean;
  parent: BinaryExpr;
  side: 'left' | 'right';
  coverage: OperandCoverage;
}

export function runTests(ast: Ruleset, source: string, compiled: CompiledRuleset): TestRun {
  const rules = new Map<string, RuleCoverage>();
  const sites: OperandSite[] = [];
  for (const decl of ast.decls) {
    if (decl.kind !== 'Rule' || decl.condition === null) continue;
    rules.set(decl.name.name, { rule: decl.name.name, line: decl.span.line, fired: 0, passed: 0 });
    collectOperands(decl.name.name, decl.condition, source, sites, true);
  }
  const results: TestResult[] = [];
  for (const decl of ast.decls) {
    if (decl.kind !== 'Test') continue;
    results.push(runOne(decl, compiled, rules, sites));
  }
  const operands = sites.map((s) => s.coverage);
  const items = rules.size * 2 + operands.length;
  const covered = [...rules.values()].reduce((n, r) => n + (r.fired > 0 ? 1 : 0) + (r.passed > 0 ? 1 : 0), 0) + operands.filter((o) => o.decisive > 0).length;
  return { ruleset: ast.name.name, results, coverage: { rules: [...rules.values()], operands, percent: items === 0 ? 100 : (covered / items) * 100 } };
}

function runOne(test: TestDecl, compiled: CompiledRuleset, rules: Map<string, RuleCoverage>, sites: OperandSite[]): TestResult {
  const failures: string[] = [];
  const result: TestResult = { name: test.name.value, line: test.span.line, passed: false, failures };
  let input: Json;
  let params: Record<string, unknown> | undefined;
  try {
    input = test.input === null ? {} : literalValue(test.input);
    params = test.params === null ? undefined : (literalValue(test.params) as Record<string, unknown>);
  } catch (error) {
    failures.push(error instanceof NotALiteral ? `${at(error.expr.span)}: ${error.message}` : String(error));
    return result;
  }
  const evaluated = compiled.evaluate(input, { explain: true, ...(params === undefined ? {} : { params }) });
  const expectsInvalid = test.expectations.some((e) => e.kind === 'ExpectInvalid');
  if (!evaluated.ok) {
    if (expectsInvalid && evaluated.error.code === 'invalid_input') {
      result.passed = true;
      return result;
    }
    failures.push(`${evaluated.error.message}${evaluated.error.details.length ? ': ' + evaluated.error.details.map((d) => `${d.path} ${d.message}`).join('; ') : ''}`);
    return result;
  }
  if (expectsInvalid) failures.push('expected the input to be refused as invalid, but it was accepted');
  record(evaluated, rules, sites);
  const fired = new Set(evaluated.violations.map((v) => v.rule));
  for (const e of test.expectations) {
    switch (e.kind) {
      case 'ExpectDecision': {
        if (evaluated.decision !== e.outcome.name) failures.push(`expected decision \`${e.outcome.name}\`, got \`${evaluated.decision}\`${firedText(fired)}`);
        if (e.rules !== null) {
          const want = new Set(e.rules.map((r) => r.name));
          const missing = [...want].filter((r) => !fired.has(r));
          const extra = [...fired].filter((r) => !want.has(r));
          if (missing.length > 0) failures.push(`expected rule${missing.length > 1 ? 's' : ''} ${missing.map((r) => `\`${r}\``).join(', ')} to fire`);
          if (extra.length > 0) failures.push(`rule${extra.length > 1 ? 's' : ''} ${extra.map((r) => `\`${r}\``).join(', ')} fired too`);
        }
        break;
      }
      case 'ExpectOutputs': {
        const want = literalValue(e.value) as Record<string, Json>;
        for (const [name, value] of Object.entries(want)) {
          if (!sameValue(evaluated.outputs[name], value, e.within?.value ?? 0)) failures.push(`expected output \`${name}\` = ${JSON.stringify(value)}${e.within ? ` within ${e.within.raw}` : ''}, got ${JSON.stringify(evaluated.outputs[name] ?? null)}`);
        }
        break;
      }
      case 'ExpectSuggestion': {
        const violation = evaluated.violations.find((v) => v.rule === e.rule.name);
        if (violation === undefined) {
          failures.push(`expected rule \`${e.rule.name}\` to fire with a suggestion, but it did not fire`);
          break;
        }
        const want = literalValue(e.value) as Record<string, Json>;
        for (const [field, value] of Object.entries(want)) {
          const got = violation.suggestion?.[field];
          if (!sameValue(got, value)) failures.push(`expected suggestion ${e.rule.name}.${field} = ${JSON.stringify(value)}, got ${JSON.stringify(got ?? null)}`);
        }
        break;
      }
      case 'ExpectScore': {
        let want: Json;
        try {
          want = literalValue(e.value);
        } catch {
          failures.push(`${at(e.value.span)}: the expected score must be a number literal`);
          break;
        }
        if (!sameValue(evaluated.score, want)) failures.push(`expected score ${JSON.stringify(want)}, got ${evaluated.score}`);
        break;
      }
      case 'ExpectInvalid':
        break;
    }
  }
  for (const error of evaluated.errors) failures.push(`rule error in ${error.rule ?? `output ${error.output ?? ''}`}: ${error.message} (${error.location.line}:${error.location.column})`);
  result.passed = failures.length === 0;
  return result;
}

function record(decision: Decision, rules: Map<string, RuleCoverage>, sites: OperandSite[]): void {
  const fired = new Set(decision.violations.map((v) => v.rule));
  for (const rule of rules.values()) {
    if (fired.has(rule.rule)) rule.fired++;
    else if (!decision.errors.some((e) => e.rule === rule.rule)) rule.passed++;
  }
  const values = new Map<string, Map<number, unknown>>();
  const skipped = new Set<string>();
  for (const trace of decision.trace?.rules ?? []) {
    values.set(trace.rule, new Map(trace.values.map((v) => [v.node, v.value])));
    if (trace.skipped === 'index') skipped.add(trace.rule);
  }
  for (const site of sites) {
    // The rule index skips a rule when the equality its condition starts with is false: that operand decided.
    if (skipped.has(site.rule)) {
      if (site.leading) site.coverage.decisive++;
      continue;
    }
    const seen = values.get(site.rule);
    if (seen === undefined) continue;
    const left = valueOf(site.parent.left, seen);
    if (left === undefined) continue;
    const shortCircuits = site.parent.op === '&&' ? left === false : left === true;
    // The left operand decides when it short-circuits; the right one decides whenever it is reached.
    if (site.side === 'left' ? shortCircuits : !shortCircuits && typeof left === 'boolean') site.coverage.decisive++;
  }
}

function valueOf(expr: Expr, seen: Map<number, unknown>): unknown {
  if (expr.kind === 'Bool') return expr.value;
  return seen.get(expr.id);
}

function collectOperands(rule: string, expr: Expr, source: string, sites: OperandSite[], leftmostAnd: boolean): void {
  if (expr.kind !== 'Binary' || (expr.op !== '&&' && expr.op !== '||')) return;
  for (const side of ['left', 'right'] as const) {
    const operand: Expr = expr[side];
    const sameOp = operand.kind === 'Binary' && operand.op === expr.op;
    const leading = leftmostAnd && expr.op === '&&' && side === 'left';
    // `a && b && c` is one list of three operands: only the leaves are reported.
    if (!sameOp) {
      sites.push({ rule, leading, parent: expr, side, coverage: { rule, text: source.slice(operand.span.start, operand.span.end), line: operand.span.line, column: operand.span.column, decisive: 0 } });
    }
    collectOperands(rule, operand, source, sites, leading);
  }
}

function firedText(fired: Set<string>): string {
  return fired.size === 0 ? ' (no rule fired)' : ` (fired: ${[...fired].join(', ')})`;
}

function at(span: Span): string {
  return `${span.line}:${span.column}`;
}
