/** Rules: unique ids, a severity, a declared outcome, a boolean condition, a message, suggestions. */
import { SEVERITIES, type RuleDecl, type Span } from '../ast.ts';
import { closest } from './did-you-mean.ts';
import type { CheckContext } from './context.ts';
import { facts } from './expressions.ts';
import { messages } from './messages.ts';
import { Scope, type SymbolInfo } from './scope.ts';
import { assignable, fromTypeExpr, show, T } from './types.ts';

export function checkRules(ctx: CheckContext): void {
  const seen = new Map<string, Span>();
  for (const decl of ctx.ast.decls) {
    if (decl.kind !== 'Rule') continue;
    const first = seen.get(decl.name.name);
    if (first !== undefined) ctx.report(messages.duplicateName(decl.name.name, decl.name.span, first));
    else seen.set(decl.name.name, decl.name.span);
    checkRule(ctx, decl);
  }
}

function checkRule(ctx: CheckContext, rule: RuleDecl): void {
  const id = rule.name.name;
  if (rule.severity === null) ctx.report(messages.missingSeverity(id, rule.name.span));
  else if (!(SEVERITIES as readonly string[]).includes(rule.severity.name)) {
    ctx.report(messages.unknownSeverity(rule.severity.name, rule.severity.span, closest(rule.severity.name, SEVERITIES)));
  }

  const scope = new Scope(ctx.globals);
  const lets: SymbolInfo[] = [];
  for (const decl of rule.lets) {
    const inferred = ctx.expressions.infer(decl.value, scope);
    let type = inferred;
    if (decl.type !== null) {
      type = fromTypeExpr(decl.type);
      if (!assignable(inferred, type)) ctx.report(messages.typeMismatch(`the value of \`${decl.name.name}\``, `of type ${show(type)}`, inferred, decl.value.span));
    }
    const clash = scope.lookup(decl.name.name);
    if (clash !== undefined) ctx.report(messages.duplicateName(decl.name.name, decl.name.span, clash.span));
    const symbol: SymbolInfo = { name: decl.name.name, kind: 'rule-let', type, span: decl.name.span, doc: decl.doc, used: false };
    scope.define(symbol);
    lets.push(symbol);
  }

  if (rule.outcome === null || rule.condition === null) ctx.report(messages.missingWhen(id, rule.name.span));
  if (rule.outcome !== null && ctx.outcomes.length > 0) {
    const outcome = rule.outcome.name;
    if (!ctx.outcomes.includes(outcome)) ctx.report(messages.unknownOutcome(outcome, rule.outcome.span, ctx.outcomes, closest(outcome, ctx.outcomes)));
    else if (outcome === ctx.outcomes[ctx.outcomes.length - 1]) ctx.report(messages.defaultOutcomeRule(id, outcome, rule.outcome.span));
  }
  if (rule.condition !== null) ctx.expressions.condition(rule.condition, scope, `the condition of rule \`${id}\``);

  // The message and suggestions are evaluated only when the condition holds, so its guards apply there.
  const fired = rule.condition === null ? scope : scope.withFacts(facts(rule.condition, true));
  if (rule.message === null) ctx.report(messages.missingMessage(id, rule.name.span));
  else {
    const type = ctx.expressions.infer(rule.message, fired);
    if (!assignable(type, T.string)) ctx.report(messages.typeMismatch('a `because` message', 'a string', type, rule.message.span));
  }

  const fields = new Set<string>();
  for (const suggestion of rule.suggestions) {
    if (fields.has(suggestion.name.name)) ctx.report(messages.duplicateSuggestion(suggestion.name.name, suggestion.name.span));
    fields.add(suggestion.name.name);
    ctx.expressions.value(suggestion.value, fired);
  }
  for (const symbol of lets) if (!symbol.used) ctx.report(messages.unused('let', symbol.name, symbol.span));
}
