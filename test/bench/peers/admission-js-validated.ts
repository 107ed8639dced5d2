/**
 * `marketplace.admission` by hand doing all the work Verdict does: the input
 * validated against the declared schema (every failing path listed, no rule
 * run on an invalid input), then the full decision of `admission-js-full.ts`.
 * The baseline for goal A measured like for like.
 */
import type { CompiledRuleset, Decision } from '@verdict/engine';
import type { AdmissionInput } from './admission-inputs.ts';
import { admissionFullByHand } from './admission-js-full.ts';
import { normalized, type Contender } from './decision.ts';

export interface Problem {
  /** As Verdict writes it: `service.data_residency[1]`, `""` for the whole input. */
  path: string;
  message: string;
}

export type ValidatedDecision = Decision | { ok: false; problems: Problem[] };

const SERVICE_FIELDS = new Set(['id', 'tier', 'environment', 'endpoint', 'data_classification', 'data_residency', 'certifications', 'tls_version', 'authentication', 'sla']);
const TIERS = new Set(['free', 'standard', 'enterprise']);
const ENVIRONMENTS = new Set(['development', 'staging', 'production']);
const CLASSIFICATIONS = new Set(['public', 'internal', 'confidential']);
const AUTHENTICATIONS = new Set(['none', 'api_key', 'oauth2', 'mtls']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function oneOf(v: unknown, allowed: Set<string>, path: string, problems: Problem[]): void {
  if (typeof v !== 'string' || !allowed.has(v)) problems.push({ path, message: `must be one of ${[...allowed].join(', ')}` });
}

function strings(v: unknown, path: string, problems: Problem[]): void {
  if (!Array.isArray(v)) problems.push({ path, message: 'must be a list' });
  else for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') problems.push({ path: `${path}[${i}]`, message: 'must be a string' });
}

function number(v: unknown, path: string, problems: Problem[]): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ path, message: 'must be a number' });
}

/** No problem (shared: never written to). */
const NONE: Problem[] = [];

/** Fields the service object must carry, optional ones not counted. */
const REQUIRED_SERVICE_FIELDS = 8;

/**
 * Whether `input` is surely valid, with no allocation: the common case, written as a careful hand
 * would write it (switches for enumerations, one count of keys for undeclared fields). Anything it
 * turns away is judged again by `allProblems`.
 */
function surelyValid(input: unknown): boolean {
  if (!isObject(input)) return false;
  const s = input['service'];
  if (!isObject(s)) return false;
  let declared = REQUIRED_SERVICE_FIELDS;
  if (typeof s['id'] !== 'string' || typeof s['endpoint'] !== 'string') return false;
  switch (s['tier']) { case 'free': case 'standard': case 'enterprise': break; default: return false; }
  switch (s['environment']) { case 'development': case 'staging': case 'production': break; default: return false; }
  switch (s['data_classification']) { case 'public': case 'internal': case 'confidential': break; default: return false; }
  switch (s['authentication']) { case 'none': case 'api_key': case 'oauth2': case 'mtls': break; default: return false; }
  if (!allStrings(s['data_residency']) || !allStrings(s['certifications'])) return false;
  const tls = s['tls_version'];
  if (tls !== undefined) {
    if (typeof tls !== 'number' || !Number.isFinite(tls)) return false;
    declared++;
  }
  const sla = s['sla'];
  if (sla !== undefined) {
    if (!isObject(sla) || typeof sla['availability'] !== 'number' || !Number.isFinite(sla['availability']) || keyCount(sla) !== 1) return false;
    declared++;
  }
  return keyCount(s) === declared && keyCount(input) === 1;
}

function allStrings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** Every way `input` breaks the admission input schema (empty when it is valid). */
export function admissionProblems(input: unknown): Problem[] {
  return surelyValid(input) ? NONE : allProblems(input);
}

function allProblems(input: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isObject(input)) return [{ path: '', message: 'must be an object' }];
  for (const key in input) if (key !== 'service') problems.push({ path: key, message: 'is not declared' });
  const s = input['service'];
  if (!isObject(s)) {
    problems.push({ path: 'service', message: 'must be an object' });
    return problems;
  }
  for (const key in s) if (!SERVICE_FIELDS.has(key)) problems.push({ path: `service.${key}`, message: 'is not declared' });
  if (typeof s['id'] !== 'string') problems.push({ path: 'service.id', message: 'must be a string' });
  oneOf(s['tier'], TIERS, 'service.tier', problems);
  oneOf(s['environment'], ENVIRONMENTS, 'service.environment', problems);
  if (typeof s['endpoint'] !== 'string') problems.push({ path: 'service.endpoint', message: 'must be a string' });
  oneOf(s['data_classification'], CLASSIFICATIONS, 'service.data_classification', problems);
  strings(s['data_residency'], 'service.data_residency', problems);
  strings(s['certifications'], 'service.certifications', problems);
  if ('tls_version' in s) number(s['tls_version'], 'service.tls_version', problems);
  oneOf(s['authentication'], AUTHENTICATIONS, 'service.authentication', problems);
  if ('sla' in s) {
    const sla = s['sla'];
    if (!isObject(sla)) problems.push({ path: 'service.sla', message: 'must be an object' });
    else {
      for (const key in sla) if (key !== 'availability') problems.push({ path: `service.sla.${key}`, message: 'is not declared' });
      number(sla['availability'], 'service.sla.availability', problems);
    }
  }
  return problems;
}

export function admissionValidatedByHand(ruleset: CompiledRuleset): Contender<AdmissionInput, ValidatedDecision> {
  const full = admissionFullByHand(ruleset);
  return {
    name: 'hand-written JS (full decision, validated)',
    evaluate: (input) => {
      const problems = admissionProblems(input);
      return problems.length > 0 ? { ok: false, problems } : full.evaluate(input);
    },
    normalize: (raw) => ('problems' in raw ? normalized('invalid', []) : normalized(raw.decision, raw.violations.map((v) => v.rule))),
    note: 'the same work as Verdict: schema check, messages, reads, score',
  };
}
