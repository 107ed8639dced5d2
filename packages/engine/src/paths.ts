/** Static input paths (for violation `reads` and the rule index). */
import { INPUT_ROOT, joinPath, splitPath, type Expr } from '@verdict/language';
import { getOwn, isMap, type Value } from './values.ts';

/** No `input.<field>` read names a field (`input` is not the input document here). */
const NOT_ROOTED = (): boolean => false;

/**
 * The input path an expression denotes (`service.sla?.tier` -> ["service",
 * "sla", "tier"]; `` input.`a-b`.c `` -> ["a-b", "c"]), or null. `isInput(name)`
 * says whether a root name is an input field at this point (not shadowed);
 * `rooted(name)` whether `input.<name>` reads the top-level field `name` here.
 */
export function inputPath(e: Expr, isInput: (name: string) => boolean, rooted: (name: string) => boolean = NOT_ROOTED): string[] | null {
  if (e.kind === 'Ident') return isInput(e.name) ? [e.name] : null;
  if (e.kind === 'Member') {
    if (e.object.kind === 'Ident' && e.object.name === INPUT_ROOT && rooted(e.property)) return [e.property];
    const base = inputPath(e.object, isInput, rooted);
    return base && [...base, e.property];
  }
  return null;
}

export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'Template':
      return e.parts.filter((p): p is Expr => typeof p !== 'string');
    case 'List':
      return e.items;
    case 'Map':
      return e.entries.flatMap((en) => [en.key, en.value]);
    case 'Member':
      return [e.object];
    case 'Index':
      return [e.object, e.index];
    case 'Call':
      return e.target ? [e.target, ...e.args] : e.args;
    case 'Macro':
      return [e.target, ...(e.filter ? [e.filter] : []), e.body];
    case 'Has':
      return [e.target];
    case 'Unary':
      return [e.operand];
    case 'Binary':
      return [e.left, e.right];
    case 'Conditional':
      return [e.test, e.consequent, e.alternate];
    default:
      return [];
  }
}

export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const c of children(e)) walkExpr(c, visit);
}

/** No table: a call reads only what its arguments read. */
const NO_TABLES = (): string[] | null => null;

/**
 * Maximal input paths an expression reads (as `joinPath` writes them). `letPaths(name)` returns the
 * paths of a let the expression names (or null when `name` is not a let);
 * `tablePaths(name)` those a table's rows read besides its arguments (its
 * patterns, guards and results), or null when `name` is not a table;
 * `rooted` is `inputPath`'s.
 */
export function collectReads(
  e: Expr,
  isInput: (name: string) => boolean,
  letPaths: (name: string) => string[] | null,
  out: Set<string>,
  shadow: ReadonlySet<string> = new Set(),
  tablePaths: (name: string) => string[] | null = NO_TABLES,
  rooted: (name: string) => boolean = NOT_ROOTED,
): void {
  const input = (name: string) => !shadow.has(name) && isInput(name);
  const root = (name: string) => !shadow.has(INPUT_ROOT) && rooted(name);
  const path = inputPath(e, input, root);
  if (path) {
    out.add(joinPath(path));
    return;
  }
  if (e.kind === 'Ident' && !shadow.has(e.name)) {
    for (const p of letPaths(e.name) ?? []) out.add(p);
    return;
  }
  if (e.kind === 'Macro') {
    collectReads(e.target, isInput, letPaths, out, shadow, tablePaths, rooted);
    const inner = new Set(shadow).add(e.variable);
    if (e.valueVariable !== null) inner.add(e.valueVariable);
    if (e.filter) collectReads(e.filter, isInput, letPaths, out, inner, tablePaths, rooted);
    collectReads(e.body, isInput, letPaths, out, inner, tablePaths, rooted);
    return;
  }
  if (e.kind === 'Call' && e.target === null) for (const p of tablePaths(e.callee) ?? []) out.add(p);
  for (const c of children(e)) collectReads(c, isInput, letPaths, out, shadow, tablePaths, rooted);
}

/** The value at a path of the input (as `joinPath` writes it), or undefined when absent. */
export function resolvePath(input: Value, path: string): Value | undefined {
  return resolveSegments(input, splitPath(path));
}

/** `resolvePath` with the path already split (the hot path splits once per ruleset). */
export function resolveSegments(input: Value, segments: readonly string[]): Value | undefined {
  let v: Value | undefined = input;
  for (const seg of segments) {
    if (!isMap(v)) return undefined;
    v = getOwn(v, seg);
    if (v === undefined) return undefined;
  }
  return v;
}
