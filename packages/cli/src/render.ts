import type { Diagnostic } from '@verdict/language';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/**
 * `file:line:col code message`, then the source line with a caret under the
 * span and the hint, the way compilers people like print them.
 */
export function renderDiagnostic(file: string, source: string, d: Diagnostic, color = false): string {
  const paint = (c: keyof typeof COLORS, s: string): string => (color ? COLORS[c] + s + COLORS.reset : s);
  const head = `${file}:${d.span.line}:${d.span.column} ${paint(d.severity, d.code)} ${d.severity === 'error' ? '' : d.severity + ': '}${d.message}`;
  const lines = [head];
  const lineText = source.split('\n')[d.span.line - 1];
  if (lineText !== undefined) {
    const gutter = String(d.span.line);
    const width = d.span.endLine === d.span.line ? Math.max(1, d.span.endColumn - d.span.column) : Math.max(1, lineText.length - d.span.column + 1);
    lines.push(paint('dim', `${gutter} | `) + lineText.replace(/\t/g, ' '));
    lines.push(paint('dim', `${' '.repeat(gutter.length)} | `) + ' '.repeat(Math.max(0, d.span.column - 1)) + paint(d.severity, '^'.repeat(width)));
  }
  if (d.hint) lines.push(paint('dim', '  = hint: ') + d.hint);
  for (const r of d.related ?? []) lines.push(paint('dim', `  = note: ${file}:${r.span.line}:${r.span.column} `) + r.message);
  return lines.join('\n') + '\n';
}

export function summary(errors: number, warnings: number, files: number): string {
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}\n`;
}
