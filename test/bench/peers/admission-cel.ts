/** `marketplace.admission` in @marcbachmann/cel-js: one CEL expression per rule, parsed once. */
import { parse } from '@marcbachmann/cel-js';
import type { AdmissionInput } from './admission-inputs.ts';
import { normalized, type Contender } from './decision.ts';

const RULES: Array<[string, string]> = [
  ['data_residency_required', 'size(service.data_residency) == 0'],
  ['restricted_countries', 'service.data_residency.exists(c, c in ["KP", "IR", "SY", "CU"])'],
  ['confidential_certification_required', 'service.data_classification == "confidential" && !service.certifications.exists(c, c in ["SOC2", "ISO27001"])'],
  ['https_required', 'service.environment == "production" && !service.endpoint.startsWith("https://")'],
  ['enterprise_sla_minimum', 'service.tier == "enterprise" && (!has(service.sla) || service.sla.availability < 99.9)'],
  ['tls_minimum', 'service.environment == "production" && (!has(service.tls_version) || service.tls_version < 1.2)'],
  ['authentication_required', 'service.data_classification != "public" && service.authentication == "none"'],
];

const compiled = RULES.map(([id, text]) => ({ id, check: parse(text) }));

export const admissionCel: Contender<AdmissionInput, string[]> = {
  name: 'cel-js',
  evaluate: (input) => {
    const fired: string[] = [];
    for (const rule of compiled) if (rule.check(input) === true) fired.push(rule.id);
    return fired;
  },
  normalize: (raw) => normalized(raw.length > 0 ? 'deny' : 'allow', raw),
  note: '7 expressions, parsed once',
};
