/**
 * `marketplace.admission` in json-rules-engine: one rule per check (all/any
 * conditions on the `service` fact), custom operators for what its standard
 * operators cannot say, and a dot-path `pathResolver` (the default JSONPath
 * resolver is several times slower; dot paths are the fair setting).
 * `run` is async: each decision is one awaited call.
 */
import { Engine, type EngineResult, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

/** `a.b.c` on plain objects; undefined when a step is absent. */
export function dotPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const fact = (path: string, operator: string, value: unknown) => ({ fact: 'service', path, operator, value });

const RULES: Array<[string, TopLevelCondition]> = [
  ['data_residency_required', { all: [fact('data_residency', 'isEmpty', true)] }],
  ['restricted_countries', { all: [fact('data_residency', 'containsAny', ['KP', 'IR', 'SY', 'CU'])] }],
  ['confidential_certification_required', { all: [fact('data_classification', 'equal', 'confidential'), fact('certifications', 'containsNone', ['SOC2', 'ISO27001'])] }],
  ['https_required', { all: [fact('environment', 'equal', 'production'), fact('endpoint', 'notStartsWith', 'https://')] }],
  ['enterprise_sla_minimum', { all: [fact('tier', 'equal', 'enterprise'), { any: [fact('sla', 'absent', true), fact('sla.availability', 'lessThan', 99.9)] }] }],
  ['tls_minimum', { all: [fact('environment', 'equal', 'production'), { any: [fact('tls_version', 'absent', true), fact('tls_version', 'lessThan', 1.2)] }] }],
  ['authentication_required', { all: [fact('data_classification', 'notEqual', 'public'), fact('authentication', 'equal', 'none')] }],
];

export function rulesEngine(rules: RuleProperties[]): Engine {
  const engine = new Engine(rules, { allowUndefinedFacts: true, pathResolver: dotPath });
  engine.addOperator('isEmpty', (a: unknown) => Array.isArray(a) && a.length === 0);
  engine.addOperator('containsAny', (a: unknown, b: unknown[]) => Array.isArray(a) && a.some((x) => b.includes(x)));
  engine.addOperator('containsNone', (a: unknown, b: unknown[]) => Array.isArray(a) && !a.some((x) => b.includes(x)));
  engine.addOperator('notStartsWith', (a: unknown, b: string) => typeof a === 'string' && !a.startsWith(b));
  engine.addOperator('absent', (a: unknown) => a === undefined || a === null);
  return engine;
}

const engine = rulesEngine(RULES.map(([id, conditions]) => ({ name: id, conditions, event: { type: 'deny', params: { rule: id } } })));

export const admissionRulesEngine: Contender<AdmissionInput, Promise<EngineResult>> = {
  name: 'json-rules-engine',
  evaluate: (input) => engine.run({ service: input.service }),
  normalize: (raw) => normalized(raw.events.length > 0 ? 'deny' : 'allow', raw.events.map((e) => String(e.params?.rule))),
  async: true,
  note: 'dot-path resolver, custom operators',
};
