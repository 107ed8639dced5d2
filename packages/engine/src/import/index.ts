/** Importers from other rule formats into Verdict source. */
import { emitRuleset, type ImportedRule } from './json-rules-engine/emit.ts';
import type { ImportIssue } from './json-rules-engine/model.ts';
import { readRules } from './json-rules-engine/read.ts';
import { renameFacts } from './json-rules-engine/rename.ts';
import { isSoftName, uniqueName } from './verdict-syntax.ts';

export type { ImportedRule } from './json-rules-engine/emit.ts';
export type { ImportIssue } from './json-rules-engine/model.ts';

export interface ImportOptions {
  /** The ruleset name (dotted names); default `imported.<origin file name>`. */
  name?: string;
  /** Where the rules came from (a file name), for the header comment and the default name. */
  origin?: string;
  /**
   * A closed input: only the facts the rules read, and fact objects as records of
   * exactly the fields the rules read (a fact set with others is refused). Default
   * false: the input and its records are open (`...`), accepting the facts and
   * fields json-rules-engine fact sets usually carry beyond what the rules read.
   * Either way the facts and fields the rules read are typed by how they use them.
   */
  records?: boolean;
  /**
   * Rename facts whose names are not identifiers (`account-information`
   * → `account_information`; inputs must use the new names, listed in `renamedFacts`).
   * Default false: such facts are quoted input fields (`` `account-information` ``), read as
   * `` input.`account-information` ``, so the facts are taken as they are.
   */
  renameFacts?: boolean;
  /**
   * Shared conditions by name, as `engine.setCondition(name, condition)` takes them: a condition
   * `{ "condition": name }` is replaced by the named one (as json-rules-engine does).
   */
  conditions?: Record<string, unknown>;
}

export type ImportResult =
  | {
      ok: true;
      source: string;
      name: string;
      rules: ImportedRule[];
      outcomes: string[];
      defaultOutcome: string;
      /** Fact → input field, for the facts renamed with `renameFacts`. */
      renamedFacts: Record<string, string>;
      warnings: ImportIssue[];
    }
  | { ok: false; errors: ImportIssue[]; warnings: ImportIssue[] };

/**
 * Converts json-rules-engine rules (a rule, an array of rules or `{ rules }`,
 * already parsed from JSON) into Verdict source. Never throws: unsupported
 * features are listed in `errors`. The converter does not need json-rules-engine.
 */
export function importJsonRulesEngine(document: unknown, options: ImportOptions = {}): ImportResult {
  const origin = options.origin ?? 'rules.json';
  const read = readRules(document, options.conditions ?? {});
  const errors = [...read.errors];
  let name = options.name;
  if (name === undefined) {
    const base = origin.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
    name = `imported.${uniqueName(base, 'rules', new Set())}`;
  } else if (!name.split('.').every(isSoftName)) {
    errors.push({ rule: '(options)', where: 'name', message: `ruleset name ${JSON.stringify(name)} must be dotted identifiers, e.g. acme.discounts` });
  }
  if (errors.length > 0) return { ok: false, errors, warnings: read.warnings };
  const { rules, renamed } = options.renameFacts === true ? renameFacts(read.rules) : { rules: read.rules, renamed: new Map<string, string>() };
  const emitted = emitRuleset(rules, name, origin, options.records ?? false, renamed);
  const warnings = [...read.warnings, ...[...renamed].map(([from, to]) => ({ rule: '(facts)', where: `fact ${JSON.stringify(from)}`, message: `renamed to the input field \`${to}\`` })), ...emitted.warnings];
  if (emitted.errors.length > 0) return { ok: false, errors: emitted.errors, warnings };
  return { ok: true, source: emitted.source, name, rules: emitted.rules, outcomes: emitted.outcomes, defaultOutcome: emitted.defaultOutcome, renamedFacts: Object.fromEntries(renamed), warnings };
}

/** One line per issue: `rule "x" at conditions.all[0].path: message`. */
export function formatImportIssue(issue: ImportIssue): string {
  return `${issue.rule}${issue.where === '' ? '' : ` at ${issue.where}`}: ${issue.message}`;
}
