/** @verdict/engine: compile checked rulesets into closures and evaluate decisions. */
export { compile, DEFAULT_WEIGHTS } from './ruleset.ts';
export { compileExpression, type CompiledExpression, type ExpressionOptions, type ExpressionResult } from './expression.ts';
export { interpret, interpretWith, referenceDecide, type InterpreterEnv, type ReferenceDecision } from './interpreter.ts';
export { DEFAULT_LIMITS, ITEMS_PER_STEP, StepBudget, type Limits } from './context.ts';
export { DEFAULT_SIZE_LIMITS, type SizeLimits } from './sizes.ts';
export { BUILTIN_IMPLS, type BuiltinImpl } from './builtins/index.ts';
export { Timestamp, Duration, VError, toJson, type Value } from './values.ts';
export { parseDuration, parseTimestamp } from './time.ts';
export { Decimal, decimalFrom, isDecimal, ROUNDING_MODES } from './money.ts';
export type {
  CompileOptions,
  CompileResult,
  CompiledRuleset,
  Decision,
  EvaluateOptions,
  EvaluationError,
  EvaluationResult,
  Location,
  ParamInfo,
  ParamsResult,
  RuleError,
  RuleInfo,
  RuleTrace,
  Trace,
  TraceValue,
  Violation,
} from './types.ts';
export { letCovered, runTests, type TestRun, type TestResult, type Coverage, type RuleCoverage, type OperandCoverage, type RowCoverage, type CellCoverage, type LetCoverage } from './testing/run-tests.ts';
export type { CoverageRecorder } from './compiler.ts';
export { literalValue, sameValue } from './testing/literal.ts';
export { importJsonRulesEngine, formatImportIssue, type ImportOptions, type ImportResult, type ImportedRule, type ImportIssue } from './import/index.ts';
export { REDACTED, redact, scrubberFor, sensitivePaths, type Scrubber } from './redact.ts';
