/** Writes the Verdict ruleset for checked json-rules-engine rules. */
import { format, type Severity } from '@verdict/language';
import { commentText, fieldText, isSoftName, jsonLiteral, plainMessage, uniqueName, type Json } from '../verdict-syntax.ts';
import { ConditionWriter } from './condition.ts';
import { Inference, typeText, type VType } from './infer.ts';
import { canDeclare } from './rename.ts';
import type { ImportIssue, JreRule } from './model.ts';

export interface ImportedRule {
  /** The Verdict rule id. */
  id: string;
  /** The json-rules-engine rule's name, or null. */
  name: string | null;
  priority: number;
  severity: Severity;
  /** The Verdict outcome standing for the event type. */
  outcome: string;
  event: { type: string; params: Record<string, Json> | null };
  /** Suggest field → event param key (they differ only where a key is not a Verdict name). */
  suggest: Record<string, string>;
}

export interface EmitResult {
  source: string;
  rules: ImportedRule[];
  outcomes: string[];
  defaultOutcome: string;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

const LEVELS: Severity[] = ['critical', 'high', 'medium', 'low'];

/**
 * Severity from priority: one distinct priority → all medium; otherwise the
 * distinct priorities, highest first, are split into four equal bands
 * critical, high, medium, low (two priorities → critical and medium).
 */
export function severityOf(priority: number, distinct: number[]): Severity {
  if (distinct.length <= 1) return 'medium';
  const rank = distinct.indexOf(priority);
  return LEVELS[Math.floor((rank * LEVELS.length) / distinct.length)] ?? 'low';
}

export function emitRuleset(rules: JreRule[], rulesetName: string, origin: string, records = false, renamed: Map<string, string> = new Map()): EmitResult {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const inference = new Inference(rules, records);
  const types = new Map<string, VType>(inference.types());
  for (const fact of inference.order) {
    if (!canDeclare(fact)) {
      errors.push({
        rule: '(facts)',
        where: `fact ${JSON.stringify(fact)}`,
        message:
          'this fact name cannot be a Verdict input field (`input` names the input document; __proto__, constructor and prototype, ' +
          'a backquote or a line break are refused): rename the fact, or import with --rename-facts (renameFacts), which makes every fact name an identifier',
      });
    }
  }

  // Outcomes: one per event type, by the highest priority of the rules producing it (ties: first seen).
  const names = new Set<string>(inference.order);
  const byType = new Map<string, { outcome: string; priority: number; first: number }>();
  rules.forEach((r, i) => {
    const seen = byType.get(r.event.type);
    if (seen === undefined) byType.set(r.event.type, { outcome: uniqueName(r.event.type, 'event', names), priority: r.priority, first: i });
    else seen.priority = Math.max(seen.priority, r.priority);
  });
  const ordered = [...byType.values()].sort((a, b) => b.priority - a.priority || a.first - b.first);
  const defaultOutcome = uniqueName('none', 'none', names);
  const outcomes = [...ordered.map((o) => o.outcome), defaultOutcome];

  const distinct = [...new Set(rules.map((r) => r.priority))].sort((a, b) => b - a);
  const ids = new Set<string>();
  const writer = new ConditionWriter(types);
  const imported: ImportedRule[] = [];
  const blocks: string[] = [];
  for (const r of rules) {
    const id = uniqueName(r.name ?? '', `rule_${r.index}`, ids, true);
    const outcome = byType.get(r.event.type)!.outcome;
    const severity = severityOf(r.priority, distinct);
    const label = r.name === null ? `rule #${r.index}` : `rule ${JSON.stringify(r.name)}`;
    const suggest: Record<string, string> = {};
    const fields = new Set(Object.keys(r.event.params ?? {}).filter(isSoftName));
    const lines = [
      `# json-rules-engine ${commentText(label)}, priority ${r.priority}, event ${commentText(JSON.stringify(r.event.type))}`,
      `rule ${id} {`,
      `  severity ${severity}`,
      `  ${outcome} when ${writer.write(r.conditions)}`,
      `  because ${plainMessage(`json-rules-engine event "${r.event.type}"${r.name === null ? '' : ` (rule "${r.name}")`}`)}`,
    ];
    for (const [key, value] of Object.entries(r.event.params ?? {})) {
      let field = key;
      if (!isSoftName(key)) {
        field = uniqueName(key, 'param', fields, true);
        warnings.push({ rule: label, where: `event.params`, message: `param ${JSON.stringify(key)} is not a Verdict name: suggested as \`${field}\`` });
      }
      suggest[field] = key;
      lines.push(`  suggest ${field} = ${jsonLiteral(value)}`);
    }
    lines.push('}');
    blocks.push(lines.join('\n'));
    imported.push({ id, name: r.name, priority: r.priority, severity, outcome, event: r.event, suggest });
  }

  // Fact names that are not identifiers are quoted: `account-information`?: {...}.
  const fieldLines = [...types].map(([fact, t]) => `  ${fieldText(fact)!}?: ${typeText(t)}`);
  if (!records) fieldLines.push('  ...');
  const header = [
    `# Imported from json-rules-engine rules (${commentText(origin)}) by \`verdict import\`.`,
    '# Every fact is an optional input field: a missing fact reads as undefined, as with allowUndefinedFacts.',
    records
      ? '# Fact objects are closed records of the fields the rules read (--records): other facts and fields are refused.'
      : '# The input is open (`...`): facts and fields the rules never read are accepted and ignored.',
    ...[...renamed].map(([from, to]) => `# Fact ${commentText(JSON.stringify(from))} is the input field \`${to}\`.`),
    `ruleset ${rulesetName}`,
    '',
    `input {\n${fieldLines.join('\n')}\n}`,
    '',
    '# Event types, by the highest priority of the rules producing them; the last is "no event".',
    `decision ${outcomes.join(' > ')}`,
    '# json-rules-engine operators answer false on values they cannot compare.',
    'on error skip',
  ];
  const written = `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`;
  // The canonical layout (`verdict fmt`); the text as written if the formatter refuses it (the checks then report why).
  const source = format(written).text ?? written;
  return { source, rules: imported, outcomes, defaultOutcome, errors, warnings };
}
