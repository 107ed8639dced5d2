/**
 * Every named thing in a ruleset and where it is written: the index behind go
 * to definition, find references, rename, hover and semantic tokens.
 *
 * A name's identity is a key: `input:service.sla` for an input field (found
 * through any expression whose record type is that field's, so lets, macro
 * variables and a test's `input` map all lead to it), `rule:name`,
 * `outcome:name`, and `name@offset` for the other declared names (consts,
 * params, lets, tables, outputs, rule lets, macro and table variables: the
 * offset of the declaring name, as the checker records it).
 */
import type { Analysis, Decl, Expr, FieldDecl, MapExpr, Span, SymbolInfo, Type, TypeExpr } from '@verdict/language';

export type OccurrenceKind = 'input' | 'const' | 'param' | 'let' | 'rule-let' | 'table' | 'output' | 'variable' | 'rule' | 'outcome';

export interface Occurrence {
  key: string;
  kind: OccurrenceKind;
  name: string;
  span: Span;
  /** The declaring occurrence (one per key, except a name declared twice). */
  definition: boolean;
}

export interface OccurrenceIndex {
  all: Occurrence[];
  /** The occurrence whose span contains `offset` (end inclusive: a cursor right after a name finds it). */
  at(offset: number): Occurrence | null;
  byKey(key: string): Occurrence[];
  /** Input fields by path (`service.sla`): their declarations, for hover. */
  fields: Map<string, FieldDecl>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function stripNullable(t: Type): Type {
  return t.kind === 'nullable' ? t.inner : t;
}

const cache = new WeakMap<Analysis, OccurrenceIndex>();

export function symbolKey(symbol: SymbolInfo): string {
  return symbol.kind === 'input' ? `input:${symbol.name}` : `${symbol.name}@${symbol.span.start}`;
}

export function occurrences(analysis: Analysis): OccurrenceIndex {
  const known = cache.get(analysis);
  if (known !== undefined) return known;
  const index = build(analysis);
  cache.set(analysis, index);
  return index;
}

function build(analysis: Analysis): OccurrenceIndex {
  const all: Occurrence[] = [];
  const add = (key: string, kind: OccurrenceKind, name: string, span: Span, definition: boolean) => {
    if (span.end > span.start) all.push({ key, kind, name, span, definition });
  };
  const { check, ast } = analysis;

  // Input records by identity -> their path, so `x.f` on any expression typed by an input record resolves.
  const recordPaths = new Map<Type, string>();
  const walkType = (type: Type, path: string) => {
    const t = stripNullable(type);
    if (t.kind === 'record') {
      if (path !== '') recordPaths.set(t, path);
      for (const [name, field] of t.fields) walkType(field.type, path === '' ? name : `${path}.${name}`);
    } else if (t.kind === 'list') walkType(t.element, path);
    else if (t.kind === 'map') walkType(t.value, path);
  };
  walkType(check.input, '');

  const fields = new Map<string, FieldDecl>();
  const declareFields = (list: FieldDecl[], prefix: string) => {
    for (const field of list) {
      const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
      fields.set(path, field);
      add(`input:${path}`, 'input', field.name, field.nameSpan, true);
      const nested = recordOf(field.type);
      if (nested !== null) declareFields(nested, path);
    }
  };

  const visitExpr = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visitExpr(item);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node['id'] === 'number' && typeof node['kind'] === 'string') exprOccurrence(node as unknown as Expr);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && isObject(value)) visitExpr(value);
  };
  const exprOccurrence = (expr: Expr) => {
    if (expr.kind === 'Ident' || expr.kind === 'Call') {
      const symbol = check.references.get(expr.id);
      if (symbol !== undefined) add(symbolKey(symbol), symbol.kind, symbol.name, expr.kind === 'Call' ? expr.calleeSpan : expr.span, false);
    } else if (expr.kind === 'Member') {
      // `input.f`: the top-level field itself
      const field = check.references.get(expr.id);
      if (field?.kind === 'input') return add(symbolKey(field), 'input', expr.property, expr.propertySpan, false);
      const objectType = check.types.get(expr.object.id);
      const path = objectType === undefined ? undefined : recordPaths.get(stripNullable(objectType));
      if (path !== undefined) add(`input:${path}.${expr.property}`, 'input', expr.property, expr.propertySpan, false);
    } else if (expr.kind === 'Macro') {
      const symbolAt = `${expr.variable}@${expr.variableSpan.start}`;
      add(symbolAt, 'variable', expr.variable, expr.variableSpan, true);
    }
  };

  // A test's `input { ... }` map: its keys are input fields, nested maps (and maps in lists) their sub-fields.
  const visitInputMap = (map: MapExpr, prefix: string) => {
    for (const entry of map.entries) {
      if (entry.key.kind !== 'String') continue;
      const path = prefix === '' ? entry.key.value : `${prefix}.${entry.key.value}`;
      if (fields.has(path)) add(`input:${path}`, 'input', entry.key.value, entry.key.span, false);
      visitInputValue(entry.value, path);
    }
  };
  const visitInputValue = (value: Expr, path: string) => {
    if (value.kind === 'Map') visitInputMap(value, path);
    else if (value.kind === 'List') for (const item of value.items) visitInputValue(item, path);
  };
  const visitNamedMap = (map: MapExpr, kind: 'param' | 'output') => {
    for (const entry of map.entries) {
      if (entry.key.kind !== 'String') continue;
      const symbol = check.symbols.get(entry.key.value);
      if (symbol?.kind === kind) add(symbolKey(symbol), kind, symbol.name, entry.key.span, false);
    }
  };

  const declare = (decl: Decl) => {
    switch (decl.kind) {
      case 'Input':
        declareFields(decl.fields, '');
        break;
      case 'Decision':
        for (const outcome of decl.outcomes) add(`outcome:${outcome.name}`, 'outcome', outcome.name, outcome.span, true);
        for (const outcome of decl.compliant ?? []) add(`outcome:${outcome.name}`, 'outcome', outcome.name, outcome.span, false);
        break;
      case 'Const':
      case 'Param':
      case 'Let':
      case 'Output':
      case 'Table':
        add(`${decl.name.name}@${decl.name.span.start}`, decl.kind.toLowerCase() as OccurrenceKind, decl.name.name, decl.name.span, true);
        if (decl.kind === 'Table') for (const p of decl.params) add(`${p.name.name}@${p.name.span.start}`, 'variable', p.name.name, p.name.span, true);
        break;
      case 'Rule':
        add(`rule:${decl.name.name}`, 'rule', decl.name.name, decl.name.span, true);
        if (decl.outcome !== null) add(`outcome:${decl.outcome.name}`, 'outcome', decl.outcome.name, decl.outcome.span, false);
        for (const local of decl.lets) add(`${local.name.name}@${local.name.span.start}`, 'rule-let', local.name.name, local.name.span, true);
        break;
      case 'Test':
        for (const expectation of decl.expectations) {
          if (expectation.kind === 'ExpectDecision') {
            add(`outcome:${expectation.outcome.name}`, 'outcome', expectation.outcome.name, expectation.outcome.span, false);
            for (const rule of expectation.rules ?? []) add(`rule:${rule.name}`, 'rule', rule.name, rule.span, false);
          } else if (expectation.kind === 'ExpectSuggestion' || expectation.kind === 'ExpectMessage' || expectation.kind === 'ExpectError') {
            add(`rule:${expectation.rule.name}`, 'rule', expectation.rule.name, expectation.rule.span, false);
          } else if (expectation.kind === 'ExpectOutputs') visitNamedMap(expectation.value, 'output');
        }
        for (const row of (decl.cases ?? []).flatMap((block) => block.rows)) {
          add(`outcome:${row.outcome.name}`, 'outcome', row.outcome.name, row.outcome.span, false);
          for (const rule of row.rules ?? []) add(`rule:${rule.name}`, 'rule', rule.name, rule.span, false);
        }
        break;
      default:
        break;
    }
  };
  // Fields first: a test's input map is matched against them.
  for (const decl of ast.decls) if (decl.kind === 'Input') declare(decl);
  for (const decl of ast.decls) {
    if (decl.kind !== 'Input') declare(decl);
    if (decl.kind === 'Test') {
      if (decl.input !== null) visitInputMap(decl.input, '');
      // A row of `cases` is a part of the input, merged into the test's.
      for (const row of (decl.cases ?? []).flatMap((block) => block.rows)) visitInputMap(row.input, '');
      if (decl.params !== null) visitNamedMap(decl.params, 'param');
      for (const expectation of decl.expectations) if (expectation.kind === 'ExpectScore') visitExpr(expectation.value);
    } else if (decl.kind !== 'Input') visitExpr(decl);
  }

  all.sort((a, b) => a.span.start - b.span.start);
  const byKey = new Map<string, Occurrence[]>();
  for (const o of all) {
    const list = byKey.get(o.key);
    if (list === undefined) byKey.set(o.key, [o]);
    else list.push(o);
  }
  return {
    all,
    fields,
    byKey: (key) => byKey.get(key) ?? [],
    at(offset) {
      // Binary search the first occurrence ending at or after offset; spans do not overlap.
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (all[mid]!.span.end < offset) low = mid + 1;
        else high = mid;
      }
      const found = all[low];
      return found !== undefined && found.span.start <= offset && offset <= found.span.end ? found : null;
    },
  };
}

function recordOf(type: TypeExpr): FieldDecl[] | null {
  if (type.kind === 'RecordType') return type.fields;
  if (type.kind === 'ListType') return recordOf(type.element);
  if (type.kind === 'MapType') return recordOf(type.value);
  return null;
}
