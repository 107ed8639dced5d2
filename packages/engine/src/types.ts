/** Public types of `@verdict/engine`. */
import type { CoverageRecorder } from './compiler.ts';
import type { Diagnostic, JsonSchema, Severity } from '@verdict/language';
import type { Limits, StepBudget } from './context.ts';
import type { SizeLimits } from './sizes.ts';

export interface CompileOptions {
  limits?: Partial<Limits>;
  /** Size limits on consts, tables and the whole program (VD5020-VD5022); none unless given. */
  sizes?: Partial<SizeLimits>;
  /** Build the rule index (default true; false is for differential tests). */
  index?: boolean;
  /** Fewest rules the index must file before it is used (default 32: below that it costs more than it saves). */
  indexMinRules?: number;
  /**
   * Generate one JavaScript function per expression (default true). False keeps the closures
   * only (differential tests; the result is the same, only slower).
   */
  codegen?: boolean;
}

export interface Location {
  line: number;
  column: number;
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  outcome: string;
  /** Score weight (from `weights {}` or the defaults). */
  weight: number;
  span: Location & { endLine: number; endColumn: number };
  doc: string | null;
}

export interface ParamInfo {
  name: string;
  /** The declared type as JSON Schema. */
  type: JsonSchema;
  default: unknown;
  doc: string | null;
}

export interface EvaluationError {
  /** `limit_exceeded`: a budget shared by many evaluations (a batch's) ran out during this one. */
  code: 'invalid_input' | 'invalid_params' | 'internal' | 'limit_exceeded';
  message: string;
  details: Array<{ path: string; message: string }>;
}

export interface Violation {
  rule: string;
  outcome: string;
  severity: Severity;
  message: string;
  suggestion: Record<string, unknown> | null;
  location: Location;
  /** Input paths the condition read (statically, through lets) and their values, e.g. {"service.tier": "enterprise"}. */
  reads: Record<string, unknown>;
}

export interface RuleError {
  /** The rule, or null for an output's error. */
  rule: string | null;
  /** The output whose value failed, else null. */
  output: string | null;
  /** Which part failed. */
  kind: 'condition' | 'message' | 'suggestion' | 'output';
  code: string;
  message: string;
  /** Where the failing sub-expression is. */
  location: Location;
}

/**
 * Explain-mode trace. One entry per rule, in declaration order:
 *   { rule, result: 'fired' | 'passed' | 'error', skipped?: 'index',
 *     values: [{ node, line, column, expr, value }] }
 * `values` lists, in evaluation order and once per node (last value wins),
 * the non-literal sub-expressions of the condition that were evaluated
 * (short-circuited ones are absent; macro bodies are summarised by the macro's
 * own value). `node` is the AST expression id, `expr` its text, `value` JSON
 * (an error shows as `{ error: code, message }`). Rules that the index ruled
 * out are `passed` with `skipped: 'index'` and no values.
 */
export interface TraceValue {
  node: number;
  line: number;
  column: number;
  expr: string;
  value: unknown;
}

export interface RuleTrace {
  rule: string;
  result: 'fired' | 'passed' | 'error';
  skipped?: 'index';
  values: TraceValue[];
}

export interface Trace {
  rules: RuleTrace[];
  /** How many rule conditions were evaluated (the index skips the rest). */
  rulesEvaluated: number;
  /** Steps spent (macro iterations plus calls). */
  steps: number;
}

export interface Decision {
  decision: string;
  compliant: boolean;
  score: number;
  violations: Violation[];
  outputs: Record<string, unknown>;
  errors: RuleError[];
  trace: Trace | null;
}

export type EvaluationResult = ({ ok: true } & Decision) | { ok: false; error: EvaluationError };

export interface EvaluateOptions {
  params?: Record<string, unknown>;
  explain?: boolean;
  /**
   * A budget of steps shared by many evaluations (a batch): this one may spend what is left of it
   * (within the ruleset's own `maxSteps`), and what it spends is taken from it.
   */
  budget?: StepBudget;
  /** Told what the evaluation computed, for test coverage (`verdict test`); the generic closures run then. */
  coverage?: CoverageRecorder;
}

export type ParamsResult = { ok: true; values: Record<string, unknown> } | { ok: false; error: EvaluationError };

export interface CompiledRuleset {
  name: string;
  /** Highest precedence first; the last is the default. */
  outcomes: string[];
  defaultOutcome: string;
  /** The outcomes a decision is compliant with: those `decision ... compliant` lists, else the default alone. */
  compliant: string[];
  rules: RuleInfo[];
  params: ParamInfo[];
  outputs: string[];
  inputSchema: JsonSchema;
  /** The JSON Schema of this ruleset's decisions (outcomes, each rule's violation, typed outputs and suggestions). */
  decisionSchema(): JsonSchema;
  evaluate(input: unknown, options?: EvaluateOptions): EvaluationResult;
  /** Validate param overrides (unknown name, wrong type, broken `where`); values = defaults merged with overrides. */
  validateParams(overrides: Record<string, unknown>): ParamsResult;
}

export interface CompileResult {
  ruleset?: CompiledRuleset;
  diagnostics: Diagnostic[];
}
