/**
 * What the checking stages share. In its own module so that the stages (`rules.ts`, `tables.ts`,
 * `tests.ts`, `values.ts`) depend on it, not on `index.ts`, which calls them.
 */
import type { Ruleset } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { ExpressionChecker, TableSignature } from './expressions.ts';
import type { Scope, SymbolInfo } from './scope.ts';
import type { Type } from './types.ts';

export interface CheckContext {
  ast: Ruleset;
  report(d: Diagnostic): void;
  expressions: ExpressionChecker;
  globals: Scope;
  symbols: Map<string, SymbolInfo>;
  tables: Map<string, TableSignature>;
  outcomes: string[];
  input: Type;
  /** The types of the expressions checked so far, by id. */
  types: ReadonlyMap<number, Type>;
}
