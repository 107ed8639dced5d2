/**
 * Heavy stored versions (docs/operations.md, "Compiled versions in memory"): a version whose source
 * is too large to compile on the main thread without holding up every other request is compiled
 * and evaluated in the work pool's threads. Each thread keeps its own few compiled copies, by key
 * (`ruleset@version` and hash), compiling on a miss: a thread replaced after a time limit starts
 * with none. The answers are plain data, the same as the engine's on the main thread.
 */
import { compile, StepBudget, type CompiledRuleset, type EvaluationResult, type ParamInfo, type ParamsResult, type RuleInfo } from '@verdict/engine';
import { analyze, hasErrors, type Diagnostic, type JsonSchema } from '@verdict/language';
import type { CompileSettings } from './tasks.ts';

/** What the server needs of a version it does not hold compiled (the fields of `CompiledRuleset` it reads). */
export interface VersionInfo {
  name: string;
  outcomes: string[];
  rules: RuleInfo[];
  params: ParamInfo[];
  inputSchema: JsonSchema;
  /** The params with no overrides (`validateParams({})`'s values). */
  defaults: Record<string, unknown>;
}

/**
 * A stored version to compile in a worker: `key` names it in the worker's cache (`ruleset@version#hash`).
 * Its source as UTF-8 in shared memory: a message carries it without copying (read only on a miss),
 * where a string would be copied into every task, a cost per evaluation that grows with the source.
 */
export interface StoredVersion {
  key: string;
  source: SharedArrayBuffer;
  settings: CompileSettings;
}

/** `source` as shared UTF-8 bytes (see `StoredVersion`). */
export function sharedSource(source: string): SharedArrayBuffer {
  const bytes = Buffer.from(source, 'utf8');
  const shared = new SharedArrayBuffer(bytes.length);
  bytes.copy(new Uint8Array(shared));
  return shared;
}

export type LoadAnswer = { ok: true; info: VersionInfo } | { ok: false; diagnostics: Diagnostic[] };

/** One input of an `evaluate` task: the engine's result and how long it took, or `spent` (the batch's budget ran out before or during it). */
export type EvaluatedItem = { result: EvaluationResult; durationUs: number } | { spent: true };

export interface EvaluateRequest extends StoredVersion {
  inputs: unknown[];
  params: Record<string, unknown>;
  explain: boolean;
  /** A batch's shared budget of steps (`VERDICT_BATCH_MAX_STEPS`); null for a single evaluation. */
  batchMaxSteps: number | null;
}

/** Compiled versions a worker keeps (each is a full copy in that thread's heap). */
const KEPT = 4;
const kept = new Map<string, CompiledRuleset>();

/** Compiles a stored version as the registry does on the main thread (no findings, no size limits: it was held to them when published). */
export function compileStoredSource(source: string, settings: CompileSettings | undefined): { ok: true; compiled: CompiledRuleset } | { ok: false; diagnostics: Diagnostic[] } {
  const analysis = analyze(source, { findings: false });
  if (hasErrors(analysis.diagnostics)) return { ok: false, diagnostics: analysis.diagnostics };
  const result = compile(analysis, settings === undefined ? {} : { limits: settings.limits });
  return result.ruleset === undefined ? { ok: false, diagnostics: result.diagnostics } : { ok: true, compiled: result.ruleset };
}

function compiledVersion(version: StoredVersion): { ok: true; compiled: CompiledRuleset } | { ok: false; diagnostics: Diagnostic[] } {
  // with its evaluation limits: servers sharing one thread (a pool of size 0, tests) may differ in them
  const key = `${version.key} ${JSON.stringify(version.settings.limits)}`;
  const hit = kept.get(key);
  if (hit !== undefined) {
    kept.delete(key);
    kept.set(key, hit);
    return { ok: true, compiled: hit };
  }
  const outcome = compileStoredSource(Buffer.from(version.source).toString('utf8'), version.settings);
  if (!outcome.ok) return outcome;
  kept.set(key, outcome.compiled);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return outcome;
}

/** Compiles a version (kept for the evaluations that follow) and answers what the main thread needs of it. */
export function loadVersion(version: StoredVersion): LoadAnswer {
  const outcome = compiledVersion(version);
  if (!outcome.ok) return outcome;
  return { ok: true, info: versionInfo(outcome.compiled) };
}

/** What the routes read of a compiled version, on whichever thread compiled it. */
export function versionInfo(c: CompiledRuleset): VersionInfo {
  const defaults = c.validateParams({});
  return { name: c.name, outcomes: c.outcomes, rules: c.rules, params: c.params, inputSchema: c.inputSchema, defaults: defaults.ok ? defaults.values : {} };
}

/** `validateParams` of each set of overrides. */
export function validateParams(version: StoredVersion & { overrides: Array<Record<string, unknown>> }): ParamsResult[] {
  const compiled = mustCompile(version);
  return version.overrides.map((o) => compiled.validateParams(o));
}

/** Evaluates inputs as the evaluate routes do on the main thread: one at a time, a batch's sharing one budget. */
export function evaluateVersion(request: EvaluateRequest): EvaluatedItem[] {
  const compiled = mustCompile(request);
  const budget = request.batchMaxSteps === null ? undefined : new StepBudget(request.batchMaxSteps);
  const options = budget === undefined ? { params: request.params, explain: request.explain } : { params: request.params, explain: request.explain, budget };
  const items: EvaluatedItem[] = [];
  for (const input of request.inputs) {
    if (spent(budget)) {
      items.push({ spent: true });
      continue;
    }
    const started = performance.now();
    const result = compiled.evaluate(input, options);
    const durationUs = Math.round((performance.now() - started) * 1000);
    items.push(spent(budget) ? { spent: true } : { result, durationUs });
  }
  return items;
}

function spent(budget: StepBudget | undefined): boolean {
  return budget !== undefined && budget.exhausted;
}

/** A version that compiled when it was loaded compiles again here; if it does not, the task fails. */
function mustCompile(version: StoredVersion): CompiledRuleset {
  const outcome = compiledVersion(version);
  if (!outcome.ok) throw new Error(`version ${version.key} does not compile: ${outcome.diagnostics[0]?.message ?? 'unknown error'}`);
  return outcome.compiled;
}
