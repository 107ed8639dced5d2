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
 * - `expect invalid` — the input is refused by the input schema; `at "a.b"` — at these paths.
 * - `expect outputs exactly {...}`, `expect suggest r exactly {...}` — and no other outputs or fields.
 * - `expect message r "text"` / `contains "text"` — rule r fired with this message.
 * - `expect error r code` — rule r failed with this error code (an error no expectation names fails the test).
 * - `cases { {fields} -> outcome by [rules] ... }` — each row: the test's input with these fields merged in.
 */
import type { BinaryExpr, Expectation, Expr, Ruleset, Span, TestDecl } from '@verdict/language';
import type { CoverageRecorder } from '../compiler.ts';
import type { CompiledRuleset, Decision, EvaluationError, EvaluationResult, RuleError } from '../types.ts';
import type { Value } from '../values.ts';
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

export interface RowCoverage {
  table: string;
  /** 1-based, as written (the `else` row included). */
  row: number;
  line: number;
  /** Tests in which this row gave the table's result. */
  matched: number;
}

export interface CellCoverage {
  table: string;
  row: number;
  /** The table parameter the pattern tests. */
  param: string;
  /** The pattern as written. */
  text: string;
  line: number;
  column: number;
  /** Times the pattern was tried and did not match (it decided that its row was not taken). */
  rejected: number;
}

export interface LetCoverage {
  let: string;
  line: number;
  /** Tests in which the let was computed. */
  computed: number;
  /** For a boolean let: whether it was seen true and seen false. */
  seenTrue: boolean;
  seenFalse: boolean;
  boolean: boolean;
}

export interface Coverage {
  rules: RuleCoverage[];
  operands: OperandCoverage[];
  /** Every table row, the `else` row included: covered when it gave a result. */
  rows: RowCoverage[];
  /** Every table pattern other than `_`: covered when it was seen not matching. */
  cells: CellCoverage[];
  /** Every ruleset `let`: covered when computed (a boolean let: seen true and false). */
  lets: LetCoverage[];
  /** How many items there are and how many are covered. */
  items: number;
  covered: number;
  /** Covered items over all items: each rule firing and passing, each operand deciding, each row, cell and let; 0..100. */
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
  const recorder = new Recorder(ast, source);
  const results: TestResult[] = [];
  for (const decl of ast.decls) {
    if (decl.kind !== 'Test') continue;
    results.push(runOne(decl, compiled, rules, sites, recorder));
  }
  const operands = sites.map((s) => s.coverage);
  const { rows, cells, lets } = recorder;
  const items = rules.size * 2 + operands.length + rows.length + cells.length + lets.length;
  const covered =
    [...rules.values()].reduce((n, r) => n + (r.fired > 0 ? 1 : 0) + (r.passed > 0 ? 1 : 0), 0) +
    operands.filter((o) => o.decisive > 0).length +
    rows.filter((r) => r.matched > 0).length +
    cells.filter((c) => c.rejected > 0).length +
    lets.filter(letCovered).length;
  return { ruleset: ast.name.name, results, coverage: { rules: [...rules.values()], operands, rows, cells, lets, items, covered, percent: items === 0 ? 100 : (covered / items) * 100 } };
}

export function letCovered(l: LetCoverage): boolean {
  return l.computed > 0 && (!l.boolean || (l.seenTrue && l.seenFalse));
}

/** Collects table rows, cells and lets as evaluations report them; counts each once per test. */
class Recorder implements CoverageRecorder {
  readonly rows: RowCoverage[] = [];
  readonly cells: CellCoverage[] = [];
  readonly lets: LetCoverage[] = [];
  private readonly rowAt = new Map<string, RowCoverage>();
  private readonly cellAt = new Map<string, CellCoverage>();
  private readonly letAt = new Map<string, LetCoverage>();
  /** What this test has seen already (a row matched in two calls counts once). */
  private seen = new Set<string>();

  constructor(ast: Ruleset, source: string) {
    for (const decl of ast.decls) {
      if (decl.kind === 'Let') {
        const entry: LetCoverage = { let: decl.name.name, line: decl.span.line, computed: 0, seenTrue: false, seenFalse: false, boolean: false };
        this.lets.push(entry);
        this.letAt.set(decl.name.name, entry);
      }
      if (decl.kind !== 'Table') continue;
      decl.rows.forEach((row, r) => {
        const entry: RowCoverage = { table: decl.name.name, row: r + 1, line: row.span.line, matched: 0 };
        this.rows.push(entry);
        this.rowAt.set(`${decl.name.name}/${r}`, entry);
        row.patterns.forEach((p, c) => {
          if (p.kind === 'Wildcard') return;
          const cell: CellCoverage = { table: decl.name.name, row: r + 1, param: decl.params[c]?.name.name ?? String(c + 1), text: source.slice(p.span.start, p.span.end), line: p.span.line, column: p.span.column, rejected: 0 };
          this.cells.push(cell);
          this.cellAt.set(`${decl.name.name}/${r}/${c}`, cell);
        });
      });
    }
  }

  startTest(): void {
    this.seen = new Set();
  }

  private once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  let(name: string, value: Value): void {
    const entry = this.letAt.get(name);
    if (entry === undefined) return;
    if (this.once(`let/${name}`)) entry.computed++;
    if (typeof value === 'boolean') {
      entry.boolean = true;
      if (value) entry.seenTrue = true;
      else entry.seenFalse = true;
    }
  }

  row(table: string, row: number): void {
    const entry = this.rowAt.get(`${table}/${row}`);
    if (entry !== undefined && this.once(`row/${table}/${row}`)) entry.matched++;
  }

  cell(table: string, row: number, column: number, matched: boolean): void {
    const entry = this.cellAt.get(`${table}/${row}/${column}`);
    if (entry !== undefined && !matched && this.once(`cell/${table}/${row}/${column}`)) entry.rejected++;
  }
}

function runOne(test: TestDecl, compiled: CompiledRuleset, rules: Map<string, RuleCoverage>, sites: OperandSite[], recorder: Recorder): TestResult {
  recorder.startTest();
  const failures: string[] = [];
  const result: TestResult = { name: test.name.value, line: test.span.line, passed: false, failures };
  let input: Json;
  let params: Record<string, unknown> | undefined;
  const cases = (test.cases ?? []).flatMap((block) => block.rows);
  let caseInputs: Json[];
  try {
    input = test.input === null ? {} : literalValue(test.input);
    params = test.params === null ? undefined : (literalValue(test.params) as Record<string, unknown>);
    caseInputs = cases.map((c) => merge(input, literalValue(c.input)));
  } catch (error) {
    failures.push(error instanceof NotALiteral ? `${at(error.expr.span)}: ${error.message}` : String(error));
    return result;
  }
  const run = (value: Json) => compiled.evaluate(value, { explain: true, coverage: recorder, ...(params === undefined ? {} : { params }) });
  // the test's own expectations run on its input; a test of `cases` alone needs no input of its own
  if (test.expectations.length > 0 || cases.length === 0) checkExpectations(test, run(input), failures, rules, sites);
  cases.forEach((c, i) => {
    const evaluated = run(caseInputs[i]!);
    const label = `case ${i + 1} (line ${c.span.line})`;
    if (!evaluated.ok) {
      failures.push(`${label}: ${problemText(evaluated.error)}`);
      return;
    }
    record(evaluated, rules, sites);
    const own: string[] = [];
    decisionFailures(evaluated, c.outcome.name, c.rules?.map((r) => r.name) ?? null, own);
    for (const error of evaluated.errors) own.push(errorText(error));
    failures.push(...own.map((f) => `${label}: ${f}`));
  });
  result.passed = failures.length === 0;
  return result;
}

function checkExpectations(test: TestDecl, evaluated: EvaluationResult, failures: string[], rules: Map<string, RuleCoverage>, sites: OperandSite[]): void {
  const invalid = test.expectations.find((e): e is Extract<Expectation, { kind: 'ExpectInvalid' }> => e.kind === 'ExpectInvalid');
  if (!evaluated.ok) {
    if (invalid !== undefined && evaluated.error.code === 'invalid_input') {
      // `expect invalid at "a.b"`: the input is refused at (at least) these paths
      const paths = evaluated.error.details.map((d) => d.path);
      for (const want of invalid.paths ?? []) {
        if (!paths.includes(want.value)) failures.push(`expected the input to be refused at \`${want.value}\`; it was refused at ${paths.map((p) => `\`${p}\``).join(', ')}`);
      }
      return;
    }
    failures.push(problemText(evaluated.error));
    return;
  }
  if (invalid !== undefined) failures.push('expected the input to be refused as invalid, but it was accepted');
  record(evaluated, rules, sites);
  const expectedErrors: Array<{ rule: string; code: string }> = [];
  for (const e of test.expectations) {
    switch (e.kind) {
      case 'ExpectDecision':
        decisionFailures(evaluated, e.outcome.name, e.rules?.map((r) => r.name) ?? null, failures);
        break;
      case 'ExpectOutputs': {
        const want = literalValue(e.value) as Record<string, Json>;
        for (const [name, value] of Object.entries(want)) {
          if (!sameValue(evaluated.outputs[name], value, e.within?.value ?? 0)) failures.push(`expected output \`${name}\` = ${JSON.stringify(value)}${e.within ? ` within ${e.within.raw}` : ''}, got ${JSON.stringify(evaluated.outputs[name] ?? null)}`);
        }
        if (e.exact === true) {
          const extra = Object.keys(evaluated.outputs).filter((name) => !(name in want));
          if (extra.length > 0) failures.push(`expected exactly the outputs ${Object.keys(want).map((n) => `\`${n}\``).join(', ') || '(none)'}; also got ${extra.map((n) => `\`${n}\` = ${JSON.stringify(evaluated.outputs[n] ?? null)}`).join(', ')}`);
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
        if (e.exact === true) {
          const extra = Object.keys(violation.suggestion ?? {}).filter((field) => !(field in want));
          if (extra.length > 0) failures.push(`expected exactly the suggestion fields ${Object.keys(want).map((n) => `\`${n}\``).join(', ') || '(none)'} of \`${e.rule.name}\`; also got ${extra.map((n) => `\`${n}\``).join(', ')}`);
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
      case 'ExpectMessage': {
        const violation = evaluated.violations.find((v) => v.rule === e.rule.name);
        if (violation === undefined) failures.push(`expected rule \`${e.rule.name}\` to fire with a message, but it did not fire`);
        else if (e.contains ? !violation.message.includes(e.text.value) : violation.message !== e.text.value) {
          failures.push(`expected the message of \`${e.rule.name}\` ${e.contains ? 'to contain' : 'to be'} ${JSON.stringify(e.text.value)}, got ${JSON.stringify(violation.message)}`);
        }
        break;
      }
      case 'ExpectError': {
        expectedErrors.push({ rule: e.rule.name, code: e.code.name });
        const got = evaluated.errors.filter((x) => x.rule === e.rule.name);
        if (!got.some((x) => x.code === e.code.name)) {
          failures.push(`expected rule \`${e.rule.name}\` to fail with \`${e.code.name}\`, ${got.length === 0 ? 'but it had no error' : `got ${got.map((x) => `\`${x.code}\``).join(', ')}`}`);
        }
        break;
      }
      case 'ExpectInvalid':
        break;
    }
  }
  // an error the test expects is the behaviour under test; any other fails it
  for (const error of evaluated.errors) {
    if (!expectedErrors.some((x) => x.rule === error.rule && x.code === error.code)) failures.push(errorText(error));
  }
}

function decisionFailures(evaluated: Decision, outcome: string, rules: string[] | null, failures: string[]): void {
  const fired = new Set(evaluated.violations.map((v) => v.rule));
  if (evaluated.decision !== outcome) failures.push(`expected decision \`${outcome}\`, got \`${evaluated.decision}\`${firedText(fired)}`);
  if (rules === null) return;
  const want = new Set(rules);
  const missing = [...want].filter((r) => !fired.has(r));
  const extra = [...fired].filter((r) => !want.has(r));
  if (missing.length > 0) failures.push(`expected rule${missing.length > 1 ? 's' : ''} ${missing.map((r) => `\`${r}\``).join(', ')} to fire`);
  if (extra.length > 0) failures.push(`rule${extra.length > 1 ? 's' : ''} ${extra.map((r) => `\`${r}\``).join(', ')} fired too`);
}

function problemText(error: EvaluationError): string {
  return `${error.message}${error.details.length ? ': ' + error.details.map((d) => `${d.path} ${d.message}`).join('; ') : ''}`;
}

function errorText(error: RuleError): string {
  return `rule error in ${error.rule ?? `output ${error.output ?? ''}`}: ${error.message} [${error.code}] (${error.location.line}:${error.location.column})`;
}

/** `base` with `over` put in, records merged field by field (a `cases` row). */
function merge(base: Json, over: Json): Json {
  if (!isRecord(base) || !isRecord(over)) return over;
  const out = Object.assign(Object.create(null) as { [key: string]: Json }, base);
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? merge(base[key]!, value) : value;
  return out;
}

function isRecord(v: Json): v is { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
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
