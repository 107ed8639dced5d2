/**
 * The type checker: names, types, declarations and tests against the input
 * schema. It never mutates the AST; what it learns sits in side tables keyed
 * by expression id (`types`, `references`) for the engine and the editor.
 */
import type { ConstDecl, Decl, DecisionDecl, ErrorPolicyDecl, Expr, InputDecl, LetDecl, Ruleset, Span, WeightsDecl } from '../ast.ts';
import { SEVERITIES } from '../ast.ts';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { checkAliases } from './aliases.ts';
import { DenseMap } from './dense-map.ts';
import { closest } from './did-you-mean.ts';
import { ExpressionChecker, type TableSignature } from './expressions.ts';
import { messages } from './messages.ts';
import { checkPatterns } from './patterns.ts';
import { checkRules } from './rules.ts';
import { Scope, type SymbolInfo } from './scope.ts';
import { checkRecursion } from './recursion.ts';
import { checkTables } from './tables.ts';
import { checkTests } from './tests.ts';
import { fitsWithTimeStrings, holdsTime } from './time-literals.ts';
import { assignable, fromTypeExpr, show, T, type FieldType, type Type } from './types.ts';
import { checkDeclarationValues } from './values.ts';
import type { CheckContext } from './context.ts';

export type { CheckContext } from './context.ts';
export type { SymbolInfo, SymbolKind } from './scope.ts';
export type { Type, FieldType } from './types.ts';
export { show as showType } from './types.ts';

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** The type of every checked expression, by expression id. */
  types: Map<number, Type>;
  /** The declaration each identifier or table call refers to, by expression id. */
  references: Map<number, SymbolInfo>;
  /** Ruleset-level names: input fields, consts, params, lets, tables, outputs. */
  symbols: Map<string, SymbolInfo>;
  /** The input schema as a record type. */
  input: Type;
  /** Outcomes by precedence; the last is the default. */
  outcomes: string[];
  /** The outcomes that count as compliant: those `decision ... compliant` lists, else the default alone. */
  compliant: string[];
}

export function check(ast: Ruleset): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.push(d);
  const types = new DenseMap<Type>();
  const references = new DenseMap<SymbolInfo>();
  const tables = new Map<string, TableSignature>();
  const symbols = new Map<string, SymbolInfo>();
  const globals = new Scope(null);

  const singles = singletons(ast.decls, report);
  const inputFields = new Map<string, FieldType>();
  for (const field of singles.input?.fields ?? []) inputFields.set(field.name, { type: fromTypeExpr(field.type), optional: field.optional });
  const input: Type = singles.input?.rest ? { kind: 'record', fields: inputFields, open: true } : { kind: 'record', fields: inputFields };
  checkAliases(ast.decls, report);
  const outcomes = checkDecision(ast, singles.decision, report);
  checkWeights(singles.weights, report);
  checkErrorPolicy(singles.errorPolicy, report);

  // Lets and consts are typed on first use, so they may appear in any order; a cycle is an error.
  const pending = new Map<SymbolInfo, ConstDecl | LetDecl>();
  const inProgress: SymbolInfo[] = [];
  let expressions: ExpressionChecker;
  const resolve = (symbol: SymbolInfo, at: Span) => {
    const decl = pending.get(symbol);
    if (decl === undefined) return;
    if (inProgress.includes(symbol)) {
      const chain = [...inProgress.slice(inProgress.indexOf(symbol)).map((s) => s.name), symbol.name];
      report(messages.cycle(chain, at));
      symbol.type = T.error;
      pending.delete(symbol);
      return;
    }
    inProgress.push(symbol);
    const inferred = expressions.infer(decl.value, globals);
    inProgress.pop();
    if (!pending.has(symbol)) return; // a cycle through this symbol was reported
    pending.delete(symbol);
    if (decl.type !== null) {
      const declared = fromTypeExpr(decl.type);
      // a const declared with a time type may be written as its RFC 3339 string
      const timeText = decl.kind === 'Const' && holdsTime(declared) && fitsWithTimeStrings(decl.value, declared, (e) => types.get(e.id) ?? T.error, report);
      if (!timeText && !assignable(inferred, declared)) report(messages.typeMismatch(`the value of \`${symbol.name}\``, `of type ${show(declared)}`, inferred, decl.value.span));
      symbol.type = declared;
    } else {
      symbol.type = inferred;
    }
  };
  // the top-level fields as `input.<field>` reads them, filled in as they are declared
  const inputSymbols = new Map<string, SymbolInfo>();
  expressions = new ExpressionChecker({ report, types, references, tables, resolve, inputRoot: { type: input, fields: inputSymbols } });

  const declare = (symbol: SymbolInfo) => {
    const existing = symbols.get(symbol.name);
    if (existing !== undefined) {
      report(messages.duplicateName(symbol.name, symbol.span, existing.span));
      return false;
    }
    symbols.set(symbol.name, symbol);
    globals.define(symbol);
    return true;
  };
  for (const field of singles.input?.fields ?? []) {
    const symbol: SymbolInfo = { name: field.name, kind: 'input', type: field.optional ? T.nullable(inputFields.get(field.name)!.type) : inputFields.get(field.name)!.type, span: field.nameSpan, doc: field.doc, used: true };
    if (declare(symbol)) inputSymbols.set(field.name, symbol);
  }
  for (const decl of ast.decls) {
    switch (decl.kind) {
      case 'Const':
      case 'Let': {
        const symbol: SymbolInfo = { name: decl.name.name, kind: decl.kind === 'Const' ? 'const' : 'let', type: T.error, span: decl.name.span, doc: decl.doc, used: false };
        if (declare(symbol)) pending.set(symbol, decl);
        break;
      }
      case 'Param':
        declare({ name: decl.name.name, kind: 'param', type: fromTypeExpr(decl.type), span: decl.name.span, doc: decl.doc, used: false });
        break;
      case 'Table': {
        const signature: TableSignature = { name: decl.name.name, params: decl.params.map((p) => fromTypeExpr(p.type)), returns: fromTypeExpr(decl.returnType) };
        if (declare({ name: decl.name.name, kind: 'table', type: signature.returns, span: decl.name.span, doc: decl.doc, used: false })) tables.set(decl.name.name, signature);
        break;
      }
      default:
        break;
    }
  }
  // Outputs are results, not names rules can read; they share the namespace so a test's `expect outputs` is
  // unambiguous. They come after every readable name, so a clash is reported once, on the output, and the
  // rules reading the other declaration still resolve.
  for (const decl of ast.decls) {
    if (decl.kind !== 'Output') continue;
    const existing = symbols.get(decl.name.name);
    if (existing !== undefined) report(messages.duplicateName(decl.name.name, decl.name.span, existing.span));
    else symbols.set(decl.name.name, { name: decl.name.name, kind: 'output', type: T.error, span: decl.name.span, doc: decl.doc, used: true });
  }

  for (const symbol of [...pending.keys()]) resolve(symbol, symbol.span);
  const ctx: CheckContext = { ast, report, expressions, globals, symbols, tables, outcomes, input, types };
  checkConstness(ast, references, report);
  checkDeclarationValues(ctx, singles.input);
  checkTables(ctx);
  checkRecursion(ast, references, symbols, report);
  checkRules(ctx);
  checkTests(ctx);
  checkPatterns(ctx);
  reportUnused(symbols, report);

  const compliant = compliantOutcomes(singles.decision, outcomes, report);
  return { diagnostics: sortDiagnostics(diagnostics), types, references, symbols, input, outcomes, compliant };
}

function singletons(decls: Decl[], report: (d: Diagnostic) => void) {
  const found: { input?: InputDecl; decision?: DecisionDecl; weights?: WeightsDecl; errorPolicy?: ErrorPolicyDecl } = {};
  const keep = <K extends keyof typeof found>(key: K, decl: NonNullable<(typeof found)[K]>, label: string) => {
    const first = found[key];
    if (first !== undefined) report(messages.duplicateDeclaration(label, decl.span, first.span));
    else found[key] = decl;
  };
  for (const decl of decls) {
    if (decl.kind === 'Input') keep('input', decl, 'input');
    else if (decl.kind === 'Decision') keep('decision', decl, 'decision');
    else if (decl.kind === 'Weights') keep('weights', decl, 'weights');
    else if (decl.kind === 'ErrorPolicy') keep('errorPolicy', decl, 'on error');
  }
  return found;
}

function checkDecision(ast: Ruleset, decision: DecisionDecl | undefined, report: (d: Diagnostic) => void): string[] {
  if (decision === undefined) {
    report(messages.missingDecision(ast.name.span));
    return [];
  }
  const seen = new Set<string>();
  for (const outcome of decision.outcomes) {
    if (seen.has(outcome.name)) report(messages.badDecision(`outcome \`${outcome.name}\` is listed twice`, outcome.span));
    seen.add(outcome.name);
  }
  if (decision.outcomes.length < 2) report(messages.badDecision('a decision needs at least two outcomes: one a rule can produce, and the default', decision.span));
  return decision.outcomes.map((o) => o.name);
}

function compliantOutcomes(decision: DecisionDecl | undefined, outcomes: string[], report: (d: Diagnostic) => void): string[] {
  const fallback = outcomes.length === 0 ? [] : [outcomes[outcomes.length - 1]!];
  if (decision?.compliant === undefined) return fallback;
  const listed: string[] = [];
  for (const name of decision.compliant) {
    if (!outcomes.includes(name.name)) report(messages.unknownOutcome(name.name, name.span, outcomes, closest(name.name, outcomes)));
    else if (listed.includes(name.name)) report(messages.badDecision(`outcome \`${name.name}\` is listed twice as compliant`, name.span));
    else listed.push(name.name);
  }
  return listed;
}

function checkWeights(weights: WeightsDecl | undefined, report: (d: Diagnostic) => void): void {
  if (weights === undefined) return;
  const seen = new Set<string>();
  for (const entry of weights.entries) {
    const name = entry.severity.name;
    if (!(SEVERITIES as readonly string[]).includes(name)) report(messages.unknownSeverity(name, entry.severity.span, closest(name, SEVERITIES)));
    else if (seen.has(name)) report(messages.badWeight(`the weight of \`${name}\` is set twice`, entry.span));
    seen.add(name);
    if (!(entry.value.value >= 0) || !Number.isFinite(entry.value.value)) report(messages.badWeight(`the weight of \`${name}\` must be a non-negative number`, entry.value.span));
  }
}

function checkErrorPolicy(policy: ErrorPolicyDecl | undefined, report: (d: Diagnostic) => void): void {
  if (policy !== undefined && policy.policy.name !== 'fire' && policy.policy.name !== 'skip') report(messages.badErrorPolicy(policy.policy.name, policy.policy.span));
}

/** A const may read only other consts (not the input, params, lets, or tables, whose guards may read the input). */
function checkConstness(ast: Ruleset, references: Map<number, SymbolInfo>, report: (d: Diagnostic) => void): void {
  for (const decl of ast.decls) {
    if (decl.kind !== 'Const') continue;
    walkExpressions(decl.value, (expr) => {
      const symbol = references.get(expr.id);
      if (symbol !== undefined && symbol.kind !== 'const' && symbol.kind !== 'variable') report(messages.notConstant(decl.name.name, symbol.name, expr.span));
    });
  }
}

/** Visits every expression node under `expr` (itself included). */
function walkExpressions(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  for (const value of Object.values(expr)) {
    if (value === null || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child === null || typeof child !== 'object') continue;
      if ('id' in child && 'kind' in child) walkExpressions(child as Expr, visit);
      else if ('key' in child && 'value' in child) {
        walkExpressions((child as { key: Expr }).key, visit);
        walkExpressions((child as { value: Expr }).value, visit);
      }
    }
  }
}

function reportUnused(symbols: Map<string, SymbolInfo>, report: (d: Diagnostic) => void): void {
  for (const symbol of symbols.values()) {
    if (symbol.used) continue;
    report(messages.unused(symbol.kind, symbol.name, symbol.span));
  }
}
