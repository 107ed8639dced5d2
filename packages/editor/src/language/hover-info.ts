/** What hover shows at an offset (no Monaco here, so it is unit-tested in Node). */
import { BUILTINS, printExpr, showType, signatureText, type Analysis, type Decl, type SymbolInfo } from '@verdict/language';
import { contains, expressionAt } from './ast-walk.ts';

function symbolText(symbol: SymbolInfo, analysis: Analysis): string[] {
  const lines = [`\`\`\`verdict\n(${symbol.kind}) ${symbol.name}: ${showType(symbol.type)}\n\`\`\``];
  if (symbol.kind === 'param') {
    const decl = analysis.ast.decls.find((d): d is Extract<Decl, { kind: 'Param' }> => d.kind === 'Param' && d.name.name === symbol.name);
    if (decl) lines.push(`default: \`${printExpr(decl.default)}\`${decl.where ? ` — where \`${printExpr(decl.where)}\`` : ''}`);
  }
  if (symbol.doc) lines.push(symbol.doc);
  return lines;
}

export function hoverAt(analysis: Analysis, offset: number): { lines: string[]; span: { start: number; end: number } } | null {
  // Declaration names: rules (their docs), and every ruleset-level name.
  for (const decl of analysis.ast.decls) {
    if (!('name' in decl) || decl.kind === 'Test' || !contains(decl.name.span, offset)) continue;
    if (decl.kind === 'Rule') {
      const lines = [`\`\`\`verdict\nrule ${decl.name.name}${decl.severity ? ` (${decl.severity.name})` : ''}${decl.outcome ? ` -> ${decl.outcome.name}` : ''}\n\`\`\``];
      if (decl.doc) lines.push(decl.doc);
      return { lines, span: decl.name.span };
    }
    const symbol = analysis.check.symbols.get(decl.name.name);
    if (symbol) return { lines: symbolText(symbol, analysis), span: decl.name.span };
  }
  const expr = expressionAt(analysis.ast, offset);
  if (expr === null) return null;
  if (expr.kind === 'Call' && contains(expr.calleeSpan, offset)) {
    const builtin = BUILTINS.get(expr.callee);
    if (builtin) return { lines: [`\`\`\`verdict\n${builtin.overloads.map((o) => signatureText(builtin.name, o)).join('\n')}\n\`\`\``, builtin.doc], span: expr.calleeSpan };
  }
  const symbol = analysis.check.references.get(expr.id);
  const type = analysis.check.types.get(expr.id);
  if (symbol && expr.kind === 'Ident') return { lines: symbolText(symbol, analysis), span: expr.span };
  if (type) {
    const lines = [`\`\`\`verdict\n${printExpr(expr)}: ${showType(type)}\n\`\`\``];
    if (symbol?.doc) lines.push(symbol.doc);
    return { lines, span: expr.span };
  }
  return null;
}
