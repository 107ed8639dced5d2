/** Generated rulesets for benchmarks: realistic shapes, deterministic content. */

const header = `ruleset bench.generated

input {
  service: {
    id: string
    tier: "free" | "standard" | "enterprise"
    region: string
    environment: "development" | "staging" | "production"
    endpoint: string
    data_residency: list<string>
    certifications: list<string>
    sla?: { availability: number }
    score: number
  }
}

decision deny > warn > allow

const RESTRICTED = ["KP", "IR", "SY", "CU"]
param min_score: number = 10 where value >= 0
`;

/** One rule of a few shapes, numbered so every rule id and constant differs. */
function rule(i: number): string {
  switch (i % 4) {
    case 0:
      return `# Region ${i} is closed for this tier.\nrule region_${i} {\n  severity high\n  deny when service.region == "r${i}" && service.tier != "enterprise"\n  because "region r${i} is closed to {service.tier}"\n}\n`;
    case 1:
      return `rule score_${i} {\n  severity medium\n  let limit = min_score + ${i % 97}\n  warn when service.id == "svc-${i}" && service.score < limit\n  because "score {service.score} is under {limit}"\n}\n`;
    case 2:
      return `rule residency_${i} {\n  severity critical\n  deny when service.id == "svc-${i}" && service.data_residency.exists(c, c in RESTRICTED)\n  because "restricted residency"\n}\n`;
    default:
      return `rule sla_${i} {\n  severity low\n  warn when service.id == "svc-${i}" && (service.sla?.availability ?? 0) < ${90 + (i % 10)}\n  because "sla under ${90 + (i % 10)}"\n  suggest availability = ${90 + (i % 10)}\n}\n`;
  }
}

export function generatedRuleset(rules: number): string {
  const parts = [header];
  for (let i = 0; i < rules; i++) parts.push(rule(i));
  return parts.join('\n');
}

/** A ruleset of about `lines` lines (the editor's re-check case). */
export function rulesetOfLines(lines: number): string {
  let text = header;
  for (let i = 0; text.split('\n').length < lines; i++) text += '\n' + rule(i);
  return text;
}
