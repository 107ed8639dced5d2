/** Generated `marketplace.admission` inputs: a deterministic mix of compliant and violating services. */
import { chance, pick, seeded } from './random.ts';

export interface Service {
  id: string;
  tier: 'free' | 'standard' | 'enterprise';
  environment: 'development' | 'staging' | 'production';
  endpoint: string;
  data_classification: 'public' | 'internal' | 'confidential';
  data_residency: string[];
  certifications: string[];
  tls_version?: number;
  authentication: 'none' | 'api_key' | 'oauth2' | 'mtls';
  sla?: { availability: number };
}

export interface AdmissionInput {
  service: Service;
}

const COUNTRIES = ['US', 'DE', 'FR', 'IE', 'SG', 'JP', 'KR', 'BR', 'CA', 'GB'];
const RESTRICTED = ['KP', 'IR', 'SY', 'CU'];
const CERTS = ['SOC2', 'ISO27001', 'PCI-DSS', 'HIPAA', 'FedRAMP'];

/** About half of the inputs are compliant; the rest break one or several rules. */
export function admissionInputs(count: number, seed = 1): AdmissionInput[] {
  const random = seeded(seed);
  const inputs: AdmissionInput[] = [];
  for (let i = 0; i < count; i++) {
    const bad = chance(random, 0.5);
    const slip = (p: number) => bad && chance(random, p);
    const residency: string[] = [];
    if (!slip(0.1)) {
      const n = 1 + Math.floor(random() * 3);
      for (let k = 0; k < n; k++) residency.push(pick(random, COUNTRIES));
      if (slip(0.25)) residency.splice(Math.floor(random() * residency.length), 0, pick(random, RESTRICTED));
    }
    const classification = pick(random, ['public', 'internal', 'confidential'] as const);
    const certifications = slip(0.3) ? (chance(random, 0.5) ? [] : ['PCI-DSS']) : [pick(random, CERTS), pick(random, ['SOC2', 'ISO27001'])];
    const environment = pick(random, ['development', 'staging', 'production'] as const);
    const tier = pick(random, ['free', 'standard', 'enterprise'] as const);
    const service: Service = {
      id: `svc-${i}`,
      tier,
      environment,
      endpoint: slip(0.2) ? `http://api${i}.example.com` : `https://api${i}.example.com/v1`,
      data_classification: classification,
      data_residency: residency,
      certifications,
      authentication: slip(0.2) ? 'none' : pick(random, ['api_key', 'oauth2', 'mtls'] as const),
    };
    if (!slip(0.15)) service.tls_version = slip(0.3) ? 1.1 : pick(random, [1.2, 1.3]);
    if (!slip(0.15)) service.sla = { availability: slip(0.4) ? pick(random, [95, 99.5, 99.89]) : pick(random, [99.9, 99.95, 99.99]) };
    inputs.push({ service });
  }
  return inputs;
}
