import { DEFAULT_WEIGHTS } from '@verdict/engine';
import type { Decl, Expr, RuleDecl, Ruleset, TableDecl, TestDecl } from '@verdict/language';
import type { DeclarationChange, DecisionModelChange, InputChange, RuleChange, RulePartChange, RuleSummary, RulesetDiff, TableRowChanges } from './model.ts';
import { diffInputSchemas } from './schema-diff.ts';
import { sameMeaning, semanticKey, textOf } from './semantic-key.ts';

/** A version of a ruleset as the diff reads it: the AST and the text its spans point into. */
export interface RulesetVersion {
  source: string;
  ast: Ruleset;
}

const DEFAULT_POLICY = 'fire';

/**
 * Compares two versions of one ruleset by meaning, not text: rules,
 * declarations, tables, input schema, decision precedence, weights, error
 * policy and tests. Pass null for a side that does not exist (added/removed).
 */
export function diffRuleset(before: RulesetVersion | null, after: RulesetVersion | null): RulesetDiff {
  const name = after?.ast.name.name || before?.ast.name.name || '';
  const diff: RulesetDiff = {
    name,
    status: before === null ? 'added' : after === null ? 'removed' : 'unchanged',
    semanticChange: false,
    textChanged: before?.source !== after?.source,
    rules: { added: [], removed: [], changed: [] },
    input: [],
    declarations: [],
    tables: [],
    decision: null,
    weights: null,
    errorPolicy: null,
    tests: { added: [], removed: [], changed: [] },
  };
  const oldDecls = before?.ast.decls ?? [];
  const newDecls = after?.ast.decls ?? [];
  const oldSource = before?.source ?? '';
  const newSource = after?.source ?? '';

  diffRules(diff, byName(oldDecls, 'Rule'), byName(newDecls, 'Rule'), oldSource, newSource);
  diff.input = diffInputSchemas(
    oldDecls.flatMap((d) => (d.kind === 'Input' ? d.fields : [])),
    newDecls.flatMap((d) => (d.kind === 'Input' ? d.fields : [])),
    oldSource,
    newSource,
  );
  // A new or deleted ruleset has no old inputs to break.
  if (before === null || after === null) diff.input = diff.input.map((c) => ({ ...c, breaking: false }));
  else diff.input = detectRenames(diff.input, before.ast, after.ast);
  for (const kind of ['Const', 'Param', 'Let', 'Output', 'Table'] as const) {
    diffDeclarations(diff, kind, byName(oldDecls, kind), byName(newDecls, kind), oldSource, newSource);
  }
  // Say which rules a changed declaration reaches: the reviewer's question after "99.9 became 99.5".
  if (after !== null) {
    const users = rulesUsing(after.ast);
    for (const d of diff.declarations) {
      if (d.change !== 'changed') continue;
      const { rules, outputs } = users(d.name);
      if (d.kind !== 'output') d.usedBy = rules;
      const others = outputs.filter((o) => d.kind !== 'output' || o !== d.name);
      if (others.length > 0) d.outputsUsing = others;
    }
  }

  if (before !== null && after !== null) diff.decision = diffDecisionModel(oldDecls, newDecls);
  const oldWeights = weightsOf(oldDecls);
  const newWeights = weightsOf(newDecls);
  if (before !== null && after !== null && JSON.stringify(oldWeights) !== JSON.stringify(newWeights)) {
    diff.weights = { from: oldWeights, to: newWeights };
  }
  const oldPolicy = policyOf(oldDecls);
  const newPolicy = policyOf(newDecls);
  if (before !== null && after !== null && oldPolicy !== newPolicy) diff.errorPolicy = { from: oldPolicy, to: newPolicy };

  const oldTests = testsByName(oldDecls);
  const newTests = testsByName(newDecls);
  // A test whose input only follows a renamed field is the same test.
  const renames = diff.input.filter((c) => c.change === 'renamed').map((c): [string, string] => [c.from ?? '', c.to ?? '']);
  for (const [testName, test] of newTests) {
    const previous = oldTests.get(testName);
    if (previous === undefined) diff.tests.added.push(testName);
    else if (!sameMeaning(renameTestInput(previous, renames), test)) diff.tests.changed.push(testName);
  }
  for (const testName of oldTests.keys()) if (!newTests.has(testName)) diff.tests.removed.push(testName);

  diff.semanticChange =
    diff.status !== 'unchanged' ||
    diff.rules.added.length + diff.rules.removed.length + diff.rules.changed.length > 0 ||
    diff.input.length > 0 ||
    diff.declarations.length > 0 ||
    diff.tables.length > 0 ||
    diff.decision !== null ||
    diff.weights !== null ||
    diff.errorPolicy !== null ||
    diff.tests.added.length + diff.tests.removed.length + diff.tests.changed.length > 0;
  if (diff.status === 'unchanged' && diff.semanticChange) diff.status = 'changed';
  return diff;
}

type NamedDecl = Exclude<Decl, { kind: 'Input' | 'Decision' | 'Weights' | 'ErrorPolicy' | 'Test' }>;

function byName<K extends NamedDecl['kind']>(decls: Decl[], kind: K): Map<string, Extract<Decl, { kind: K }>> {
  const map = new Map<string, Extract<Decl, { kind: K }>>();
  for (const d of decls) if (d.kind === kind) map.set((d as NamedDecl).name.name, d as Extract<Decl, { kind: K }>);
  return map;
}

function testsByName(decls: Decl[]): Map<string, TestDecl> {
  const map = new Map<string, TestDecl>();
  for (const d of decls) if (d.kind === 'Test') map.set(d.name.value, d);
  return map;
}

function outcomesOf(decls: Decl[]): string[] {
  const decision = decls.find((d) => d.kind === 'Decision');
  return decision?.kind === 'Decision' ? decision.outcomes.map((o) => o.name) : [];
}

/** The compliant outcomes as the engine reads them: those `compliant` lists, else the default alone. */
function compliantOf(decls: Decl[]): string[] {
  const decision = decls.find((d) => d.kind === 'Decision');
  if (decision?.kind !== 'Decision') return [];
  const fallback = decision.outcomes.at(-1);
  return decision.compliant?.map((o) => o.name) ?? (fallback === undefined ? [] : [fallback.name]);
}

/**
 * The decision model of two versions: precedence (order matters: the first outcome produced wins, the last
 * is the default) and the compliant outcomes (a set: `compliant a, b` is `compliant b, a`, and naming the
 * default alone is what saying nothing means). Null when both read the same.
 */
function diffDecisionModel(oldDecls: Decl[], newDecls: Decl[]): DecisionModelChange | null {
  const from = outcomesOf(oldDecls);
  const to = outcomesOf(newDecls);
  const compliant = { from: compliantOf(oldDecls), to: compliantOf(newDecls) };
  const parts: DecisionModelChange['parts'] = [];
  if (from.join('>') !== to.join('>')) parts.push('precedence');
  if ([...compliant.from].sort().join(',') !== [...compliant.to].sort().join(',')) parts.push('compliant');
  if (parts.length === 0) return null;
  const change: DecisionModelChange = { from, to, compliant, parts };
  // A rule whose outcome turns compliant is a grant now: it leaves the score's sums and can lift the decision.
  const grantsOf = (decls: Decl[], outcomes: string[]) =>
    new Map(decls.flatMap((d) => (d.kind === 'Rule' && d.outcome !== null ? [[d.name.name, outcomes.includes(d.outcome.name)] as const] : [])));
  const oldGrants = grantsOf(oldDecls, compliant.from);
  const newGrants = grantsOf(newDecls, compliant.to);
  const added: string[] = [];
  const removed: string[] = [];
  for (const [rule, grant] of newGrants) {
    const was = oldGrants.get(rule);
    if (was === undefined || was === grant) continue;
    (grant ? added : removed).push(rule);
  }
  if (added.length + removed.length > 0) change.grants = { added, removed };
  return change;
}

function weightsOf(decls: Decl[]): Record<string, number> {
  // The engine's defaults, so an explicit `weights { critical: 5 }` is no change.
  const weights: Record<string, number> = { ...DEFAULT_WEIGHTS };
  for (const d of decls) if (d.kind === 'Weights') for (const e of d.entries) weights[e.severity.name] = e.value.value;
  return weights;
}

function policyOf(decls: Decl[]): string {
  const policy = decls.find((d) => d.kind === 'ErrorPolicy');
  return policy?.kind === 'ErrorPolicy' ? policy.policy.name : DEFAULT_POLICY;
}

function summarize(rule: RuleDecl, source: string): RuleSummary {
  return {
    id: rule.name.name,
    outcome: rule.outcome?.name ?? null,
    severity: rule.severity?.name ?? null,
    condition: textOf(source, rule.condition?.span),
    line: rule.span.line,
  };
}

function diffRules(diff: RulesetDiff, before: Map<string, RuleDecl>, after: Map<string, RuleDecl>, oldSource: string, newSource: string): void {
  for (const [id, rule] of after) {
    const previous = before.get(id);
    if (previous === undefined) {
      diff.rules.added.push(summarize(rule, newSource));
      continue;
    }
    const changes: RulePartChange[] = [];
    const compare = (part: RulePartChange['part'], a: unknown, b: unknown, from: string | null, to: string | null): void => {
      if (!sameMeaning(a, b)) changes.push({ part, from, to });
    };
    compare('outcome', previous.outcome?.name, rule.outcome?.name, previous.outcome?.name ?? null, rule.outcome?.name ?? null);
    compare('severity', previous.severity?.name, rule.severity?.name, previous.severity?.name ?? null, rule.severity?.name ?? null);
    compare('condition', previous.condition, rule.condition, textOf(oldSource, previous.condition?.span), textOf(newSource, rule.condition?.span));
    compare('message', previous.message, rule.message, textOf(oldSource, previous.message?.span), textOf(newSource, rule.message?.span));
    compare(
      'suggestion',
      previous.suggestions.map((s) => [s.name.name, s.value]),
      rule.suggestions.map((s) => [s.name.name, s.value]),
      joinTexts(previous.suggestions.map((s) => textOf(oldSource, s.span))),
      joinTexts(rule.suggestions.map((s) => textOf(newSource, s.span))),
    );
    compare(
      'lets',
      previous.lets.map((l) => [l.name.name, l.type, l.value]),
      rule.lets.map((l) => [l.name.name, l.type, l.value]),
      joinTexts(previous.lets.map((l) => textOf(oldSource, l.span))),
      joinTexts(rule.lets.map((l) => textOf(newSource, l.span))),
    );
    if (changes.length > 0) diff.rules.changed.push({ id, line: rule.span.line, changes } satisfies RuleChange);
  }
  for (const [id, rule] of before) if (!after.has(id)) diff.rules.removed.push(summarize(rule, oldSource));
}

function joinTexts(texts: Array<string | null>): string | null {
  const present = texts.filter((t): t is string => t !== null);
  return present.length > 0 ? present.join('; ') : null;
}

type ValueDecl = Extract<Decl, { kind: 'Const' | 'Param' | 'Let' | 'Output' | 'Table' }>;

function diffDeclarations(
  diff: RulesetDiff,
  kind: ValueDecl['kind'],
  before: Map<string, ValueDecl>,
  after: Map<string, ValueDecl>,
  oldSource: string,
  newSource: string,
): void {
  const label = kind.toLowerCase() as DeclarationChange['kind'];
  for (const [name, decl] of after) {
    const previous = before.get(name);
    if (previous === undefined) {
      diff.declarations.push({ kind: label, name, change: 'added', parts: [{ part: 'declaration', from: null, to: declarationText(decl, newSource) }] });
      continue;
    }
    if (sameMeaning(previous, decl)) continue;
    const parts: DeclarationChange['parts'] = [];
    for (const [part, a, b] of declarationParts(previous, decl)) {
      if (!sameMeaning(a?.node, b?.node)) parts.push({ part, from: textOf(oldSource, a?.span), to: textOf(newSource, b?.span) });
    }
    diff.declarations.push({ kind: label, name, change: 'changed', parts });
    if (previous.kind === 'Table' && decl.kind === 'Table') {
      const rows = diffTableRows(previous, decl, oldSource, newSource);
      if (rows.added.length + rows.removed.length + rows.changed.length > 0) diff.tables.push(rows);
    }
  }
  for (const [name, decl] of before) {
    if (!after.has(name)) {
      diff.declarations.push({ kind: label, name, change: 'removed', parts: [{ part: 'declaration', from: declarationText(decl, oldSource), to: null }] });
    }
  }
}

/** A declaration on one line; a table's rows are separated by `;` (its source puts them on separate lines). */
function declarationText(decl: ValueDecl, source: string): string | null {
  if (decl.kind !== 'Table') return textOf(source, decl.span);
  const head = textOf(source, spanBetween(decl.name.span, decl.returnType.span));
  return `table ${head} { ${decl.rows.map((r) => textOf(source, r.span)).join('; ')} }`;
}

interface Part {
  node: unknown;
  span: import('@verdict/language').Span | undefined;
}

function part(node: { span: import('@verdict/language').Span } | null | undefined): Part | undefined {
  return node === null || node === undefined ? undefined : { node, span: node.span };
}

/** The comparable parts of a declaration, as (name, old, new). */
function declarationParts(a: ValueDecl, b: ValueDecl): Array<[string, Part | undefined, Part | undefined]> {
  if (a.kind === 'Param' && b.kind === 'Param') {
    return [
      ['type', part(a.type), part(b.type)],
      ['default', part(a.default), part(b.default)],
      ['where', part(a.where), part(b.where)],
    ];
  }
  if (a.kind === 'Table' && b.kind === 'Table') {
    const signature = (t: TableDecl): Part => ({ node: [t.params.map((p) => [p.name.name, p.type]), t.returnType], span: undefined });
    const sigA = signature(a);
    const sigB = signature(b);
    return [
      ['signature', { ...sigA, span: spanBetween(a.name.span, a.returnType.span) }, { ...sigB, span: spanBetween(b.name.span, b.returnType.span) }],
      ['rows', { node: a.rows, span: undefined }, { node: b.rows, span: undefined }],
    ];
  }
  if ((a.kind === 'Const' || a.kind === 'Let' || a.kind === 'Output') && (b.kind === 'Const' || b.kind === 'Let' || b.kind === 'Output')) {
    return [
      ['type', part(a.type), part(b.type)],
      ['value', part(a.value), part(b.value)],
    ];
  }
  return [['declaration', part(a), part(b)]];
}

function spanBetween(a: import('@verdict/language').Span, b: import('@verdict/language').Span): import('@verdict/language').Span {
  return { start: a.start, end: b.end, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

/** Rows are matched by their patterns and guard; a matched row whose result differs is "changed". */
function diffTableRows(before: TableDecl, after: TableDecl, oldSource: string, newSource: string): TableRowChanges {
  const keyOf = (row: TableDecl['rows'][number]): string => semanticKey([row.isElse, row.patterns, row.guard]);
  const oldRows = new Map(before.rows.map((r) => [keyOf(r), r]));
  const newRows = new Map(after.rows.map((r) => [keyOf(r), r]));
  const result: TableRowChanges = { name: after.name.name, added: [], removed: [], changed: [] };
  for (const [key, row] of newRows) {
    const previous = oldRows.get(key);
    const text = textOf(newSource, row.span) ?? '';
    if (previous === undefined) result.added.push(text);
    else if (!sameMeaning(previous.result, row.result)) result.changed.push({ from: textOf(oldSource, previous.span) ?? '', to: text });
  }
  for (const [key, row] of oldRows) if (!newRows.has(key)) result.removed.push(textOf(oldSource, row.span) ?? '');
  return result;
}

/** For a declaration name, the rules and outputs (of this version) that read it, directly or through lets, tables and other declarations. */
function rulesUsing(ast: Ruleset): (name: string) => { rules: string[]; outputs: string[] } {
  const dependsOn = new Map<string, Set<string>>();
  for (const decl of ast.decls) {
    if (decl.kind === 'Const' || decl.kind === 'Param' || decl.kind === 'Let' || decl.kind === 'Output') dependsOn.set(decl.name.name, namesIn(decl.kind === 'Param' ? [decl.default, ...(decl.where ? [decl.where] : [])] : [decl.value]));
    if (decl.kind === 'Table') dependsOn.set(decl.name.name, namesIn(decl.rows.flatMap((r) => [r.result, ...(r.guard ? [r.guard] : []), ...r.patterns.flatMap((p) => ('value' in p ? [p.value] : []))])));
  }
  const reach = (names: Set<string>): Set<string> => {
    const seen = new Set<string>();
    const stack = [...names];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of dependsOn.get(n) ?? []) stack.push(m);
    }
    return seen;
  };
  const rules = ast.decls
    .filter((d): d is RuleDecl => d.kind === 'Rule')
    .map((r) => ({
      id: r.name.name,
      names: reach(namesIn([...(r.condition ? [r.condition] : []), ...r.lets.map((l) => l.value), ...(r.message ? [r.message] : []), ...r.suggestions.map((s) => s.value)])),
    }));
  const outputs = ast.decls.flatMap((d) => (d.kind === 'Output' ? [{ id: d.name.name, names: reach(namesIn([d.value])) }] : []));
  return (name) => ({ rules: rules.filter((r) => r.names.has(name)).map((r) => r.id), outputs: outputs.filter((o) => o.names.has(name)).map((o) => o.id) });
}

/**
 * A removed and an added input field under the same parent, declared alike (type, optionality,
 * constraint, sensitivity) and read by the same rules, lets and outputs, are one rename. Only a
 * one-to-one match counts, so two look-alike fields are never guessed at.
 */
function detectRenames(changes: InputChange[], before: Ruleset, after: Ruleset): InputChange[] {
  const removed = changes.filter((c) => c.change === 'removed');
  const added = changes.filter((c) => c.change === 'added');
  const parent = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('.')));
  const leaf = (path: string): string => path.slice(path.lastIndexOf('.') + 1);
  // `name?: type …` without the name: the declaration a rename keeps.
  const declared = (text: string | null): string => (text ?? '').replace(/^[^?:]*/, '');
  const uses = (ast: Ruleset, path: string): string => [...readersOf(ast, leaf(path), !path.includes('.'))].sort().join(',');
  const matches = (r: InputChange, a: InputChange): boolean =>
    parent(r.path) === parent(a.path) && declared(r.from) === declared(a.to) && uses(before, r.path) === uses(after, a.path);
  const renamed = new Map<InputChange, InputChange>();
  for (const r of removed) {
    const candidates = added.filter((a) => matches(r, a));
    if (candidates.length !== 1) continue;
    const a = candidates[0]!;
    if (removed.filter((other) => matches(other, a)).length !== 1) continue;
    renamed.set(r, a);
  }
  const renamedAdds = new Set(renamed.values());
  return changes.flatMap((c): InputChange[] => {
    if (renamedAdds.has(c)) return [];
    const to = renamed.get(c);
    // Callers that still send the old name are refused: a rename breaks them.
    return to === undefined ? [c] : [{ path: to.path, change: 'renamed', from: c.path, to: to.path, breaking: true }];
  });
}

/** The top-level declarations (rules, lets, outputs, consts, tables) whose expressions read a field named `field`. */
function readersOf(ast: Ruleset, field: string, topLevel: boolean): Set<string> {
  const out = new Set<string>();
  for (const decl of ast.decls) {
    if (decl.kind !== 'Rule' && decl.kind !== 'Let' && decl.kind !== 'Output' && decl.kind !== 'Const' && decl.kind !== 'Table') continue;
    let found = false;
    const visit = (node: unknown): void => {
      if (found || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const n of node) visit(n);
        return;
      }
      const record = node as { kind?: string; name?: unknown; property?: unknown };
      if ((record.kind === 'Member' && record.property === field) || (topLevel && record.kind === 'Ident' && record.name === field)) {
        found = true;
        return;
      }
      for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') visit(value);
    };
    // The declaration's own name is an Ident-free string; its body holds the expressions.
    visit(decl.kind === 'Rule' ? [decl.condition, decl.lets, decl.message, decl.suggestions] : decl);
    if (found) out.add(decl.name.name);
  }
  return out;
}

/** Identifiers and called names in expressions (over-approximate: a macro variable shadowing a name counts too). */
function namesIn(exprs: Expr[]): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const record = node as { kind?: string; name?: unknown; callee?: unknown };
    if (record.kind === 'Ident' && typeof record.name === 'string') out.add(record.name);
    if (record.kind === 'Call' && typeof record.callee === 'string') out.add(record.callee);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') visit(value);
  };
  visit(exprs);
  return out;
}

/** A test with the keys of its input moved from each renamed path to the new name (a copy). */
function renameTestInput(test: TestDecl, renames: Array<[string, string]>): TestDecl {
  if (renames.length === 0 || test.input === null) return test;
  const input = structuredClone(test.input);
  for (const [from, to] of renames) {
    const path = from.split('.');
    let map: Expr | undefined = input;
    for (const segment of path.slice(0, -1)) map = map?.kind === 'Map' ? map.entries.find((e) => keyName(e.key) === segment)?.value : undefined;
    if (map?.kind !== 'Map') continue;
    const entry = map.entries.find((e) => keyName(e.key) === path.at(-1));
    if (entry !== undefined && entry.key.kind === 'String') entry.key = { ...entry.key, value: to.split('.').at(-1)! };
  }
  return { ...test, input };
}

function keyName(key: Expr): string | null {
  return key.kind === 'String' ? key.value : null;
}
