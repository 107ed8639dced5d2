/**
 * Regular expressions known when the ruleset is checked (a literal, or a
 * const) are compiled here with re2js, the RE2 the engine runs `matches` and
 * `where` patterns with: a pattern RE2 refuses would fail on every input
 * (`invalid_regex`), so it is an error now, at the part of the pattern RE2
 * names.
 */
import { RE2JS } from 're2js';
import type { Expr, Ruleset, Span } from '../ast.ts';
import { evaluateConstant, type ConstValue } from './const-eval.ts';
import type { CheckContext } from './index.ts';
import { messages } from './messages.ts';

/** Built-ins whose last argument is an RE2 pattern. */
const PATTERN_FUNCTIONS = new Set(['matches']);

export function checkPatterns(ctx: CheckContext): void {
  const consts = new Map<string, ConstValue>();
  for (const decl of ctx.ast.decls) {
    if (decl.kind !== 'Const') continue;
    const value = evaluateConstant(decl.value, consts);
    if (value !== undefined) consts.set(decl.name.name, value);
  }
  for (const call of patternCalls(ctx.ast)) {
    const argument = call.args[call.args.length - 1];
    if (argument === undefined) continue;
    const pattern = evaluateConstant(argument, consts);
    if (typeof pattern !== 'string') continue;
    const problem = compileError(pattern);
    if (problem === null) continue;
    ctx.report(messages.invalidPattern(pattern, problem.message, locate(argument, problem.fragment)));
  }
}

/** RE2's complaint about a pattern and the fragment it names, or null when the pattern compiles. */
export function compileError(pattern: string): { message: string; fragment: string } | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (error) {
    const e = error as { error?: unknown; input?: unknown; message?: unknown };
    const message = typeof e.error === 'string' ? e.error : String(e.message);
    return { message, fragment: typeof e.input === 'string' ? e.input : '' };
  }
}

/** The span of `fragment` inside a string literal when it is written there as is; else the whole argument. */
function locate(argument: Expr, fragment: string): Span {
  if (argument.kind !== 'String' || fragment === '') return argument.span;
  const written = JSON.stringify(fragment).slice(1, -1);
  const at = argument.raw.indexOf(written);
  if (at < 0 || argument.span.line !== argument.span.endLine) return argument.span;
  const { span } = argument;
  return { start: span.start + at, end: span.start + at + written.length, line: span.line, column: span.column + at, endLine: span.line, endColumn: span.column + at + written.length };
}

type CallNode = Extract<Expr, { kind: 'Call' }>;

function patternCalls(ast: Ruleset): CallNode[] {
  const calls: CallNode[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const e = node as { kind?: unknown };
    if (e.kind === 'Call' && PATTERN_FUNCTIONS.has((node as CallNode).callee)) calls.push(node as CallNode);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') walk(value);
  };
  walk(ast.decls.filter((d) => d.kind !== 'Test'));
  return calls;
}
