/** Folding, from the tokens alone (no analysis): bracketed blocks and strings over several lines, runs of comment lines. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import { tokens } from '@verdict/language';
import type { SourceFile } from './source.ts';

export function foldingRanges(source: SourceFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const seen = new Set<string>();
  const push = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    const key = `${startLine}:${endLine}`;
    if (endLine > startLine && !seen.has(key)) {
      seen.add(key);
      ranges.push(kind === undefined ? { startLine, endLine } : { startLine, endLine, kind });
    }
  };
  const lexed = tokens.verdictLexer.tokenize(source.text);
  const open: number[] = [];
  for (const token of lexed.tokens) {
    const name = token.tokenType.name;
    if (name === 'LBrace' || name === 'LBracket' || name === 'LParen') open.push((token.startLine ?? 1) - 1);
    else if ((name === 'RBrace' || name === 'RBracket' || name === 'RParen') && open.length > 0) {
      // Fold up to the line before the closing bracket, so it stays visible.
      push(open.pop()!, (token.startLine ?? 1) - 2);
    } else if (name === 'StringLiteral' || name === 'TemplateString') push((token.startLine ?? 1) - 1, (token.endLine ?? 1) - 1);
  }
  const comments = (lexed.groups['comments'] ?? []) as typeof lexed.tokens;
  let runStart = -1;
  let runEnd = -1;
  for (const comment of comments) {
    const line = (comment.startLine ?? 1) - 1;
    if (line === runEnd + 1 && runStart >= 0) runEnd = line;
    else {
      push(runStart, runEnd, FoldingRangeKind.Comment);
      runStart = line;
      runEnd = line;
    }
  }
  push(runStart, runEnd, FoldingRangeKind.Comment);
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
