/**
 * `marketplace.admission` in GoRules Zen: a JDM graph with one decision table
 * (hit policy `collect`), one row per rule, each row's condition a Zen
 * expression over the input (member access on null yields null, so
 * `service.sla.availability ?? 0` reads an absent SLA as 0). `evaluate` is async (a native call per decision).
 */
import { ZenEngine, type ZenEngineResponse } from '@gorules/zen-engine';
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

/** A graph input -> table -> output around one decision table of `[condition, rule id]` rows. */
export function collectTableGraph(rows: Array<[string, string]>): object {
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request', position: { x: 0, y: 0 } },
      {
        id: 'rules',
        type: 'decisionTableNode',
        name: 'rules',
        position: { x: 200, y: 0 },
        content: {
          hitPolicy: 'collect',
          inputs: [{ id: 'condition', name: 'condition' }],
          outputs: [{ id: 'rule', name: 'rule', field: 'rule' }],
          rules: rows.map(([condition, id], i) => ({ _id: `r${i}`, condition, rule: JSON.stringify(id) })),
        },
      },
      { id: 'response', type: 'outputNode', name: 'response', position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'rules', type: 'edge' },
      { id: 'e2', sourceId: 'rules', targetId: 'response', type: 'edge' },
    ],
  };
}

const ROWS: Array<[string, string]> = [
  ['len(service.data_residency) == 0', 'data_residency_required'],
  ['some(service.data_residency, # in ["KP", "IR", "SY", "CU"])', 'restricted_countries'],
  ['service.data_classification == "confidential" and not some(service.certifications, # in ["SOC2", "ISO27001"])', 'confidential_certification_required'],
  ['service.environment == "production" and not startsWith(service.endpoint, "https://")', 'https_required'],
  ['service.tier == "enterprise" and (service.sla.availability ?? 0) < 99.9', 'enterprise_sla_minimum'],
  ['service.environment == "production" and (service.tls_version ?? 0) < 1.2', 'tls_minimum'],
  ['service.data_classification != "public" and service.authentication == "none"', 'authentication_required'],
];

export const zenEngine = new ZenEngine();
const decision = zenEngine.createDecision(collectTableGraph(ROWS));

export function zenRules(response: ZenEngineResponse): string[] {
  const result: unknown = response.result;
  if (!Array.isArray(result)) throw new Error(`zen: unexpected result ${JSON.stringify(result)}`);
  return result.map((row: { rule: string }) => row.rule);
}

export const admissionZen: Contender<AdmissionInput, Promise<ZenEngineResponse>> = {
  name: 'GoRules Zen',
  evaluate: (input) => decision.evaluate(input),
  normalize: (raw) => {
    const rules = zenRules(raw);
    return normalized(rules.length > 0 ? 'deny' : 'allow', rules);
  },
  async: true,
  note: 'JDM decision table, hit policy collect',
};
