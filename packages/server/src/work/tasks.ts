/**
 * The server's expensive work, as plain functions from data to data: checking, compiling,
 * diffing and impact replay. The work pool runs them in worker threads (each compiles its own copy
 * of what it needs from the source; compiled functions never cross threads), or inline when the
 * pool has no workers. Inputs and answers are structured-cloneable.
 */
import { createHash } from 'node:crypto';
import { compile, runTests, type CompiledRuleset, type EvaluateOptions, type Limits, type ParamsResult, type SizeLimits, type TestResult } from '@verdict/engine';
import { analyze, format, hasErrors, type Analysis, type Diagnostic } from '@verdict/language';
import { computeImpact, diffRuleset, type ImpactReport, type RulesetDiff } from '@verdict/review';
import { REDACTED } from '../redact.ts';
import { evaluateVersion, loadVersion, validateParams, type EvaluatedItem, type EvaluateRequest, type LoadAnswer, type StoredVersion } from './versions.ts';

/** What a compile needs besides the source: the evaluation limits and the publish size limits. */
export interface CompileSettings {
  limits: Partial<Limits>;
  sizes: Partial<SizeLimits>;
}

/** A compiled source: its name, its hash and the in-file tests that fail (the publish gate's question). */
export type Compiled = { ok: true; name: string; hash: string; failingTests: TestResult[] } | { ok: false; diagnostics: Diagnostic[] };

export interface ImpactRequest {
  current: { source: string; params: Record<string, unknown> };
  candidate: { source: string };
  /** The channel's stored overrides, validated against the candidate. */
  overrides: Record<string, unknown>;
  logged: unknown[];
  given: unknown[];
}

export type ImpactAnswer =
  | {
      ok: true;
      /** The ruleset the candidate declares (the route checks it is the one asked about). */
      candidateName: string;
      diff: RulesetDiff;
      impact: ImpactReport;
      candidateParams: Record<string, unknown>;
      candidateDefaulted: Array<{ path: string; message: string }>;
      invalid: { current: number; candidate: number };
      redactedLogged: number;
    }
  | { ok: false; diagnostics: Diagnostic[]; name?: string };

export type WorkRequest =
  | { kind: 'check'; source: string }
  | { kind: 'compile'; source: string; settings: CompileSettings }
  | { kind: 'diff'; from: string; to: string }
  | { kind: 'impact'; request: ImpactRequest; settings: CompileSettings }
  | ({ kind: 'load' } & StoredVersion)
  | ({ kind: 'params'; overrides: Array<Record<string, unknown>> } & StoredVersion)
  | ({ kind: 'evaluate' } & EvaluateRequest);

export interface WorkAnswers {
  check: { ruleset: string; errors: number; diagnostics: Diagnostic[] };
  compile: Compiled;
  diff: RulesetDiff;
  impact: ImpactAnswer;
  load: LoadAnswer;
  params: ParamsResult[];
  evaluate: EvaluatedItem[];
}

export type WorkAnswer = WorkAnswers[WorkRequest['kind']];

export function runTask(request: WorkRequest): WorkAnswer {
  switch (request.kind) {
    case 'check': {
      const analysis = analyze(request.source);
      return { ruleset: analysis.ast.name.name, errors: analysis.diagnostics.filter((d) => d.severity === 'error').length, diagnostics: analysis.diagnostics };
    }
    case 'compile': {
      const compiled = compileSource(request.source, request.settings);
      if (!compiled.ok) return compiled;
      // the tests run here too: a hostile test is stopped with the rest of the task
      const failingTests = runTests(compiled.analysis.ast, request.source, compiled.compiled).results.filter((t) => !t.passed);
      return { ok: true, name: compiled.compiled.name, hash: compiled.hash, failingTests };
    }
    case 'diff':
      return diffRuleset({ source: request.from, ast: analyze(request.from).ast }, { source: request.to, ast: analyze(request.to).ast });
    case 'impact':
      return impact(request.request, request.settings);
    case 'load':
      return loadVersion(request);
    case 'params':
      return validateParams(request);
    case 'evaluate':
      return evaluateVersion(request);
  }
}

/** Compiles a source; the hash is of its canonical (formatted) text, so formatting-only edits publish nothing new. */
export function compileSource(source: string, settings: CompileSettings): { ok: true; compiled: CompiledRuleset; hash: string; analysis: Analysis } | { ok: false; diagnostics: Diagnostic[] } {
  const analysis = analyze(source);
  if (hasErrors(analysis.diagnostics)) return { ok: false, diagnostics: analysis.diagnostics };
  const result = compile(analysis, { limits: settings.limits, sizes: settings.sizes });
  if (result.ruleset === undefined) return { ok: false, diagnostics: result.diagnostics };
  const canonical = format(source).text ?? source;
  return { ok: true, compiled: result.ruleset, hash: `sha256:${createHash('sha256').update(canonical).digest('hex')}`, analysis };
}

function impact(request: ImpactRequest, settings: CompileSettings): ImpactAnswer {
  const current = compileSource(request.current.source, settings);
  // the channel's version compiled when it was published; a server whose language changed says so as a diagnostic
  if (!current.ok) return { ok: false, diagnostics: current.diagnostics };
  const candidate = compileSource(request.candidate.source, settings);
  if (!candidate.ok) return { ok: false, diagnostics: candidate.diagnostics };
  const candidateParams = overridesFor(candidate.compiled, request.overrides);
  const samples = [
    ...request.logged.map((input, index) => ({ source: 'decision_log', index, input })),
    ...request.given.map((input, index) => ({ source: 'request', index, input })),
  ];
  const before = replaySide(current.compiled, request.current.params);
  const after = replaySide(candidate.compiled, candidateParams.values);
  const report = computeImpact(before.ruleset, after.ruleset, samples);
  const diff = diffRuleset({ source: request.current.source, ast: analyze(request.current.source).ast }, { source: request.candidate.source, ast: analyze(request.candidate.source).ast });
  return {
    ok: true,
    candidateName: candidate.compiled.name,
    diff,
    impact: report,
    candidateParams: candidateParams.values,
    candidateDefaulted: candidateParams.refused,
    invalid: { current: before.invalid(), candidate: after.invalid() },
    redactedLogged: request.logged.filter(hasRedactedValue).length,
  };
}

/** The param a validation detail's path names (`limit.max` -> `limit`), as the channels route reads it. */
function paramOf(path: string): string {
  return path.split(/[.[/]/)[0]!;
}

/**
 * The params `compiled` would evaluate with under a channel's `overrides`: each override it refuses
 * (undeclared, wrong type, broken `where`) falls back to its default and is listed in `refused`.
 */
function overridesFor(compiled: CompiledRuleset, overrides: Record<string, unknown>): { values: Record<string, unknown>; refused: Array<{ path: string; message: string }> } {
  const checked = compiled.validateParams(overrides);
  if (checked.ok) return { values: checked.values, refused: [] };
  const failing = new Set(checked.error.details.map((d) => paramOf(d.path)));
  const kept = compiled.validateParams(Object.fromEntries(Object.entries(overrides).filter(([k]) => !failing.has(k))));
  // Each override is checked on its own, so the rest validate; the defaults always do (checked at compile time).
  const values = kept.ok ? kept.values : (compiled.validateParams({}) as { ok: true; values: Record<string, unknown> }).values;
  return { values, refused: checked.error.details };
}

/**
 * `compiled` evaluating every input with `params`, counting the inputs it refuses. `computeImpact`
 * gives both sides one set of params, but the channel's version and the candidate each need their own.
 */
function replaySide(compiled: CompiledRuleset, params: Record<string, unknown>): { ruleset: CompiledRuleset; invalid: () => number } {
  let invalid = 0;
  const ruleset: CompiledRuleset = {
    ...compiled,
    evaluate: (input: unknown, options?: EvaluateOptions) => {
      const result = compiled.evaluate(input, { ...options, params });
      if (!result.ok) invalid++;
      return result;
    },
  };
  return { ruleset, invalid: () => invalid };
}

/** Whether a logged input had a value redacted (a replay sees `[redacted]`, not what was decided on). */
function hasRedactedValue(input: unknown): boolean {
  // The marker has no character JSON escapes, so the text search is exact (values and keys).
  return JSON.stringify(input).includes(REDACTED);
}
