import type { Expr, Span } from '../ast.ts';
import type { Type } from './types.ts';
import { extendPath } from '../names.ts';

export type SymbolKind = 'input' | 'const' | 'param' | 'let' | 'rule-let' | 'table' | 'output' | 'variable';

/** A declared name: what go-to-definition, hover and "unused" warnings work from. */
export interface SymbolInfo {
  name: string;
  kind: SymbolKind;
  type: Type;
  /** The span of the declaring name. */
  span: Span;
  doc: string | null;
  used: boolean;
}

/**
 * A lexical scope: rule lets, macro variables and `value` in `where`
 * clauses sit in child scopes over the ruleset's globals. `present` holds the
 * paths (`service.sla`) known to be present here thanks to a guard such as
 * `has(service.sla) && ...`.
 */
export class Scope {
  private readonly names = new Map<string, SymbolInfo>();

  constructor(
    readonly parent: Scope | null,
    readonly present: ReadonlySet<string> = parent?.present ?? new Set(),
  ) {}

  define(symbol: SymbolInfo): void {
    this.names.set(symbol.name, symbol);
  }

  lookup(name: string): SymbolInfo | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  /** Every visible name (for "did you mean"). */
  visible(): string[] {
    return [...this.names.keys(), ...(this.parent?.visible() ?? [])];
  }

  withFacts(paths: Iterable<string>): Scope {
    const present = new Set(this.present);
    for (const p of paths) present.add(p);
    return new Scope(this, present);
  }
}

/** `service.sla.availability` for a chain of member reads on a name (see `joinPath`); null otherwise. */
export function pathOf(expr: Expr): string | null {
  if (expr.kind === 'Ident') return expr.name;
  if (expr.kind === 'Member') {
    const object = pathOf(expr.object);
    return object === null ? null : extendPath(object, expr.property);
  }
  return null;
}
