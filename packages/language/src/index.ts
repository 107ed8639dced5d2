export type * from './ast.ts';
export { SEVERITIES, resolveType } from './ast.ts';
export { type Diagnostic, type DiagnosticSeverity, type RelatedInformation, diagnostic, hasErrors, sortDiagnostics } from './diagnostics.ts';
export { parse, parseExpression, lex, type ParseResult, type ExpressionParseResult } from './parse.ts';
export { spanAt, spanRange } from './spans.ts';
export { quote, decodeEscapes } from './strings.ts';
export { INPUT_ROOT, isPlainName, fieldNameText, joinPath, extendPath, splitPath } from './names.ts';
export * as tokens from './tokens.ts';
export {
  CONTEXTUAL_KEYWORDS,
  CONTAINS_PATTERN_EXAMPLE,
  BUILT_IN_TYPE_NAMES,
  isContextualKeyword,
  type ContextualKeyword,
  type KeywordContext,
  type WordToken,
} from './contextual-keywords.ts';
export { EVALUATION_ERROR_CODES } from './checker/tests.ts';
export { format, type FormatResult } from './format.ts';
export { check, showType, type CheckResult, type SymbolInfo, type SymbolKind, type Type, type FieldType } from './checker/index.ts';
export { analyze, type Analysis, type AnalyzeOptions } from './analyze.ts';
export {
  inputJsonSchema,
  paramJsonSchema,
  typeJsonSchema,
  untranslatedWheres,
  printExpr,
  VERDICT_KEYWORDS,
  SENSITIVE_KEYWORD,
  WHERE_KEYWORD,
  JSON_SCHEMA_DIALECT,
  DECIMAL_PATTERN,
  DURATION_PATTERN,
  TIMESTAMP_PATTERN,
  EACH,
  type JsonSchema,
  type JsonValue,
  type UntranslatedWhere,
} from './json-schema.ts';
export { BUILTINS, signatureText, type Builtin, type Overload, type SignatureType } from './builtins.ts';
export { exprKey } from './analysis/expr-key.ts';
