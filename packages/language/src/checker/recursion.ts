/**
 * Recursive tables: a table that calls itself, directly or through other tables and ruleset-level
 * lets, is refused (VD3040). The engine gives each table's columns one set of slots per evaluation,
 * so a recursive call would overwrite the caller's arguments: refusing the cycle here is what keeps
 * every evaluator from reaching a wrong value.
 */
import type { Expr, Ruleset, Span } from '../ast.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { messages } from './messages.ts';
import type { SymbolInfo } from './scope.ts';

interface Edge {
  to: SymbolInfo;
  /** The reference (a call or a name) that makes the edge. */
  span: Span;
}

export function checkRecursion(ast: Ruleset, references: Map<number, SymbolInfo>, symbols: Map<string, SymbolInfo>, report: (d: Diagnostic) => void): void {
  // the nodes: tables and ruleset-level lets, in declaration order (the only globals evaluated per call)
  const edges = new Map<SymbolInfo, Edge[]>();
  const node = (name: string, kind: 'table' | 'let'): SymbolInfo | undefined => {
    const symbol = symbols.get(name);
    return symbol !== undefined && symbol.kind === kind ? symbol : undefined;
  };
  const collect = (from: SymbolInfo, exprs: Expr[]) => {
    const out = edges.get(from) ?? [];
    for (const e of exprs) {
      walk(e, (x) => {
        const target = references.get(x.id);
        if (target !== undefined && (target.kind === 'table' || target.kind === 'let') && symbols.get(target.name) === target) {
          out.push({ to: target, span: x.kind === 'Call' ? x.calleeSpan : x.span });
        }
      });
    }
    edges.set(from, out);
  };
  for (const decl of ast.decls) {
    if (decl.kind === 'Table') {
      const symbol = node(decl.name.name, 'table');
      if (symbol === undefined) continue;
      collect(
        symbol,
        decl.rows.flatMap((row) => [...row.patterns.flatMap((p) => (p.kind === 'Wildcard' ? [] : [p.value])), ...(row.guard ? [row.guard] : []), row.result]),
      );
    } else if (decl.kind === 'Let') {
      const symbol = node(decl.name.name, 'let');
      if (symbol !== undefined && !edges.has(symbol)) collect(symbol, [decl.value]);
    }
  }
  for (const component of stronglyConnected(edges)) {
    const start = component.find((s) => s.kind === 'table');
    if (start === undefined) continue; // a cycle of lets alone is VD3005's
    const members = new Set(component);
    const loop = cycleFrom(start, members, edges);
    if (loop === null) continue; // one table that does not call itself
    report(messages.recursiveTable([start.name, ...loop.map((e) => e.to.name)], loop[loop.length - 1]!.span));
  }
}

/** A path of edges from `start` back to it within `members` (the shortest by breadth-first search), or null. */
function cycleFrom(start: SymbolInfo, members: Set<SymbolInfo>, edges: Map<SymbolInfo, Edge[]>): Edge[] | null {
  const via = new Map<SymbolInfo, { from: SymbolInfo; edge: Edge }>();
  const queue: SymbolInfo[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const edge of edges.get(at) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path: Edge[] = [edge];
        for (let back = at; back !== start; ) {
          const step = via.get(back)!;
          path.unshift(step.edge);
          back = step.from;
        }
        return path;
      }
      if (via.has(edge.to)) continue;
      via.set(edge.to, { from: at, edge });
      queue.push(edge.to);
    }
  }
  return null;
}

/** Tarjan's strongly connected components (iterative, so a long chain of lets cannot overflow the stack). */
function stronglyConnected(edges: Map<SymbolInfo, Edge[]>): SymbolInfo[][] {
  const index = new Map<SymbolInfo, number>();
  const low = new Map<SymbolInfo, number>();
  const onStack = new Set<SymbolInfo>();
  const stack: SymbolInfo[] = [];
  const components: SymbolInfo[][] = [];
  let next = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: SymbolInfo; child: number }> = [{ node: root, child: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.node) ?? [];
      if (frame.child < out.length) {
        const to = out[frame.child++]!.to;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, child: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: SymbolInfo[] = [];
        let member: SymbolInfo;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

/** Visits every expression node under `expr` (itself included), without recursion on the host stack. */
function walk(expr: Expr, visit: (e: Expr) => void): void {
  const pending: Expr[] = [expr];
  while (pending.length > 0) {
    const e = pending.pop()!;
    visit(e);
    for (const value of Object.values(e)) {
      if (value === null || typeof value !== 'object') continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child === null || typeof child !== 'object') continue;
        if ('id' in child && 'kind' in child) pending.push(child as Expr);
        else if ('key' in child && 'value' in child) pending.push((child as { key: Expr }).key, (child as { value: Expr }).value);
      }
    }
  }
}
