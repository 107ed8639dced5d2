/** `type` aliases: names declared once, not built-in, and no alias that refers to itself. */
import type { Decl, TypeAliasDecl, TypeExpr } from '../ast.ts';
import { aliasesOf, cyclicAliases } from '../aliases.ts';
import { BUILT_IN_TYPE_NAMES } from '../contextual-keywords.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { messages } from './messages.ts';

const BUILT_IN_TYPES = new Set(BUILT_IN_TYPE_NAMES);

export function checkAliases(decls: readonly Decl[], report: (d: Diagnostic) => void): void {
  const aliases = aliasesOf(decls);
  for (const d of decls) {
    if (d.kind !== 'TypeAlias') continue;
    const first = aliases.get(d.name.name);
    if (first !== undefined && first !== d) report(messages.duplicateName(d.name.name, d.name.span, first.name.span));
    if (BUILT_IN_TYPES.has(d.name.name)) report(messages.aliasShadowsBuiltin(d.name.name, d.name.span));
  }
  for (const name of cyclicAliases(aliases)) {
    const decl = aliases.get(name)!;
    report(messages.aliasCycle(cycleThrough(decl, aliases), decl.name.span));
  }
}

/** `A -> B -> A`: the names on one path from an alias back to itself. */
function cycleThrough(start: TypeAliasDecl, aliases: ReadonlyMap<string, TypeAliasDecl>): string[] {
  const path: string[] = [start.name.name];
  const search = (decl: TypeAliasDecl, seen: Set<string>): boolean => {
    for (const next of refsIn(decl.type)) {
      if (next === start.name.name) {
        path.push(next);
        return true;
      }
      const alias = aliases.get(next);
      if (alias === undefined || seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      if (search(alias, seen)) return true;
      path.pop();
    }
    return false;
  };
  search(start, new Set());
  return path;
}

function refsIn(t: TypeExpr): string[] {
  switch (t.kind) {
    case 'TypeRef':
      return [t.name];
    case 'ListType':
      return refsIn(t.element);
    case 'MapType':
      return refsIn(t.value);
    case 'RecordType':
      return t.fields.flatMap((f) => refsIn(f.type));
    default:
      return [];
  }
}
