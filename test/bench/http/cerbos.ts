/**
 * The Cerbos PDP with `marketplace.admission` as a resource policy: one DENY
 * rule per Verdict rule (the same check as a CEL condition) on action
 * `admit`, over an unconditional ALLOW (in Cerbos a matching DENY wins).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The `cerbos` binary shipped in `@cerbos/cerbos-linux-x64`. */
export function cerbosBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@cerbos/cerbos-linux-x64/package.json')), 'cerbos-linux-x64');
}

const CHECKS: Array<[string, string]> = [
  ['data_residency_required', 'size(R.attr.data_residency) == 0'],
  ['restricted_countries', 'R.attr.data_residency.exists(c, c in ["KP", "IR", "SY", "CU"])'],
  ['confidential_certification_required', 'R.attr.data_classification == "confidential" && !R.attr.certifications.exists(c, c in ["SOC2", "ISO27001"])'],
  ['https_required', 'R.attr.environment == "production" && !R.attr.endpoint.startsWith("https://")'],
  ['enterprise_sla_minimum', 'R.attr.tier == "enterprise" && (!has(R.attr.sla) || R.attr.sla.availability < 99.9)'],
  ['tls_minimum', 'R.attr.environment == "production" && (!has(R.attr.tls_version) || R.attr.tls_version < 1.2)'],
  ['authentication_required', 'R.attr.data_classification != "public" && R.attr.authentication == "none"'],
];

export const ADMISSION_POLICY = [
  'apiVersion: api.cerbos.dev/v1',
  'resourcePolicy:',
  '  version: default',
  '  resource: service',
  '  rules:',
  '    - name: admit',
  '      actions: ["admit"]',
  '      effect: EFFECT_ALLOW',
  '      roles: ["*"]',
  ...CHECKS.flatMap(([name, expr]) => [
    `    - name: ${name}`,
    '      actions: ["admit"]',
    '      effect: EFFECT_DENY',
    '      roles: ["*"]',
    '      condition:',
    '        match:',
    `          expr: ${JSON.stringify(expr)}`,
  ]),
  '',
].join('\n');

/** Writes the policy and a config (disk storage, loopback listeners) under `dir`; returns the config path. */
export function writeCerbosSetup(dir: string, httpPort: number, grpcPort: number): string {
  const policies = join(dir, 'policies');
  mkdirSync(policies, { recursive: true });
  writeFileSync(join(policies, 'admission.yaml'), ADMISSION_POLICY);
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'server:',
      `  httpListenAddr: "127.0.0.1:${httpPort}"`,
      `  grpcListenAddr: "127.0.0.1:${grpcPort}"`,
      'storage:',
      '  driver: "disk"',
      '  disk:',
      `    directory: ${JSON.stringify(policies)}`,
      '    watchForChanges: false',
      '',
    ].join('\n'),
  );
  return config;
}

/** `deny` or `allow` from a `/api/check/resources` answer for one resource. */
export function cerbosDecision(answer: unknown): string {
  const effect = (answer as { results?: Array<{ actions?: Record<string, string> }> }).results?.[0]?.actions?.['admit'];
  return effect === 'EFFECT_DENY' ? 'deny' : effect === 'EFFECT_ALLOW' ? 'allow' : `unexpected: ${JSON.stringify(answer)}`;
}
