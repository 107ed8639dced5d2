/** One evaluation of a compiled ruleset: validate, run rules, build the decision. */
import type { Expr, Severity } from '@verdict/language';
import type { Closure, Ctx } from './compiler.ts';
import { EvalState, type Limits } from './context.ts';
import { isPrimitive, type RuleIndex } from './rule-index.ts';
import type { CompiledParams } from './params.ts';
import { compileReads, readsByWalking, type ReadsOf } from './codegen/reads.ts';
import type { MessageSink, MessageText, ScanHandle } from './codegen/module.ts';
import type { QuickCheck } from './codegen/quick-check.ts';
import type { RecordType } from './codegen/static-types.ts';
import { printExpr } from './print.ts';
import { VError, ValueTooLarge, isMap, setOwn, thrownError, toJson, toText, typeName, type VMap, type Value } from './values.ts';
import type { Decision, EvaluateOptions, EvaluationResult, Location, RuleError, RuleTrace, TraceValue, Violation } from './types.ts';
import { NO_PROBLEMS, ValidationSpent, meterPatterns, type Validator } from './validate.ts';
import type { WhereChecker } from './wheres.ts';

export interface CompiledRule {
  id: string;
  severity: Severity;
  outcome: string;
  weight: number;
  location: Location;
  condition: Closure;
  /** The same condition in typed code, for inputs the quick check accepted (else the condition itself). */
  typedCondition: Closure;
  /** The same condition, recording sub-expression values (explain mode). */
  traced: Closure;
  message: Array<string | Closure>;
  /** The message in typed code, hole by hole, for inputs the quick check accepted (the generic holes where `typedText` stands). */
  typedMessage: Array<string | Closure>;
  /** The whole message as one typed function, when every hole is typed (else null). */
  typedText: MessageText | null;
  /** Each with its value in typed code, for inputs the quick check accepted. */
  suggestions: Array<{ name: string; value: Closure; typedValue: Closure }>;
  reads: string[];
}

export interface CompiledOutput {
  name: string;
  value: Closure;
  /** The same in typed code, for inputs the quick check accepted. */
  typedValue: Closure;
  /** Whether a value has the output's declared type; null without a declared type (or `any`). */
  accepts: ((v: Value) => boolean) | null;
  location: Location;
}

export interface Plan {
  outcomes: string[];
  defaultOutcome: string;
  /** Compliant outcomes; a rule producing one is a grant, which lowers no score. */
  compliant: string[];
  errorPolicy: 'fire' | 'skip';
  rules: CompiledRule[];
  outputs: CompiledOutput[];
  params: CompiledParams;
  limits: Limits;
  nodes: Map<number, Expr>;
  /** ajv against the input's JSON Schema. */
  validateInput: Validator;
  /**
   * The generated test that an input is surely valid, run before ajv: what it accepts has exactly
   * the declared types, so the typed scan may run on it. Null when the schema has none.
   */
  quickCheck: QuickCheck | null;
  /** The `where` conjuncts the schema does not express, on the converted input; null when there are none. */
  checkWheres: WhereChecker | null;
  convert: ((v: Value) => Value) | null;
  slotCount(): number;
  index: RuleIndex | null;
  /** The generated rule scan (no index, code generation on and allowed by the host). */
  scan: ScanHandle | null;
  /** The input's static type (typed reads), null without one. */
  inputType: RecordType | null;
  /** Whether to generate code (the reads functions) or keep to closures. */
  codegen: boolean;
  /** Filled on first evaluation: what every evaluation shares. */
  totals?: Totals;
  locate?: (node: number) => Location;
}

/** Run a closure; a host exception (e.g. stack overflow on pathological data) becomes an error value. */
function guarded(f: Closure, ctx: Ctx, node: number): Value {
  try {
    return f(ctx);
  } catch (e) {
    return thrownError(e, node);
  }
}

export function evaluateRuleset(plan: Plan, input: unknown, options: EvaluateOptions): EvaluationResult {
  try {
    return evaluateUnguarded(plan, input, options);
  } catch (e) {
    // never throw on data (e.g. an input nested deeper than the stack allows)
    const message =
      e instanceof RangeError && /call stack/i.test(e.message) ? 'the input is nested too deeply to evaluate'
      : e instanceof ValueTooLarge ? e.message
      : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, error: { code: 'internal', message, details: [] } };
  }
}

function evaluateUnguarded(plan: Plan, input: unknown, options: EvaluateOptions): EvaluationResult {
  // one budget for the whole evaluation: `where` patterns and conditions spend from it before the rules
  const state = new EvalState(plan.limits, options.budget ?? null);
  const outer = meterPatterns(state);
  try {
    return validateThenDecide(plan, input, options, state);
  } catch (e) {
    if (!(e instanceof ValidationSpent)) throw e;
    return { ok: false, error: { code: 'limit_exceeded', message: `validating the input: ${e.message}`, details: [] } };
  } finally {
    meterPatterns(outer);
    state.settle();
  }
}

function validateThenDecide(plan: Plan, input: unknown, options: EvaluateOptions, state: EvalState): EvaluationResult {
  // what the quick check accepts is valid and of the declared types; anything else is ajv's to judge
  // coverage is recorded by the generic closures (the typed code does not report to it)
  const typed = options.coverage === undefined && plan.quickCheck !== null && plan.quickCheck(input);
  const schemaProblems = typed ? NO_PROBLEMS : plan.validateInput(input);
  // Converted once: the where checks and the rules both read the converted input (timestamps, durations).
  const data = plan.convert ? plan.convert(input as Value) : (input as Value);
  const problems = plan.checkWheres === null ? schemaProblems : [...schemaProblems, ...plan.checkWheres(data, new Set(schemaProblems.map((p) => p.path)), state)];
  if (problems.length > 0) return invalidInput(problems);
  // ajv accepts an instance of a class as an object; rules would then read none of its fields
  if (!typed && data !== null && typeof data === 'object' && !isMap(data)) return invalidInput([{ path: '', message: 'must be a plain object (JSON data), not an instance of a class' }]);
  const overrides = options.params;
  const paramValues = overrides === undefined ? plan.params.api.defaults : plan.params.api.resolve(overrides);
  if (!Array.isArray(paramValues)) return { ok: false, error: paramValues };
  const explain = options.explain === true;
  const totals = totalsOf(plan);
  const ctx: Ctx = {
    state,
    // what the quick check accepted is a plain object already
    input: (typed || isMap(data) ? data : {}) as VMap,
    params: paramValues,
    slots: totals.slots(),
    trace: null,
    depth: 0,
    ...(options.coverage === undefined ? {} : { coverage: options.coverage }),
  };
  return decide(plan, ctx, typed, explain, totals);
}

/** Rules, outputs and the decision, on a validated input. */
function decide(plan: Plan, ctx: Ctx, typed: boolean, explain: boolean, totals: Totals): EvaluationResult {
  const location = locator(plan);

  // Which rules to evaluate: with the index, only the unindexed rules and the candidates of each
  // group's value (explain mode walks every rule, to trace the skipped ones too).
  const n = plan.rules.length;
  const order = plan.index !== null && !explain ? candidates(plan.index, ctx) : null;
  const skip = plan.index !== null && explain ? skipped(plan.index, ctx, n) : null;

  const tally = new Tally(plan, ctx, totals, location, typed);
  const ruleTraces: RuleTrace[] | null = explain ? [] : null;
  let evaluated = n;
  const scan = explain || order !== null || plan.scan === null ? null : ((typed ? plan.scan.typed : null) ?? plan.scan.fn);
  // generated: every condition in order; a result that is not `false` is settled before the next
  // condition runs, so work is done (and counted against the limits) in the loop's order
  if (scan !== null) scan(ctx, tally);
  else evaluated = loopRules(plan, ctx, tally, order, skip, ruleTraces, typed);
  const { violations, errors } = tally;
  const totalWeight = totals.weight;

  const outputs: Record<string, unknown> = {};
  for (const o of plan.outputs) {
    let v = guarded(typed ? o.typedValue : o.value, ctx, -1);
    // a value that came through `any` may not have the declared type: it is not passed on
    if (o.accepts !== null && !(v instanceof VError) && !o.accepts(v)) v = new VError('type_error', `output \`${o.name}\` is not of its declared type (the value is ${typeName(v) === 'map' ? 'a map' : `a ${typeName(v)}`})`, -1);
    if (v instanceof VError) errors.push({ rule: null, output: o.name, kind: 'output', code: v.code, message: v.message, location: v.node >= 0 ? location(v.node) : o.location });
    const value = v instanceof VError ? null : jsonOrError(v, o, errors);
    // an output named `__proto__` is an own property (assigning it would set the prototype)
    if (o.name === '__proto__') setOwn(outputs as VMap, o.name, value as Value);
    else outputs[o.name] = value;
  }

  const decision = plan.outcomes[tally.firedRank] ?? plan.defaultOutcome;
  const compliant = plan.compliant.includes(decision);
  // a default that is not compliant (default deny: nothing granted) scores 0, like a total violation
  const deniedByDefault = !compliant && tally.firedRank >= plan.outcomes.length;
  return {
    ok: true,
    decision,
    compliant,
    score: deniedByDefault ? 0 : totalWeight === 0 ? 1 : 1 - tally.violatedWeight / totalWeight,
    violations,
    outputs,
    errors,
    trace: ruleTraces !== null ? { rules: ruleTraces, rulesEvaluated: evaluated, steps: ctx.state.steps } : null,
  };
}

/** An output's JSON, or null with a `limit_exceeded` error when it is too large to return. */
function jsonOrError(v: Value, output: CompiledOutput, errors: RuleError[]): unknown {
  try {
    return toJson(v);
  } catch (e) {
    if (!(e instanceof ValueTooLarge)) throw e;
    errors.push({ rule: null, output: output.name, kind: 'output', code: 'limit_exceeded', message: e.message, location: output.location });
    return null;
  }
}

function invalidInput(problems: ReturnType<Validator>): EvaluationResult {
  return { ok: false, error: { code: 'invalid_input', message: `the input does not match the schema (${problems.length} problem${problems.length === 1 ? '' : 's'})`, details: problems } };
}

/**
 * The generic loop over the rules (with the index, its candidates `order`; in explain mode every
 * rule, tracing each and marking the ones the index rules out in `skip`). Returns how many ran.
 */
function loopRules(plan: Plan, ctx: Ctx, tally: Tally, order: number[] | null, skip: Uint8Array | null, ruleTraces: RuleTrace[] | null, typed: boolean): number {
  const explain = ruleTraces !== null;
  let evaluated = 0;
  const count = order === null ? plan.rules.length : order.length;
  for (let k = 0; k < count; k++) {
    const i = order === null ? k : order[k]!;
    const rule = plan.rules[i] as CompiledRule;
    if (skip !== null && skip[i]) {
      ruleTraces?.push({ rule: rule.id, result: 'passed', skipped: 'index', values: [] });
      continue;
    }
    evaluated++;
    if (explain) ctx.trace = [];
    const v = guarded(explain ? rule.traced : typed ? rule.typedCondition : rule.condition, ctx, -1);
    if (v === false && !explain) continue;
    const recorded = ctx.trace;
    ctx.trace = null;
    const result = tally.settle(i, v);
    if (ruleTraces !== null) ruleTraces.push({ rule: rule.id, result, values: compactTrace(recorded ?? [], plan.nodes) });
  }
  return evaluated;
}

/**
 * What the fired rules add up to, over one evaluation. It is also the rule scan's sink, so the
 * scan costs no allocation of its own.
 */
class Tally implements MessageSink {
  readonly violations: Violation[] = [];
  readonly errors: RuleError[] = [];
  /** Rank of the highest-precedence outcome fired so far. */
  firedRank: number;
  violatedWeight = 0;

  constructor(
    private readonly plan: Plan,
    private readonly ctx: Ctx,
    private readonly totals: Totals,
    private readonly location: (node: number) => Location,
    /** The input passed the quick check: typed message holes and reads apply. */
    private readonly typed: boolean,
  ) {
    this.firedRank = plan.outcomes.length;
  }

  /** Rule `i`'s condition gave `v` (not `false` unless tracing): its error, and its violation when it fires. */
  settle(i: number, v: Value): RuleTrace['result'] {
    const { plan, ctx, totals, location, typed } = this;
    const rule = plan.rules[i] as CompiledRule;
    if (!(v instanceof VError) && typeof v !== 'boolean') v = new VError('type_error', `the condition is ${typeName(v)}, not boolean`, -1);
    let failure: VError | null = null;
    if (v instanceof VError) {
      failure = v;
      this.errors.push({ rule: rule.id, output: null, kind: 'condition', code: v.code, message: v.message, location: v.node >= 0 ? location(v.node) : rule.location });
    }
    const fires = v === true || (failure !== null && plan.errorPolicy === 'fire');
    if (!fires) return failure ? 'error' : 'passed';
    const rank = totals.rank[i]!;
    if (rank < this.firedRank) this.firedRank = rank;
    if (!totals.grant[i]) this.violatedWeight += rule.weight;
    let message = this.message(rule, i);
    if (failure) message += ` (error: ${failure.message})`;
    this.violations.push({
      rule: rule.id,
      outcome: rule.outcome,
      severity: rule.severity,
      message,
      suggestion: suggestionOf(rule, ctx, this.errors, location, typed),
      location: rule.location,
      reads: (typed ? totals.typedReads : totals.reads)[i]!(ctx.input),
    });
    return failure ? 'error' : 'fired';
  }

  /** Rule `i`'s message: the whole typed function on a typed input when there is one, else hole by hole. */
  private message(rule: CompiledRule, i: number): string {
    const whole = this.typed ? rule.typedText : null;
    if (whole !== null) {
      const reported = this.errors.length;
      try {
        return whole(this.ctx, this, i);
      } catch {
        // a host exception (a stack overflow; typed code raises none of its own): hole by hole,
        // each guarded, with what the attempt reported taken back
        this.errors.length = reported;
      }
    }
    return renderMessage(rule, this.typed ? rule.typedMessage : rule.message, this.ctx, this.errors, this.location);
  }

  /** A hole of rule `i`'s typed message failed: reported as the generic rendering reports it, its text in its place. */
  holeFailed(i: number, error: VError): string {
    const rule = this.plan.rules[i] as CompiledRule;
    return holeError(rule, error, this.errors, this.location);
  }
}

/** Maps a node id to its source location (one function per plan, not one per decision). */
function locator(plan: Plan): (node: number) => Location {
  return (plan.locate ??= (node: number): Location => {
    const e = plan.nodes.get(node);
    return e ? { line: e.span.line, column: e.span.column } : { line: 0, column: 0 };
  });
}

/** What every evaluation of a plan shares, computed on first use: total weight, outcome ranks, read paths split once. */
interface Totals {
  /** The weight of the rules that are not grants. */
  weight: number;
  /** Whether rule `i` produces a compliant outcome (a grant). */
  grant: boolean[];
  /** Per rule: the precedence rank of its outcome (0 = highest). */
  rank: number[];
  /** A new empty slot array of `slotCount()` entries (its size known on first evaluation, once compiling is over). */
  slots: () => Value[];
  /** Per rule: the input values its condition read, by path. */
  reads: ReadsOf[];
  /** The same for inputs the quick check accepted (the generic ones without input types or generated code). */
  typedReads: ReadsOf[];
}

function totalsOf(plan: Plan): Totals {
  let totals = plan.totals;
  if (totals === undefined) {
    const { inputType } = plan;
    const reads = plan.rules.map((r) => (plan.codegen ? compileReads(r.reads) : readsByWalking(r.reads)));
    totals = {
      weight: plan.rules.reduce((sum, r) => sum + (plan.compliant.includes(r.outcome) ? 0 : r.weight), 0),
      grant: plan.rules.map((r) => plan.compliant.includes(r.outcome)),
      rank: plan.rules.map((r) => {
        const rank = plan.outcomes.indexOf(r.outcome);
        return rank < 0 ? plan.outcomes.length : rank;
      }),
      reads,
      typedReads: plan.codegen && inputType !== null ? plan.rules.map((r) => compileReads(r.reads, inputType)) : reads,
      slots: emptySlots(plan.slotCount(), plan.codegen),
    };
    plan.totals = totals;
  }
  return totals;
}

/**
 * A function answering a new array of `n` empty slots: an array literal, which V8 copies from its
 * boilerplate in one allocation (cheaper than `slice` of a template). Without code generation,
 * or on a host that refuses it, a copy of a template.
 */
function emptySlots(n: number, codegen: boolean): () => Value[] {
  const template = new Array<Value>(n);
  if (!codegen) return () => template.slice();
  try {
    return new Function(`"use strict"; return function slots() { return [${','.repeat(n)}]; };`)() as () => Value[];
  } catch {
    return () => template.slice();
  }
}

const candidateCache = new WeakMap<RuleIndex, Map<string, number[]>>();
/** No candidate rule (shared: candidate lists are only read). */
const NO_RULES: number[] = [];
const ALL = '\u0000all';

/**
 * Rule positions to evaluate, ascending: the unindexed ones and each group's candidates for the
 * value read. The merged list depends only on the values read, so it is built once per combination
 * (a bounded cache) and reused.
 */
function candidates(index: RuleIndex, ctx: Ctx): number[] {
  // The common index, one group and every rule filed in it: the group's list for the value is the
  // answer as it stands (lists are in declaration order), with no key to build and no merge.
  if (index.groups.length === 1 && index.unindexed.length === 0) {
    const group = index.groups[0]!;
    const v = guarded(group.read, ctx, -1);
    return isPrimitive(v) ? (group.byValue.get(v) ?? NO_RULES) : group.rules;
  }
  let key = '';
  const chosen: Array<number[] | undefined> = [];
  for (const group of index.groups) {
    const v = guarded(group.read, ctx, -1);
    const primitive = isPrimitive(v);
    chosen.push(primitive ? group.byValue.get(v) : group.rules);
    // JSON-quoted strings cannot contain the raw separator, so distinct combinations get distinct keys.
    key += primitive ? `${typeof v === 'string' ? JSON.stringify(v) : String(v)}\u0001` : `${ALL}\u0001`;
  }
  let cache = candidateCache.get(index);
  if (cache === undefined) {
    cache = new Map();
    candidateCache.set(index, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out = [...index.unindexed];
  for (const list of chosen) if (list !== undefined) out.push(...list);
  // Declaration order keeps violations (and their messages) in the order the author wrote the rules.
  out.sort((a, b) => a - b);
  if (cache.size < 4096) cache.set(key, out);
  return out;
}

/** Explain mode: which rules the index rules out. */
function skipped(index: RuleIndex, ctx: Ctx, n: number): Uint8Array {
  const skip = new Uint8Array(n);
  for (const group of index.groups) {
    const v = guarded(group.read, ctx, -1);
    if (!isPrimitive(v)) continue;
    for (const r of group.rules) skip[r] = 1;
    for (const r of group.byValue.get(v) ?? []) skip[r] = 0;
  }
  return skip;
}

function renderMessage(rule: CompiledRule, parts: Array<string | Closure>, ctx: Ctx, errors: RuleError[], location: (node: number) => Location): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const v = guarded(part, ctx, -1);
    out += v instanceof VError ? holeError(rule, v, errors, location) : toText(v);
  }
  return out;
}

/** A message hole's error, recorded; its text stands in the message. */
function holeError(rule: CompiledRule, v: VError, errors: RuleError[], location: (node: number) => Location): string {
  errors.push({ rule: rule.id, output: null, kind: 'message', code: v.code, message: v.message, location: v.node >= 0 ? location(v.node) : rule.location });
  return toText(v);
}

function suggestionOf(rule: CompiledRule, ctx: Ctx, errors: RuleError[], location: (node: number) => Location, typed: boolean): Record<string, unknown> | null {
  if (rule.suggestions.length === 0) return null;
  const entries: Array<[string, unknown]> = [];
  for (const s of rule.suggestions) {
    const v = guarded(typed ? s.typedValue : s.value, ctx, -1);
    if (v instanceof VError) {
      errors.push({ rule: rule.id, output: null, kind: 'suggestion', code: v.code, message: v.message, location: v.node >= 0 ? location(v.node) : rule.location });
    }
    entries.push([s.name, suggestionJson(v, rule, errors)]);
  }
  return Object.fromEntries(entries);
}

/** A suggestion's JSON, or null with a `limit_exceeded` error when it is too large to return (as for an output). */
function suggestionJson(v: Value, rule: CompiledRule, errors: RuleError[]): unknown {
  try {
    return toJson(v);
  } catch (e) {
    if (!(e instanceof ValueTooLarge)) throw e;
    errors.push({ rule: rule.id, output: null, kind: 'suggestion', code: 'limit_exceeded', message: e.message, location: rule.location });
    return null;
  }
}

/** A traced value's JSON; one too large to return is shown as its error, as a failed value is. */
function traceJson(v: Value): unknown {
  if (v instanceof VError) return { error: v.code, message: v.message };
  try {
    return toJson(v);
  } catch (e) {
    if (!(e instanceof ValueTooLarge)) throw e;
    return { error: 'limit_exceeded', message: e.message };
  }
}

function compactTrace(recorded: Array<[number, Value]>, nodes: Map<number, Expr>): TraceValue[] {
  const last = new Map<number, Value>();
  for (const [id, v] of recorded) {
    last.delete(id); // re-insert so order follows the last evaluation
    last.set(id, v);
  }
  const out: TraceValue[] = [];
  for (const [id, v] of last) {
    const e = nodes.get(id);
    out.push({
      node: id,
      line: e?.span.line ?? 0,
      column: e?.span.column ?? 0,
      expr: e ? printExpr(e) : '',
      value: traceJson(v),
    });
  }
  return out;
}
