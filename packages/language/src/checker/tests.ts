/**
 * Test blocks: the names they mention exist, their params fit, and their
 * input matches the schema (unless the test expects it to be refused).
 */
import type { Expr, MapExpr, ParamDecl, RuleDecl, Span, TestDecl } from '../ast.ts';
import { closest } from './did-you-mean.ts';
import { evaluateConstant, showConstant } from './const-eval.ts';
import type { CheckContext } from './context.ts';
import { messages } from './messages.ts';
import { invalidTime, isDecimalLiteral, isDurationText, isTimestampText } from './time-literals.ts';
import { assignable, fromTypeExpr, show, T, type Type } from './types.ts';

export function checkTests(ctx: CheckContext): void {
  const rules = new Map<string, RuleDecl>();
  const params = new Map<string, ParamDecl>();
  for (const decl of ctx.ast.decls) {
    if (decl.kind === 'Rule') rules.set(decl.name.name, decl);
    if (decl.kind === 'Param') params.set(decl.name.name, decl);
  }
  const names = new Set<string>();
  for (const decl of ctx.ast.decls) {
    if (decl.kind !== 'Test') continue;
    if (names.has(decl.name.value)) ctx.report(messages.duplicateTest(decl.name.raw, decl.name.span));
    names.add(decl.name.value);
    checkTest(ctx, decl, rules, params);
  }
}

/** The error codes a rule's evaluation can fail with (grammar/README.md, "Errors are values"). */
export const EVALUATION_ERROR_CODES = [
  'division_by_zero', 'index_out_of_range', 'no_such_field', 'no_such_key', 'type_error', 'invalid_regex',
  'invalid_argument', 'overflow', 'no_matching_row', 'limit_exceeded', 'cycle',
];

function checkTest(ctx: CheckContext, test: TestDecl, rules: Map<string, RuleDecl>, params: Map<string, ParamDecl>): void {
  const cases = (test.cases ?? []).flatMap((block) => block.rows);
  if (test.expectations.length === 0 && cases.length === 0) ctx.report(messages.testWithoutExpectation(test.name.raw, test.name.span));
  const expectsInvalid = test.expectations.some((e) => e.kind === 'ExpectInvalid');
  if (test.input === null) {
    if (!expectsInvalid && cases.length === 0) ctx.report(messages.testWithoutInput(test.name.raw, test.name.span));
  } else if (!expectsInvalid && (cases.length === 0 || test.expectations.length > 0)) {
    checkValue(ctx, test.input, ctx.input, 'input', true);
  }
  for (const c of cases) {
    // each case is the test's input with the case's fields merged in
    if (!expectsInvalid) checkValue(ctx, test.input === null ? c.input : mergeMaps(test.input, c.input), ctx.input, 'input');
    if (!ctx.outcomes.includes(c.outcome.name)) ctx.report(messages.unknownOutcome(c.outcome.name, c.outcome.span, ctx.outcomes, closest(c.outcome.name, ctx.outcomes)));
    for (const rule of c.rules ?? []) if (!rules.has(rule.name)) ctx.report(messages.testUnknownRule(rule.name, rule.span, closest(rule.name, rules.keys())));
  }
  if (test.params !== null) checkParams(ctx, test.params, params);

  for (const e of test.expectations) {
    switch (e.kind) {
      case 'ExpectDecision':
        if (!ctx.outcomes.includes(e.outcome.name)) ctx.report(messages.unknownOutcome(e.outcome.name, e.outcome.span, ctx.outcomes, closest(e.outcome.name, ctx.outcomes)));
        for (const rule of e.rules ?? []) if (!rules.has(rule.name)) ctx.report(messages.testUnknownRule(rule.name, rule.span, closest(rule.name, rules.keys())));
        break;
      case 'ExpectOutputs': {
        const outputs = [...ctx.symbols.values()].filter((s) => s.kind === 'output');
        // an output whose name clashed (VD3001) exists all the same: naming it in a test is no second mistake
        const declared = new Set(ctx.ast.decls.flatMap((d) => (d.kind === 'Output' ? [d.name.name] : [])));
        for (const entry of e.value.entries) {
          const name = entry.key.kind === 'String' ? entry.key.value : null;
          if (name === null) continue;
          const output = outputs.find((o) => o.name === name);
          if (output === undefined && declared.has(name)) continue;
          if (output === undefined) ctx.report(messages.testUnknownName('output', name, entry.key.span, closest(name, outputs.map((o) => o.name))));
          else checkValue(ctx, entry.value, output.type, `output \`${name}\``);
        }
        break;
      }
      case 'ExpectSuggestion': {
        const rule = rules.get(e.rule.name);
        if (rule === undefined) {
          ctx.report(messages.testUnknownRule(e.rule.name, e.rule.span, closest(e.rule.name, rules.keys())));
          break;
        }
        const fields = rule.suggestions.map((s) => s.name.name);
        for (const entry of e.value.entries) {
          const name = entry.key.kind === 'String' ? entry.key.value : null;
          if (name !== null && !fields.includes(name)) ctx.report(messages.testUnknownName(`suggestion field of \`${rule.name.name}\``, name, entry.key.span, closest(name, fields)));
        }
        break;
      }
      case 'ExpectScore': {
        const type = ctx.expressions.value(e.value, ctx.globals);
        if (!assignable(type, T.number)) ctx.report(messages.typeMismatch('an expected score', 'a number', type, e.value.span));
        break;
      }
      case 'ExpectInvalid':
        break;
      case 'ExpectMessage':
        if (!rules.has(e.rule.name)) ctx.report(messages.testUnknownRule(e.rule.name, e.rule.span, closest(e.rule.name, rules.keys())));
        break;
      case 'ExpectError':
        if (!rules.has(e.rule.name)) ctx.report(messages.testUnknownRule(e.rule.name, e.rule.span, closest(e.rule.name, rules.keys())));
        if (!EVALUATION_ERROR_CODES.includes(e.code.name)) ctx.report(messages.unknownErrorCode(e.code.name, e.code.span, closest(e.code.name, EVALUATION_ERROR_CODES), EVALUATION_ERROR_CODES));
        break;
    }
  }
}

/** `base` with `over`'s fields put in, records merged field by field (what a `cases` row tests). */
export function mergeMaps(base: MapExpr, over: MapExpr): MapExpr {
  const key = (e: MapExpr['entries'][number]) => (e.key.kind === 'String' ? e.key.value : null);
  const entries = base.entries.map((entry) => {
    const replacement = over.entries.find((o) => key(o) !== null && key(o) === key(entry));
    if (replacement === undefined) return entry;
    return entry.value.kind === 'Map' && replacement.value.kind === 'Map' ? { ...replacement, value: mergeMaps(entry.value, replacement.value) } : replacement;
  });
  const added = over.entries.filter((o) => !base.entries.some((b) => key(b) !== null && key(b) === key(o)));
  return { ...over, entries: [...entries, ...added] };
}

function checkParams(ctx: CheckContext, overrides: MapExpr, params: Map<string, ParamDecl>): void {
  for (const entry of overrides.entries) {
    const name = entry.key.kind === 'String' ? entry.key.value : null;
    if (name === null) continue;
    const param = params.get(name);
    if (param === undefined) {
      ctx.report(messages.testUnknownName('param', name, entry.key.span, closest(name, params.keys())));
      continue;
    }
    const type = fromTypeExpr(param.type);
    if (!checkValue(ctx, entry.value, type, `param \`${name}\``, true)) continue;
    const value = evaluateConstant(entry.value);
    if (param.where !== null && value !== undefined && evaluateConstant(param.where, new Map([['value', value]])) === false) {
      ctx.report(messages.paramValue(name, `${showConstant(value)} does not satisfy its \`where\``, entry.value.span));
    }
  }
}

/** Checks a literal value against a type, field by field; returns false when it reported. */
/** `timeStrings`: a string stands for a timestamp or duration where the type says so (input and params come as JSON). */
function checkValue(ctx: CheckContext, expr: Expr, type: Type, path: string, timeStrings = false): boolean {
  const report = (message: string, span: Span, hint?: string) => {
    ctx.report(messages.testInput(message, span, hint));
    return false;
  };
  if (type.kind === 'nullable') return expr.kind === 'Null' || checkValue(ctx, expr, type.inner, path, timeStrings);
  // a decimal is written as its digits, a number or a string, in inputs, params and expected outputs alike
  if (type.kind === 'decimal' && isDecimalLiteral(expr, ctx.report)) return true;
  if (timeStrings && (type.kind === 'timestamp' || type.kind === 'duration') && expr.kind === 'String') {
    if (type.kind === 'timestamp' ? isTimestampText(expr.value) : isDurationText(expr.value)) return true;
    ctx.report(invalidTime(type.kind, expr.value, expr.span));
    return false;
  }
  if (type.kind === 'record') {
    if (expr.kind !== 'Map') return report(`\`${path}\` must be an object with fields ${[...type.fields.keys()].join(', ')}`, expr.span);
    let ok = true;
    const given = new Set<string>();
    for (const entry of expr.entries) {
      if (entry.key.kind !== 'String') continue;
      const name = entry.key.value;
      given.add(name);
      const field = type.fields.get(name);
      if (field === undefined) {
        // An open record takes fields it does not declare (the rules cannot read them).
        if (type.open) continue;
        const guess = closest(name, type.fields.keys());
        ok = report(`\`${path}\` has no field \`${name}\``, entry.key.span, guess === null ? `its fields are: ${[...type.fields.keys()].join(', ')}` : `did you mean \`${guess}\`?`);
        continue;
      }
      ok = checkValue(ctx, entry.value, field.optional ? T.nullable(field.type) : field.type, `${path}.${name}`, timeStrings) && ok;
    }
    const missing = [...type.fields].filter(([name, f]) => !f.optional && !given.has(name)).map(([name]) => name);
    if (missing.length > 0) ok = report(`\`${path}\` is missing ${missing.map((m) => `\`${m}\``).join(', ')}`, expr.span);
    return ok;
  }
  if (type.kind === 'list' && expr.kind === 'List') return expr.items.every((item, i) => checkValue(ctx, item, type.element, `${path}[${i}]`, timeStrings));
  if (type.kind === 'map' && expr.kind === 'Map') return expr.entries.every((e) => e.key.kind !== 'String' || checkValue(ctx, e.value, type.value, `${path}.${e.key.value}`, timeStrings));
  if (type.kind === 'literal' && (expr.kind === 'String' || expr.kind === 'Number' || expr.kind === 'Bool')) {
    if (type.values.includes(expr.value)) return true;
    return report(`${JSON.stringify(expr.value)} is not a possible value of \`${path}\``, expr.span, `its values are: ${type.values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  const actual = ctx.expressions.value(expr, ctx.globals);
  if (!assignable(actual, type)) return report(`\`${path}\` must be ${show(type)}; this is ${show(actual)}`, expr.span);
  return true;
}
