/**
 * `type Name = T` aliases: after a file is parsed, every TypeRef gets its alias's type as `target`
 * (an alias may be used before it is declared). A name that is no alias is VD1008; an alias that
 * refers to itself, directly or through others, gets no target (the checker reports VD3050), so
 * every resolved type is finite.
 */
import * as A from './ast.ts';
import { diagnostic, type Diagnostic } from './diagnostics.ts';

const TYPE_HINT = 'types are string, number, boolean, timestamp, duration, any, list<T>, map<T>, "a" | "b" unions, { field: T } records and `type` aliases';

/** Every type annotation written in a declaration (nested types are reached by `eachTypeRef`). */
function declTypes(decl: A.Decl): A.TypeExpr[] {
  switch (decl.kind) {
    case 'Input':
      return decl.fields.map((f) => f.type);
    case 'TypeAlias':
      return [decl.type];
    case 'Param':
      return [decl.type];
    case 'Const':
    case 'Let':
    case 'Output':
      return decl.type ? [decl.type] : [];
    case 'Table':
      return [...decl.params.map((p) => p.type), decl.returnType];
    case 'Rule':
      return decl.lets.flatMap((l) => (l.type ? [l.type] : []));
    default:
      return [];
  }
}

function eachTypeRef(t: A.TypeExpr, visit: (ref: A.TypeRef) => void): void {
  switch (t.kind) {
    case 'TypeRef':
      visit(t);
      return;
    case 'ListType':
      eachTypeRef(t.element, visit);
      return;
    case 'MapType':
      eachTypeRef(t.value, visit);
      return;
    case 'RecordType':
      for (const f of t.fields) eachTypeRef(f.type, visit);
      return;
    default:
      return;
  }
}

/** The first declaration of each alias name (a second one is VD3001, reported by the checker). */
export function aliasesOf(decls: readonly A.Decl[]): Map<string, A.TypeAliasDecl> {
  const aliases = new Map<string, A.TypeAliasDecl>();
  for (const d of decls) if (d.kind === 'TypeAlias' && !aliases.has(d.name.name)) aliases.set(d.name.name, d);
  return aliases;
}

/** Names of the aliases that reach themselves through the aliases their types name. */
export function cyclicAliases(aliases: ReadonlyMap<string, A.TypeAliasDecl>): Set<string> {
  const uses = new Map<string, string[]>();
  for (const [name, decl] of aliases) {
    const names: string[] = [];
    eachTypeRef(decl.type, (ref) => {
      if (aliases.has(ref.name)) names.push(ref.name);
    });
    uses.set(name, names);
  }
  const cyclic = new Set<string>();
  for (const start of aliases.keys()) {
    // depth-first from `start`, looking for `start` again
    const seen = new Set<string>();
    const stack = [...(uses.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === start) {
        cyclic.add(start);
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(uses.get(next) ?? []));
    }
  }
  return cyclic;
}

/** Fills in every TypeRef's `target`; pushes VD1008 for names that are no alias. */
export function resolveAliases(decls: readonly A.Decl[], diagnostics: Diagnostic[]): void {
  const aliases = aliasesOf(decls);
  const cyclic = cyclicAliases(aliases);
  for (const decl of decls) {
    for (const type of declTypes(decl)) {
      eachTypeRef(type, (ref) => {
        const alias = aliases.get(ref.name);
        if (alias === undefined) {
          diagnostics.push(diagnostic('VD1008', 'error', `unknown type \`${ref.name}\``, ref.span, { hint: TYPE_HINT }));
          return;
        }
        // Through a cycle the type would never end: leave it unresolved (an error type).
        if (!cyclic.has(ref.name)) A.setTypeRefTarget(ref, alias.type);
      });
    }
  }
}
