/** The rule-index scenario in Cedar (wasm): one `forbid` policy per rule plus a `permit`, preparsed. */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { normalized, type Contender } from './decision.ts';
import type { CodeInput } from './index-rules.ts';

const principal = { type: 'Client', id: 'caller' };
const action = { type: 'Action', id: 'submit' };
const resource = { type: 'Desk', id: 'desk' };

export function codeRulesCedar(rules: number): Contender<CodeInput, cedar.AuthorizationAnswer> {
  const policies: Record<string, string> = { accept: 'permit (principal, action, resource);' };
  for (let i = 0; i < rules; i++) policies[`r${i}`] = `forbid (principal, action, resource) when { context.code == "C${i}" && context.amount > ${i} };`;
  const id = `bench.indexed.${rules}`;
  const prepared = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (prepared.type !== 'success') throw new Error(`cedar: ${JSON.stringify(prepared.errors)}`);
  return {
    name: 'Cedar (wasm)',
    // amounts are whole numbers, so they fit Cedar's Long as they are
    evaluate: (input) => cedar.statefulIsAuthorized({ principal, action, resource, context: { code: input.code, amount: input.amount }, preparsedPolicySetId: id, entities: [] }),
    normalize: (raw) => {
      if (raw.type !== 'success') throw new Error(`cedar: ${JSON.stringify(raw.errors)}`);
      return normalized(raw.response.decision, raw.response.decision === 'deny' ? raw.response.diagnostics.reason : []);
    },
  };
}
