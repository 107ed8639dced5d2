/**
 * `marketplace.admission` in Cedar (wasm): one `forbid` policy per rule over the
 * request context, plus a `permit` for everything else. The policy set is
 * preparsed once; each decision converts the input into a Cedar context
 * (numbers with a fraction become `decimal`, Cedar has no floats) and calls
 * `statefulIsAuthorized`. The conversion is timed: a service pays it too.
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

const forbid = (condition: string) => `forbid (principal, action, resource) when { ${condition} };`;
const s = 'context.service';

const POLICIES: Record<string, string> = {
  admit: 'permit (principal, action, resource);',
  data_residency_required: forbid(`${s}.data_residency.isEmpty()`),
  restricted_countries: forbid(`${s}.data_residency.containsAny(["KP", "IR", "SY", "CU"])`),
  confidential_certification_required: forbid(`${s}.data_classification == "confidential" && !${s}.certifications.containsAny(["SOC2", "ISO27001"])`),
  https_required: forbid(`${s}.environment == "production" && !(${s}.endpoint like "https://*")`),
  enterprise_sla_minimum: forbid(`${s}.tier == "enterprise" && !(${s} has sla && ${s}.sla.availability.greaterThanOrEqual(decimal("99.9")))`),
  tls_minimum: forbid(`${s}.environment == "production" && !(${s} has tls_version && ${s}.tls_version.greaterThanOrEqual(decimal("1.2")))`),
  authentication_required: forbid(`${s}.data_classification != "public" && ${s}.authentication == "none"`),
};

const POLICY_SET_ID = 'marketplace.admission';
const prepared = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: POLICIES });
if (prepared.type !== 'success') throw new Error(`cedar: ${JSON.stringify(prepared.errors)}`);

const decimal = (n: number): cedar.CedarValueJson => ({ __extn: { fn: 'decimal', arg: Number.isInteger(n) ? `${n}.0` : String(n) } });

function context(input: AdmissionInput): cedar.Context {
  const { tls_version, sla, ...rest } = input.service;
  const service: Record<string, cedar.CedarValueJson> = { ...rest };
  if (tls_version !== undefined) service.tls_version = decimal(tls_version);
  if (sla !== undefined) service.sla = { availability: decimal(sla.availability) };
  return { service };
}

const principal = { type: 'Service', id: 'candidate' };
const action = { type: 'Action', id: 'admit' };
const resource = { type: 'Marketplace', id: 'catalogue' };

export const admissionCedar: Contender<AdmissionInput, cedar.AuthorizationAnswer> = {
  name: 'Cedar (wasm)',
  evaluate: (input) => cedar.statefulIsAuthorized({ principal, action, resource, context: context(input), preparsedPolicySetId: POLICY_SET_ID, entities: [] }),
  normalize: (raw) => {
    if (raw.type !== 'success') throw new Error(`cedar: ${JSON.stringify(raw.errors)}`);
    if (raw.response.diagnostics.errors.length > 0) throw new Error(`cedar: ${JSON.stringify(raw.response.diagnostics.errors)}`);
    const rules = raw.response.decision === 'deny' ? raw.response.diagnostics.reason : [];
    return normalized(raw.response.decision, rules);
  },
  note: 'preparsed policy set, context converted per call',
};
