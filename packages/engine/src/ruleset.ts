/** Compile a checked ruleset AST into a `CompiledRuleset`. */
import {
  analyze,
  diagnostic,
  INPUT_ROOT,
  hasErrors,
  inputJsonSchema,
  untranslatedWheres,
  sortDiagnostics,
  type Analysis,
  type Decl,
  type Diagnostic,
  type Expr,
  type RuleDecl,
  type Ruleset,
  type TableDecl,
  type JsonSchema,
  type Severity,
  type Span,
} from '@verdict/language';
import { compileExpr, lazySlot, type Closure, type CompileEnv, type Ctx, type GlobalRef, type TableRef } from './compiler.ts';
import { FastModule, type FastHandle, type MessageText } from './codegen/module.ts';
import { recordTypeOf } from './codegen/static-types.ts';
import type { QuickCheck } from './codegen/quick-check.ts';
import { describeName, describeTable, nameInfo } from './codegen/names.ts';
import { DEFAULT_LIMITS, EvalState, type Limits } from './context.ts';
import { evaluateRuleset, type CompiledOutput, type CompiledRule, type Plan } from './evaluate.ts';
import type { NodeTypes } from './optional-fields.ts';
import { buildIndex } from './rule-index.ts';
import { collectReads, walkExpr } from './paths.ts';
import { buildParams } from './params.ts';
import { converterFor, recordConverter, runtimeTypeTest } from './schema.ts';
import { decisionJsonSchema } from './decision-schema.ts';
import { matchPattern } from './table.ts';
import { DEFAULT_SIZE_LIMITS, sizeProblems } from './sizes.ts';
import { buildWhereChecker } from './wheres.ts';
import { Validators, type Validator } from './validate.ts';
import { VError, getOwn, missingUnlessNull, toText, type Value } from './values.ts';
import type { CompileOptions, CompileResult, CompiledRuleset, EvaluateOptions, RuleInfo } from './types.ts';

export const DEFAULT_WEIGHTS: Record<Severity, number> = { critical: 5, high: 3, medium: 2, low: 1 };
/** The options of a call that passes none (one shared object, not one per call). */
const NO_OPTIONS: EvaluateOptions = Object.freeze({});
/** Severity of a rule that declares none. */
const DEFAULT_SEVERITY: Severity = 'medium';

export function compile(source: string | Analysis, options: CompileOptions = {}): CompileResult {
  // what TypeScript would refuse can still arrive from JavaScript: a diagnostic, never a throw
  if (typeof source !== 'string' && !isAnalysis(source)) {
    return { diagnostics: [diagnostic('VD5011', 'error', `compile takes ruleset source text or the result of analyze(), not ${describe(source)}`, NO_SPAN, { hint: 'pass the text of a .policy file' })] };
  }
  const analysis = typeof source === 'string' ? analyze(source) : source;
  const diagnostics = [...analysis.diagnostics];
  const badLimits = limitProblems(options.limits);
  if (badLimits.length > 0) return { diagnostics: [...diagnostics, ...badLimits] };
  if (hasErrors(diagnostics)) return { diagnostics };
  if (options.sizes !== undefined) {
    const tooLarge = sizeProblems(analysis.ast, { ...DEFAULT_SIZE_LIMITS, ...options.sizes });
    if (tooLarge.length > 0) return { diagnostics: [...diagnostics, ...tooLarge] };
  }
  const own: Diagnostic[] = [];
  let ruleset: CompiledRuleset;
  try {
    ruleset = compileAst(analysis.ast, analysis.check.types, options, own, (compiled) => decisionJsonSchema(analysis, compiled.outcomes, compiled.rules));
  } catch (e) {
    // never throw on a source: an internal failure is a diagnostic
    diagnostics.push(diagnostic('VD5000', 'error', `the engine could not compile this ruleset: ${e instanceof Error ? e.message : String(e)}`, analysis.ast.span));
    return { diagnostics };
  }
  diagnostics.push(...sortDiagnostics(own));
  if (hasErrors(own)) return { diagnostics };
  return { ruleset, diagnostics };
}

/** Where a diagnostic about the call itself, not the source, points: the start. */
const NO_SPAN = { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

function isAnalysis(value: unknown): value is Analysis {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Analysis>;
  return Array.isArray(candidate.diagnostics) && candidate.ast !== null && typeof candidate.ast === 'object' && Array.isArray(candidate.ast.decls) && typeof candidate.check === 'object';
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object that is not an analysis' : `a ${typeof value}`;
}

/** Limits must be whole numbers from 0 (Infinity allowed: no limit; 0 allows no work at all); anything else is VD5011. */
function limitProblems(limits: Partial<Limits> | undefined): Diagnostic[] {
  if (limits === undefined) return [];
  const problems: Diagnostic[] = [];
  for (const name of Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>) {
    const value: unknown = limits[name];
    if (value === undefined) continue;
    const ok = typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY);
    if (!ok) problems.push(diagnostic('VD5011', 'error', `limits.${name} must be a whole number from 0, not ${JSON.stringify(value) ?? String(value)}`, NO_SPAN, { hint: `the default is ${DEFAULT_LIMITS[name]}` }));
  }
  return problems;
}

function declsOf<K extends Decl['kind']>(ast: Ruleset, kind: K): Array<Extract<Decl, { kind: K }>> {
  return ast.decls.filter((d): d is Extract<Decl, { kind: K }> => d.kind === kind);
}

/** A ctx for compile-time evaluation (consts, param defaults). */
export function constCtx(limits: Limits): Ctx {
  return { state: new EvalState(limits), input: {}, params: [], slots: [], trace: null, depth: 0 };
}

function compileAst(
  ast: Ruleset,
  /** The checker's types: which field reads read declared optional fields (null when absent). */
  types: NodeTypes,
  options: CompileOptions,
  diagnostics: Diagnostic[],
  /** Built on first request: most callers never ask for it. */
  buildDecisionSchema: (compiled: Pick<CompiledRuleset, 'outcomes' | 'rules'>) => JsonSchema,
): CompiledRuleset {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const err = (message: string, span: Span, code = 'VD5004') => diagnostics.push(diagnostic(code, 'error', message, span));

  // ---- ruleset header
  const decisionDecl = declsOf(ast, 'Decision')[0];
  const outcomes = decisionDecl ? decisionDecl.outcomes.map((o) => o.name) : [];
  if (outcomes.length === 0) err('the ruleset needs a `decision` declaration with at least one outcome', ast.span);
  const defaultOutcome = outcomes[outcomes.length - 1] ?? '';
  // `decision forbid > permit > deny compliant permit`: without the list, the default alone is compliant
  const compliant = decisionDecl?.compliant?.map((o) => o.name) ?? (defaultOutcome === '' ? [] : [defaultOutcome]);
  const weights = { ...DEFAULT_WEIGHTS };
  for (const w of declsOf(ast, 'Weights')) for (const e of w.entries) weights[e.severity.name as Severity] = e.value.value;
  const policyDecl = declsOf(ast, 'ErrorPolicy')[0];
  const errorPolicy: 'fire' | 'skip' = policyDecl?.policy.name === 'skip' ? 'skip' : 'fire';

  // ---- names
  let slotCount = 0;
  const env: CompileEnv = { globals: new Map(), tables: new Map(), diagnostics, newSlot: () => slotCount++, types };
  const inputFields = declsOf(ast, 'Input').flatMap((d) => d.fields);
  const inputNames = new Set(inputFields.map((f) => f.name));
  for (const field of inputFields) {
    const name = field.name;
    // An absent optional field reads as null (so `x != null` guards it, as the checker expects); a required one cannot be absent after validation.
    // a required `any` field may hold null: only an absent one is missing
    const ref: GlobalRef = field.optional ? () => (ctx) => getOwn(ctx.input, name) ?? null : (node) => (ctx) => getOwn(ctx.input, name) ?? missingUnlessNull(ctx.input, name, node);
    env.globals.set(name, describeName(ref, { kind: 'input', name, optional: field.optional }));
  }
  // bodies compiled lazily (so declarations may come in any order), then forced before compile returns
  const forceLater: Array<() => void> = [];
  // consts: evaluated once, lazily, at compile time
  const constCtxShared = constCtx(limits);
  const consts = declsOf(ast, 'Const');
  const constValues = new Map<string, Value>();
  for (const c of consts) {
    const name = c.name.name;
    let compiled: Closure | null = null;
    let state: 'idle' | 'busy' = 'idle';
    // a time written as its string where the declared type says timestamp or duration
    const convert = c.type === null ? null : converterFor(c.type);
    const get = (node: number): Value => {
      const known = constValues.get(name);
      if (known !== undefined) return known;
      if (state === 'busy') return new VError('cycle', `\`${name}\` depends on itself`, node);
      state = 'busy';
      compiled ??= compileExpr(c.value, env);
      const computed = compiled(constCtxShared);
      const v = convert === null ? computed : convert(computed);
      state = 'idle';
      constValues.set(name, v);
      return v;
    };
    const ref: GlobalRef = (node) => {
      const v = get(node);
      return () => v;
    };
    env.globals.set(name, describeName(ref, { kind: 'const' }));
    forceLater.push(() => void get(c.value.id));
  }
  const params = buildParams(declsOf(ast, 'Param'), ast, env, limits, diagnostics);
  params.forEach((p, i) => env.globals.set(p.name, describeName((() => (ctx) => ctx.params[i] as Value) as GlobalRef, { kind: 'param', index: i })));
  // generated code for every expression evaluated per decision (unless turned off)
  const inputType = recordTypeOf(inputFields);
  const fast = options.codegen === false ? null : new FastModule(env, inputType);

  // ruleset-level lets: lazily, once per evaluation
  for (const l of declsOf(ast, 'Let')) {
    const slot = env.newSlot();
    let compiled: Closure | null = null;
    let handle: FastHandle | null = null;
    const name = l.name.name;
    const compute: Closure = (ctx) => {
      const v = (handle?.fn ?? (compiled ??= compileExpr(l.value, env)))(ctx);
      ctx.coverage?.let(name, v);
      return v;
    };
    env.globals.set(l.name.name, describeName(((node) => lazySlot(slot, compute, node, l.name.name)) as GlobalRef, { kind: 'let', slot, value: l.value }));
    forceLater.push(() => {
      compiled ??= compileExpr(l.value, env);
      // every global is known by now, so the generated code resolves them all
      if (fast) handle = fast.addLet(slot, l.value, compiled);
    });
  }

  // tables
  const tableDecls = declsOf(ast, 'Table');
  for (const t of tableDecls) env.tables.set(t.name.name, { arity: t.params.length, call: () => null });
  for (const t of tableDecls) {
    const ref = env.tables.get(t.name.name);
    if (ref) ref.call = compileTable(t, env, ref);
  }

  // ---- rules
  const ruleDecls = declsOf(ast, 'Rule');
  const scanned: Array<FastHandle | Closure> = [];
  const letDecls = new Map(declsOf(ast, 'Let').map((l) => [l.name.name, l.value]));
  const isInputRoot = (name: string) => inputNames.has(name) && !letDecls.has(name) && !params.some((p) => p.name === name) && !constValues.has(name) && !consts.some((c) => c.name.name === name);
  // `input.f` reads the top-level field `f` where nothing global is named `input` (as `rootedField` compiles it)
  const rootVisible = !env.globals.has(INPUT_ROOT) && !env.tables.has(INPUT_ROOT);
  const isRootField = (name: string) => rootVisible && inputNames.has(name);
  // tables and global lets may name each other: each resolves the other lazily
  const tableReads: (name: string) => string[] | null = (name) => tableReadsOf(name);
  const globalLetReads = memoReads(letDecls, isInputRoot, undefined, tableReads, isRootField);
  const tableReadsOf = memoTableReads(tableDecls, isInputRoot, globalLetReads, isRootField);
  const rules: CompiledRule[] = [];
  const infos: RuleInfo[] = [];
  for (const r of ruleDecls) {
    const severity = (r.severity?.name ?? DEFAULT_SEVERITY) as Severity;
    const outcome = r.outcome?.name ?? outcomes[0] ?? '';
    if (r.outcome && !outcomes.includes(outcome)) err(`outcome \`${outcome}\` is not declared in \`decision\``, r.outcome.span);
    const { rule: compiled, scanned: condition } = compileRule(r, env, { isInputRoot, isRootField }, { lets: globalLetReads, tables: tableReads }, fast);
    scanned.push(condition);
    // the same object: generated code swaps its closures in after the module is built
    rules.push(Object.assign(compiled, { id: r.name.name, severity, outcome, weight: weights[severity] ?? 0, location: { line: r.span.line, column: r.span.column } }));
    infos.push({
      id: r.name.name,
      severity,
      outcome,
      weight: weights[severity] ?? 0,
      span: { line: r.span.line, column: r.span.column, endLine: r.span.endLine, endColumn: r.span.endColumn },
      doc: r.doc,
    });
  }

  for (const force of forceLater) force();
  const outputs: CompiledOutput[] = declsOf(ast, 'Output').map((o) => {
    const value = compileExpr(o.value, env);
    const output: CompiledOutput = {
      name: o.name.name,
      value,
      typedValue: value,
      accepts: o.type === null ? null : runtimeTypeTest(o.type),
      location: { line: o.span.line, column: o.span.column },
    };
    fast?.addWithTwin(o.value, value, new Map(), (fn) => (output.value = fn), (fn) => (output.typedValue = fn));
    return output;
  });
  const index = options.index === false ? null : buildIndex(ruleDecls, env, isInputRoot, constValues, options.indexMinRules, isRootField);
  // the index picks rules per decision, so a scan over all of them is for rulesets without one;
  // with the index, the loop over its candidates calls each rule's typed twin on typed inputs
  const scan = index === null ? (fast?.addScan(scanned) ?? null) : null;
  if (index !== null && fast) scanned.forEach((c, i) => typeof c !== 'function' && fast.addTypedTwin(c, (fn) => (rules[i]!.typedCondition = fn)));
  // one `new Function` for the whole ruleset; if the host refuses it, the closures stay
  fast?.build();

  // ---- input validation, compiled once
  const inputSchema = inputJsonSchema(ast);
  let validateInput: Validator;
  let quickCheck: QuickCheck | null = null;
  try {
    ({ quick: quickCheck, validate: validateInput } = new Validators().compileParts(inputSchema));
  } catch (e) {
    err(`the input schema does not compile: ${e instanceof Error ? e.message : String(e)}`, ast.span, 'VD5010');
    validateInput = () => [{ path: '', message: 'the input schema does not compile' }];
  }
  const convert = recordConverter(inputFields);
  const checkWheres = buildWhereChecker(untranslatedWheres(ast), env, () => slotCount);

  // ---- node locations and text, for errors and traces
  const nodes = new Map<number, Expr>();
  for (const d of ast.decls) forEachExpr(d, (e) => walkExpr(e, (x) => nodes.set(x.id, x)));

  const plan: Plan = {
    outcomes,
    defaultOutcome,
    compliant,
    errorPolicy,
    rules,
    outputs,
    params,
    limits,
    nodes,
    validateInput,
    quickCheck,
    checkWheres,
    convert,
    slotCount: () => slotCount,
    codegen: options.codegen !== false,
    inputType,
    index,
    scan,
  };
  const paramsApi = params.api;
  let decisionSchema: JsonSchema | undefined;
  return {
    name: ast.name.name,
    outcomes,
    defaultOutcome,
    compliant,
    rules: infos,
    params: params.map((p) => p.info),
    outputs: outputs.map((o) => o.name),
    inputSchema,
    decisionSchema: () => (decisionSchema ??= buildDecisionSchema({ outcomes, rules: infos })),
    evaluate: (input: unknown, opts: EvaluateOptions = NO_OPTIONS) => evaluateRuleset(plan, input, opts),
    validateParams: (overrides) => paramsApi.validate(overrides),
  };
}

function memoReads(
  lets: Map<string, Expr>,
  isInput: (name: string) => boolean,
  outer: (name: string) => string[] | null = () => null,
  tablePaths?: (name: string) => string[] | null,
  rooted?: (name: string) => boolean,
): (name: string) => string[] | null {
  const memo = new Map<string, string[]>();
  const get = (name: string): string[] | null => {
    const e = lets.get(name);
    if (!e) return outer(name);
    const known = memo.get(name);
    if (known) return known;
    memo.set(name, []); // cycle guard
    const out = new Set<string>();
    collectReads(e, isInput, get, out, undefined, tablePaths, rooted);
    const list = [...out];
    memo.set(name, list);
    return list;
  };
  return get;
}

/**
 * What each table's rows read of the input besides its arguments: patterns, guards and results,
 * with the table's own parameters shadowing input fields of the same name. A violation's `reads`
 * follow a rule's table calls through these.
 */
function memoTableReads(
  tables: TableDecl[],
  isInput: (name: string) => boolean,
  letPaths: (name: string) => string[] | null,
  rooted: (name: string) => boolean,
): (name: string) => string[] | null {
  const byName = new Map(tables.map((t) => [t.name.name, t]));
  const memo = new Map<string, string[]>();
  const get = (name: string): string[] | null => {
    const table = byName.get(name);
    if (table === undefined) return null;
    const known = memo.get(name);
    if (known) return known;
    memo.set(name, []); // cycle guard
    const out = new Set<string>();
    const shadow = new Set(table.params.map((p) => p.name.name));
    for (const row of table.rows) {
      const parts = [...row.patterns.flatMap((p) => (p.kind === 'Wildcard' ? [] : [p.value])), ...(row.guard ? [row.guard] : []), row.result];
      for (const part of parts) collectReads(part, isInput, letPaths, out, shadow, get, rooted);
    }
    const list = [...out];
    memo.set(name, list);
    return list;
  };
  return get;
}

function compileRule(
  r: RuleDecl,
  env: CompileEnv,
  { isInputRoot, isRootField }: { isInputRoot: (name: string) => boolean; isRootField: (name: string) => boolean },
  globalReads: { lets: (name: string) => string[] | null; tables: (name: string) => string[] | null },
  fast: FastModule | null,
): { rule: Omit<CompiledRule, 'id' | 'severity' | 'outcome' | 'weight' | 'location'>; scanned: FastHandle | Closure } {
  const locals = new Map<string, (ctx: Ctx) => Value>();
  const letExprs = new Map<string, Expr>();
  const forceLater: Array<() => void> = [];
  for (const l of r.lets) {
    const slot = env.newSlot();
    let compiled: Closure | null = null;
    let handle: FastHandle | null = null;
    const name = l.name.name;
    letExprs.set(name, l.value);
    const compute: Closure = (ctx) => (handle?.fn ?? (compiled ??= compileExpr(l.value, env, locals)))(ctx);
    locals.set(name, describeName(lazySlot(slot, compute, l.value.id, name), { kind: 'let', slot, value: l.value, locals }));
    forceLater.push(() => {
      compiled ??= compileExpr(l.value, env, locals);
      if (fast) handle = fast.addLet(slot, l.value, compiled, locals);
    });
  }
  for (const force of forceLater) force();
  const condition = r.condition ?? null;
  const plain = condition ? compileExpr(condition, env, locals) : () => new VError('no_condition', 'the rule has no condition', r.name.span.start);
  // the traced twin reports nothing new: its diagnostics went out with the plain one
  const traced = condition ? compileExpr(condition, { ...env, diagnostics: [] }, locals, { traced: true }) : plain;
  // messages: holes compiled one by one so a failing hole leaves the rest of the text
  const holes = r.message?.kind === 'Template' ? r.message.parts : r.message ? [r.message] : [];
  const message: Array<string | Closure> = r.message ? holes.map((p) => (typeof p === 'string' ? p : (constantText(p, env, locals) ?? compileExpr(p, env, locals)))) : [r.name.name];
  const suggestions = r.suggestions.map((s) => {
    const value = compileExpr(s.value, env, locals);
    return { name: s.name.name, value, typedValue: value };
  });
  // reads: rule lets shadow input fields and ruleset lets
  const isInput = (name: string) => !letExprs.has(name) && isInputRoot(name);
  const rooted = (name: string) => !letExprs.has(INPUT_ROOT) && isRootField(name);
  const ruleLetReads = memoReads(letExprs, isInput, globalReads.lets, globalReads.tables, rooted);
  const reads = new Set<string>();
  if (condition) collectReads(condition, isInput, ruleLetReads, reads, undefined, globalReads.tables, rooted);
  // the same holes in typed code, for the violations of inputs the quick check accepted
  const typedMessage = [...message];
  // the rule's own object: the module's callbacks swap generated code into it once built
  const out = { condition: plain, typedCondition: plain, traced, message, typedMessage, typedText: null as MessageText | null, suggestions, reads: [...reads] };
  let scanned: FastHandle | Closure = plain;
  if (fast) {
    if (condition) scanned = fast.add(condition, plain, locals, (fn) => (out.condition = fn));
    // the whole message in one typed function (constant holes already text) where every hole is
    // typed; else each hole gets a typed twin. (A whole message that throws, a host exception, is
    // rendered hole by hole with the generic code: `typedMessage` is then `message` itself.)
    const whole = r.message !== null && fast.addTypedMessage(holes.map((p, i) => (typeof message[i] === 'string' ? (message[i] as string) : p)), locals, (fn) => (out.typedText = fn));
    if (whole) out.typedMessage = message;
    holes.forEach((p, i) => {
      const closure = message[i];
      if (typeof p === 'string' || typeof closure !== 'function') return;
      if (whole) fast.add(p, closure, locals, (fn) => (message[i] = fn));
      else fast.addWithTwin(p, closure, locals, (fn) => (message[i] = fn), (fn) => (typedMessage[i] = fn));
    });
    r.suggestions.forEach((s, i) => {
      const suggestion = suggestions[i]!;
      fast.addWithTwin(s.value, suggestion.value, locals, (fn) => (suggestion.value = fn), (fn) => (suggestion.typedValue = fn));
    });
  }
  return { rule: out, scanned };
}

/**
 * The text of a message hole that names a `const` (e.g. `{MIN_AVAILABILITY}`), rendered once at
 * compile time: it cannot change between decisions, and formatting a number on every violation
 * costs more than the rest of the hole. Null for any other hole (and for a const in error).
 */
function constantText(e: Expr, env: CompileEnv, locals: Map<string, Closure>): string | null {
  if (e.kind !== 'Ident' || locals.has(e.name)) return null;
  const ref = env.globals.get(e.name);
  if (ref === undefined || nameInfo(ref)?.kind !== 'const') return null;
  const v = ref(e.id)(constCtx(DEFAULT_LIMITS));
  return v instanceof VError ? null : toText(v);
}

function compileTable(t: Extract<Decl, { kind: 'Table' }>, env: CompileEnv, ref: TableRef): (args: Value[], ctx: Ctx, node: number) => Value {
  const slots = t.params.map(() => env.newSlot());
  const locals = new Map<string, Closure>(t.params.map((p, i) => [p.name.name, describeName((ctx: Ctx) => ctx.slots[slots[i] as number] as Value, { kind: 'slot', slot: slots[i] as number })]));
  describeTable(ref, { name: t.name.name, rows: t.rows, slots, locals });
  const rows = t.rows.map((row) => ({
    isElse: row.isElse,
    patterns: row.patterns.map((p) => (p.kind === 'Wildcard' ? null : { kind: p.kind, op: p.kind === 'ComparePattern' ? p.op : null, value: compileExpr(p.value, env, locals) })),
    guard: row.guard ? compileExpr(row.guard, env, locals) : null,
    result: compileExpr(row.result, env, locals),
  }));
  const name = t.name.name;
  return (args, ctx, node) => {
    args.forEach((a, i) => (ctx.slots[slots[i] as number] = a));
    const coverage = ctx.coverage;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (!row.isElse) {
        let matched = true;
        for (let i = 0; i < row.patterns.length && matched; i++) {
          const p = row.patterns[i];
          if (!p) continue;
          const m = matchPattern(p.kind, p.op, args[i] as Value, p.value(ctx), node, ctx.state);
          if (m instanceof VError) return m;
          coverage?.cell(name, r, i, m);
          matched = m;
        }
        if (!matched) continue;
        if (row.guard) {
          const g = row.guard(ctx);
          if (g instanceof VError) return g;
          if (g !== true) continue;
        }
      }
      coverage?.row(name, r);
      return row.result(ctx);
    }
    return new VError('no_matching_row', `no row of table \`${name}\` matches`, node);
  };
}


function forEachExpr(d: Decl, f: (e: Expr) => void): void {
  switch (d.kind) {
    case 'Const':
    case 'Let':
    case 'Output':
      f(d.value);
      return;
    case 'Param':
      f(d.default);
      if (d.where) f(d.where);
      return;
    case 'Table':
      for (const row of d.rows) {
        for (const p of row.patterns) if (p.kind !== 'Wildcard') f(p.value);
        if (row.guard) f(row.guard);
        f(row.result);
      }
      return;
    case 'Rule':
      for (const l of d.lets) f(l.value);
      if (d.condition) f(d.condition);
      if (d.message) f(d.message);
      for (const s of d.suggestions) f(s.value);
      return;
    default:
      return;
  }
}

