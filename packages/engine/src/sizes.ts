/**
 * Size limits on what a ruleset may hold, checked when it compiles (a server checks them at publish):
 * the largest `const` value, the longest table, the whole program. Each is counted in expression
 * nodes (a literal, a name, an operator, a call: one each) or rows, which is what compiling and
 * loading a ruleset costs time and memory in proportion to.
 */
import { diagnostic, type Decl, type Diagnostic, type Expr, type Ruleset } from '@verdict/language';
import { children } from './paths.ts';

export interface SizeLimits {
  /** Expression nodes in one `const`'s value (a list of n numbers is n + 1). */
  maxConstSize: number;
  /** Rows of one table. */
  maxTableRows: number;
  /** Expression nodes in the whole ruleset. */
  maxProgramSize: number;
}

export const DEFAULT_SIZE_LIMITS: SizeLimits = { maxConstSize: 100_000, maxTableRows: 10_000, maxProgramSize: 1_000_000 };

/** Expression nodes under `e` (itself included), counted without recursion. */
export function exprSize(e: Expr): number {
  let n = 0;
  const pending: Expr[] = [e];
  while (pending.length > 0) {
    const x = pending.pop()!;
    n++;
    pending.push(...children(x));
  }
  return n;
}

function declExprs(d: Decl): Expr[] {
  switch (d.kind) {
    case 'Const':
    case 'Let':
    case 'Output':
      return [d.value];
    case 'Param':
      return d.where ? [d.default, d.where] : [d.default];
    case 'Table':
      return d.rows.flatMap((row) => [...row.patterns.flatMap((p) => (p.kind === 'Wildcard' ? [] : [p.value])), ...(row.guard ? [row.guard] : []), row.result]);
    case 'Rule':
      return [...d.lets.map((l) => l.value), ...(d.condition ? [d.condition] : []), ...(d.message ? [d.message] : []), ...d.suggestions.map((s) => s.value)];
    default:
      return [];
  }
}

const show = (n: number) => n.toLocaleString('en-US');

/** VD5020 (a const), VD5021 (a table), VD5022 (the program): each names the limit it breaks. */
export function sizeProblems(ast: Ruleset, limits: SizeLimits): Diagnostic[] {
  const problems: Diagnostic[] = [];
  let total = 0;
  for (const d of ast.decls) {
    const size = declExprs(d).reduce((sum, e) => sum + exprSize(e), 0);
    total += size;
    if (d.kind === 'Const' && size > limits.maxConstSize) {
      problems.push(
        diagnostic('VD5020', 'error', `const \`${d.name.name}\` is ${show(size)} expression nodes; the limit is ${show(limits.maxConstSize)} (maxConstSize)`, d.name.span, {
          hint: 'keep large reference data outside the ruleset (send it in the input), or split it',
        }),
      );
    }
    if (d.kind === 'Table' && d.rows.length > limits.maxTableRows) {
      problems.push(
        diagnostic('VD5021', 'error', `table \`${d.name.name}\` has ${show(d.rows.length)} rows; the limit is ${show(limits.maxTableRows)} (maxTableRows)`, d.name.span, {
          hint: 'match ranges or `in [...]` lists instead of one row per value, or split the table',
        }),
      );
    }
  }
  if (total > limits.maxProgramSize) {
    problems.push(
      diagnostic('VD5022', 'error', `the ruleset is ${show(total)} expression nodes; the limit is ${show(limits.maxProgramSize)} (maxProgramSize)`, ast.name.span, {
        hint: 'split it into several rulesets',
      }),
    );
  }
  return problems;
}
