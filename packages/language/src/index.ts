export type * from './ast.ts';
export { SEVERITIES } from './ast.ts';
export { type Diagnostic, type DiagnosticSeverity, type RelatedInformation, diagnostic, hasErrors, sortDiagnostics } from './diagnostics.ts';
export { parse, parseExpression, lex, spanAt, spanRange, type ParseResult, type ExpressionParseResult } from './parse.ts';
export { quote, decodeEscapes } from './strings.ts';
export * as tokens from './tokens.ts';
